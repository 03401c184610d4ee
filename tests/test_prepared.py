"""The per-version structures give exactly what the metric functions give on the filtered reports.

The reference is the plain path (filter every report with a substring search,
then run the metric); :class:`gip_data.prepared.Prepared` must agree on every
metric for views with and without a name search, on a frame mixing the seed
reports with synthetic bodies that have real-looking irregularities (quality
flags, jurisdiction summaries, unknown provinces, a body that changed its name).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from gip_data import metrics
from gip_data.filters import FilterState, filter_expr
from gip_data.prepared import Prepared, prepare
from gip_data.storage.frames_io import conform_wide
from gip_data.synth import synth_chunks


def _irregular(raw: pl.DataFrame) -> pl.DataFrame:
    """Synthetic reports made to look like real ones: flags, summaries, missing regions, renamed bodies."""
    rng = np.random.default_rng(7)
    n = raw.height
    wide = conform_wide(raw.with_columns(pl.int_range(100, 100 + n, dtype=pl.Int64).alias("report_id")))
    renamed = pl.Series(rng.random(n) < 0.05)
    return wide.with_columns(
        pl.Series("synthetic", rng.random(n) < 0.5),
        pl.Series("aggregate", rng.random(n) < 0.05),
        pl.Series("failed_checks", (rng.random(n) < 0.1) * rng.integers(1, 4, n), dtype=pl.Int32),
        pl.Series("missing_tables", (rng.random(n) < 0.2).astype(int), dtype=pl.Int32),
        pl.when(pl.Series(rng.random(n) < 0.03)).then(None).otherwise(pl.col("province")).alias("province"),
        pl.when(renamed).then(pl.col("agency") + "（原名）").otherwise(pl.col("agency")).alias("agency"),
    ).with_columns(  # one name longer than the n-gram index covers
        pl.when(pl.col("report_id") == 100).then(pl.lit("长" * 80 + "末尾机关")).otherwise(pl.col("agency")).alias("agency"),
    )


@pytest.fixture(scope="module")
def wide(seeds_wide: pl.DataFrame) -> pl.DataFrame:
    synth = pl.concat(list(synth_chunks(3000, [2020, 2021, 2022, 2023], seed=3)), how="vertical_relaxed")
    return pl.concat([seeds_wide, _irregular(synth)])


@pytest.fixture(scope="module")
def prepared(wide: pl.DataFrame) -> Prepared:
    return prepare(wide)


def _reference(wide: pl.DataFrame, state: FilterState) -> pl.LazyFrame:
    linked = metrics.add_year_links(wide).with_columns(
        (metrics.BASES["new"] + metrics.BASES["carried_over"]).cast(pl.Int64).alias("recv"))
    return linked.lazy().filter(filter_expr(state))


STATES = [
    FilterState(),
    FilterState(synthetic=True),
    FilterState(synthetic=True, levels=("county", "township")),
    FilterState(synthetic=True, year_from=2021, year_to=2022, body="dept"),
    FilterState(synthetic=True, edition="2021", scope="sum"),
    FilterState(synthetic=True, search="局"),
    FilterState(synthetic=True, search="人民政府", year_from=2021),
    FilterState(search="郏县"),
    FilterState(synthetic=True, search="no such body"),
]
CUBE_CALLS = [
    ("yearly_totals", ()), ("kpi_table", ()), ("volume_by", (["year", "level"],)), ("applicant_mix", ("year",)),
    ("flows_by_year", ()), ("disposition_mix", ("level",)), ("reason_breakdown", ()), ("case_outcomes", ("year",)),
    ("case_rates", ("level",)), ("metric_by", (["level", "year"], "open")), ("metric_by", (["province"], "rvc")),
    ("volume_distribution", ("level",)), ("quality_reports", (50,)),
]


@pytest.mark.parametrize("state", STATES, ids=lambda s: s.model_dump_json(exclude_defaults=True))
def test_every_metric_matches_the_plain_path(wide: pl.DataFrame, prepared: Prepared, state: FilterState) -> None:
    rows = _reference(wide, state)
    for name, args in CUBE_CALLS:
        expected = getattr(metrics, name)(rows, *args)
        assert_frame_equal(prepared.compute(name, state, args), expected, check_dtypes=False), name
    assert prepared.compute("quality_overview", state) == metrics.quality_overview(rows)


@pytest.mark.parametrize("state", STATES[1:7], ids=lambda s: s.model_dump_json(exclude_defaults=True))
def test_top_bodies_and_per_body_metrics_match(wide: pl.DataFrame, prepared: Prepared, state: FilterState) -> None:
    rows = _reference(wide, state)
    expected = metrics.top_bodies(rows, 15).select("agency_key", "reports", "recv")
    got = prepared.compute("top_bodies", state, (15,))
    assert_frame_equal(got.select("agency_key", "reports", "recv"), expected, check_dtypes=False)
    side = prepared.compute("metric_by", state, (["agency"], "open", 10))
    assert_frame_equal(side, metrics.metric_by(rows, ["agency"], "open", 10), check_dtypes=False)
    keys = tuple(got["agency_key"].head(3).to_list())
    history = prepared.compute("metric_by", state, (["agency", "year"], "recv", None, keys))
    assert_frame_equal(history, metrics.metric_by(rows, ["agency", "year"], "recv", None, keys), check_dtypes=False)


def test_peer_comparison_reads_only_the_peer_group(wide: pl.DataFrame, prepared: Prepared) -> None:
    state = FilterState(synthetic=True, levels=("county", "city"), search="局")  # peers ignore level/search filters
    top = prepared.compute("top_bodies", state, (8,))
    peers_only = FilterState(synthetic=True)
    found = 0
    for key in top["agency_key"].to_list():
        year = int(prepared.compute("metric_by", state, (["agency", "year"], "recv", None, (key,)))["year"][-1])
        expected = metrics.peer_comparison(_reference(wide, peers_only), key, year)
        got = prepared.compute("peer_comparison", state, (key, year))
        assert_frame_equal(got, expected, check_dtypes=False)
        found += got["peers"].max()
    assert found > 0


@pytest.mark.parametrize("text", ["局", "公安", "人民政府", "（原名）", "郏县人民政府", "局局", "x", "市公安局", "末尾", "末尾机关"])
def test_name_index_finds_exactly_the_names_containing_the_text(prepared: Prepared, text: str) -> None:
    expected = prepared.names.filter(pl.col("agency").str.contains(text, literal=True))["name_code"].sort()
    assert prepared.name_codes(text).sort().to_list() == expected.to_list()


def test_search_uses_the_name_dictionary(prepared: Prepared) -> None:
    codes = prepared.name_codes("（原名）")
    assert 0 < codes.len() < prepared.names.height
    names = prepared.names.filter(pl.col("name_code").is_in(codes.implode()))["agency"]
    assert names.str.ends_with("（原名）").all()
    assert prepared.agencies["agency_key"].is_unique().all()


def test_view_memo_stays_bounded(prepared: Prepared) -> None:
    from gip_data.prepared import MEMO_ENTRIES

    for i in range(3 * MEMO_ENTRIES):
        prepared.compute("kpi_table", FilterState(synthetic=True, search=f"局{i}"))
    assert 0 < len(prepared.memo) <= MEMO_ENTRIES

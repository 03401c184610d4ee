"""The prepared quality index gives exactly what the definitions give on the filtered reports."""

from __future__ import annotations

import polars as pl
import pytest

from gip_data.filters import FilterState, filter_expr
from gip_data.frames import records_to_wide
from gip_data.quality.checks import scorecard
from gip_data.quality.facts_frame import records_to_facts
from gip_data.quality.index import QualityIndex, build_index
from gip_data.quality.rollup import overview, rank_bodies, rollup, with_dimensions
from tests.quality_records import facts, record, synthetic_facts, synthetic_wide


def _codes(wide: pl.DataFrame) -> pl.DataFrame:
    return wide.with_columns(
        (pl.col("agency").fill_null("").rank("dense") - 1).cast(pl.UInt32).alias("name_code"),
        (pl.col("agency_key").fill_null("").rank("dense") - 1).cast(pl.UInt32).alias("agency_code"),
    )


@pytest.fixture(scope="module")
def data() -> tuple[pl.DataFrame, QualityIndex]:
    synthetic = synthetic_wide(3000, seed=5)
    crafted = [record("郏县人民政府", 2022, new=4, body="政府", facts=facts(fee=False)),
               record("郏县人民政府", 2023, new=30, body="政府", facts=facts()),
               record("某某市全市汇总", 2023, new=90, level="市级", body="政府", aggregate=True),
               # a body whose level changed (撤乡设镇 → 街道 under a new district): two rows of the body matrix
               record("某某镇人民政府", 2022, new=12, level="乡镇街道", body="政府", facts=facts()),
               record("某某镇人民政府", 2023, new=15, level="县级", body="政府", facts=facts(sections=(1, 2)))]
    wide = pl.concat([synthetic, records_to_wide(crafted).with_columns(
        pl.col("report_id") + synthetic.height, pl.col("agency").alias("agency_key"))])
    facts_frame = pl.concat([synthetic_facts(synthetic, seed=6), records_to_facts(
        [(synthetic.height + i + 1, r) for i, r in enumerate(crafted)])])
    wide = _codes(wide)
    rows = with_dimensions(scorecard(wide, facts_frame), wide)
    return rows, build_index(rows)


STATES = [
    FilterState(synthetic=True),
    FilterState(synthetic=True, year_from=2021, year_to=2023),
    FilterState(synthetic=True, levels=("county", "township"), body="gov"),
    FilterState(synthetic=True, province="河南省"),
    FilterState(synthetic=True, edition="2019"),
    FilterState(synthetic=True, search="财政"),
    FilterState(),
    FilterState(scope="sum"),
    FilterState(year_from=2030),
]


def _predicate(rows: pl.DataFrame, state: FilterState):  # noqa: ANN202 - a predicate builder
    codes = rows.filter(pl.col("agency").str.contains(state.search, literal=True))["name_code"].unique() \
        if state.search else None
    return lambda dims: filter_expr(state, name_codes=codes, dims=dims)


@pytest.mark.parametrize("state", STATES, ids=[s.model_dump_json(exclude_defaults=True) for s in STATES])
def test_index_equals_the_definitions(data: tuple[pl.DataFrame, QualityIndex], state: FilterState) -> None:
    rows, index = data
    assert not index.one_row_per_body
    predicate = _predicate(rows, state)
    view = rows.lazy().filter(predicate(("aggregate", "year", "level", "body", "province", "city", "search",
                                         "template", "synthetic")))
    if not state.search:  # the cube holds no names: a search reads the matching reports
        for by in (["level"], ["year"], ["province", "city"]):
            assert index.rollup(predicate, by).equals(rollup(view, by))
        assert index.overview(predicate).equals(overview(view))
    slots = index.chosen_slots(state.year_from, state.year_to, state.edition)
    for limit, worst in ((None, False), (20, False), (20, True)):
        assert index.rank_bodies(predicate, slots, limit, worst).equals(rank_bodies(view, limit, worst))


def test_one_row_per_body_shortcut() -> None:
    wide = _codes(synthetic_wide(2000, seed=9))
    rows = with_dimensions(scorecard(wide, synthetic_facts(wide, seed=3)), wide)
    index = build_index(rows)
    assert index.one_row_per_body
    state = FilterState(synthetic=True, year_from=2022)
    predicate = _predicate(rows, state)
    view = rows.lazy().filter(predicate(("aggregate", "year", "level", "body", "province", "city", "search",
                                         "template", "synthetic")))
    slots = index.chosen_slots(state.year_from, state.year_to, state.edition)
    assert index.rank_bodies(predicate, slots, 30).equals(rank_bodies(view, 30))

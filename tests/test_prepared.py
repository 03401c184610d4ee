"""The prepared data: the name index, the memo, and updates from a delta that equal a rebuild.

An update (:func:`gip_data.prepared.delta.apply_delta`) must leave every view
exactly as a full :func:`~gip_data.prepared.prepare` of the new reports would:
checked for every declared view against the raw reports after new reports
(new bodies, names, years), replaced versions, renamed bodies, deletes and a
body that lost every report.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from gip_data.filters import FilterState
from gip_data.prepared import MEMO_ENTRIES, Prepared, prepare
from gip_data.prepared import delta as delta_module
from gip_data.prepared.delta import apply_delta
from gip_data.prepared.names import SMALL
from gip_data.storage.frames_io import WideDelta
from gip_data.views import KPI_TABLE, REGISTRY
from tests.frames_support import irregular_synthetic, states_for
from tests.test_views import check_view


@pytest.fixture(scope="module")
def wide(seeds_wide: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([seeds_wide, irregular_synthetic(2000, [2020, 2021, 2022, 2023], seed=5)])


@pytest.fixture(scope="module")
def prepared(wide: pl.DataFrame) -> Prepared:
    return prepare(wide)


@pytest.mark.parametrize("text", ["局", "公安", "人民政府", "（原名）", "郏县人民政府", "局局", "x", "市公安局", "末尾", "末尾机关"])
def test_name_index_finds_exactly_the_names_containing_the_text(prepared: Prepared, text: str) -> None:
    table = prepared.names.names.table
    expected = table.filter(pl.col("text").str.contains(text, literal=True))["code"].sort()
    assert prepared.name_codes(text).sort().to_list() == expected.to_list()
    grown = prepared.names.extend(pl.Series(["新设的末尾局", "x公安", None]))
    expected = grown.names.table.filter(pl.col("text").str.contains(text, literal=True))["code"].sort()
    assert grown.codes(text).sort().to_list() == expected.to_list()


def test_codes_are_stable_and_new_texts_get_new_codes(prepared: Prepared) -> None:
    first = prepared.keys.table["text"][0]
    keys = prepared.keys.extend(pl.Series(["阿", "龠", first, None]))
    assert keys.table.head(prepared.keys.size).equals(prepared.keys.table)
    assert keys.size == prepared.keys.size + 2 and keys.table["code"].to_list() == list(range(keys.size))
    assert keys.encode(pl.Series([first, "龠", None])).to_list() == [0, keys.size - 1, None]
    found = keys.known(pl.Series(["不存在的机关", first, "龠", "阿", keys.table["text"][-3]]))
    assert sorted(found["code"].to_list()) == sorted([0, keys.size - 3, keys.size - 2, keys.size - 1])
    reps = SMALL // keys.size + 2  # more texts than a dict lookup handles: encoded by a join
    assert keys.encode(pl.concat([keys.table["text"]] * reps)).to_list() == keys.table["code"].to_list() * reps


def test_view_memo_stays_bounded(prepared: Prepared) -> None:
    for i in range(3 * MEMO_ENTRIES):
        KPI_TABLE.compute(prepared, FilterState(synthetic=True, search=f"局{i}"))
    assert 0 < len(prepared.memo) <= MEMO_ENTRIES


def _changes(wide: pl.DataFrame, seed: int, next_id: int) -> tuple[pl.DataFrame, pl.DataFrame, WideDelta]:
    """An older frame, the newer frame and the delta between them.

    Between them: reports added (some give a body a new year, so its
    neighbours' year links change), reports replaced by new versions (other
    numbers, a new name, a new year 2024), reports deleted, and one body that
    lost every report.
    """
    rng = np.random.default_rng(seed)
    ids = wide["report_id"].to_numpy()
    picked = rng.choice(ids, 80, replace=False)
    added, replaced, deleted = picked[:30], picked[30:60], picked[60:]
    body = wide.filter(pl.col("agency_key").is_not_null() & ~pl.col("report_id").is_in(picked))["agency_key"][0]
    gone_body = wide.filter(pl.col("agency_key") == body)["report_id"].to_numpy()
    old = wide.filter(~pl.col("report_id").is_in(added))
    versions = wide.filter(pl.col("report_id").is_in(replaced)).with_columns(
        pl.int_range(next_id, next_id + len(replaced), dtype=pl.Int64).alias("report_id"),
        (pl.col("new_received__total").fill_null(0) + 7).alias("new_received__total"),
        pl.when(pl.int_range(pl.len()) % 3 == 0).then(pl.col("agency") + "（新名）").otherwise(pl.col("agency")).alias("agency"),
        pl.when(pl.int_range(pl.len()) % 5 == 0).then(pl.lit(2024, pl.Int32)).otherwise(pl.col("year")).alias("year"),
    )
    removed = np.concatenate([replaced, deleted, gone_body])
    new = pl.concat([old.filter(~pl.col("report_id").is_in(removed)), wide.filter(pl.col("report_id").is_in(added)), versions])
    current = pl.concat([wide.filter(pl.col("report_id").is_in(added)), versions])
    changed = pl.Series("report_id", np.concatenate([removed, added, versions["report_id"].to_numpy()]), pl.Int64)
    return old, new, WideDelta(version=7, changed=changed, current=current)


@pytest.fixture(scope="module")
def updated(wide: pl.DataFrame) -> tuple[pl.DataFrame, Prepared]:
    old, new, delta = _changes(wide, seed=11, next_id=1_000_000)
    return new, apply_delta(prepare(old, version=6), delta)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_an_update_gives_what_a_rebuild_gives(updated: tuple[pl.DataFrame, Prepared], name: str) -> None:
    new, data = updated
    assert data.version == 7 and data.dead > 0
    rebuilt = prepare(new)
    for state in states_for(new):
        check_view(REGISTRY[name], data, new, state)
        for example in REGISTRY[name].examples:
            args = example(data, state) if callable(example) else example
            assert_frame_equal(REGISTRY[name].compute(data, state, *args), REGISTRY[name].compute(rebuilt, state, *args))


def test_updates_in_a_row_keep_the_frame_shared_and_compact(
    wide: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delta_module, "MAX_TAIL_CHUNKS", 2)
    old, _, _ = _changes(wide, seed=1, next_id=2_000_000)
    data = prepare(old, version=1)
    first_column = data.wide.get_column("new_received__total")
    base_chunks = first_column.n_chunks()
    frame = old
    for step in range(4):
        _, frame, delta = _changes(frame, seed=20 + step, next_id=3_000_000 + 1000 * step)
        data = apply_delta(data, WideDelta(version=data.version + 1, changed=delta.changed, current=delta.current))
        assert data.wide.get_column("report_id").n_chunks() <= base_chunks + 2
    assert data.wide.get_column("new_received__total").head(first_column.len()).equals(first_column)
    for name in ("kpi_table", "top_bodies", "volume_distribution", "body_metric"):
        for state in states_for(frame)[:4]:
            check_view(REGISTRY[name], data, frame, state)


def test_report_ids_are_flagged_sorted_exactly_when_they_are(wide: pl.DataFrame) -> None:
    ordered = wide.sort("report_id")
    data = prepare(ordered)
    assert data.wide["report_id"].flags["SORTED_ASC"]
    newer = ordered.tail(3).with_columns(pl.col("report_id") + 1_000_000)
    grown = apply_delta(data, WideDelta(version=1, changed=newer["report_id"], current=newer))
    assert grown.wide["report_id"].flags["SORTED_ASC"]  # an update appends newer ids
    older = ordered.head(2).with_columns(pl.col("report_id") - 1_000_000)
    mixed = apply_delta(grown, WideDelta(version=2, changed=older["report_id"], current=older))
    assert not mixed.wide["report_id"].flags["SORTED_ASC"]
    shuffled = wide.sample(fraction=1.0, shuffle=True, seed=3)
    assert not prepare(shuffled).wide["report_id"].flags["SORTED_ASC"]
    for frame, prepared in ((pl.concat([ordered, newer, older]), mixed), (shuffled, prepare(shuffled))):
        for state in states_for(frame)[:4]:
            check_view(REGISTRY["report_list"], prepared, frame, state)


def test_a_change_without_rows_only_moves_the_version(prepared: Prepared) -> None:
    nothing = WideDelta(version=prepared.version + 3, changed=pl.Series([], dtype=pl.Int64),
                        current=prepared.wide.head(0).select(pl.exclude("name_code", "agency_code", "recv", "has_prev",
                                                                         "has_next", "live")))
    moved = apply_delta(prepared, nothing)
    assert moved.version == prepared.version + 3 and moved.cube is prepared.cube and moved.memo == {}


def test_a_search_matching_most_reports_is_taken_off_the_cube(prepared: Prepared, wide: pl.DataFrame) -> None:
    # Both ways of summing a search are exercised by the view tests' states; check they are what is used.
    assert prepared._search_rows("局")[1] is True and prepared._search_rows("局")[2] is None  # many: filtered
    assert prepared._search_rows("公安")[1] is False and prepared._search_rows("公安")[2] is not None  # few: gathered
    for search in ("局", "公安", "人民"):
        state = FilterState(synthetic=True, search=search)
        for name in ("quality_overview", "yearly_totals", "volume_distribution"):
            check_view(REGISTRY[name], prepared, wide, state)


def test_worst_reports_beyond_the_packed_key_fall_back_to_the_definition(wide: pl.DataFrame) -> None:
    heavy = wide.with_columns(
        pl.when(pl.col("report_id") % 97 == 0).then(pl.lit(5000, pl.Int32)).otherwise(pl.col("repairs")).alias("repairs"),
        pl.when(pl.col("report_id") % 89 == 0).then(pl.lit(40000, pl.Int32)).otherwise(pl.col("failed_checks"))
        .alias("failed_checks"),
    )
    data = prepare(heavy)
    for state in (FilterState(synthetic=True), FilterState(synthetic=True, levels=("township",))):
        check_view(REGISTRY["quality_reports"], data, heavy, state)


def test_the_first_reports_arrive_as_an_update_of_empty_data(seeds_wide: pl.DataFrame) -> None:
    empty = prepare(seeds_wide.head(0), version=1)
    data = apply_delta(empty, WideDelta(version=2, changed=seeds_wide["report_id"], current=seeds_wide))
    assert data.report_count == seeds_wide.height and data.version == 2
    for name in sorted(REGISTRY):
        for state in states_for(seeds_wide)[:3]:
            check_view(REGISTRY[name], data, seeds_wide, state)


def test_sums_beyond_32_bits_do_not_wrap(wide: pl.DataFrame) -> None:
    # Cells are Int32; a sum over many reports is not (Polars keeps an Int32 sum Int32 and wraps it).
    big = 2_000_000_000
    huge = wide.with_columns(
        pl.when(pl.col("report_id") % 2 == 0).then(pl.lit(big, pl.Int32)).otherwise(pl.col(c)).alias(c)
        for c in ("new_received__total", "new_received__natural_person", "unable_not_held__total"))
    data = prepare(huge)
    for name in ("yearly_totals", "applicant_mix", "reason_breakdown", "top_bodies", "quality_overview"):
        for state in (FilterState(synthetic=True), FilterState(synthetic=True, search="局")):
            check_view(REGISTRY[name], data, huge, state)
    assert int(REGISTRY["yearly_totals"].compute(data, FilterState(synthetic=True))["new"].max()) > 2**31

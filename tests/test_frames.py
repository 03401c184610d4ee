"""Loading frames from the store: fixed schema, snapshot cache keyed by data version, child-process read."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from gip_data.frames import WIDE_SCHEMA, wide_to_frames
from gip_data.storage import frames_io, load_frames
from gip_data.storage.bulk import insert_report_rows
from gip_data.storage.sql import SqlStore
from gip_data.synth import synth_chunks
from tests import dbs
from tests.strategies import make_report, report_bytes

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend


def _fill(store: SqlStore, n: int = 400) -> None:
    insert_report_rows(store, synth_chunks(n, [2020, 2021, 2022], seed=11), by="test")


def test_empty_database_gives_empty_frames_with_schema(store: SqlStore) -> None:
    frames = load_frames(store)
    assert frames.wide.height == 0 and dict(frames.wide.schema) == WIDE_SCHEMA
    assert frames.dispositions.columns == ["report_id", "group", "reason", "count"]


def test_long_frames_follow_the_wide_frame(store: SqlStore) -> None:
    _fill(store)
    frames = load_frames(store)
    wide_total = frames.wide["total__total"].sum()
    assert frames.dispositions["count"].sum() == wide_total
    assert frames.applicants["count"].sum() == frames.wide["new_received__total"].sum()
    review = frames.cases.filter(frames.cases["block"] == "review")["count"].sum()
    assert review == frames.wide["review__total"].sum()


def test_snapshot_is_reused_until_the_data_version_moves(store: SqlStore, tmp_path: Path) -> None:
    _fill(store)
    first = load_frames(store, snapshot_min_rows=1)
    snapshots = list((tmp_path / "data" / "snapshots").iterdir())
    assert [p.name for p in snapshots] == [f"{store.instance_id()}-v{first.data_version}"]
    cached = load_frames(store, snapshot_min_rows=1)
    assert_frame_equal(cached.wide, first.wide)
    assert_frame_equal(cached.dispositions, first.dispositions)
    record = make_report(agency="新机关")
    store.import_bytes(report_bytes(record), "n.txt", uploaded_by="u", report=record)
    fresh = load_frames(store, snapshot_min_rows=1)
    assert fresh.data_version > first.data_version and fresh.wide.height == first.wide.height + 1
    assert [p.name for p in (tmp_path / "data" / "snapshots").iterdir()] == [
        f"{store.instance_id()}-v{fresh.data_version}"
    ]


def test_torn_snapshot_is_rebuilt(store: SqlStore, tmp_path: Path) -> None:
    _fill(store, 50)
    first = load_frames(store, snapshot_min_rows=1)
    folder = tmp_path / "data" / "snapshots" / f"{store.instance_id()}-v{first.data_version}"
    (folder / "wide.arrow").write_bytes(b"garbage")
    assert_frame_equal(load_frames(store, snapshot_min_rows=1).wide, first.wide)


def test_child_process_read_equals_in_process_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path))
    store = SqlStore(f"sqlite:///{tmp_path / 'gip.db'}")
    _fill(store, 300)
    record = make_report(agency="真实机关")
    store.import_bytes(report_bytes(record), "n.txt", uploaded_by="u", report=record)
    in_process = frames_io.load_wide(store)
    monkeypatch.setattr(frames_io, "CHILD_READ_MIN_ROWS", 0)
    assert_frame_equal(frames_io.load_wide(store), in_process)
    store.close()


def _assert_frames_equal(left, right) -> None:
    for name in ("wide", "dispositions", "applicants", "cases"):
        assert_frame_equal(getattr(left, name), getattr(right, name), check_row_order=True)


def test_snapshot_plus_delta_equals_a_full_read(store: SqlStore, tmp_path: Path) -> None:
    _fill(store, 300)
    load_frames(store, snapshot_min_rows=1)
    ids = load_frames(store, snapshot_min_rows=1).wide["report_id"].to_list()
    store.delete(ids[5], by="u")  # an old row leaves
    record = make_report(agency="新机关")
    store.import_bytes(report_bytes(record), "n.txt", uploaded_by="u", report=record)  # a new row
    newer = make_report(agency="新机关", seed=9)
    store.import_bytes(report_bytes(newer), "m.txt", uploaded_by="u", report=newer)  # supersedes it
    via_delta = load_frames(store, snapshot_min_rows=1)
    full = wide_to_frames(frames_io.load_wide(store), data_version=store.data_version())
    _assert_frames_equal(via_delta, full)
    assert via_delta.wide.height == 300 and via_delta.data_version == full.data_version


def test_purge_forces_a_full_read(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store, 100)
    record = make_report(agency="真实机关")
    store.import_bytes(report_bytes(record), "n.txt", uploaded_by="u", report=record)
    load_frames(store, snapshot_min_rows=1)
    store.purge_synthetic(by="u")
    monkeypatch.setattr(frames_io, "apply_delta", lambda *a: pytest.fail("a purge cannot be a delta"))
    frames = load_frames(store, snapshot_min_rows=1)
    assert frames.wide["agency"].to_list() == ["真实机关"]


def _reference_long(wide, cells: dict[tuple[str, ...], str], names: tuple[str, ...], dtypes) -> pl.DataFrame:
    """The plain definition: one select per cell, concatenated, sorted."""
    parts = [
        wide.select(
            pl.col("report_id"),
            *[pl.lit(v, d).alias(n) for v, n, d in zip(labels, names, dtypes, strict=True)],
            pl.col(column).alias("count"),
        )
        for labels, column in cells.items()
    ]
    return pl.concat(parts).drop_nulls("count").sort("report_id", *names)


@pytest.mark.parametrize("shuffle", [False, True])
def test_long_frames_match_their_plain_definition(tmp_path: Path, shuffle: bool) -> None:
    from gip_data import frames as fr
    from gip_data.schema.template import CASE_BLOCKS, DISPOSITION_GROUPS, OUTCOMES, case_column, cell_column

    store = SqlStore(f"sqlite:///{tmp_path / 'x.db'}")
    _fill(store, 500)
    wide = frames_io.load_wide(store)
    if shuffle:
        wide = wide.sample(fraction=1.0, shuffle=True, seed=1)
    cells = {(g, k): cell_column(k, "total") for g, keys in DISPOSITION_GROUPS.items() for k in keys}
    expected = _reference_long(wide, cells, ("group", "reason"), (fr.DISPOSITION_DTYPE, fr.REASON_DTYPE))
    assert_frame_equal(fr.dispositions_long(wide), expected)
    cells = {(b, o): case_column(b, o) for b in CASE_BLOCKS for o in OUTCOMES[:-1]}
    expected = _reference_long(wide, cells, ("block", "outcome"), (fr.CASE_BLOCK_DTYPE, fr.OUTCOME_DTYPE))
    assert_frame_equal(fr.cases_long(wide), expected)
    cells = {(a,): cell_column("new_received", a) for a in fr.APPLICANT_COLUMNS[:-1]}
    assert_frame_equal(
        fr.applicants_long(wide), _reference_long(wide, cells, ("applicant",), (fr.APPLICANT_DTYPE,))
    )
    store.close()

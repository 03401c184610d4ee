"""Schema migrations: databases written by earlier releases open, upgrade whole, and keep every report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from gip_data.frames import WIDE_SCHEMA
from gip_data.schema.facts import FACT_COLUMNS, ReportDates, ReportFacts, StatedNumber
from gip_data.schema.meta import ReportMeta
from gip_data.schema.record import CellRef, Check
from gip_data.storage import load_frames
from gip_data.storage import schema as storage_schema
from gip_data.storage.migrate import V4_COLUMNS, schema_version
from gip_data.storage.schema import SCHEMA_VERSION
from gip_data.storage.sql import SqlStore
from tests import dbs, legacy_schema
from tests.strategies import make_report, report_bytes, with_provenance

db_url = dbs.db_url  # a fresh empty database, once per backend


# Schema steps after release 2: each moved the data version once (the frame's columns changed).
STEPS_SINCE_V2 = 3
FACTS = ReportFacts(stated=[StatedNumber(kind="received", value=12, sentence="收到申请12件。"),
                            StatedNumber(kind="received", value=3, sentence="其中3件。")],
                    sections=[1, 2, 3], narrative_chars=900, table2=True, dates=ReportDates(signed=date(2023, 1, 20)),
                    sentences=14, fingerprint=list(range(100, 132)))


def _v2_database(url: str) -> tuple[list, list]:
    with_facts = make_report(agency="甲市人民政府", seed=1).model_copy(update={"facts": FACTS})
    files = [
        (with_provenance(with_facts, "pdf"), b"file one"),
        (with_provenance(make_report(agency="乙县人民政府", seed=2), "text"), b"file two"),
        (make_report(agency="丙区人民政府", seed=3), b"file three"),  # release 2 had no provenance for most
    ]
    synthetic = [make_report(agency=f"合成机关{i}", seed=10 + i) for i in range(3)]
    legacy_schema.write_v2_database(url, files, synthetic)
    return files, synthetic


def test_a_v2_database_upgrades_and_keeps_its_reports(db_url: str) -> None:
    files, synthetic = _v2_database(db_url)
    store = SqlStore(db_url)
    try:
        assert schema_version(store.engine) == SCHEMA_VERSION == 5
        listed = store.list_reports()
        assert len(listed) == len(files) + len(synthetic)
        by_agency = {r.agency: r.id for r in listed}
        for record, data in files:
            stored = store.get_report(by_agency[record.agency])
            assert stored.record == record  # provenance included, now read from cell_source
            assert store.original_file(stored.id)[1] == data
        for record in synthetic:
            rebuilt = store.get_report(by_agency[record.agency]).record
            assert rebuilt.meta == record.meta and rebuilt.applications == record.applications
        first = files[0][0]
        cell = first.provenance[5]
        assert store.cell_source(by_agency[first.agency], cell.table, cell.row, cell.column) == cell.source
        with store.engine.connect() as conn:
            texts = conn.execute(sa.select(storage_schema.report.c.record_json)).scalars().all()
            moved = conn.execute(sa.select(sa.func.count()).select_from(storage_schema.cell_source)).scalar_one()
        assert moved == 2  # the two reports that had a provenance; nothing for the others
        assert all("provenance" not in json.loads(t) or not json.loads(t)["provenance"] for t in texts if t)
    finally:
        store.close()


def test_upgrade_voids_older_frame_snapshots_and_the_store_keeps_working(db_url: str) -> None:
    _v2_database(db_url)
    store = SqlStore(db_url)
    try:
        # The frame columns moved: the data version moved, and no delta may patch a release-2 snapshot (three steps: v3, v4, facts).
        assert store.data_version() == legacy_schema.DATA_VERSION + STEPS_SINCE_V2
        with store.engine.connect() as conn:
            rebuild = conn.execute(
                sa.select(storage_schema.meta.c.value).where(storage_schema.meta.c.key == "rebuild_version")
            ).scalar_one()
        assert int(rebuild) == store.data_version()
        wide = load_frames(store).wide
        assert dict(wide.schema) == WIDE_SCHEMA and list(wide.columns) == list(WIDE_SCHEMA) and wide.height == 6
        record = with_provenance(make_report(agency="丁县人民政府", seed=4), "grid")
        outcome = store.import_bytes(report_bytes(record), "new.txt", uploaded_by="u", report=record)
        assert store.get_report(outcome.report_id).record == record
    finally:
        store.close()


def test_reopening_an_upgraded_database_changes_nothing(db_url: str) -> None:
    _v2_database(db_url)
    SqlStore(db_url).close()
    again = SqlStore(db_url)
    try:
        assert schema_version(again.engine) == SCHEMA_VERSION
        assert again.data_version() == legacy_schema.DATA_VERSION + STEPS_SINCE_V2
    finally:
        again.close()


def test_migration_from_schema_1_adds_row_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'old.db'}"
    legacy_schema.write_v2_database(url, [(make_report(), b"one file")], [])
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # turn it into the database release 1 wrote
        conn.exec_driver_sql("DROP INDEX ix_report_row_version")
        conn.exec_driver_sql("ALTER TABLE report DROP COLUMN row_version")
        conn.exec_driver_sql("UPDATE gip_meta SET value = '1' WHERE key = 'schema_version'")
    engine.dispose()
    upgraded = SqlStore(url)
    assert schema_version(upgraded.engine) == SCHEMA_VERSION
    with upgraded.engine.connect() as conn:
        # Rows of release 1 count as changed at the version the upgrade found (before v2→v3 moved it).
        assert conn.exec_driver_sql("SELECT row_version FROM report").scalar_one() == legacy_schema.DATA_VERSION
    assert upgraded.list_reports()[0].agency == make_report().agency
    assert load_frames(upgraded).wide.height == 1
    upgraded.close()


def test_metadata_columns_of_release_2_are_those_of_the_model() -> None:
    """The derived ``report`` columns are release 2's plus the ones later steps added (review counts, facts)."""
    legacy = {c.name: (str(c.type), c.nullable) for c in legacy_schema.report.columns}
    current = {c.name: (str(c.type), c.nullable) for c in storage_schema.report.columns}
    added = set(V4_COLUMNS) | set(FACT_COLUMNS)
    assert {k: v for k, v in current.items() if k not in added} == legacy
    assert added <= set(current)
    assert set(ReportMeta.model_fields) <= set(current)


def test_v4_counts_what_needs_review_in_stored_reports(db_url: str) -> None:
    """Upgrading counts unknown cells, blanks taken as 0 under a non-zero total and unsure OCR digits."""
    unsure = with_provenance(make_report(agency="戊县人民政府", seed=5), "pdf")
    first = unsure.provenance[0]
    sources = [first.model_copy(update={"source": first.source.model_copy(update={"confidence": 0.4})}),
               *unsure.provenance[1:]]
    unsure = unsure.model_copy(update={"provenance": sources})
    blank = make_report(agency="己县人民政府", seed=6)
    row = blank.applications["granted"]
    assert row is not None and row[-1] > 0
    blank = blank.model_copy(update={
        "assumed_zero": [CellRef(table=3, row="granted", column="natural_person")],
        "applications": {**blank.applications, "unable_unclear": None},
        "checks": [Check(code="row-total", holds=False)],
    })
    legacy_schema.write_v2_database(db_url, [(unsure, b"unsure"), (blank, b"blank")], [])
    store = SqlStore(db_url)
    try:
        wide = load_frames(store).wide.sort("report_id")
        assert wide["low_confidence_cells"].to_list() == [1, 0]
        assert wide["unknown_cells"].to_list() == [0, 7]
        assert wide["assumed_in_total"].to_list() == [0, 1]
        assert wide["corrected_cells"].to_list() == [0, 0] and wide["manual_entry"].to_list() == [False, False]
    finally:
        store.close()


def test_upgrade_fills_the_fact_columns_from_the_stored_records(db_url: str) -> None:
    _v2_database(db_url)
    store = SqlStore(db_url)
    try:
        wide = load_frames(store).wide.sort("report_id")
        facts = wide.filter(pl.col("agency") == "甲市人民政府").row(0, named=True)
        assert (facts["fact_said_received"], facts["fact_sections"], facts["fact_narrative_chars"]) == ("12,3", 7, 900)
        assert (facts["fact_table2"], facts["fact_fee"], facts["fact_signed"]) == (True, False, date(2023, 1, 20))
        assert facts["fact_published"] is None and facts["fact_sentences"] == 14
        assert facts["fact_fingerprint"] == b"".join(v.to_bytes(4, "little") for v in range(100, 132))
        others = wide.filter(pl.col("agency") != "甲市人民政府")
        assert others.select(pl.col("fact_narrative_chars").is_null().all()).item()  # no facts: NULL, not 0
        assert store.get_report(int(wide.filter(pl.col("agency") == "甲市人民政府")["report_id"][0])).record.facts == FACTS
    finally:
        store.close()

"""Provenance stored with the cells: encoding, the store (both backends), versions, ``gip show`` and ``gip debug``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gip_data.cli import cli
from gip_data.cli import debug as debug_module
from gip_data.cli.sources import describe_span
from gip_data.errors import ReportNotFoundError
from gip_data.schema.record import AnnualReport, CellSource, SourceSpan
from gip_data.storage import schema
from gip_data.storage.provenance import decode_sources, encode_sources
from gip_data.storage.sql import SqlStore
from tests import dbs
from tests.conftest import SEEDS
from tests.strategies import cell_sources, make_report, report_bytes, with_provenance

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend


@settings(max_examples=200, deadline=None)
@given(sources=st.lists(cell_sources(), max_size=40))
def test_encoding_round_trips_every_source_exactly(sources: list[CellSource]) -> None:
    assert decode_sources(encode_sources(sources)) == sources


@pytest.mark.parametrize("kind", ["pdf", "text", "grid"])
def test_a_full_provenance_is_small(kind: str) -> None:
    record = with_provenance(make_report(), kind)
    assert len(record.provenance) == len(record.applications) * 7 + 15
    encoded = encode_sources(record.provenance)
    assert len(encoded) < 4500  # ≈ 4.5 GB for 1,000,000 PDF reports at most; text and grids far less
    assert len(encoded) * 4 < len(json.dumps([s.model_dump() for s in record.provenance]))


def _stored(store: SqlStore, record: AnnualReport, name: str = "r.txt") -> int:
    outcome = store.import_bytes(report_bytes(record), name, uploaded_by="u", report=record)
    assert outcome.report_id is not None
    return outcome.report_id


def test_store_returns_the_provenance_and_one_cells_source(store: SqlStore) -> None:
    record = with_provenance(make_report(), "pdf")
    report_id = _stored(store, record)
    assert store.get_report(report_id).record == record
    assert store.cell_sources(report_id) == record.provenance
    wanted = next(s for s in record.provenance if (s.table, s.row, s.column) == (3, "granted", "total"))
    assert store.cell_source(report_id, 3, "granted", "total") == wanted.source
    assert store.cell_source(report_id, 4, "review", "upheld") is not None
    assert store.cell_source(report_id, 3, "granted", "no_such_column") is None
    with pytest.raises(ReportNotFoundError):
        store.cell_source(report_id + 100, 3, "granted", "total")
    with store.engine.connect() as conn:
        text = conn.execute(sa.select(schema.report.c.record_json)).scalar_one()
        stored = conn.execute(sa.select(schema.cell_source.c.report_id, schema.cell_source.c.cells)).one()
    assert "provenance" not in json.loads(text)  # kept once, in cell_source
    assert tuple(stored) == (report_id, len(record.provenance))


def test_a_record_without_provenance_stores_no_row(store: SqlStore) -> None:
    report_id = _stored(store, make_report())
    assert store.cell_sources(report_id) == [] and store.get_report(report_id).record.provenance == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.cell_source)).scalar_one() == 0


def test_a_correction_keeps_the_provenance_and_every_version_keeps_its_own(store: SqlStore) -> None:
    record = with_provenance(make_report(agency="某县人民政府"), "text")
    first = _stored(store, record)
    fixed = record.model_copy(update={"agency": "某县人民政府办公室"})
    second = store.correct(first, fixed, by="staff", detail="机关名称").report_id
    assert second is not None and second != first
    assert store.cell_sources(second) == record.provenance  # the cells did not move
    other = with_provenance(make_report(agency="某县人民政府办公室", seed=5), "grid")
    third = _stored(store, other, "new-file.txt")  # a new file for the same body and year
    versions = {v.id: v.record.provenance for v in store.report_versions(third)}
    assert versions == {first: record.provenance, second: record.provenance, third: other.provenance}


def test_reparse_takes_the_new_provenance_and_keeps_corrected_metadata(store: SqlStore) -> None:
    parsed = with_provenance(make_report(agency="解析出的机关"), "text")
    report_id = _stored(store, parsed)
    corrected = store.correct(
        report_id, parsed.model_copy(update={"agency": "更正后的机关", "aggregate": True}), by="s", detail="x"
    ).report_id
    assert corrected is not None
    reparsed = with_provenance(make_report(agency="解析出的机关"), "pdf")  # the new parser reads boxes
    outcome = store.reparse(corrected, by="s", parse=lambda _data, _name: reparsed)
    assert outcome.status == "new_version" and outcome.report_id is not None
    new = store.get_report(outcome.report_id).record
    assert new.provenance == reparsed.provenance
    assert (new.agency, new.aggregate) == ("更正后的机关", True)  # staff corrections survive a re-parse


def test_purging_synthetic_reports_keeps_real_provenance(store: SqlStore) -> None:
    from gip_data.storage.bulk import insert_report_rows
    from gip_data.synth import synth_chunks

    record = with_provenance(make_report(), "grid")
    report_id = _stored(store, record)
    insert_report_rows(store, synth_chunks(20, [2021], seed=1), by="t")
    assert store.purge_synthetic(by="t") == 20
    assert store.cell_sources(report_id) == record.provenance


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (SourceSpan(page=3, bbox=(90.5, 120.25, 96.0, 130.75), text="12"), "第3页 / page 3 box(90.5, 120.25, 96, 130.75) «12»"),
        (SourceSpan(line=41, start=12, end=14, text="12"), "第41行 / line 41 [12:14] «12»"),
        (SourceSpan(grid_table=1, grid_row=4, grid_column=7, text="5"), "table 1 row 4 column 7 «5»"),
        (SourceSpan(page=2, bbox=(1, 2, 3, 4), text="7", confidence=0.875), "第2页 / page 2 box(1, 2, 3, 4) «7» OCR 0.88"),
        (SourceSpan(), "（无位置 / no position）"),
    ],
)
def test_a_source_in_words(span: SourceSpan, expected: str) -> None:
    assert describe_span(span) == expected


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    url = f"sqlite:///{tmp_path / 'gip.db'}"
    monkeypatch.setenv("GIP_DATABASE_URL", url)
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    return SqlStore(url)


def test_gip_show_lists_where_each_number_came_from(cli_db: SqlStore) -> None:
    record = with_provenance(make_report(), "pdf")
    report_id = _stored(cli_db, record)
    granted = record.applications["granted"]
    assert granted is not None
    shown = CliRunner().invoke(cli, ["show", str(report_id)])
    assert shown.exit_code == 0, shown.output
    assert f"({len(record.provenance)} cells)" in shown.output
    line = next(x for x in shown.output.splitlines() if "表3 granted.total " in x)
    assert f"= {granted[-1]:>6} ← 第" in line and "box(" in line
    one = CliRunner().invoke(cli, ["show", str(report_id), "--cell", "4:review:upheld"])
    assert one.exit_code == 0 and one.output.startswith(f"#{report_id} 表4 review.upheld ← 第")
    bad = CliRunner().invoke(cli, ["show", str(report_id), "--cell", "granted.total"])
    assert bad.exit_code == 2 and "3:granted:total" in bad.output
    missing = CliRunner().invoke(cli, ["show", "999", "--cell", "3:granted:total"])
    assert missing.exit_code == 1 and "not found" in missing.output and "Traceback" not in missing.output


def test_gip_show_says_when_no_source_was_recorded(cli_db: SqlStore) -> None:
    report_id = _stored(cli_db, make_report())
    shown = CliRunner().invoke(cli, ["show", str(report_id)])
    assert "no provenance recorded" in shown.output


def test_gip_debug_shows_the_records_provenance(monkeypatch: pytest.MonkeyPatch) -> None:
    seed = next(SEEDS.glob("003_*.txt"))
    plain = CliRunner().invoke(cli, ["debug", str(seed)])
    assert plain.exit_code == 0 and "== 6. 来源" in plain.output
    # The extractor fills the provenance on its own branch; here the record builder adds text spans.
    build = debug_module.build_record
    monkeypatch.setattr(debug_module, "build_record", lambda *a: with_provenance(build(*a), "text"))
    result = CliRunner().invoke(cli, ["debug", str(seed)])
    assert result.exit_code == 0, result.output
    section = result.output.split("== 6.")[1]
    assert "表3 new_received.natural_person" in section and "第40行 / line 40 [12:" in section

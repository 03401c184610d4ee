"""Store behaviour on SQLite and PostgreSQL: identity, versions, duplicates, deletes, audit, views."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gip_data.errors import CorruptFileError, ReportNotFoundError, StorageError
from gip_data.frames import WIDE_SCHEMA
from gip_data.storage import load_frames, open_store
from gip_data.storage import sql as sql_module
from gip_data.storage.migrate import schema_version
from gip_data.storage.schema import SCHEMA_VERSION
from gip_data.storage.sql import SqlStore
from tests import dbs
from tests.strategies import make_report, report_bytes

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend


def _import(
    store: SqlStore,
    seed: int = 1,
    agency: str | None = "某市人民政府",
    year: int | None = 2022,
    by: str = "张三",
):
    record = make_report(agency=agency, year=year, seed=seed)
    return record, store.import_bytes(report_bytes(record), f"r{seed}.txt", uploaded_by=by, report=record)


def test_import_stores_record_provenance_and_file(store: SqlStore) -> None:
    record, outcome = _import(store)
    assert outcome.status == "imported"
    stored = store.get_report(outcome.report_id)
    assert stored.record == record
    assert (stored.status, stored.file_name, stored.uploaded_by, stored.format) == (
        "current",
        "r1.txt",
        "张三",
        "txt",
    )
    assert stored.sha256 == __import__("hashlib").sha256(report_bytes(record)).hexdigest()
    assert store.original_file(outcome.report_id) == ("r1.txt", report_bytes(record))
    assert [e.action for e in store.audit_log(outcome.report_id)] == ["imported"]


def test_identical_file_is_a_duplicate_and_writes_nothing(store: SqlStore) -> None:
    _, first = _import(store)
    version = store.data_version()
    _, again = _import(store)
    assert (again.status, again.report_id) == ("duplicate", first.report_id)
    assert store.data_version() == version
    assert store.count_reports() == 1


def test_other_file_same_body_and_year_is_a_new_version(store: SqlStore) -> None:
    _, first = _import(store, seed=1, agency="某市人民政府")
    # Same body written with full-width space and letters: NFKC + no spaces makes it the same identity.
    _, second = _import(store, seed=2, agency="某市　人民政府")
    assert (second.status, second.previous_id) == ("new_version", first.report_id)
    versions = store.report_versions(second.report_id)
    assert [(v.id, v.status) for v in versions] == [
        (second.report_id, "current"),
        (first.report_id, "superseded"),
    ]
    assert store.get_report(first.report_id).status == "superseded"
    assert load_frames(store).wide["report_id"].to_list() == [second.report_id]


def test_unknown_agency_or_year_keeps_every_file_apart(store: SqlStore) -> None:
    _, a = _import(store, seed=1, agency=None)
    _, b = _import(store, seed=2, agency=None)
    _, c = _import(store, seed=3, year=None)
    assert [o.status for o in (a, b, c)] == ["imported"] * 3
    assert store.count_reports() == 3


def test_other_year_is_another_report(store: SqlStore) -> None:
    _import(store, seed=1, year=2021)
    _, second = _import(store, seed=2, year=2022)
    assert second.status == "imported"


def test_soft_delete_keeps_the_row_and_hides_it(store: SqlStore) -> None:
    _, outcome = _import(store)
    before = store.data_version()
    store.delete(outcome.report_id, by="李四")
    stored = store.get_report(outcome.report_id)
    assert (stored.status, stored.deleted_by) == ("deleted", "李四")
    assert stored.deleted_at is not None
    assert store.data_version() > before
    assert load_frames(store).wide.height == 0
    assert store.audit_log(outcome.report_id)[0].action == "delete"
    with pytest.raises(ReportNotFoundError):
        store.delete(999_999, by="李四")


def test_reimporting_a_deleted_file_stores_it_again(store: SqlStore) -> None:
    _, outcome = _import(store)
    store.delete(outcome.report_id, by="x")
    _, again = _import(store)
    assert again.status == "imported" and again.report_id != outcome.report_id


def test_parse_failure_becomes_failed_outcome_and_writes_nothing(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: bytes, file_name: str):
        raise CorruptFileError("bad zip")

    monkeypatch.setattr(sql_module, "_parse", broken)
    version = store.data_version()
    outcome = store.import_bytes(b"PK\x03\x04broken", "x.docx", uploaded_by="u")
    assert (outcome.status, outcome.error_code) == ("failed", "corrupt-file")
    assert "文件已损坏" in outcome.message and "corrupt" in outcome.message
    assert store.data_version() == version
    assert store.count_reports() == 0 and store.audit_log() == []


def test_invalid_override_fails_without_writing(store: SqlStore) -> None:
    record = make_report()
    outcome = store.import_bytes(
        report_bytes(record), "a.txt", uploaded_by="u", report=record, overrides={"year": 1066}
    )
    assert outcome.status == "failed" and outcome.error_code == "invalid-record"
    assert store.count_reports() == 0


def test_override_corrects_metadata(store: SqlStore) -> None:
    record = make_report(agency=None)
    outcome = store.import_bytes(
        report_bytes(record), "a.txt", uploaded_by="u", report=record, overrides={"agency": "某县人民政府"}
    )
    assert store.get_report(outcome.report_id).record.agency == "某县人民政府"


def test_reparse_stores_a_new_version_when_the_parser_changed(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    record, outcome = _import(store)
    improved = record.model_copy(update={"region": "河南省郑州市"})
    monkeypatch.setattr(sql_module, "_parse", lambda data, name: improved)
    result = store.reparse(outcome.report_id, by="admin")
    assert result.status == "new_version" and result.previous_id == outcome.report_id
    assert store.get_report(result.report_id).record.region == "河南省郑州市"
    assert store.original_file(result.report_id)[1] == report_bytes(record)
    assert store.audit_log(result.report_id)[0].action == "reparse"
    unchanged = store.reparse(result.report_id, by="admin")
    assert unchanged.status == "duplicate"


def test_data_version_moves_on_every_change(store: SqlStore) -> None:
    seen = [store.data_version()]
    _, outcome = _import(store, seed=1)
    seen.append(store.data_version())
    _import(store, seed=2)
    seen.append(store.data_version())
    store.delete(outcome.report_id, by="x")
    seen.append(store.data_version())
    assert seen == sorted(set(seen))


def test_shared_views_dedupe_on_canonical_query(store: SqlStore) -> None:
    first = store.save_shared_view("overview", "yr=2022&lvl=县级&yr=2021", created_by="u")
    second = store.save_shared_view("overview", "?lvl=县级&yr=2021&yr=2022")
    assert first.id == second.id and len(first.id) == 12
    assert store.load_shared_view(first.id).query == first.query
    assert store.save_shared_view("compare", first.query).id != first.id
    assert store.load_shared_view("nope") is None


def test_frames_have_the_fixed_schema(store: SqlStore) -> None:
    record, outcome = _import(store)
    frames = load_frames(store)
    assert dict(frames.wide.schema) == WIDE_SCHEMA
    row = frames.wide.row(0, named=True)
    assert row["granted__total"] == record.applications["granted"][6]
    assert row["other__total"] is None  # 2021 edition: （六） is split
    assert row["review__upheld"] == record.review.upheld
    assert frames.data_version == store.data_version()
    assert frames.dispositions["count"].sum() == record.applications["total"][6]


def test_schema_version_is_recorded_and_newer_databases_are_refused(store: SqlStore) -> None:
    assert schema_version(store.engine) == SCHEMA_VERSION
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE gip_meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(SCHEMA_VERSION + 1)},
        )
    with pytest.raises(StorageError, match="newer"):
        SqlStore(store.url)


def test_reopening_keeps_data(store: SqlStore) -> None:
    record, outcome = _import(store)
    again = open_store(store.url)
    assert again.get_report(outcome.report_id).record == record
    again.close()


def test_new_database_fills_itself_with_marked_samples_once(store: SqlStore) -> None:
    added = store.ensure_sample()
    assert added >= 5  # the seeds at least; how many real samples parse depends on the parser
    listed = store.list_reports(limit=None)
    assert (
        len(listed) == added
        and all(r.sample for r in listed)
        and all(r.uploaded_by == "示例数据" for r in listed)
    )
    assert store.ensure_sample() == 0
    assert store.delete_sample(by="admin") == added
    assert store.ensure_sample() == 0  # removed on purpose: never refilled
    assert store.count_reports() == 0


def test_samples_are_not_added_to_a_database_with_data(store: SqlStore) -> None:
    _import(store)
    assert store.ensure_sample() == 0


def test_identical_copy_of_a_superseded_version_is_a_duplicate(store: SqlStore) -> None:
    _, first = _import(store, seed=1)
    _import(store, seed=2)
    _, again = _import(store, seed=1)
    assert (again.status, again.report_id) == ("duplicate", first.report_id)

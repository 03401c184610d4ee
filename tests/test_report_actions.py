"""Staff actions on the report page (delete, re-parse, correct metadata) and its audit trail.

The page is opened through the router (as in test_app); staff log in with a
generated password hash on the upload page, then open the report page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gip_data.auth import PASSWORD_HASH_ENV, StaffIdentity, hash_password
from gip_data.errors import ReportNotFoundError
from gip_data.schema.record import PARSER_VERSION
from gip_data.storage import load_frames, open_store
from gip_data.storage.sql import SqlStore
from gip_data.ui import report_actions
from tests import dbs
from tests.apptest_support import fresh_caches, open_page
from tests.conftest import ROOT, SEEDS
from tests.strategies import make_report, report_bytes
from tests.test_app import EVIL, _seed_records

pytestmark = pytest.mark.xdist_group("apptest")
PASSWORD = "staff-password-for-tests"
STAFF_NAME = "王五"
STAFF = StaffIdentity(name=STAFF_NAME, mode="password")


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Two reports: #1 stored from its expected record, #2 parsed by the current parser from the same kind of file."""
    url = f"sqlite:///{tmp_path / 'gip.db'}"
    monkeypatch.setenv("GIP_DATABASE_URL", url)
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(PASSWORD_HASH_ENV, raising=False)
    store = open_store(url)
    txt, record = _seed_records()[0]
    store.import_bytes(txt.read_bytes(), txt.name, uploaded_by=EVIL, report=record)
    parsed = sorted(SEEDS.glob("*.txt"))[1]
    assert store.import_bytes(parsed.read_bytes(), parsed.name, uploaded_by="loader").status == "imported"
    with fresh_caches():
        yield url


def _viewer(report_id: int) -> AppTest:
    return open_page("report_detail.py", {"id": str(report_id)}, timeout=120)


def _staff(report_id: int, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The report page for a staff member who logged in on the upload page."""
    monkeypatch.setenv(PASSWORD_HASH_ENV, hash_password(PASSWORD, n=2**10))
    at = open_page("report_detail.py", {"id": str(report_id)}, timeout=120)
    at.switch_page(str(ROOT / "pages" / "upload.py")).run()
    at.main.text_input[0].input(STAFF_NAME)
    at.main.text_input[1].input(PASSWORD)
    next(b for b in at.main.button if b.label == "登录").click().run()
    at.switch_page(str(ROOT / "pages" / "report_detail.py")).run()
    assert not at.exception
    return at


def _button(at: AppTest, label: str) -> object:
    return next(b for b in at.main.button if b.label == label)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in (at.success, at.warning, at.error) for e in kind]
    return " ".join(parts)


def test_anonymous_viewer_sees_report_and_audit_but_no_actions(database: str) -> None:
    at = _viewer(1)
    assert not at.exception
    text = _text(at)
    assert any(m.value.startswith("### ") for m in at.markdown)
    audit = next(m.value for m in at.markdown if m.value.startswith("| 时间"))
    assert "onerror" in audit and "<img" not in audit and "&lt;img" in audit  # the uploader's name, escaped
    assert "需要工作人员身份" in text
    labels = {b.label for b in at.main.button}
    assert not labels & {"删除", "重新解析", "保存更正"}
    assert not at.main.checkbox


def test_staff_delete_removes_the_report_and_records_who(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _staff(1, monkeypatch)
    assert _button(at, "删除").disabled  # nothing is deleted without the confirmation
    at.main.checkbox[0].check().run()
    _button(at, "删除").click().run()
    assert not at.exception
    store = open_store(database)
    assert store.get_report(1).status == "deleted"
    assert 1 not in load_frames(store).wide["report_id"].to_list()
    entry = store.audit_log(1)[0]
    assert (entry.action, entry.actor) == ("delete", STAFF_NAME)
    text = _text(at)
    assert "已删除" in text and STAFF_NAME in text
    assert not any(b.label == "删除" for b in at.main.button)


def test_staff_corrects_the_agency(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(database)
    old = store.get_report(1)
    at = _staff(1, monkeypatch)
    agency = next(t for t in at.main.text_input if t.label == "机关名称")
    agency.input("某某县人民政府办公室")
    _button(at, "保存更正").click().run()
    assert not at.exception
    versions = store.report_versions(1)
    new = versions[0]
    assert new.id != 1 and new.status == "current" and new.record.agency == "某某县人民政府办公室"
    assert store.get_report(1).status == "superseded"
    assert new.record.applications == old.record.applications  # only the metadata changed
    assert store.original_file(new.id)[1] == store.original_file(1)[1]
    entry = store.audit_log(new.id)[0]
    assert entry.action == "correct" and entry.actor == STAFF_NAME
    assert "某某县人民政府办公室" in entry.detail and (old.record.agency or "") in entry.detail
    # The page moved to the new version: its versions list shows both, its audit trail the correction.
    assert at.number_input(key="w_id").value == new.id
    listed = [df.value for df in at.dataframe if "解析器版本" in df.value.columns]
    assert set(listed[0]["编号"]) == {1, new.id}
    text = _text(at)
    assert "更正元数据" in text and f"编号 {new.id}" in text
    wide = load_frames(store).wide
    assert new.id in wide["report_id"].to_list() and 1 not in wide["report_id"].to_list()


def test_reparse_unchanged_when_the_parser_is_the_same(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(database)
    before = store.data_version()
    at = _staff(2, monkeypatch)
    _button(at, "重新解析").click().run()
    assert not at.exception
    assert f"解析器版本 {PARSER_VERSION} 未变" in _text(at)
    assert store.data_version() == before and len(store.report_versions(2)) == 1


def test_reparse_stores_a_new_version_when_the_result_differs(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Report 1 was stored from a hand-made record, not from this parser's output: re-parsing it differs.
    store = open_store(database)
    at = _staff(1, monkeypatch)
    _button(at, "重新解析").click().run()
    assert not at.exception
    current = store.report_versions(1)[0]
    assert current.id != 1 and current.status == "current" and current.parser_version == PARSER_VERSION
    assert store.audit_log(current.id)[0].action == "reparse"
    assert at.number_input(key="w_id").value == current.id


def test_reparse_keeps_a_staff_correction(database: str) -> None:
    """Staff corrections win over the parser: a later re-parse refreshes the tables, not the agency."""
    store: SqlStore = open_store(database)  # type: ignore[assignment]
    corrected = report_actions.correct_report(store, 2, {"agency": "更正后的机关"}, STAFF)
    assert corrected.ok and corrected.report_id != 2
    again = report_actions.reparse_report(store, corrected.report_id, STAFF)
    assert again.ok and again.report_id == corrected.report_id  # parse + kept metadata = the stored record
    assert store.get_report(corrected.report_id).record.agency == "更正后的机关"


def test_correction_without_changes_or_with_invalid_values_stores_nothing(database: str) -> None:
    store: SqlStore = open_store(database)  # type: ignore[assignment]
    before = store.data_version()
    same = report_actions.correct_report(store, 2, {"agency": store.get_report(2).record.agency}, STAFF)
    assert same.ok and same.report_id == 2 and "没有变化" in same.message
    bad = report_actions.correct_report(store, 2, {"year": 1800}, STAFF)
    assert not bad.ok and bad.report_id == 2
    assert store.data_version() == before


# ------------------------------------------------------------ the store methods behind the actions (both backends)

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend


def test_store_correct_keeps_history_across_a_changed_identity(store: SqlStore) -> None:
    record = make_report(agency="某市人民政府", year=2022, seed=3)
    first = store.import_bytes(report_bytes(record), "r.txt", uploaded_by="u", report=record)
    version = store.data_version()
    fixed = record.model_copy(update={"agency": "某市人民政府办公室", "year": 2023})
    outcome = store.correct(
        first.report_id, fixed, by=STAFF_NAME, detail="机关：某市人民政府 → 某市人民政府办公室"
    )
    assert (outcome.status, outcome.previous_id) == ("new_version", first.report_id)
    assert store.data_version() > version
    # The new identity's history still lists the version it replaced (and the old id finds the new one).
    assert [v.id for v in store.report_versions(outcome.report_id)] == [outcome.report_id, first.report_id]
    assert [v.id for v in store.report_versions(first.report_id)] == [outcome.report_id, first.report_id]
    entry = store.audit_log(outcome.report_id)[0]
    assert entry.action == "correct" and entry.detail.startswith("机关：某市人民政府 → 某市人民政府办公室")
    with pytest.raises(ReportNotFoundError):
        store.correct(first.report_id, fixed, by=STAFF_NAME, detail="again")  # superseded: not correctable
    unrelated = make_report(agency="另一县人民政府", year=2022, seed=4)
    other = store.import_bytes(report_bytes(unrelated), "o.txt", uploaded_by="u", report=unrelated)
    assert [v.id for v in store.report_versions(other.report_id)] == [other.report_id]

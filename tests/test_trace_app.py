"""AppTest: the report as printed with its marks, the source of a number, staff corrections, manual entry.

Pages are opened through the router as a link opens them (tests/apptest_support.py); staff log in on the
upload page with a generated password hash. The upload preview and manual entry parse and read the file in
the sandbox's workers, as the app does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gip_data.auth import PASSWORD_HASH_ENV, hash_password
from gip_data.parse import parse_file
from gip_data.settings import PUBLIC_ORIGINALS_ENV
from gip_data.storage import load_frames, open_store
from gip_data.ui.printed import MARK_STYLES, Mark
from tests.apptest_support import fresh_caches, open_page, upload_and_wait
from tests.conftest import ROOT
from tests.paths import DATA, TRACE

pytestmark = pytest.mark.xdist_group("apptest")
PASSWORD = "staff-password-for-tests"
STAFF = "赵六"
MARKS = TRACE / "marks.txt"
NO_TABLE = DATA / "bad" / "txt_tables_missing.txt"
INTERNAL_KEYS = ("new_received", "granted", "natural_person", "litigation_direct", "review-total")


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """One stored report: the marks fixture as the current parser reads it (a repair, assumed zeros, a failing rule)."""
    url = f"sqlite:///{tmp_path / 'gip.db'}"
    monkeypatch.setenv("GIP_DATABASE_URL", url)
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(PASSWORD_HASH_ENV, hash_password(PASSWORD, n=2**10))
    monkeypatch.delenv(PUBLIC_ORIGINALS_ENV, raising=False)
    store = open_store(url)
    assert store.import_bytes(MARKS.read_bytes(), MARKS.name, uploaded_by="loader").report_id == 1
    with fresh_caches():
        yield url


def _login(at: AppTest) -> AppTest:
    at.switch_page(str(ROOT / "pages" / "upload.py")).run()
    at.main.text_input[0].input(STAFF)
    at.main.text_input[1].input(PASSWORD)
    next(b for b in at.main.button if b.label == "登录").click().run()
    return at


def _staff_report(report_id: int) -> AppTest:
    at = _login(open_page("report_detail.py", {"id": str(report_id)}, timeout=120))
    at.switch_page(str(ROOT / "pages" / "report_detail.py")).run()
    assert not at.exception
    return at


def _grids(at: AppTest) -> list:
    """The printed tables 3 and 4 (read-only grids with a 项目 column), as pandas frames of display text."""
    return [d.value for d in at.main.dataframe if d.editing_mode == "read_only" and "项目" in d.value.columns][:2]


def _cell(frame, label: str, column: str, label_column: str = "项目") -> str:  # noqa: ANN001 - pandas frame
    return str(frame.loc[frame[label_column] == label, column].iloc[0])


def _original_download(at: AppTest) -> bool:
    return any(b.label == "下载原始文件" for b in at.main.get("download_button"))


def _page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.html]
    parts += [e.value for kind in (at.success, at.warning, at.error, at.info) for e in kind]
    return " ".join(parts)


def _expected_marks() -> dict:
    return json.loads((TRACE / "marks.expected.json").read_text(encoding="utf-8"))


def _assert_marked(at: AppTest) -> None:
    """The marks fixture as printed: the repaired 总计, the assumed-zero block, the failing 行政复议 total."""
    table3, table4 = _grids(at)
    repaired = _expected_marks()["repairs"][0][2]
    assert _cell(table3, "（一）予以公开", "总计", "分项") == f"{repaired} {MARK_STYLES[Mark.REPAIRED].symbol}"
    zero = MARK_STYLES[Mark.ASSUMED].symbol
    assert all(_cell(table4, "未经复议直接起诉", c) == f"0 {zero}" for c in ("结果维持", "尚未审结", "总计"))
    assert _cell(table4, "行政复议", "总计", "类别").startswith("15 " + MARK_STYLES[Mark.FAILING].symbol)
    assert _cell(table3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "自然人", "分项") == "2"  # printed
    text = _page_text(at)
    for mark in (Mark.REPAIRED, Mark.ASSUMED, Mark.FAILING, Mark.PRINTED):
        assert MARK_STYLES[mark].label in text  # the legend names every mark in use
    assert "行政复议合计不成立" in text and "各项之和为 16，表中总计为 15，相差 −1" in text
    shown = " ".join(" ".join(map(str, f.columns)) + " " + f.to_string() for f in (table3, table4))
    assert not any(key in shown or key in text for key in INTERNAL_KEYS)
    assert "三、本年度办理结果" in shown and "（三）不予公开" in shown and "法律服务机构" in shown


def test_upload_preview_marks_a_repair_an_assumed_zero_and_a_failing_rule(database: str) -> None:
    at = _login(open_page("upload.py", timeout=120))
    upload_and_wait(at, MARKS.name, MARKS.read_bytes(), "text/plain")
    assert not at.exception
    _assert_marked(at)


def test_report_page_marks_and_shows_a_numbers_source(database: str) -> None:
    at = open_page("report_detail.py", {"id": "1"}, timeout=120)
    assert not at.exception
    _assert_marked(at)
    # Selecting 行政复议·总计 (row 0 of table 4) shows that cell; the link now names it.
    at.session_state["report1_t4"] = {"selection": {"rows": [], "columns": [], "cells": [(0, "总计")]}}
    at.run()
    assert not at.exception
    assert any(m.value.startswith("**来源：表四·行政复议·总计 = 15") for m in at.markdown)
    assert at.query_params["c"] == "4:review:total"
    # The repaired cell: the panel names the rules that fixed it and shows what the print had there, in its line.
    at.session_state["report1_t3"] = {"selection": {"rows": [], "columns": [], "cells": [(2, "总计")]}}
    at.run()
    assert any("按规则补全：由行合计、办理结果合计确定" in c.value for c in at.caption)
    assert any('<mark class="gip-src">—</mark>' in h.value for h in at.html)  # the printed dash


def test_a_link_opens_the_report_at_a_cell(database: str) -> None:
    at = open_page("report_detail.py", {"id": "1", "c": "4:litigation_direct:total"}, timeout=120)
    assert not at.exception and not at.toast
    assert any(m.value.startswith("**来源：表四·未经复议直接起诉·总计 = 0") for m in at.markdown)
    bad = open_page("report_detail.py", {"id": "1", "c": "3:other_misc:total"}, timeout=120)  # not a 2019 row
    assert any("c" in t.value for t in bad.toast) and "c" not in bad.query_params


def test_viewer_sees_no_edit_controls(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page("report_detail.py", {"id": "1"}, timeout=120)
    assert not at.exception
    assert not at.data_editor
    labels = {b.label for b in at.main.button}
    assert not labels & {"保存人工更正", "标记为已复核", "删除", "重新解析"}
    assert not _original_download(at) and "仅供工作人员下载" in _page_text(at)
    monkeypatch.setenv(PUBLIC_ORIGINALS_ENV, "1")
    public = open_page("report_detail.py", {"id": "1"}, timeout=120)
    assert _original_download(public) and not public.data_editor


def test_staff_correction_creates_a_version_and_changes_the_dashboard(database: str) -> None:
    store = open_store(database)
    overview = open_page("overview.py", timeout=120)
    before = {m.label: m.value for m in overview.metric}
    at = _staff_report(1)
    # 一、本年新收·自然人 21 → 26 and its 总计 24 → 29, typed into the printed-layout grid.
    at.session_state["fix_1_edit3"] = {"edited_rows": {0: {"自然人": 26, "总计": 29}}, "added_rows": [],
                                       "deleted_rows": []}
    at.run()
    assert not at.exception
    assert "表三·一、本年新收政府信息公开申请数量·自然人：21 → 26" in _page_text(at)
    assert "收支平衡不成立" in _page_text(at)  # re-checked before saving: 一+二 no longer equals （七）+四
    save = next(b for b in at.main.button if b.label == "保存人工更正")
    assert save.disabled  # no reason yet
    next(t for t in at.main.text_input if t.label.startswith("更正理由")).input("对照原件第2页").run()
    next(b for b in at.main.button if b.label == "保存人工更正").click().run()
    assert not at.exception
    new = store.report_versions(1)[0]
    assert new.id != 1 and new.status == "current" and store.get_report(1).status == "superseded"
    assert {(c.row, c.column, c.parsed, c.value) for c in new.record.corrections} == {
        ("new_received", "natural_person", 21, 26), ("new_received", "total", 24, 29)}
    entry = store.audit_log(new.id)[0]
    assert (entry.action, entry.actor) == ("correct-cells", STAFF) and "理由：对照原件第2页" in entry.detail
    # The page moved to the new version, shows the 人工更正 mark, and the dashboard counts the corrected numbers.
    assert at.number_input(key="w_id").value == new.id
    assert "人工更正 2 个数" in _page_text(at)
    corrected = _cell(_grids(at)[0], "一、本年新收政府信息公开申请数量", "自然人", "栏目")
    assert corrected.startswith("26 ") and MARK_STYLES[Mark.CORRECTED].symbol in corrected
    wide = load_frames(store).wide
    assert wide["corrected_cells"].to_list() == [2]
    after = {m.label: m.value for m in open_page("overview.py", timeout=120).metric}
    assert int(after["申请量（新收）"]) == int(before["申请量（新收）"]) + 5


def test_staff_marks_a_report_reviewed(database: str) -> None:
    at = _staff_report(1)
    next(b for b in at.main.button if b.label == "标记为已复核").click().run()
    assert not at.exception
    store = open_store(database)
    assert store.reviewed_ids() == {1} and store.audit_log(1)[0].actor == STAFF
    assert "已复核" in _page_text(at) and not any(b.label == "标记为已复核" for b in at.main.button)


def test_manual_entry_of_a_file_without_tables(database: str) -> None:
    at = _login(open_page("upload.py", timeout=120))
    upload_and_wait(at, NO_TABLE.name, NO_TABLE.read_bytes(), "text/plain")
    assert not at.exception
    assert any("未找到标准表格" in e.value for e in at.error)
    next(t for t in at.main.toggle if t.label == "人工录入表格数字").set_value(True).run()
    assert not at.exception
    document = next(t for t in at.main.text_area if t.label.startswith("文档内容"))
    assert "政府信息公开" in document.value
    # The text names the body and the year (2020: the 2019 format); type a consistent pair of tables.
    assert next(t for t in at.main.text_input if t.label == "机关名称").value == "郑州高新区沟赵办事处"
    truth = parse_file(MARKS)
    grids = [d for d in at.data_editor]
    rows3 = {i: dict(zip(("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"), v, strict=True))
             for i, v in enumerate(truth.applications.values()) if v is not None}
    rows3[2]["总计"] = 9  # the fixture's lost total, typed from the document
    at.session_state[grids[0].key] = {"edited_rows": rows3, "added_rows": [], "deleted_rows": []}
    cases = [truth.review, truth.litigation_direct, truth.litigation_after_review]
    rows4 = {i: dict(zip(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), c.as_list(), strict=True))
             for i, c in enumerate(cases) if c is not None}
    rows4[0]["总计"] = 16  # the printed 15 was wrong; staff type what adds up
    at.session_state[grids[1].key] = {"edited_rows": rows4, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("勾稽关系全部成立" in s.value for s in at.success)
    next(b for b in at.main.button if b.label == "保存人工录入").click().run()
    assert not at.exception
    store = open_store(database)
    stored = store.list_reports()[0]
    record = store.get_report(stored.id).record
    assert record.manual_entry and record.consistent and record.agency == "郑州高新区沟赵办事处"
    assert record.applications["granted"] == [8, 1, 0, 0, 0, 0, 9]
    assert store.audit_log(stored.id)[0].action == "manual-entry"
    report = open_page("report_detail.py", {"id": str(stored.id)}, timeout=120)
    assert "人工录入" in _page_text(report)


def _queue(at: AppTest):  # noqa: ANN202 - the queue's frame
    return next(d.value for d in at.main.dataframe if "problems" in d.value.columns)


def test_review_queue_opens_the_report_at_the_problem_until_reviewed(database: str) -> None:
    store = open_store(database)
    clean = parse_file(sorted((DATA / "seeds").glob("*.txt"))[0])
    store.import_bytes(b"a clean report", "clean.txt", uploaded_by="loader", report=clean)
    at = open_page("data_quality.py", {"qf": "failed"}, timeout=120)
    assert not at.exception
    queue = _queue(at)
    assert queue["report_id"].to_list() == [1] and queue["problems"].to_list() == ["勾稽关系不成立"]
    at.session_state["review_pick"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert [t.value for t in at.title] == ["报告详情"] and at.query_params["c"] == "4:review:total"
    assert any(m.value.startswith("**来源：表四·行政复议·总计") for m in at.markdown)
    store.mark_reviewed(1, by=STAFF)
    again = open_page("data_quality.py", timeout=120)
    assert not any("problems" in d.value.columns for d in again.main.dataframe)
    assert any("没有需要人工核对的报告" in s.value for s in again.success)
    next(t for t in again.main.toggle if t.label == "包含已复核的报告").set_value(True).run()
    assert _queue(again)["reviewed"].to_list() == [True]

"""AppTest: every page on the sample, an empty and a synthetic database; URL filters; upload; escaping."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from gip_data.storage import open_store
from gip_data.ui.escape import md
from gip_data.ui.nav import PAGES
from gip_data.ui.share import short_link_target
from tests.apptest_support import fresh_caches, open_page, upload_and_wait
from tests.conftest import FIXTURES, ROOT
from tests.conftest import seed_reports as _seed_records  # also imported from here by test_report_actions

pytestmark = pytest.mark.xdist_group("apptest")
EVIL = "<img src=x onerror=alert(1)>"


def _fill(url: str, kind: str) -> None:
    store = open_store(url)
    if kind == "sample":
        for txt, record in _seed_records():
            store.import_bytes(txt.read_bytes(), txt.name, uploaded_by="test", report=record, sample=True)
    elif kind == "empty":
        txt, record = _seed_records()[0]
        outcome = store.import_bytes(txt.read_bytes(), txt.name, uploaded_by="test", report=record)
        store.delete(outcome.report_id, by="test")  # the database was used: no sample refill
    elif kind == "synthetic":
        from gip_data.storage.bulk import insert_report_rows
        from gip_data.synth import SYNTHETIC_UPLOADER, synth_chunks

        insert_report_rows(store, synth_chunks(400, [2022, 2023], seed=1), by=SYNTHETIC_UPLOADER)
    elif kind == "evil":
        txt, record = _seed_records()[0]
        store.import_bytes(b"evil", "evil.txt", uploaded_by="test", report=record.model_copy(update={"agency": EVIL}))


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'gip.db'}"
    monkeypatch.setenv("GIP_DATABASE_URL", url)
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    _fill(url, getattr(request, "param", "sample"))
    with fresh_caches():
        yield url


def _app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _open(page_file: str, query: dict[str, str | list[str]] | None = None, timeout: int = 60) -> AppTest:
    """The app opened on one page as a link to it opens it (see tests/apptest_support.py)."""
    return open_page(page_file, query, timeout=timeout)


def _texts(at: AppTest) -> str:
    return " ".join([m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption])


@pytest.mark.parametrize("database", ["sample", "empty", "synthetic"], indirect=True)
def test_every_page_renders(database: str) -> None:
    at = _app()
    assert not at.exception
    for page in PAGES[1:-1]:
        at.switch_page(str(page.path)).run()
        assert not at.exception, page.file


def test_overview_numbers_on_sample(database: str) -> None:
    at = _app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["报告数"] == "1" and metrics["受理总量（新收+上年结转）"] == "14"
    assert "2021年共有1份报告" in _texts(at)


def test_filters_from_query_params_are_applied(database: str) -> None:
    at = _app({"y1": "2020", "lv": ["township", "county"]})
    assert at.multiselect(key="w_lv").value == ["township", "county"]
    assert at.selectbox(key="w_y1").value == 2020
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["报告数"] == "4" and metrics["申请量（新收）"] == "36"
    at = _app({"lv": "township", "y1": "2020"})
    assert {m.label: m.value for m in at.metric}["报告数"] == "3"


def test_invalid_parameters_are_dropped_with_a_notice(database: str) -> None:
    at = _app({"lv": "moon", "y0": "abc", "zz": "1", "dim": "nonsense"})
    assert not at.exception
    notices = " ".join(t.value for t in at.toast)
    assert "lv" in notices and "y0" in notices and "zz" in notices
    assert at.multiselect(key="w_lv").value == []


def test_one_year_says_trend_needs_two_years(database: str) -> None:
    at = _app({"y0": "2021"})
    assert any("至少两年" in i.value for i in at.info)


def test_page_controls_seed_from_the_link(database: str) -> None:
    at = _open("dispositions.py", {"nm": "cnt", "by": "level"})
    assert not at.exception
    assert at.session_state["w_nm"] == "cnt" and at.session_state["w_by"] == "level"


@pytest.mark.parametrize("database", ["evil"], indirect=True)
def test_report_text_shows_literally(database: str) -> None:
    at = _open("report_detail.py", {"id": "1"})
    assert not at.exception
    heading = next(m.value for m in at.markdown if "onerror" in m.value)
    assert "<img" not in heading and "&lt;img" in heading


def test_short_link_redirect_and_stale_notice(database: str) -> None:
    store = open_store(database)
    view = store.save_shared_view("dispositions", "nm=cnt&lv=county")
    assert sorted(view.query.split("&")) == ["lv=county", "nm=cnt"]
    assert short_link_target(view.id) == f"/dispositions?{view.query}&sv={view.id}"
    assert short_link_target("no-such-view") == "/?sv=invalid"
    txt, record = _seed_records()[1]
    store.import_bytes(b"changed", "changed.txt", uploaded_by="test", report=record.model_copy(update={"year": 2022}))
    at = _app({"sv": view.id, "lv": "county"})
    assert any("已更新" in t.value for t in at.toast)


def test_upload_page_parses_a_fixture(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from gip_data.auth import PASSWORD_HASH_ENV, hash_password

    monkeypatch.setenv(PASSWORD_HASH_ENV, hash_password("test-staff-password", n=2**10))
    at = _open("upload.py", timeout=120)
    assert not at.exception
    login = [t for t in at.main.text_input]
    login[0].input("测试员")  # the staff login (gip_data.ui.auth_gate)
    login[1].input("test-staff-password")
    next(b for b in at.main.button if b.label == "登录").click().run()
    pdf = FIXTURES / "seed_003.pdf"
    upload_and_wait(at, pdf.name, pdf.read_bytes(), "application/pdf")  # parsed by a background job
    assert not at.exception
    assert any("郏县" in m.value for m in at.markdown)
    next(b for b in at.main.button if b.label == "保存").click().run()  # the form's submit button
    assert not at.exception
    assert any("编号" in s.value for s in at.success)


def test_in_app_link_opens_the_report_it_names(database: str) -> None:
    # A page_link/switch_page with ?id=… changes the URL inside the session; the detail page follows it.
    at = _open("report_detail.py", {"id": "1"})
    first = next(m.value for m in at.markdown if m.value.startswith("### "))
    at.query_params["id"] = "4"
    at.run()
    assert not at.exception
    fourth = next(m.value for m in at.markdown if m.value.startswith("### "))
    assert at.number_input(key="w_id").value == 4 and fourth != first
    expected = open_store(database).get_report(4).record.agency
    assert md(expected) in fourth


def test_filtered_dataset_export_has_one_row_per_report(database: str) -> None:
    import openpyxl

    from gip_data.export import zh_headers
    from gip_data.filters import FilterState
    from gip_data.frames import WIDE_SCHEMA
    from gip_data.prepared import prepare
    from gip_data.storage import load_frames
    from gip_data.ui.widgets import export_bytes

    view = prepare(load_frames(open_store(database)).wide)
    rows = view.rows(FilterState(levels=("township",)))
    zh = pl.read_csv(io.BytesIO(export_bytes(rows, "csv", "zh")))
    assert zh.columns == [zh_headers()[c] for c in WIDE_SCHEMA] and zh.height == 3
    assert set(zh["层级"].to_list()) == {"乡镇街道"}
    en = pl.read_parquet(io.BytesIO(export_bytes(rows, "parquet", "en")))
    assert en.columns == list(WIDE_SCHEMA) and sorted(en["report_id"].to_list()) == sorted(zh["报告编号"].to_list())
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(rows, "xlsx", "zh")), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 4 and list(values[0]) == zh.columns


def test_an_upload_shows_at_once_through_an_update_of_the_prepared_data(database: str) -> None:
    from gip_data.ui import data

    at = _app({"y0": "2021"})
    assert {m.label: m.value for m in at.metric}["报告数"] == "1"
    held = data._current(database).data
    txt, record = _seed_records()[1]
    open_store(database).import_bytes(b"another 2021 report", "new.txt", uploaded_by="test",
                                      report=record.model_copy(update={"year": 2021, "agency": "新上传的机关"}))
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["报告数"] == "2"
    updated = data._current(database).data
    assert updated is not held and updated.version > held.version and updated.tail_from == held.tail_from

"""Browser test: the briefing button of a filtered view downloads a valid PDF holding the filter's text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from gip_data.schema.record import AnnualReport
from gip_data.storage import open_store
from tests.browser_support import launch_chromium, streamlit_app, wait_for_script
from tests.conftest import SEEDS
from tests.test_briefing import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("briefing")
    url = f"sqlite:///{tmp / 'gip.db'}"
    store = open_store(url)
    for path in sorted(SEEDS.glob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("notes", None)
        txt = path.with_name(path.name.replace(".expected.json", ".txt"))
        store.import_bytes(txt.read_bytes(), txt.name, uploaded_by="test", report=AnnualReport.model_validate(data))
    with streamlit_app({"GIP_DATABASE_URL": url, "GIP_DATA_DIR": str(tmp / "data")}) as (base, _):
        yield base


@pytest.mark.parametrize("page_path", ["flows", "scorecard"])
def test_briefing_downloads_as_pdf_with_the_filter(server: str, page_path: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                   accept_downloads=True).new_page()
        page.goto(server)  # the first visit opens the session through the router
        wait_for_script(page, settle_ms=300)
        page.goto(f"{server}/{page_path}?y0=2020&y1=2020&lv=township")
        wait_for_script(page, settle_ms=300)
        assert page.locator("[data-testid='stException']").count() == 0
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="生成简报（PDF）").click()
        saved = tmp_path / "briefing.pdf"
        download.value.save_as(saved)
        browser.close()
    data = saved.read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "筛选条件：2020年；乡镇街道；政府和部门；全国；各机关自身报告" in text
    assert f"/{page_path}?" in text and "lv=township" in text  # the share link names the view

"""Browser test: the real app in Debian's Chromium — pages, upload, URL sharing, short links, screenshots."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from gip_data.schema.record import AnnualReport
from gip_data.storage import open_store
from gip_data.ui.nav import PAGES
from tests.browser_support import launch_chromium, streamlit_app, wait_for_script
from tests.conftest import FIXTURES, ROOT, SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'gip.db'}"
    store = open_store(url)
    for i, path in enumerate(sorted(SEEDS.glob("*.expected.json"))[:3]):  # seed 003 (2021) is uploaded by the test
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("notes", None)
        if i == 1:  # one report with a blank cell taken as 0, so the quality page lists it
            data["assumed_zero"] = [{"table": 3, "row": "carried_over", "column": "total"}]
        txt = path.with_name(path.name.replace(".expected.json", ".txt"))
        store.import_bytes(txt.read_bytes(), txt.name, uploaded_by="test", report=AnnualReport.model_validate(data))
    with streamlit_app({"GIP_DATABASE_URL": url, "GIP_DATA_DIR": str(tmp / "data")}) as (base, _):
        yield base, url


def _loaded(page) -> None:  # noqa: ANN001 - playwright Page
    wait_for_script(page, settle_ms=300)
    assert page.locator("[data-testid='stDialog']").count() == 0  # no "Page not found"
    assert page.locator("[data-testid='stException']").count() == 0


def _metrics(page) -> dict[str, str]:  # noqa: ANN001
    # The script may still be starting its run when the page reports "not running":
    # wait for the metric row itself rather than for a pause to be long enough.
    page.locator("[data-testid='stMetricLabel']").filter(has_text="报告数").first.wait_for(timeout=60_000)
    wait_for_script(page, settle_ms=300)
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    return dict(zip([s.strip() for s in labels], [v.strip() for v in values], strict=False))


def _copy_link(page) -> str:  # noqa: ANN001
    """Click 复制链接 in the share panel and return what landed on the clipboard."""
    page.get_by_text("分享当前视图").click()
    page.locator("button[data-gip-copy]").click()
    page.get_by_text("已复制").wait_for(timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    page.keyboard.press("Escape")
    return copied


def test_dashboard_in_chromium(server: tuple[str, str], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db_url = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                      permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        for spec in PAGES:
            page.goto(f"{base}/{spec.url_path}")
            _loaded(page)
            page.screenshot(path=str(SHOTS / f"{spec.url_path or 'overview'}.png"), full_page=True)

        # 数据质量 → 报告详情 in the same tab, carrying the report id.
        page.goto(f"{base}/quality")
        _loaded(page)
        link = page.get_by_test_id("stPageLink").filter(has_text="编号").first
        label = link.inner_text()
        report_id, agency = re.search(r"编号 (\d+)：(\S+)", label).groups()
        link.click()
        page.wait_for_url(re.compile(rf"/report\?(.*&)?id={report_id}(&|$)"), timeout=30_000)
        _loaded(page)
        assert len(context.pages) == 1
        expect(page.locator("h3").filter(has_text=agency)).to_have_count(1, timeout=30_000)
        assert page.get_by_test_id("stNumberInput").filter(has_text="报告编号").locator("input").input_value() == report_id

        # Upload a seed PDF through the file chooser, save it, and see it on the overview.
        page.goto(f"{base}/upload")
        _loaded(page)
        with page.expect_file_chooser() as chooser:
            page.get_by_test_id("stFileUploaderDropzone").click()
        chooser.value.set_files(str(FIXTURES / "seed_003.pdf"))
        page.get_by_text("郏县人民政府").first.wait_for(timeout=90_000)
        _loaded(page)
        page.get_by_role("button", name="保存").click()
        page.get_by_text("编号").first.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "upload_saved.png"), full_page=True)
        page.goto(base)
        _loaded(page)
        assert _metrics(page)["报告数"] == "1" and "2021年" in page.inner_text("body")

        # Change a filter: the URL follows with a short code; the copied link shows the same view elsewhere.
        page.locator("[data-testid='stMultiSelect']").filter(has_text="机关层级").click()
        page.get_by_role("option", name="乡镇街道").click()
        page.keyboard.press("Escape")
        page.wait_for_url(re.compile(r"lv=township"), timeout=30_000)
        _loaded(page)
        expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("2", timeout=30_000)
        expect(page.locator("[data-testid='stMetricValue']")).to_have_count(11, timeout=30_000)
        shown = _metrics(page)
        assert shown["报告数"] == "2"  # 2020 township seeds 000 and 002
        copied = _copy_link(page)
        assert copied == page.url and re.fullmatch(r"[\x21-\x7e]+", copied) and "lv=township" in copied
        other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        other.goto(copied)
        _loaded(other)
        expect(other.locator("[data-testid='stMetricValue']")).to_have_count(len(shown), timeout=30_000)
        assert _metrics(other) == shown
        assert "乡镇街道" in other.locator("[data-testid='stMultiSelect']").filter(has_text="机关层级").inner_text()
        other.screenshot(path=str(SHOTS / "shared_link.png"), full_page=True)

        # The filtered dataset downloads as CSV, one row per report of the view.
        page.get_by_text("导出当前筛选的数据").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="CSV", exact=True).click()
        target = tmp_path / "export.csv"
        download.value.save_as(target)
        with target.open(encoding="utf-8-sig", newline="") as f:
            exported = list(csv.DictReader(f))
        assert len(exported) == 2 and {r["层级"] for r in exported} == {"乡镇街道"}
        page.keyboard.press("Escape")

        # Switching pages keeps the shared filters in the URL.
        page.get_by_test_id("stSidebarNav").get_by_text("办理结果").click()
        page.wait_for_url(re.compile(r"/dispositions\?.*lv=township"), timeout=30_000)

        # An invalid parameter is dropped with a notice, never an exception.
        other.goto(f"{base}/?lv=moon&zz=1")
        _loaded(other)
        expect(other.get_by_test_id("stToast").filter(has_text="zz")).to_have_count(1, timeout=30_000)
        expect(other.get_by_test_id("stToast").filter(has_text="lv")).to_have_count(1, timeout=30_000)
        other.wait_for_url(lambda url: "zz=" not in url and "moon" not in url, timeout=30_000)

        # A short link redirects to the stored view.
        view = open_store(db_url).save_shared_view("dispositions", "lv=township&nm=cnt")
        other.goto(f"{base}/s/{view.id}")
        _loaded(other)
        assert "/dispositions?" in other.url and "nm=cnt" in other.url and "lv=township" in other.url
        browser.close()

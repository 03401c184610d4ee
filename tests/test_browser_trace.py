"""Browser test: a number's source one click away, and a staff correction that a link reopens (Debian Chromium).

Upload a PDF, click a number in the preview's printed table: the page image appears with the cell's box
drawn in red. Upload and save it, correct a
cell in the report page's grid, save, open the new version by its link in a fresh tab: the corrected value
and the 人工更正 mark are there. Staff is the browser on the server's own machine (no staff login
configured), as docs/SECURITY.md allows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image

from gip_data.storage import open_store
from gip_data.ui.trace import LABEL_PX
from tests.browser_support import launch_chromium, streamlit_app, wait_for_script
from tests.conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SHOTS = ROOT / "artifacts" / "screenshots"
HEADER_PX, ROW_PX = 36, 35
LABELS_PX = sum(LABEL_PX[3])  # the pinned label columns of table 3
PDF = FIXTURES / "seed_003.pdf"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("trace")
    url = f"sqlite:///{tmp / 'gip.db'}"
    open_store(url).close()  # an empty database that has been opened: no sample reports
    with streamlit_app({"GIP_DATABASE_URL": url, "GIP_DATA_DIR": str(tmp / "data")}) as (base, _):
        yield base, url


def _loaded(page) -> None:  # noqa: ANN001 - playwright Page
    wait_for_script(page, settle_ms=500)
    assert page.locator("[data-testid='stException']").count() == 0


def _first_number(grid, row: int) -> tuple[float, float]:  # noqa: ANN001 - playwright Locator
    """A point inside the 自然人 cell of a table-3 grid's row: just right of the pinned label columns."""
    grid.scroll_into_view_if_needed()
    box = grid.locator("canvas").first.bounding_box()
    return box["x"] + LABELS_PX + 20, box["y"] + HEADER_PX + ROW_PX * (row + 0.5)


def _type_into_first_number(page, grid, row: int, text: str) -> None:  # noqa: ANN001 - playwright objects
    """Open the cell's editor (the grid's own input) with a double click, type, commit with Enter.

    The editor's input is waited for, and the double click made again if a
    redraw swallowed it.
    """
    editor = page.locator("input.gdg-input")
    for _ in range(3):
        wait_for_script(page, settle_ms=300)
        page.mouse.dblclick(*_first_number(grid, row))
        try:
            editor.wait_for(timeout=3_000)
            break
        except Exception:  # noqa: BLE001 - playwright's timeout: select the cell again
            page.keyboard.press("Escape")
    editor.fill(text)
    editor.press("Enter")


def _red_outline_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.getdata() if r > 180 and g < 90 and b < 90)


def _upload(page, base: str) -> None:  # noqa: ANN001 - playwright Page
    """Upload the seed PDF through the file chooser and wait for its preview."""
    page.goto(f"{base}/upload")
    _loaded(page)
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").click()
    chooser.value.set_files(str(PDF))
    page.get_by_text("郏县人民政府").first.wait_for(timeout=90_000)
    _loaded(page)


def _browser(p):  # noqa: ANN001, ANN202 - playwright objects
    browser = launch_chromium(p)
    return browser, browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")


def test_upload_a_pdf_click_a_number_see_its_page_and_box(server: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser, context = _browser(p)
        page = context.new_page()
        _upload(page, base)
        table3 = page.get_by_test_id("stDataFrame").first  # the preview's table 3
        page.mouse.click(*_first_number(table3, 0))  # 一、本年新收·自然人
        expect(page.get_by_text("来源：表三·一、本年新收政府信息公开申请数量·自然人")).to_be_visible(timeout=60_000)
        image = page.get_by_test_id("stImage").locator("img").first
        image.wait_for(timeout=60_000)
        image.scroll_into_view_if_needed()
        assert _red_outline_pixels(image.screenshot()) > 50  # the box drawn around the number
        page.screenshot(path=str(SHOTS / "source_of_a_number.png"))
        browser.close()


def test_correct_a_cell_save_and_reopen_by_link(server: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db_url = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser, context = _browser(p)
        page = context.new_page()
        _upload(page, base)
        page.get_by_role("button", name="保存").click()
        saved = page.get_by_text(re.compile(r"编号 \d+")).first
        saved.wait_for(timeout=30_000)
        report_id = re.search(r"编号 (\d+)", saved.inner_text()).group(1)

        # Correct 一、本年新收·自然人 in the report page's grid: the change and the re-check show before saving.
        page.goto(f"{base}/report?id={report_id}")
        _loaded(page)
        page.get_by_text("更正表格数字（人工更正）").click()
        _loaded(page)
        editor = page.locator(".st-key-fix_" + report_id + "_edit3 [data-testid='stDataFrame']")
        old = int(open_store(db_url).get_report(int(report_id)).record.applications["new_received"][0])
        _type_into_first_number(page, editor, 0, str(old + 1))
        change = f"一、本年新收政府信息公开申请数量·自然人：{old} → {old + 1}"
        expect(page.get_by_test_id("stMarkdown").filter(has_text=change)).to_have_count(1, timeout=30_000)
        expect(page.get_by_text("收支平衡不成立 · 自然人列").first).to_be_visible(timeout=30_000)
        page.get_by_label("更正理由（必填，记入操作记录）").fill("对照原件第2页")
        page.keyboard.press("Tab")
        _loaded(page)
        page.get_by_role("button", name="保存人工更正").click()
        done = page.get_by_text(re.compile(r"已保存人工更正后的新版本（编号 \d+）")).first
        done.wait_for(timeout=30_000)
        new_id = re.search(r"编号 (\d+)", done.inner_text()).group(1)

        # Reopen the new version by its link in a fresh tab: the corrected value and the mark are there.
        other = context.new_page()
        other.goto(f"{base}/report?id={new_id}&c=3:new_received:natural_person")
        _loaded(other)
        expect(other.get_by_text("人工更正 1 个数")).to_be_visible(timeout=30_000)
        shown = f"来源：表三·一、本年新收政府信息公开申请数量·自然人 = {old + 1} "
        expect(other.get_by_text(shown)).to_be_visible(timeout=30_000)
        expect(other.get_by_text(f"人工更正：解析值 {old} → {old + 1}")).to_be_visible(timeout=30_000)
        other.screenshot(path=str(SHOTS / "corrected_by_link.png"))
        stored = open_store(db_url).get_report(int(new_id)).record
        assert stored.applications["new_received"][0] == old + 1 and len(stored.corrections) == 1
        browser.close()

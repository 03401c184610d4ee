"""A report whose agency name is an HTML payload renders as text on every page (Chromium).

No dialog may fire, no element may be created from the payload, and the
literal text must be readable on the report's own page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from gip_data.schema.record import AnnualReport
from gip_data.storage import open_store
from gip_data.ui.nav import PAGES
from tests.browser_support import launch_chromium, streamlit_app, wait_for_script
from tests.conftest import SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SETTLE_MS = 800  # charts render after the script finishes
EVIL = "<img src=x onerror=alert(1)>"
EVIL_MARKDOWN = "**粗体**[链接](javascript:alert(2))<script>alert(3)</script>"


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The app on a database holding the payload reports next to a normal one; (base URL, payload report id)."""
    tmp = tmp_path_factory.mktemp("xss")
    url = f"sqlite:///{tmp / 'gip.db'}"
    store = open_store(url)
    seeds = sorted(SEEDS.glob("*.expected.json"))
    records = [AnnualReport.model_validate(json.loads(p.read_text(encoding="utf-8"))) for p in seeds[:2]]
    store.import_bytes(b"normal", "normal.txt", uploaded_by="test", report=records[1])
    evil = store.import_bytes(
        b"evil",
        f"{EVIL}.txt",
        uploaded_by=EVIL,
        report=records[0].model_copy(update={"agency": EVIL, "city": EVIL}),
    )
    store.import_bytes(
        b"evil2",
        "md.txt",
        uploaded_by="test",
        report=records[0].model_copy(update={"agency": EVIL_MARKDOWN, "year": 2021}),
    )
    with streamlit_app({"GIP_DATABASE_URL": url, "GIP_DATA_DIR": str(tmp / "data")}) as (base, _):
        yield base, evil.report_id


def _hover_every_chart(page) -> None:  # noqa: ANN001
    """Hover across each Plotly chart so hover labels (which accept HTML-like tags) render too."""
    for plot in page.locator(".js-plotly-plot").all()[:6]:
        box = plot.bounding_box()
        if not box:
            continue
        for fraction in (0.2, 0.4, 0.6, 0.8):
            page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.5)
            page.wait_for_timeout(100)


def test_payload_agency_renders_as_text_everywhere(evil_server: tuple[str, int]) -> None:
    from playwright.sync_api import sync_playwright

    base, evil_id = evil_server
    dialogs: list[str] = []
    targets = [f"{base}/{spec.url_path}" for spec in PAGES] + [f"{base}/report?id={evil_id}"]
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for target in targets:
            page.goto(target)
            wait_for_script(page, SETTLE_MS)
            _hover_every_chart(page)
            assert page.locator("img[src='x']").count() == 0, target
            assert page.locator("a[href^='javascript:']").count() == 0, target
            assert dialogs == [], target
        page.goto(f"{base}/report?id={evil_id}")
        wait_for_script(page, SETTLE_MS)
        assert EVIL in page.locator("[data-testid='stMain']").inner_text()
        browser.close()
    assert dialogs == []

"""A report whose agency name is an HTML payload renders as text on every page (Chromium).

No dialog may fire, no element may be created from the payload, and the
literal text must be readable on the report's own page.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.request import urlopen

import pytest

from gip_data.schema.record import AnnualReport
from gip_data.storage import open_store
from gip_data.ui.nav import PAGES
from tests.conftest import ROOT, SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
EVIL = "<img src=x onerror=alert(1)>"
EVIL_MARKDOWN = "**粗体**[链接](javascript:alert(2))<script>alert(3)</script>"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    port = _free_port()
    env = {**os.environ, "GIP_DATABASE_URL": url, "GIP_DATA_DIR": str(tmp / "data")}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start")
        yield base, evil.report_id
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _settled(page) -> None:  # noqa: ANN001 - playwright Page
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_timeout(800)  # charts render after the script finishes
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)


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
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for target in targets:
            page.goto(target)
            _settled(page)
            _hover_every_chart(page)
            assert page.locator("img[src='x']").count() == 0, target
            assert page.locator("a[href^='javascript:']").count() == 0, target
            assert dialogs == [], target
        page.goto(f"{base}/report?id={evil_id}")
        _settled(page)
        assert EVIL in page.locator("[data-testid='stMain']").inner_text()
        browser.close()
    assert dialogs == []

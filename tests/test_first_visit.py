"""The very first visitor of a fresh server and database keeps the first filter they change.

(Before the fix, Streamlit ran the first session's first run as a legacy ``pages/`` app, so the sidebar
widgets changed identity on the next run and the first choice was lost: see app.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_support import launch_chromium, streamlit_app, wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _choose_level(page, name: str, url: str) -> str:  # noqa: ANN001 - playwright Page
    """Pick a level in the sidebar; wait until the address bar shows ``url``; the levels shown then."""
    box = page.locator("[data-testid='stMultiSelect']").filter(has_text="机关层级")
    box.click()
    page.get_by_role("option", name=name).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(re.escape(url) + "$"), timeout=120_000)  # a lost choice never gets there
    wait_for_script(page, settle_ms=1500)
    return box.inner_text()


def test_first_visitor_keeps_the_first_filter(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    env = {"GIP_DATABASE_URL": f"sqlite:///{tmp_path / 'gip.db'}", "GIP_DATA_DIR": str(tmp_path / "data")}
    with streamlit_app(env) as (base, _), sync_playwright() as p:  # nothing in the database: the app fills it
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(base)
        page.wait_for_selector("[data-testid='stMetricLabel']", timeout=180_000)  # the samples are there
        wait_for_script(page, settle_ms=500, timeout_ms=180_000)
        assert "县级" in _choose_level(page, "县级", "/?lv=county")
        shown = _choose_level(page, "乡镇街道", "/?lv=county&lv=township")
        assert "县级" in shown and "乡镇街道" in shown
        assert page.locator("[data-testid='stException']").count() == 0
        browser.close()

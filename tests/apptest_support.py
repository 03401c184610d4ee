"""Open a page of the dashboard in AppTest as a link opens it: a new session, first run on that page.

The session runs the router (``gip_data.ui.frame.run_router``) from a script outside the checkout, so
Streamlit never takes the ``pages/`` folder beside app.py for a legacy multipage app (under which
AppTest runs a page's file alone, without the router, from the second run on). The page is asked for by
the hash of its URL path, which is what a browser opening ``/<url_path>`` sends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from gip_data.ui.nav import PAGE_BY_FILE, PageSpec

# Guarded like app.py: the sandbox's forkserver imports the running script (AppTest's "__main__") once.
ROUTER = "if __name__ == '__main__':\n    from gip_data.ui.frame import run_router\n\n    run_router()\n"


@contextmanager
def fresh_caches() -> Iterator[None]:
    """Streamlit's caches emptied before and after: a test's store and prepared data never leak into the next."""
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        yield
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def open_page(
    page: PageSpec | str, query: dict[str, str | list[str]] | None = None, *, timeout: int = 60
) -> AppTest:
    """The page (a PageSpec or its file name) opened with ``query``; every run goes through the router."""
    spec = PAGE_BY_FILE[page] if isinstance(page, str) else page
    at = AppTest.from_string(ROUTER, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value[0] if isinstance(value, list) and len(value) == 1 else value
    at._page_hash = calc_hash(spec.url_path)  # AppTest's own page request, set before the first run
    at.run()
    titles = [t.value for t in at.title]
    if titles != [spec.title]:
        raise AssertionError(f"opened {titles}, not {spec.title!r}: AppTest's page request changed?")
    return at


def upload_and_wait(at: AppTest, name: str, data: bytes, mime: str, *, seconds: float = 120) -> AppTest:
    """Upload one file on the 上传 page and rerun until its background parse is done (preview or error shown).

    In a browser the page's timed fragment reruns it while the job runs; here the test reruns it.
    """
    at.file_uploader(key="uploads").upload(name, data, mime).run()
    deadline = time.monotonic() + seconds
    while not at.exception and not _upload_done(at, name):
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} was still being parsed after {seconds} s")
        time.sleep(0.25)
        at.run()
    return at


def _upload_done(at: AppTest, name: str) -> bool:
    """The file's expander is on the page (its progress bar is gone): the parse finished, either way."""
    return any(e.label == name for e in at.main.expander)

"""Run the real app for a browser: ``streamlit run app.py`` on a free port, Debian's Chromium through Playwright.

Shared by the browser tests and ``bench/dashboard.py`` (which puts the project
root on ``sys.path`` to import it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class AppDidNotStart(RuntimeError):
    """The app's health endpoint never answered."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, tries: int) -> None:
    for _ in range(tries):
        try:
            urlopen(f"{base}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.5)
    raise AppDidNotStart("streamlit did not start")


@contextmanager
def streamlit_app(
    env: Mapping[str, str], *, start_tries: int = 120, stop_timeout: float = 20
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start ``streamlit run app.py`` with ``env`` added to this environment; yield (base URL, process).

    Waits for the health endpoint (``start_tries`` half-second tries, then
    ``AppDidNotStart``) and terminates the process on exit.
    """
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, start_tries)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=stop_timeout)


def launch_chromium(playwright: Any) -> Any:  # noqa: ANN401 - playwright's sync API objects
    """Debian's Chromium, headless, through a started ``sync_playwright()``."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"Debian chromium is missing at {CHROMIUM}: .ci/run installs it")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_for_script(page: Any, settle_ms: int, timeout_ms: int = 60_000) -> None:  # noqa: ANN401
    """Wait until the page is connected and its script has finished, twice around a pause.

    The second wait catches a rerun that starts after the first one finished
    (query-parameter sync, charts rendering after the script).
    """
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)

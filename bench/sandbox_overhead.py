"""Per-file cost of parsing in the sandbox worker, against in-process parsing in the same run.

Run: .venv/bin/python bench/sandbox_overhead.py
Prints ms/file for both paths over the shared fixtures (every seed as PDF, DOCX
and HTML) and the ratio; the records must be identical.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gip_data.parse import parse_bytes  # noqa: E402
from gip_data.sandbox import parse_in_worker  # noqa: E402
from tests.paths import FIXTURES  # noqa: E402


def main() -> None:
    """Time both paths file by file and print the figures."""
    files = sorted(FIXTURES.glob("seed_*.*"))
    started = time.perf_counter()
    parse_in_worker(files[0].read_bytes(), files[0].name)
    print(f"forkserver start (first file): {(time.perf_counter() - started) * 1000:.0f} ms")
    in_process = sandboxed = 0.0
    for path in files:
        data = path.read_bytes()
        a = time.perf_counter()
        direct = parse_bytes(data, path.name)
        b = time.perf_counter()
        isolated = parse_in_worker(data, path.name)
        c = time.perf_counter()
        assert direct == isolated, path.name
        in_process += b - a
        sandboxed += c - b
    n = len(files)
    print(
        f"{n} files: in-process {in_process / n * 1000:.0f} ms/file, sandbox {sandboxed / n * 1000:.0f} ms/file, "
        f"overhead {(sandboxed - in_process) / n * 1000:.0f} ms/file, ratio {sandboxed / in_process:.2f}x"
    )


if __name__ == "__main__":
    main()

"""What "click a number, see its source" and the review queue cost, against a sandboxed parse in the same run.

Run: .venv/bin/python bench/trace.py [N_REPORTS]
Prints, for the seed PDF: the page render in a limited worker (the first click on a page), the same page
read back from the cache (every later click), drawing the box and cutting the strip; for the seed HTML
and text: re-reading the file for a snippet in a worker; for a synthetic wide frame of N_REPORTS (default
1,000,000): the review queue of the whole view. The baseline is one sandboxed parse of the seed text
report; every time is also given as a multiple of it. Nothing here is asserted: the tests check behaviour.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gip_data.frames import records_to_wide  # noqa: E402
from gip_data.isolated import run_isolated  # noqa: E402
from gip_data.review_queue import review_queue  # noqa: E402
from gip_data.sandbox import parse_in_worker  # noqa: E402
from gip_data.schema.record import SourceSpan  # noqa: E402
from gip_data.sourceview import crop_around, highlight, page_image, render_page, text_snippet  # noqa: E402
from tests.paths import FIXTURES, SEEDS, TRACE  # noqa: E402
from tests.strategies import make_report  # noqa: E402


def best(action: Callable[[], object], runs: int = 5) -> float:
    """The median of ``runs`` timings, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def wide_frame(n: int) -> pl.DataFrame:
    """N reports: a few hand-made records repeated, one in twenty with a failing rule, ids 1..N."""
    base = records_to_wide([make_report(seed=s) for s in range(20)])
    frame = pl.concat([base] * (n // base.height + 1)).head(n)
    failing = (pl.int_range(0, n) % 20 == 0).cast(pl.Int32)
    return frame.with_columns(report_id=pl.int_range(1, n + 1, dtype=pl.Int64), failed_checks=failing)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed_text = next(SEEDS.glob("003_*.txt"))
    baseline = best(lambda: parse_in_worker(seed_text.read_bytes(), seed_text.name), 3)
    pdf = (FIXTURES / "seed_003.pdf").read_bytes()
    box = (219.7, 495.77, 227.96, 502.69)
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        cold = best(lambda: run_isolated(render_page, pdf, 2, 2.0, source="seed_003.pdf"), 3)
        page_image("seed", 2, lambda: pdf, lambda d, p, s: run_isolated(render_page, d, p, s), folder=cache)
        warm = best(lambda: page_image("seed", 2, lambda: pdf, render_page, folder=cache))
        png = page_image("seed", 2, lambda: pdf, render_page, folder=cache)
    drawn = best(lambda: crop_around(highlight(png, box), box))
    html = (FIXTURES / "seed_003.html").read_bytes()
    span = SourceSpan(grid_table=1, grid_row=5, grid_column=9, text="14")
    snippet_html = best(lambda: run_isolated(text_snippet, html, "seed_003.html", "html", span, "grid"), 3)
    marks = (TRACE / "marks.txt").read_bytes()
    line = SourceSpan(line=10, start=46, end=47, text="—")
    snippet_txt = best(lambda: text_snippet(marks, "marks.txt", "txt", line, "lines"))  # in-process, as the app does
    rows = wide_frame(n).lazy().with_columns(narrative_fail=pl.col("report_id") % 97 == 1)
    queue = best(lambda: review_queue(rows, reviewed=range(1, n, 1000)), 3)
    figures = [
        ("sandboxed parse of the seed text (baseline)", baseline),
        ("page render in a worker (first click on a page)", cold),
        ("page read back from the cache (later clicks)", warm),
        ("box drawn and strip cut", drawn),
        ("HTML re-read for a snippet in a worker", snippet_html),
        ("text snippet (decoded in the app)", snippet_txt),
        (f"review queue over {n:,} reports", queue),
    ]
    for label, seconds in figures:
        print(f"{label:<52} {seconds * 1000:10.2f} ms  {seconds / baseline:7.3f}× baseline")


if __name__ == "__main__":
    main()

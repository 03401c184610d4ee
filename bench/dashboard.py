"""Dashboard benchmark on a synthetic database (default 1,000,000 reports).

Prints
1. the per-data-version preparation, each step timed: loading the wide frame
   (``load_frames``, from the storage's snapshot when one exists) and
   ``gip_data.prepared.prepare`` (cube, name dictionary, body matrix, indexes);
2. for each page, the median and p95 time of the metric computation the page
   performs (the same ``Prepared.compute`` calls as the page, uncached: what a
   cache miss costs), over typical filters, split into views without and with a
   name search, with the ratio of p95 to a baseline measured in the same run
   (one pass over the same frame: one column summed by year);
3. the RSS of a real ``streamlit run app.py`` process on that database after
   Chromium has opened every page once (current RSS and its peak, VmHWM);
   with ``--cold-app`` also when the app starts without a storage snapshot.

The database is made once with ``gip synth`` and cached under bench/out/ (git-ignored).

    .venv/bin/python bench/dashboard.py [--reports N] [--repeat R] [--skip-app] [--cold-app]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATA_DIR = OUT / "dashboard-data"
os.environ.setdefault("GIP_DATA_DIR", str(DATA_DIR))  # the storage snapshot of the bench database lives here
sys.path.insert(0, str(ROOT))  # for tests.browser_support

from gip_data.filters import FilterState  # noqa: E402 - after the data folder is chosen
from gip_data.prepared import Prepared, prepare  # noqa: E402
from gip_data.storage import load_frames, open_store  # noqa: E402
from tests.browser_support import launch_chromium, streamlit_app, wait_for_script  # noqa: E402

TARGET_MS = 100.0
RSS_TARGET_GB = 2.0

Call = tuple[str, tuple[Any, ...]]


def database(n: int) -> str:
    """The URL of a SQLite database holding ``n`` synthetic reports (made once with ``gip synth``)."""
    path = OUT / f"dashboard-{n}.db"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        print(f"writing {n:,} synthetic reports to {path} (once) …", flush=True)
        subprocess.run([sys.executable, "-m", "gip_data", "synth", "--reports", str(n), "--db", f"sqlite:///{partial}"],
                       check=True, cwd=ROOT)
        partial.rename(path)
    return f"sqlite:///{path}"


def page_calls(p: Prepared, state: FilterState) -> dict[str, list[Call]]:
    """The metric calls each page makes for a view (as in pages/*.py with their default controls)."""
    top = p.compute("top_bodies", state, (50,))
    org = top["agency_key"][0] if top.height else None
    calls: dict[str, list[Call]] = {
        "总览 overview": [("quality_overview", ()), ("kpi_table", ()), ("yearly_totals", ())],
        "申请情况 applications": [("quality_overview", ()), ("volume_by", (["year", "level"],)),
                                  ("applicant_mix", ("year",)), ("flows_by_year", ()), ("top_bodies", (20,)),
                                  ("volume_distribution", ("level",))],
        "办理结果 dispositions": [("quality_overview", ()), ("disposition_mix", ("year",)), ("reason_breakdown", ())],
        "复议诉讼 review": [("quality_overview", ()), ("case_outcomes", ("year",)), ("case_rates", ("year",))],
        "对比 compare": [("quality_overview", ()), ("metric_by", (["level"], "open", None)),
                         ("metric_by", (["level", "year"], "open", None, None)), ("top_bodies", (50,))],
        "对比 by body": [("metric_by", (["agency"], "open", 30))],
        "数据质量 quality": [("quality_overview", ()), ("quality_reports", (200,))],
    }
    if org is not None:
        years = p.compute("metric_by", state, (["agency", "year"], "recv", None, (org,)))["year"].to_list()
        calls["对比 compare"] += [("metric_by", (["agency", "year"], "recv", None, (org,))),
                                  ("peer_comparison", (org, years[-1]))]
    return calls


def typical_filters(p: Prepared) -> tuple[list[FilterState], list[FilterState], FilterState]:
    """Views without a name search, views with a typical one, and a broad search matching most reports."""
    province = p.cube.group_by("province").agg(pl.col("reports").sum()).sort("reports", "province").drop_nulls()
    big = province["province"][-1]
    plain = [
        FilterState(synthetic=True),
        FilterState(synthetic=True, levels=("county",)),
        FilterState(synthetic=True, province=big),
        FilterState(synthetic=True, year_from=2021, year_to=2023, body="dept"),
    ]
    city = p.cube.filter(pl.col("province") == big).drop_nulls("city")["city"].sort()[0]
    searched = [FilterState(synthetic=True, search="公安局"), FilterState(synthetic=True, search=city[:2])]
    return plain, searched, FilterState(synthetic=True, search="局")


def time_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of ``repeat`` calls, in milliseconds."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(values: list[float]) -> float:
    """95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_page(p: Prepared, state: FilterState, calls: list[Call]) -> None:
    """One uncached page view: the per-view memo (search cube, name codes) is cleared first."""
    p.memo.clear()
    for name, args in calls:
        p.compute(name, state, args)


def page_times(p: Prepared, states: list[FilterState], repeat: int) -> dict[str, list[float]]:
    """Per page, the times of ``repeat`` uncached views for each state."""
    out: dict[str, list[float]] = {}
    for state in states:
        for page, calls in page_calls(p, state).items():
            out.setdefault(page, []).extend(time_ms(lambda c=calls, s=state: run_page(p, s, c), repeat))
    return out


def print_times(p: Prepared, repeat: int) -> float:
    """Print the per-page table; return the worst p95 over typical views."""
    plain, searched, broad = typical_filters(p)
    baseline = statistics.median(time_ms(lambda: p.wide.group_by("year").agg(pl.col("new_received__total").sum()), 20))
    print(f"baseline (one pass: one column summed by year over {p.wide.height:,} reports): {baseline:.2f} ms")
    print(f"typical name searches: {[s.search for s in searched]}; broad search {broad.search!r} matches "
          f"{p.rows(broad).select(pl.len()).collect().item() / max(p.wide.height, 1):.0%} of the reports")
    a, b, c = page_times(p, plain, repeat), page_times(p, searched, repeat), page_times(p, [broad], repeat)
    print(f"{'page':<24}{'no search med/p95':>20}{'search med/p95':>18}{'p95/base':>10}{'broad 局 med/p95':>20}")
    worst = 0.0
    for page in a:
        typical = a[page] + b[page]
        worst = max(worst, p95(typical))
        print(f"{page:<24}{statistics.median(a[page]):>9.1f} /{p95(a[page]):>7.1f}"
              f"{statistics.median(b[page]):>9.1f} /{p95(b[page]):>6.1f}{p95(typical) / baseline:>10.0f}"
              f"{statistics.median(c[page]):>11.1f} /{p95(c[page]):>6.1f}  {'ok' if p95(typical) <= TARGET_MS else 'OVER'}")
    return worst


def _visit_every_page(base: str) -> None:
    from playwright.sync_api import sync_playwright

    from gip_data.ui.nav import PAGES

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for spec in [s for s in PAGES if s.url_path != "upload"]:
            page.goto(f"{base}/{spec.url_path}", timeout=600_000)
            wait_for_script(page, settle_ms=500, timeout_ms=600_000)
        browser.close()


def app_rss(url: str) -> None:
    """Start ``streamlit run app.py`` on the database, open every page in Chromium, print the process RSS."""
    with streamlit_app({"GIP_DATABASE_URL": url}, start_tries=240, stop_timeout=30) as (base, proc):
        t0 = time.perf_counter()
        _visit_every_page(base)
        rss = psutil.Process(proc.pid).memory_info().rss
        peak = _peak_rss(proc.pid)
        print(f"app process after opening every page ({time.perf_counter() - t0:.0f} s incl. the first load): "
              f"RSS {rss / 2**30:.2f} GB, peak {peak / 2**30:.2f} GB (target ≤ {RSS_TARGET_GB:.0f} GB)")


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-app", action="store_true", help="no streamlit process / RSS figure")
    parser.add_argument("--cold-app", action="store_true",
                        help="also start the app once with no storage snapshot (a full database read on first load)")
    args = parser.parse_args()
    url = database(args.reports)
    store = open_store(url)
    t0 = time.perf_counter()
    wide = load_frames(store).wide
    t1 = time.perf_counter()
    p = prepare(wide, store.data_version())
    t2 = time.perf_counter()
    print(f"reports: {p.wide.height:,}; per-version preparation: load_frames {t1 - t0:.1f} s "
          f"(from the storage snapshot after the first run) + prepare {t2 - t1:.1f} s "
          f"(cube {p.cube.height:,} rows, {p.names.height:,} names, body matrix {p.bodies.height:,} rows)")
    worst = print_times(p, args.repeat)
    print(f"worst page p95 over typical views: {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms); "
          f"this process RSS {psutil.Process().memory_info().rss / 2**30:.2f} GB")
    del p, wide
    if not args.skip_app:
        app_rss(url)
    if args.cold_app:
        shutil.rmtree(DATA_DIR / "snapshots", ignore_errors=True)  # this bench's own data folder
        print("cold start (no snapshot): ", end="")
        app_rss(url)


if __name__ == "__main__":
    main()

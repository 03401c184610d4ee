"""Dashboard benchmark on a synthetic database (default 1,000,000 reports).

Prints
1. the per-data-version preparation when the app starts: loading the wide frame
   (``load_frames``, from the storage's snapshot when one exists) and
   ``gip_data.prepared.prepare`` — also what a full rebuild after a change would
   cost, the baseline of 3;
2. for each page, the median and p95 time of the views the page computes (the
   same ``ViewSpec.compute`` calls as the page with its default controls,
   uncached: what a cache miss costs) over typical filters without a name search,
   with a typical search, and with a search matching about half the reports,
   against a baseline measured in the same run (one pass over the frame: one
   column summed by year); then the p95 of every declared view alone;
3. after an upload, how long until the dashboard shows the new report: on a copy
   of the database, a report is imported (then a new version of it, then it is
   deleted); each time the change is read from the database, applied to the
   prepared data (``apply_delta``) and the overview page is computed on it;
4. with the app (unless ``--skip-app``): the RSS of a real ``streamlit run
   app.py`` process after Chromium has opened every page, and the time from an
   upload into its database to the overview showing the new report.

The database is made once with ``gip synth`` and cached under bench/out/ (git-ignored).

    .venv/bin/python bench/dashboard.py [--reports N] [--repeat R] [--skip-app]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATA_DIR = OUT / "dashboard-data"
os.environ.setdefault("GIP_DATA_DIR", str(DATA_DIR))  # the storage snapshot of the bench database lives here
sys.path.insert(0, str(ROOT))  # for tests.browser_support and tests.conftest

from gip_data import views as v  # noqa: E402 - after the data folder is chosen
from gip_data.filters import FilterState  # noqa: E402
from gip_data.prepared import Prepared, prepare  # noqa: E402
from gip_data.prepared.delta import apply_delta  # noqa: E402
from gip_data.storage import load_frames, open_store  # noqa: E402
from gip_data.storage.frames_io import read_wide_delta  # noqa: E402
from gip_data.storage.snapshot import snapshot_dir  # noqa: E402
from gip_data.storage.sql import SqlStore  # noqa: E402
from tests.browser_support import launch_chromium, streamlit_app, wait_for_script  # noqa: E402

TARGETS_MS = {"no search": 50.0, "typical search": 100.0, "half-matching search": 200.0}
UPLOAD_TARGET_S = 2.0
RSS_TARGET_GB = 2.0
UPLOADED_AGENCY = "基准测试上传局"

Call = tuple[v.ViewSpec[Any], tuple[Any, ...]]


def database(n: int) -> Path:
    """A SQLite database holding ``n`` synthetic reports (made once with ``gip synth``)."""
    path = OUT / f"dashboard-{n}.db"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        print(f"writing {n:,} synthetic reports to {path} (once) …", flush=True)
        subprocess.run([sys.executable, "-m", "gip_data", "synth", "--reports", str(n), "--db", f"sqlite:///{partial}"],
                       check=True, cwd=ROOT)
        partial.rename(path)
    return path


def page_calls(p: Prepared, state: FilterState) -> dict[str, list[Call]]:
    """The views each page computes for a filter state (as in pages/*.py with their default controls)."""
    top = v.TOP_BODIES.compute(p, state, 50)["agency_key"].to_list()
    side = v.BODY_METRIC.compute(p, state, "open", 30)["agency_key"].head(12).to_list()
    frame: list[Call] = [(v.QUALITY_OVERVIEW, ())]  # the router's export count and every page's "no data" check
    calls: dict[str, list[Call]] = {
        "总览 overview": [*frame, (v.KPI_TABLE, ()), (v.YEARLY_TOTALS, (("recv", "apps", "open", "wh", "un", "bl"),))],
        "申请情况 applications": [*frame, (v.VOLUME_BY, (("year", "level"),)), (v.APPLICANT_MIX, ("year",)),
                                  (v.FLOWS_BY_YEAR, ()), (v.TOP_BODIES, (20,)), (v.VOLUME_DISTRIBUTION, ("level",))],
        "办理结果 dispositions": [*frame, (v.DISPOSITION_MIX, ("year",)), (v.REASON_BREAKDOWN, ())],
        "复议诉讼 review": [*frame, (v.CASE_OUTCOMES, ("year",)), (v.CASE_RATES, ("year",))],
        "对比 compare": [*frame, (v.METRIC_BY, (("level",), "open")), (v.METRIC_BY, (("level", "year"), "open")),
                         (v.TOP_BODIES, (50,))],
        "对比 by body": [*frame, (v.BODY_METRIC, ("open", 30)), (v.BODY_HISTORY, (tuple(side), "open")),
                         (v.TOP_BODIES, (50,))],
        "数据质量 quality": [*frame, (v.QUALITY_REPORTS, (200,)), (v.ANOMALIES, (200,))],
        "报告详情 report": [*frame, (v.REPORT_LIST, (100,))],
        "年报质量 scorecard": [*frame, (v.QUALITY_CHECKS, ()), (v.QUALITY_BY, (("level",),)),
                               (v.QUALITY_RANKING, (100, True)), (v.AGGREGATE_GAPS, ()),
                               (v.QUALITY_BY, (("year",),)), (v.ANOMALIES, (500,))],
        "流向 flows": [*frame, (v.FLOWS, ())],
        "地图 map": [*frame, (v.METRIC_BY, (("province",), "recv"))],
    }
    years = v.QUALITY_BY.compute(p, state, ("year",))["year"].drop_nulls()
    if years.len():
        calls["年报质量 scorecard"].append((v.COVERAGE, (int(years.max()),)))
    if top:
        years = v.BODY_HISTORY.compute(p, state, (top[0],), "recv")["year"]
        calls["对比 compare"] += [(v.BODY_HISTORY, ((top[0],), "recv")), (v.PEER_COMPARISON, (top[0], int(years.max())))]
    return calls


def typical_filters(p: Prepared) -> dict[str, list[FilterState]]:
    """Views without a name search, with a typical one, and with a broad one matching about half the reports."""
    province = p.cube.group_by("province").agg(pl.col("reports").sum()).drop_nulls().sort("reports", "province")
    big = province["province"][-1]
    city = p.cube.filter(pl.col("province") == big).drop_nulls("city")["city"].sort()[0]
    return {
        "no search": [FilterState(synthetic=True), FilterState(synthetic=True, levels=("county",)),
                      FilterState(synthetic=True, province=big),
                      FilterState(synthetic=True, year_from=2021, year_to=2023, body="dept")],
        "typical search": [FilterState(synthetic=True, search="公安局"), FilterState(synthetic=True, search=city[:2])],
        "half-matching search": [FilterState(synthetic=True, search="局")],
    }


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
    """One uncached page view: the per-version memo (name codes, search cubes) is cleared first."""
    p.memo.clear()
    for spec, args in calls:
        spec.compute(p, state, *args)


def print_pages(p: Prepared, repeat: int) -> bool:
    """Print the per-page table (median / p95 per kind of filter); return whether every p95 meets its target."""
    groups = typical_filters(p)
    baseline = statistics.median(time_ms(lambda: p.wide.group_by("year").agg(pl.col("new_received__total").sum()), 20))
    broad = groups["half-matching search"][0]
    share = p.rows(broad).select(pl.len()).collect().item() / max(p.report_count, 1)
    print(f"baseline (one pass: one column summed by year over {p.wide.height:,} reports): {baseline:.1f} ms; "
          f"typical searches {[s.search for s in groups['typical search']]}, half-matching {broad.search!r} "
          f"({share:.0%} of the reports)")
    times: dict[str, dict[str, list[float]]] = {}
    for kind, states in groups.items():
        for state in states:
            for page, calls in page_calls(p, state).items():
                times.setdefault(page, {}).setdefault(kind, []).extend(
                    time_ms(lambda c=calls, s=state: run_page(p, s, c), repeat))
    print(f"{'page':<22}" + "".join(f"{k + ' med/p95':>28}" for k in groups) + f"{'p95/baseline':>14}")
    ok = True
    for page, by_kind in times.items():
        cells, worst = [], 0.0
        for kind, values in by_kind.items():
            met = p95(values) <= TARGETS_MS[kind]
            ok &= met
            worst = max(worst, p95(values))
            cells.append(f"{statistics.median(values):>10.1f} /{p95(values):>7.1f} {'ok' if met else 'OVER':<4}   ")
        print(f"{page:<22}" + "".join(f"{c:>28}" for c in cells) + f"{worst / baseline:>12.0f}×")
    print("targets: p95 ≤ " + ", ".join(f"{t:.0f} ms {k}" for k, t in TARGETS_MS.items()))
    return ok


def print_views(p: Prepared, repeat: int) -> None:
    """The p95 of every declared view alone (all its test examples, filters without a search)."""
    rows = []
    for name, spec in sorted(v.REGISTRY.items()):
        values: list[float] = []
        for state in typical_filters(p)["no search"]:
            for example in spec.examples:
                args = example(p, state) if callable(example) else example
                values += time_ms(lambda s=state, a=args, f=spec: (p.memo.clear(), f.compute(p, s, *a)), repeat)
        rows.append(f"{name} {p95(values):.1f}")
    print("each declared view alone, p95 ms without a search: " + ", ".join(rows))


@contextmanager
def database_copy(path: Path, p: Prepared) -> Iterator[SqlStore]:
    """A copy of the bench database (its own instance id, sharing the snapshot by hard links), removed afterwards."""
    copy = OUT / "dashboard-upload.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    original = open_store(f"sqlite:///{path}").instance_id()
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE gip_meta SET value = ? WHERE key = 'instance_id'", (f"{original}-upload",))
    source, target = snapshot_dir(original, p.version), snapshot_dir(f"{original}-upload", p.version)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=os.link)
    store = open_store(f"sqlite:///{copy}")
    try:
        yield store
    finally:
        store.close()
        for old in target.parent.glob(f"{original}-upload-v*"):
            shutil.rmtree(old, ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def _upload(store: SqlStore, variant: int) -> int:
    """Import a seed report as a new upload under :data:`UPLOADED_AGENCY` (``variant`` changes its bytes)."""
    from tests.conftest import seed_reports

    txt, record = seed_reports()[-1]
    fixed = record.model_copy(update={"agency": UPLOADED_AGENCY})
    outcome = store.import_bytes(txt.read_bytes() + b"\n" * variant, f"upload-{variant}.txt", uploaded_by="bench",
                                 report=fixed)
    return int(outcome.report_id or 0)


def print_upload(p: Prepared, store: SqlStore) -> tuple[Prepared, bool]:
    """After an upload, a new version and a delete: the time until the overview page shows the change."""
    overview = [(v.QUALITY_OVERVIEW, ()), (v.KPI_TABLE, ()), (v.YEARLY_TOTALS, ())]
    searched = FilterState(synthetic=True, search=UPLOADED_AGENCY)
    read_wide_delta(store, p.version)  # as the app does after its full load: the database readers are imported
    ok = True
    uploaded: list[int] = []
    steps: list[tuple[str, Callable[[], Any], int]] = [
        ("new report", lambda: uploaded.append(_upload(store, 1)), 1),
        ("new version of it", lambda: uploaded.append(_upload(store, 2)), 1),
        ("deleted", lambda: store.delete(uploaded[-1], by="bench"), 0)]
    for label, change, expected in steps:
        change()
        t0 = time.perf_counter()
        delta = read_wide_delta(store, p.version)
        t1 = time.perf_counter()
        p = apply_delta(p, delta) if delta is not None else p
        t2 = time.perf_counter()
        for spec, args in overview:
            spec.compute(p, FilterState(synthetic=True), *args)
        shown = int(v.QUALITY_OVERVIEW.compute(p, searched)["reports"][0])
        total = time.perf_counter() - t0
        ok &= total <= UPLOAD_TARGET_S and shown == expected
        print(f"  {label:<18} {total:5.2f} s (read the change {1000 * (t1 - t0):.0f} ms, update the prepared data "
              f"{1000 * (t2 - t1):.0f} ms, overview page {1000 * (time.perf_counter() - t2 - 0):.0f} ms); "
              f"reports named {UPLOADED_AGENCY}: {shown} (expected {expected})")
    return p, ok


def _visit(page: Any, url: str) -> float:
    t0 = time.perf_counter()
    page.goto(url, timeout=600_000)
    wait_for_script(page, settle_ms=300, timeout_ms=600_000)
    return time.perf_counter() - t0


def app_figures(store: SqlStore) -> bool:
    """RSS of the app after every page, then the time from an upload to the overview showing it."""
    from playwright.sync_api import sync_playwright

    from gip_data.ui.nav import PAGES

    with streamlit_app({"GIP_DATABASE_URL": store.url}, start_tries=240, stop_timeout=30) as (base, proc), \
            sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        for spec in [s for s in PAGES if s.url_path != "upload"]:
            _visit(page, f"{base}/{spec.url_path}?syn=1")
        rss, peak = psutil.Process(proc.pid).memory_info().rss, _peak_rss(proc.pid)
        print(f"app process after opening every page ({time.perf_counter() - t0:.0f} s incl. the first load): "
              f"RSS {rss / 2**30:.2f} GB, peak {peak / 2**30:.2f} GB (target ≤ {RSS_TARGET_GB:.0f} GB)")
        query = f"{base}/?syn=1&q={UPLOADED_AGENCY}"
        unchanged = _visit(page, query)
        _upload(store, 9)
        after = _visit(page, query)
        body = page.inner_text("body")
        shown = "当前筛选条件下没有报告" not in body and "报告数" in body
        rss2 = psutil.Process(proc.pid).memory_info().rss
        print(f"app: overview searched for the uploaded body {after:.2f} s after the upload "
              f"(same page without a change {unchanged:.2f} s); new report shown: {shown}; "
              f"RSS after the update {rss2 / 2**30:.2f} GB, peak {_peak_rss(proc.pid) / 2**30:.2f} GB")
        browser.close()
    return shown and after <= UPLOAD_TARGET_S + unchanged and max(peak, _peak_rss(proc.pid)) <= RSS_TARGET_GB * 2**30


def _peak_rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-app", action="store_true", help="no streamlit process (RSS, upload in the app)")
    args = parser.parse_args()
    path = database(args.reports)
    store = open_store(f"sqlite:///{path}")
    t0 = time.perf_counter()
    frames = load_frames(store)
    t1 = time.perf_counter()
    p = prepare(frames.wide, frames.data_version)
    t2 = time.perf_counter()
    del frames
    print(f"reports: {p.report_count:,}; preparation on start (= a full rebuild): load_frames {t1 - t0:.1f} s + "
          f"prepare {t2 - t1:.1f} s (cube {p.cube.height:,} rows, histogram {p.hist.height:,}, "
          f"{p.names.names.size:,} names, body matrix {p.bodies.height:,} rows)")
    # gip_data.prepared chooses the engine unless POLARS_ENGINE_AFFINITY is set (to compare engines in one run each)
    print(f"Polars {pl.__version__}, engine: {pl.Config.state().get('POLARS_ENGINE_AFFINITY') or 'auto'}")
    ok = print_pages(p, args.repeat)
    print_views(p, args.repeat)
    print(f"this process RSS {psutil.Process().memory_info().rss / 2**30:.2f} GB")
    with database_copy(path, p) as copy:
        if not args.skip_app:
            ok &= app_figures(copy)
        print(f"after a change (target ≤ {UPLOAD_TARGET_S:.0f} s; a full rebuild would take {t2 - t0:.1f} s):")
        p, changed_ok = print_upload(p, copy)
        ok &= changed_ok
    print("all targets met" if ok else "SOME TARGET MISSED")


if __name__ == "__main__":
    main()

"""Dashboard computation benchmark on synthetic reports (default 1,000,000).

Prints, for each page, the median and p95 time of the metric computation the
page performs for a set of typical filters (uncached: what a cache miss costs
after an upload), the ratio of each p95 to a baseline measured in the same run
(one full-column sum over the same frame), and the peak RSS of this process,
which holds the frame and computes every page like the app process does.

    .venv/bin/python bench/dashboard.py [--reports N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import polars as pl
import psutil

from gip_data import metrics
from gip_data.filters import FilterState, apply_filters, filter_expr
from gip_data.storage.frames_io import conform_wide
from gip_data.synth import synth_chunks

TARGET_MS = 100.0
RSS_TARGET_GB = 2.0


def build_wide(n: int) -> pl.DataFrame:
    """A wide frame of ``n`` synthetic reports, in the app's schema, with the year links the app adds."""
    raw = pl.concat(list(synth_chunks(n, list(range(2019, 2026)), seed=0)), how="vertical_relaxed")
    raw = raw.with_columns(pl.int_range(1, raw.height + 1, dtype=pl.Int64).alias("report_id"))
    return metrics.add_year_links(conform_wide(raw))


class Sources:
    """What a page reads, routed like ``gip_data.ui.data.View``: the cube unless a name search needs reports."""

    def __init__(self, wide: pl.DataFrame, cube: pl.DataFrame, state: FilterState) -> None:
        self.rows = apply_filters(wide, state)
        self.sums = self.rows if state.search else cube.lazy().filter(filter_expr(state))


def typical_filters(wide: pl.DataFrame) -> list[FilterState]:
    """Default view, one level, one province, a year range and a name search (synthetic data included)."""
    province = wide["province"].drop_nulls().mode().sort()[0]
    return [
        FilterState(synthetic=True),
        FilterState(synthetic=True, levels=("county",)),
        FilterState(synthetic=True, province=province),
        FilterState(synthetic=True, year_from=2021, year_to=2023, body="dept"),
        FilterState(synthetic=True, search="局"),
    ]


def _overview(s: Sources) -> None:
    metrics.quality_overview(s.rows)
    metrics.kpi_table(s.sums)
    metrics.yearly_totals(s.sums)


def _applications(s: Sources) -> None:
    metrics.volume_by(s.sums, ["year", "level"])
    metrics.applicant_mix(s.sums, "year")
    metrics.flows_by_year(s.sums)
    metrics.top_bodies(s.rows, 20)
    metrics.volume_distribution(s.rows, "level")


def _dispositions(s: Sources) -> None:
    metrics.disposition_mix(s.sums, "year")
    metrics.reason_breakdown(s.sums)


def _review(s: Sources) -> None:
    metrics.case_outcomes(s.sums, "year")
    metrics.case_rates(s.sums, "year")


def _compare(s: Sources) -> None:
    metrics.metric_by(s.sums, ["level"], "open")
    metrics.metric_by(s.sums, ["level", "year"], "open")
    top = metrics.top_bodies(s.rows, 50)
    if top.height:
        metrics.peer_comparison(s.rows, top["agency_key"][0], 2023)


def _quality(s: Sources) -> None:
    metrics.quality_overview(s.rows)
    metrics.quality_reports(s.rows, 200)


PAGES: dict[str, Callable[[Sources], None]] = {
    "总览 overview": _overview,
    "申请情况 applications": _applications,
    "办理结果 dispositions": _dispositions,
    "复议诉讼 review": _review,
    "对比 compare": _compare,
    "数据质量 quality": _quality,
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


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=8)
    args = parser.parse_args()
    t0 = time.perf_counter()
    wide = build_wide(args.reports)
    print(f"reports: {wide.height:,}  columns: {wide.width}  frame: {wide.estimated_size('mb'):,.0f} MB  "
          f"built in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    cube = metrics.build_cube(wide)
    print(f"cube (once per data version): {cube.height:,} rows in {time.perf_counter() - t0:.1f} s")
    baseline = statistics.median(time_ms(lambda: wide["new_received__total"].sum(), 20))
    print(f"baseline (one column sum): {baseline:.2f} ms")
    filters = typical_filters(wide)
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>10}{'p95/base':>10}  target ≤ {TARGET_MS:.0f} ms")
    worst = 0.0
    for name, page in PAGES.items():
        per = [(f.search, time_ms(lambda f=f: page(Sources(wide, cube, f)), args.repeat)) for f in filters]
        times = [t for _, ts in per for t in ts]
        plain = [t for search, ts in per if not search for t in ts]
        searched = [t for search, ts in per if search for t in ts]
        worst = max(worst, p95(times))
        print(f"{name:<24}{statistics.median(times):>10.1f}{p95(times):>10.1f}{p95(times) / baseline:>10.0f}"
              f"  {'ok' if p95(times) <= TARGET_MS else 'OVER'}   without name search: median "
              f"{statistics.median(plain):.1f} p95 {p95(plain):.1f}; name search: median {statistics.median(searched):.1f}")
    import gc

    gc.collect()
    now = psutil.Process().memory_info().rss
    peak = _peak_rss_bytes()
    print(f"RSS holding frame + cube: {now / 2**30:.2f} GB; peak RSS incl. building the synthetic frame: {peak / 2**30:.2f} GB (target ≤ {RSS_TARGET_GB:.0f} GB)  worst page p95: {worst:.1f} ms")


def _peak_rss_bytes() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()

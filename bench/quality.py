"""Quality, hierarchy and anomaly functions on synthetic national-scale data (default 1,000,000 reports).

The wide frame comes from ``gip_data.synth`` in memory (no database); synthetic
reports carry no text, so a facts frame is made for them here: stated numbers
that mostly agree with the tables, random part masks, publication dates around
the deadlines and fingerprints of which some repeat the year before. Prints the
median and p95 of each function over ``--repeat`` runs, with the ratio to a
baseline measured in the same run (one pass over the frame: one column summed
by year).

    .venv/bin/python bench/quality.py [--reports N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.quality_records

from gip_data.quality.anomalies import anomalies  # noqa: E402
from gip_data.quality.checks import scorecard  # noqa: E402
from gip_data.quality.hierarchy import aggregate_gaps, coverage_gaps  # noqa: E402
from gip_data.quality.rollup import overview, rank_bodies, rollup, with_dimensions  # noqa: E402
from tests.quality_records import synthetic_facts, synthetic_wide  # noqa: E402


def timed(label: str, fn: Callable[[], object], repeat: int, baseline: float | None = None) -> float:
    """Run ``fn`` ``repeat`` times; print median and p95 (ms), and the ratio of p95 to the baseline."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    ratio = f"  ×{p95 / baseline:.1f} baseline" if baseline else ""
    print(f"{label:<44} median {statistics.median(times):9.1f} ms   p95 {p95:9.1f} ms{ratio}", flush=True)
    return p95


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    wide = synthetic_wide(args.reports)
    facts = synthetic_facts(wide)
    print(f"{wide.height:,} synthetic reports and their facts made in {time.perf_counter() - start:.1f} s")
    base = timed("baseline: one column summed by year", lambda: wide.group_by("year").agg(
        pl.col("new_received__total").sum()), args.repeat)
    card = scorecard(wide, facts)
    timed("scorecard (per data version)", lambda: scorecard(wide, facts), max(1, args.repeat // 2), base)
    lf = with_dimensions(card, wide).lazy()
    province = lf.filter(pl.col("province") == "河南省")
    timed("rollup by level (all)", lambda: rollup(lf, ["level"]), args.repeat, base)
    timed("rollup by province, city (all)", lambda: rollup(lf, ["province", "city"]), args.repeat, base)
    timed("overview (all)", lambda: overview(lf), args.repeat, base)
    timed("rank bodies top 50 (all)", lambda: rank_bodies(lf, 50), args.repeat, base)
    timed("rank bodies top 50 (one province)", lambda: rank_bodies(province, 50), args.repeat, base)
    timed("coverage gaps 2024 (all)", lambda: coverage_gaps(wide, 2024), args.repeat, base)
    timed("aggregate gaps (all)", lambda: aggregate_gaps(wide), args.repeat, base)
    timed("anomalies, 5 quantities (per data version)", lambda: anomalies(wide), max(1, args.repeat // 2), base)


if __name__ == "__main__":
    main()

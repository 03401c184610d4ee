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

from gip_data.filters import FilterState, filter_expr  # noqa: E402
from gip_data.quality.anomalies import anomalies  # noqa: E402
from gip_data.quality.checks import scorecard  # noqa: E402
from gip_data.quality.hierarchy import aggregate_gaps, coverage_gaps  # noqa: E402
from gip_data.quality.index import build_index  # noqa: E402
from gip_data.quality.rollup import rank_bodies, with_dimensions  # noqa: E402
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


def _codes(wide: pl.DataFrame) -> pl.DataFrame:
    """Body and name codes as the prepared data assigns them (dense ranks of the texts)."""
    return wide.with_columns(
        (pl.col("agency").fill_null("").rank("dense") - 1).cast(pl.UInt32).alias("name_code"),
        (pl.col("agency_key").fill_null("").rank("dense") - 1).cast(pl.UInt32).alias("agency_code"),
    )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    start = time.perf_counter()
    wide = _codes(synthetic_wide(args.reports))
    facts = synthetic_facts(wide)
    print(f"{wide.height:,} synthetic reports and their facts made in {time.perf_counter() - start:.1f} s")
    base = timed("baseline: one column summed by year", lambda: wide.group_by("year").agg(
        pl.col("new_received__total").sum()), args.repeat)
    once = max(1, args.repeat // 10)
    print("-- per data version")
    timed("scorecard", lambda: scorecard(wide, facts), once, base)
    rows = with_dimensions(scorecard(wide, facts), wide)
    timed("quality index (cube + body matrix)", lambda: build_index(rows), once, base)
    timed("anomalies, 5 quantities", lambda: anomalies(wide), once, base)
    timed("aggregate gaps", lambda: aggregate_gaps(wide), once, base)
    index = build_index(rows)
    card_mb = scorecard(wide, facts).estimated_size() / 1e6
    print(f"memory: facts {facts.estimated_size() / 1e6:.0f} MB (transient), scorecard {card_mb:.0f} MB, "
          f"index {(index.cube.estimated_size() + index.bodies.estimated_size()) / 1e6:.0f} MB "
          f"({index.bodies.height:,} body rows, {index.cube.height:,} cube rows)")
    print("-- per view (p95 target 50 ms)")
    for label, state in (("all", FilterState(synthetic=True)),
                         ("2022–2024, county level", FilterState(synthetic=True, year_from=2022, levels=("county",))),
                         ("one province", FilterState(synthetic=True, province="河南省"))):
        predicate = (lambda s: lambda dims: filter_expr(s, dims=dims))(state)
        slots = index.chosen_slots(state.year_from, state.year_to, state.edition)
        timed(f"overview ({label})", lambda p=predicate: index.overview(p), args.repeat, base)
        timed(f"roll-up by province, city ({label})", lambda p=predicate: index.rollup(p, ["province", "city"]),
              args.repeat, base)
        timed(f"rank bodies top 50 ({label})", lambda p=predicate, sl=slots: index.rank_bodies(p, sl, 50),
              args.repeat, base)
    view = rows.lazy().filter(filter_expr(FilterState(synthetic=True), dims=("synthetic",)))
    timed("rank bodies top 50 by definition (all)", lambda: rank_bodies(view, 50), once, base)
    timed("coverage gaps 2024 (all)", lambda: coverage_gaps(wide, 2024), args.repeat, base)


if __name__ == "__main__":
    main()

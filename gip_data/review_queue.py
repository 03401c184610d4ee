"""The review queue: the reports of a view that need a person, worst first, with the problems in words.

A filter over the wide frame's review counts (:mod:`gip_data.review`, stored
with each report) and the 年报质量 scorecard's narrative check; the versions a
person marked as reviewed (the audit's ``review`` entries) leave the queue.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from gip_data.frames import records_to_wide
from gip_data.quality.checks import FAIL, scorecard
from gip_data.quality.explain import explain
from gip_data.review import PROBLEM_COLUMNS, PROBLEM_LABELS
from gip_data.schema.record import AnnualReport

QUEUE_COLUMNS: tuple[str, ...] = ("failed_checks", "unknown_cells", "assumed_in_total", "low_confidence_cells")


def review_queue(
    rows: pl.LazyFrame,
    *,
    reviewed: Iterable[int] = (),
    kind: str = "all",
    include_reviewed: bool = False,
    limit: int = 200,
) -> pl.DataFrame:
    """The reports of ``rows`` that need a person, worst first, with the problems in words.

    ``rows`` are rows of the prepared data: wide rows with the 年报质量
    scorecard's indicators (:func:`gip_data.quality.derive.quality_columns`),
    whose ``narrative_fail`` marks a narrative the table contradicts.
    ``reviewed`` are the versions a person marked as checked (left out unless
    ``include_reviewed``); ``kind`` keeps one kind of problem (a key of
    :data:`PROBLEM_LABELS`) or ``all``.

    Only the first ``limit`` reports get their problems in words: the queue may
    hold a large share of a million reports.
    """
    done = pl.col("report_id").is_in(pl.Series(list(reviewed), dtype=pl.Int64).implode())
    flags = {k: pl.col(c).cast(pl.UInt32) > 0 for k, c in PROBLEM_COLUMNS.items()}
    wanted = pl.any_horizontal(*flags.values()) if kind == "all" else flags[kind]
    words = pl.concat_str(
        [pl.when(flag).then(pl.lit(PROBLEM_LABELS[k])) for k, flag in flags.items()], separator="；", ignore_nulls=True
    )
    order = [*QUEUE_COLUMNS, "narrative", "report_id"]
    return (
        rows.filter(wanted & (pl.lit(include_reviewed) | ~done))
        .select("report_id", "agency", "year", "level", *QUEUE_COLUMNS, PROBLEM_COLUMNS["narrative"],
                flags["narrative"].alias("narrative"), "corrected_cells", "manual_entry")
        .sort(order, descending=[True] * (len(order) - 1) + [False])
        .head(limit)
        .select("report_id", "agency", "year", "level", words.alias("problems"), *QUEUE_COLUMNS, "narrative",
                "corrected_cells", "manual_entry", done.alias("reviewed"))
        .collect()
    )


def staff_work(rows: pl.LazyFrame) -> dict[str, int]:
    """How many reports of the view carry corrected cells (人工更正) and how many were typed by hand (人工录入)."""
    counts = rows.select(
        (pl.col("corrected_cells") > 0).sum().alias("corrected"), pl.col("manual_entry").sum().alias("manual")
    ).collect()
    return {k: int(v or 0) for k, v in counts.row(0, named=True).items()}


def narrative_contradictions(record: AnnualReport) -> list[str]:
    """Where this record's narrative states a number its table contradicts, in words (the 年报质量 check).

    The scorecard's narrative check (:func:`gip_data.quality.checks.scorecard`)
    is evaluated on this one record, so the report page needs neither the whole
    scorecard nor the record to be the current version.
    """
    if record.facts is None:
        return []
    wide = records_to_wide([record])
    card = scorecard(wide)  # the wide row carries the record's facts as its fact_* columns
    if card["narrative"][0] != FAIL:
        return []
    found = explain(card.row(0, named=True), wide.row(0, named=True), record.facts)
    return [f.evidence for f in found if f.code == "narrative"]

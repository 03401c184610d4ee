"""The per-report quality columns the prepared data keeps beside every report: check indicators and counts.

A report's scorecard depends on the report and on the same body's report of
the year before (continuity, copied text), so it is computed for whole bodies:
:func:`quality_columns` scores any frame holding every report of the bodies it
covers. The prepared data (:mod:`gip_data.prepared`) adds these columns to every
report when it is built and recomputes them for the bodies an upload touches —
the next year's report of a touched body included, since its continuity and
copy checks read the touched report.

The columns are additive (:data:`QUALITY_CELLS`): per check and outcome a 0/1
indicator (pass, fail, not applicable; unknown is none of them) and the
report's passed and failed checks, so the cube sums them like any table cell
and every roll-up of the 质量 page reads the cube.
"""

from __future__ import annotations

import polars as pl

from gip_data.quality.checks import CHECK_CODES, FAIL, NOT_APPLICABLE, PASS, scorecard

OUTCOME_VALUES: dict[str, int] = {"pass": PASS, "fail": FAIL, "na": NOT_APPLICABLE}
INDICATORS: tuple[str, ...] = tuple(f"{code}_{outcome}" for code in CHECK_CODES for outcome in OUTCOME_VALUES)
COUNT_COLUMNS: tuple[str, ...] = ("passes", "fails")
# The cells the cube sums for the 质量 views (per-report columns of the prepared data).
QUALITY_CELLS: tuple[str, ...] = (*INDICATORS, *COUNT_COLUMNS)
QUALITY_SCHEMA: dict[str, pl.DataType] = {**dict.fromkeys(INDICATORS, pl.Boolean()),
                                          **dict.fromkeys(COUNT_COLUMNS, pl.UInt8())}


def indicator_columns() -> list[pl.Expr]:
    """Per check and outcome, whether a scorecard row has it (unknown is none of pass, fail, not applicable)."""
    return [(pl.col(code) == value).fill_null(False).alias(f"{code}_{outcome}")
            for code in CHECK_CODES for outcome, value in OUTCOME_VALUES.items()]


def indicators(card: pl.DataFrame) -> pl.DataFrame:
    """The :data:`QUALITY_CELLS` of scorecard rows (same order)."""
    return card.select(*indicator_columns(), *(pl.col(c).cast(pl.UInt8) for c in COUNT_COLUMNS))


def quality_columns(rows: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The :data:`QUALITY_CELLS` of every report of ``rows`` (same order; see the module docstring)."""
    return indicators(scorecard(rows))


def status_of_indicators(code: str) -> pl.Expr:
    """A check's status (1 pass, 0 fail, -1 not applicable, null unknown) back from its indicators."""
    return (pl.when(pl.col(f"{code}_pass")).then(PASS).when(pl.col(f"{code}_fail")).then(FAIL)
            .when(pl.col(f"{code}_na")).then(NOT_APPLICABLE).otherwise(None).cast(pl.Int8).alias(code))

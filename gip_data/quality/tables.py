"""The 质量 data of one data version that depends on other reports: anomalies and aggregate gaps.

A report's anomalies depend on its peer group (same year, level, body type,
province) and on its body's report of the year before; an aggregate report's
gaps on the reports of its year and province. :func:`build_tables` finds them
for every report; :func:`update_tables` brings them to the next data version
from the changed reports alone, like the rest of the prepared data:

- anomalies: the peer groups of the changed reports (as they were and as they
  are) get their statistics anew; every report of every body with a report in
  those groups, in the groups of the year after (whose jumps quote the
  groups' medians of the year before) or touched by the change is checked
  again — whole bodies, so each has its year before;
- gaps: the aggregates of the (year, province) pairs of the changed reports
  are compared again with those pairs' reports.

Both tables are kept in the order pages list them, so a view is a filter and a
head. ``tests/test_prepared.py`` checks that an update equals a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from gip_data.quality.anomalies import (
    FOUND_SCHEMA,
    ORDER,
    ORDER_DESCENDING,
    PEER_KEYS,
    VALUE_CELLS,
    anomaly_values,
    detect,
    peer_stats,
)
from gip_data.quality.hierarchy import GAP_INPUTS, aggregate_gaps

# What the anomaly table keeps of a report besides its anomalies: what lists show and what filters read.
REPORT_COLUMNS: tuple[str, ...] = ("report_id", "agency_key", "agency_code", "name_code", "agency", "year", "level",
                                   "body", "province", "city", "template", "aggregate", "synthetic")
GAP_ORDER: tuple[str, ...] = ("year", "province", "city", "report_id")


@dataclass(frozen=True, slots=True)
class QualityTables:
    """Every anomaly (with its report's columns) and every aggregate's gaps, in list order; peer statistics."""

    anomalies: pl.DataFrame
    peers: pl.DataFrame
    gaps: pl.DataFrame


def _listed(found: pl.DataFrame, reports: pl.DataFrame) -> pl.DataFrame:
    """Anomalies with their reports' columns, in list order."""
    joined = found.join(reports.select(REPORT_COLUMNS), on="report_id", how="left")
    return joined.sort(list(ORDER), descending=list(ORDER_DESCENDING), nulls_last=True)


def build_tables(rows: pl.DataFrame) -> QualityTables:
    """The tables of every current report (``rows``: the live reports with their body and name codes)."""
    values = anomaly_values(rows)
    peers = peer_stats(values)
    found = _listed(detect(values, peers), rows)
    return QualityTables(found, peers, aggregate_gaps(rows.select(GAP_INPUTS)))


@dataclass(frozen=True, slots=True)
class Change:
    """What an update changed: the changed reports' rows as they were (``gone``) and are (``added``)."""

    gone: pl.DataFrame  # REPORT_COLUMNS at least, of the replaced or deleted rows that were current
    added: pl.DataFrame  # the same columns of the rows now current
    touched: pl.Series  # body codes whose reports changed


def update_tables(old: QualityTables, wide: pl.DataFrame, cells: pl.DataFrame, change: Change) -> QualityTables:
    """``old`` brought to the next version: ``wide`` is the new prepared frame, ``cells`` its cube rows' dimensions.

    Only the reports of the affected peer groups, bodies and (year, province)
    pairs are read, through their cube rows (a test on one integer column).
    """
    both = pl.concat([change.gone.select(REPORT_COLUMNS), change.added.select(REPORT_COLUMNS)], how="vertical_relaxed")
    return QualityTables(*_update_anomalies(old, wide, cells, both, change.touched),
                         _update_gaps(old.gaps, wide, cells, both))


def _rows_in(wide: pl.DataFrame, where: pl.Expr, columns: list[str]) -> pl.DataFrame:
    """The live rows of ``wide`` meeting ``where`` (only ``columns`` are gathered)."""
    at = wide.select((where & pl.col("live")).arg_true()).to_series()
    return wide[at, columns]  # direct column access: a select of many columns plans a query


def _cells_of(cells: pl.DataFrame, keys: pl.DataFrame) -> pl.Expr:
    """A filter on the frame's ``cell`` for the cube rows matching any row of ``keys`` (on its columns)."""
    hit = cells.join(keys, on=keys.columns, how="semi", nulls_equal=True).get_column("cell")
    return pl.col("cell").is_in(hit.implode())


def _update_anomalies(old: QualityTables, wide: pl.DataFrame, cells: pl.DataFrame, both: pl.DataFrame,
                      touched: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
    counted = ~pl.col("aggregate") & pl.col("agency_key").is_not_null() & pl.col("year").is_not_null()
    groups = both.filter(counted).select(PEER_KEYS).unique()
    affected = pl.concat([groups, groups.with_columns(pl.col("year") + 1)]).unique()
    in_groups = _rows_in(wide, _cells_of(cells, affected), ["agency_code"]).get_column("agency_code")
    bodies = pl.concat([in_groups, touched.cast(pl.UInt32)]).drop_nulls().unique()
    reports = _rows_in(wide, pl.col("agency_code").is_in(bodies.implode()),
                       list(dict.fromkeys((*REPORT_COLUMNS, *VALUE_CELLS))))
    values = anomaly_values(reports)
    fresh = peer_stats(values.join(groups, on=list(PEER_KEYS), how="semi", nulls_equal=True))
    peers = pl.concat([old.peers.join(groups, on=list(PEER_KEYS), how="anti", nulls_equal=True), fresh])
    redone = pl.concat([reports.get_column("report_id"), both.get_column("report_id")]).unique()
    kept = old.anomalies.filter(~pl.col("report_id").is_in(redone.implode()))
    found = _listed(detect(values, peers), reports)
    merged = pl.concat([kept, found.select(kept.columns)])
    return merged.sort(list(ORDER), descending=list(ORDER_DESCENDING), nulls_last=True), peers


def _update_gaps(gaps: pl.DataFrame, wide: pl.DataFrame, cells: pl.DataFrame, both: pl.DataFrame) -> pl.DataFrame:
    pairs = both.select("year", "province").drop_nulls().unique()
    if pairs.height == 0:
        return gaps
    reports = _rows_in(wide, _cells_of(cells, pairs), list(GAP_INPUTS))
    kept = gaps.join(pairs, on=["year", "province"], how="anti")
    fresh = aggregate_gaps(reports)
    if fresh.height == 0:
        return kept
    return pl.concat([kept, fresh.select(kept.columns)]).sort(list(GAP_ORDER), nulls_last=True)


__all__ = ["FOUND_SCHEMA", "Change", "QualityTables", "build_tables", "update_tables"]

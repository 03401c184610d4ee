"""Quality data prepared once per data version, so the 质量 views cost milliseconds on 1,000,000 reports.

- **cube**: the check indicators (:data:`gip_data.quality.rollup.ADDITIVE`) and
  report counts summed per combination of the filter dimensions — every
  roll-up (per level, region, year, the overview) reads a few thousand rows;
- **body matrix**: per body variant (body code, name code and the filter
  dimensions that can change between a body's reports), per (year, template)
  slot: passes, fails, reports, applications received, opened and closed, and
  the slot's report id — the ranking of bodies sums the chosen slots of the
  matching rows instead of grouping a million reports.

Both give exactly what the definitions in :mod:`gip_data.quality.rollup` give
on the filtered reports (``tests/test_quality_index.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from gip_data.quality.rollup import (
    ADDITIVE,
    SMALL_N_APPLICATIONS,
    indicator_columns,
    overview,
    rank_order,
    rollup,
)

CUBE_DIMS: tuple[str, ...] = ("aggregate", "year", "level", "body", "province", "city", "template", "synthetic")
BODY_KEYS: tuple[str, ...] = ("agency_code", "name_code", "level", "body", "province", "city", "aggregate", "synthetic")
SLOT_MEASURES: tuple[str, ...] = ("passes", "fails", "reports", "recv", "opened", "closed")
Predicate = Callable[[tuple[str, ...]], pl.Expr]  # the view's filter over some dimensions


@dataclass(frozen=True, slots=True)
class Slot:
    """One (year, template) slot of the body matrix; its columns end in ``_<index>``."""

    index: int
    year: int | None
    template: str | None


@dataclass(frozen=True, slots=True, eq=False)
class QualityIndex:
    """The quality cube and body matrix of one data version, and the rows they came from."""

    rows: pl.DataFrame  # the scorecard with dimensions (rollup.with_dimensions) and body/name codes
    cube: pl.DataFrame
    bodies: pl.DataFrame
    slots: tuple[Slot, ...]
    positions: pl.Series  # row of each report id in ``rows`` (indexed by id − first_id; null where absent)
    first_id: int
    one_row_per_body: bool  # no body changed level, place, name or flags: nothing to merge across variants

    def rollup(self, predicate: Predicate, by: list[str]) -> pl.DataFrame:
        """:func:`gip_data.quality.rollup.rollup` of the view, from the cube (``by`` ⊆ the cube dimensions)."""
        return rollup(self.cube.lazy().filter(predicate(CUBE_DIMS)), by)

    def overview(self, predicate: Predicate) -> pl.DataFrame:
        """:func:`gip_data.quality.rollup.overview` of the view, from the cube."""
        return overview(self.cube.lazy().filter(predicate(CUBE_DIMS)))

    def chosen_slots(self, year_from: int | None, year_to: int | None, edition: str) -> list[Slot]:
        """The slots a view's year range and edition keep."""
        return [s for s in self.slots
                if (year_from is None or (s.year is not None and s.year >= year_from))
                and (year_to is None or (s.year is not None and s.year <= year_to))
                and (edition == "all" or s.template == edition)]

    def rank_bodies(self, predicate: Predicate, slots: list[Slot], limit: int | None = None,
                    worst_first: bool = False) -> pl.DataFrame:
        """:func:`gip_data.quality.rollup.rank_bodies` of the view from the body matrix (same columns and order)."""
        matrix = self.bodies.lazy().filter(predicate(("aggregate", "level", "body", "province", "city", "search",
                                                      "synthetic")))
        by_year = sorted(slots, key=lambda s: (s.year or 0, s.index), reverse=True)
        sums = [pl.sum_horizontal(pl.col(f"{m}_{s.index}") for s in slots).alias(m) for m in SLOT_MEASURES] if slots \
            else [pl.lit(0, pl.Int64).alias(m) for m in SLOT_MEASURES]
        latest = [pl.coalesce([pl.col(f"id_{s.index}") for s in by_year]).alias("latest_report"),
                  pl.coalesce([pl.when(pl.col(f"id_{s.index}").is_not_null()).then(pl.lit(s.year or 0))
                               for s in by_year]).alias("latest_year")] if slots \
            else [pl.lit(None, pl.Int64).alias("latest_report"), pl.lit(None, pl.Int32).alias("latest_year")]
        variants = matrix.select("agency_code", *sums, *latest).filter(pl.col("reports") > 0)
        bodies = variants.drop("latest_year") if self.one_row_per_body else variants.group_by("agency_code").agg(
            *(pl.col(m).sum() for m in SLOT_MEASURES),
            pl.col("latest_report").get(pl.col("latest_year").arg_max()),
        )
        return rank_order(bodies, limit, worst_first, names=self._names)

    def _names(self, ranked: pl.DataFrame) -> pl.DataFrame:
        """The ranked bodies with the key, name, level and place of their latest report in the view."""
        positions = self.positions.gather(ranked["latest_report"].cast(pl.Int64) - self.first_id)
        columns = self.rows.select("agency_key", "agency", "level", "province", "city")[positions]
        return ranked.hstack(columns.get_columns())


def _slots(rows: pl.DataFrame) -> tuple[Slot, ...]:
    pairs = rows.select("year", pl.col("template").cast(pl.String)).unique().sort("year", "template", nulls_last=True)
    return tuple(Slot(i, y, t) for i, (y, t) in enumerate(pairs.iter_rows()))


def _slot_of_rows(rows: pl.DataFrame, slots: tuple[Slot, ...]) -> np.ndarray:
    """The slot index of every row (years and templates looked up in one pass)."""
    code = {(s.year, s.template): s.index for s in slots}
    key = pl.col("year").fill_null(-1).cast(pl.Int64) * 8 + pl.col("template").cast(pl.String).replace_strict(
        {"2019": 1, "2021": 2}, default=0, return_dtype=pl.Int64)
    mapping = {(y if y is not None else -1) * 8 + {"2019": 1, "2021": 2}.get(t or "", 0): i for (y, t), i in code.items()}
    return rows.select(key.replace_strict(mapping, return_dtype=pl.Int64))[:, 0].to_numpy()


def _body_matrix(rows: pl.DataFrame, slots: tuple[Slot, ...]) -> pl.DataFrame:
    """Per body variant, per slot: the measures summed and the slot's (largest) report id.

    Each report's variant comes from one group-by of the keys; the slot columns
    are then counted with numpy (bincount per slot and measure), not with
    filtered aggregations over the million reports.
    """
    keyed = rows.filter(pl.col("agency_key").is_not_null())
    groups = keyed.select(*BODY_KEYS).with_row_index("pos").group_by(list(BODY_KEYS)).agg(pl.col("pos"))
    n = groups.height
    variant = np.empty(keyed.height, dtype=np.int64)
    exploded = groups.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("v"), "pos").explode("pos")
    variant[exploded["pos"].to_numpy()] = exploded["v"].to_numpy()
    slot = _slot_of_rows(keyed, slots)
    values = {m: keyed[m].fill_null(0).cast(pl.Int64).to_numpy() for m in ("passes", "fails", "recv", "opened", "closed")}
    ids = keyed["report_id"].to_numpy()
    columns: list[pl.Series] = []
    for s in slots:
        mask = slot == s.index
        mine = variant[mask]
        for m in SLOT_MEASURES:
            counts = np.bincount(mine, minlength=n) if m == "reports" else np.bincount(
                mine, weights=values[m][mask], minlength=n)
            columns.append(pl.Series(f"{m}_{s.index}", counts.astype(np.int64)))
        latest = np.full(n, -1, dtype=np.int64)
        order = np.argsort(ids[mask], kind="stable")
        latest[mine[order]] = ids[mask][order]  # the last write wins: the largest id of the slot
        column = pl.Series(f"id_{s.index}", latest)
        columns.append(column.set(column < 0, None))  # type: ignore[arg-type]
    return groups.drop("pos").hstack(columns)


def build_index(rows: pl.DataFrame) -> QualityIndex:
    """The index of a scorecard with dimensions (:func:`gip_data.quality.rollup.with_dimensions`).

    ``rows`` must carry ``agency_code`` and ``name_code`` (integer codes of the
    body key and of the name, as the prepared data assigns them).
    """
    cube = rows.lazy().with_columns(indicator_columns()).group_by(list(CUBE_DIMS)).agg(
        pl.len().cast(pl.Int64).alias("reports"), *(pl.col(c).cast(pl.Int64).sum() for c in ADDITIVE)).collect()
    slots = _slots(rows)
    ids = rows["report_id"]
    first = int(ids.min() or 0) if rows.height else 0
    span = (int(ids.max() or 0) - first + 1) if rows.height else 0
    positions = pl.Series("pos", [None] * span, pl.UInt32).scatter(ids - first, pl.arange(0, rows.height, eager=True,
                                                                                          dtype=pl.UInt32))
    bodies = _body_matrix(rows, slots)
    return QualityIndex(rows=rows, cube=cube, bodies=bodies, slots=slots, positions=positions, first_id=first,
                        one_row_per_body=bodies["agency_code"].n_unique() == bodies.height)


__all__ = ["SMALL_N_APPLICATIONS", "QualityIndex", "Slot", "build_index"]

"""Frames for the view tests: synthetic reports made irregular like real ones, and the plain reference path."""

from __future__ import annotations

import numpy as np
import polars as pl

from gip_data import metrics
from gip_data.filters import FilterState, filter_expr, only_synthetic
from gip_data.quality.plain import with_quality
from gip_data.storage.frames_io import conform_wide
from gip_data.synth import synth_chunks


def irregular_synthetic(n: int, years: list[int], seed: int, first_id: int = 100) -> pl.DataFrame:
    """Synthetic reports (gip_data.synth) made to look like real ones.

    Quality flags, jurisdiction summaries, reports without a province, bodies
    that changed their name, a name longer than the search index covers, and
    reports whose agency is unknown.
    """
    raw = pl.concat(list(synth_chunks(n, years, seed=seed)), how="vertical_relaxed")
    rng = np.random.default_rng(seed)
    n = raw.height
    wide = conform_wide(raw.with_columns(pl.int_range(first_id, first_id + n, dtype=pl.Int64).alias("report_id")))
    renamed = pl.Series(rng.random(n) < 0.05)
    unknown = pl.Series(rng.random(n) < 0.01)
    return wide.with_columns(
        pl.Series("synthetic", rng.random(n) < 0.5),
        pl.Series("aggregate", rng.random(n) < 0.05),
        pl.Series("failed_checks", (rng.random(n) < 0.1) * rng.integers(1, 4, n), dtype=pl.Int32),
        pl.Series("missing_tables", (rng.random(n) < 0.2).astype(int), dtype=pl.Int32),
        pl.when(pl.Series(rng.random(n) < 0.03)).then(None).otherwise(pl.col("province")).alias("province"),
        pl.when(renamed).then(pl.col("agency") + "（原名）").otherwise(pl.col("agency")).alias("agency"),
    ).with_columns(
        pl.when(pl.col("report_id") == first_id).then(pl.lit("长" * 80 + "末尾机关")).otherwise(pl.col("agency")).alias("agency"),
        pl.when(unknown).then(None).otherwise(pl.col("agency_key")).alias("agency_key"),
    ).with_columns(pl.when(unknown).then(None).otherwise(pl.col("agency")).alias("agency"))


_PLAIN: dict[int, tuple[pl.DataFrame, pl.DataFrame]] = {}  # id of a frame -> (the frame, its plain columns)


def plain_rows(wide: pl.DataFrame) -> pl.DataFrame:
    """Every report with what the views read besides its own columns, the plain way (computed once per frame).

    Year links by text key; the 质量 columns (indicators, anomalies, aggregate
    gaps) by their definitions over every report (gip_data.quality.plain).
    """
    found = _PLAIN.get(id(wide))
    if found is None or found[0] is not wide:
        linked = metrics.add_year_links(wide).with_columns(
            (metrics.BASES["new"] + metrics.BASES["carried_over"]).cast(pl.Int64).alias("recv"))
        found = _PLAIN[id(wide)] = (wide, with_quality(linked))
    return found[1]


def reference_rows(wide: pl.DataFrame, state: FilterState) -> pl.LazyFrame:
    """The filtered reports the plain way: no prepared structure, a substring search (see :func:`plain_rows`)."""
    include = state.synthetic or only_synthetic(wide)
    return plain_rows(wide).lazy().filter(filter_expr(state, include_synthetic=include))


def states_for(wide: pl.DataFrame) -> list[FilterState]:
    """Filter states covering every filter: years, levels, regions, body type, edition, scope, name search."""
    regions = wide.drop_nulls(["province", "city"]).group_by("province", "city").len().sort("len", "province", "city")
    province, city = regions.row(-1)[:2] if regions.height else ("河南省", "郑州市")
    return [
        FilterState(),
        FilterState(synthetic=True),
        FilterState(synthetic=True, levels=("county", "township")),
        FilterState(synthetic=True, year_from=2021, year_to=2022, body="dept"),
        FilterState(synthetic=True, edition="2021", scope="sum"),
        FilterState(scope="sum"),
        FilterState(synthetic=True, year_to=2020, edition="2019"),
        FilterState(synthetic=True, province=province),
        FilterState(synthetic=True, province=province, city=city, body="gov"),
        FilterState(synthetic=True, search="局"),
        FilterState(synthetic=True, search="人民政府", year_from=2021),
        FilterState(synthetic=True, search="（原名）", levels=("county",), province=province),
        FilterState(synthetic=True, search="末尾"),
        FilterState(search="郏县"),
        FilterState(synthetic=True, search="no such body"),
    ]

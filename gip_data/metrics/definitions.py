"""What the metrics are made of: per-report bases, the metrics as ratios of their sums, the cube's measures.

Definitions follow METRICS.md: ratios over a group are ratios of sums (never
means of ratios), and two denominators are given where they exist (closed
cases without 尚未审结, and all cases).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import polars as pl

from gip_data.quality.derive import QUALITY_CELLS
from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    DISPOSITION_GROUPS,
    case_column,
    cell_column,
)


def _cells(*rows: str) -> pl.Expr:
    """Row-level sum of the 总计 cells of some table-3 rows (blank cells count as 0)."""
    return pl.sum_horizontal([pl.col(cell_column(r, "total")) for r in rows])


def _case(block: str, outcome: str) -> pl.Expr:
    return pl.col(case_column(block, outcome)).fill_null(0)


# Per-report base quantities; group totals are their sums.
BASES: dict[str, pl.Expr] = {
    "new": _cells("new_received"),
    "carried_over": _cells("carried_over"),
    "closed": _cells("total"),
    **{group: _cells(*keys) for group, keys in DISPOSITION_GROUPS.items()},
    "not_held": _cells("unable_not_held"),
    "carried_forward": _cells("carried_forward"),
    **{f"{b}_{o}": _case(b, o) for b in CASE_BLOCKS for o in ("upheld", "corrected", "other", "pending", "total")},
    "consistent": pl.col("consistent").cast(pl.Int32),
}


def _closed(block: str) -> list[str]:
    return [f"{block}_{o}" for o in ("upheld", "corrected", "other")]


_LIT = ("litigation_direct", "litigation_after_review")


@dataclass(frozen=True, slots=True)
class Metric:
    """One dashboard metric: a ratio of sums of bases (or a plain sum), with its display kind."""

    code: str
    label: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    kind: str = "count"  # count | rate | per100
    note: str = ""


METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric("apps", "申请量（新收）", ("new",)),
        Metric("recv", "受理总量（新收+上年结转）", ("new", "carried_over")),
        Metric("done", "办结量", ("closed",)),
        Metric("fwd", "结转下年度", ("carried_forward",)),
        Metric("open", "公开率", ("granted", "partially_granted"), ("closed",), "rate", "(予以公开+部分公开)/办结总计"),
        Metric("full", "全部公开率", ("granted",), ("closed",), "rate", "予以公开/办结总计"),
        Metric("wh", "不予公开率", ("withheld",), ("closed",), "rate", "不予公开/办结总计"),
        Metric("un", "无法提供率", ("unable",), ("closed",), "rate", "无法提供/办结总计"),
        Metric("np", "不予处理率", ("not_processed",), ("closed",), "rate", "不予处理/办结总计"),
        Metric("oth", "其他处理率", ("other",), ("closed",), "rate", "其他处理/办结总计"),
        Metric("nh", "不掌握占比", ("not_held",), ("closed",), "rate", "本机关不掌握/办结总计"),
        Metric("bl", "结转率", ("carried_forward",), ("new", "carried_over"), "rate", "结转下年度/受理总量"),
        Metric("rvn", "行政复议（件）", ("review_total",)),
        Metric("ltn", "行政诉讼（件）", ("litigation_direct_total", "litigation_after_review_total")),
        Metric("rv", "每百件被复议", ("review_total",), ("closed",), "per100", "复议总计/办结总计×100"),
        Metric(
            "lt",
            "每百件被诉",
            ("litigation_direct_total", "litigation_after_review_total"),
            ("closed",),
            "per100",
            "(直接起诉+复议后起诉)总计/办结总计×100",
        ),
        Metric("rvc", "复议纠错率", ("review_corrected",), tuple(_closed("review")), "rate", "纠正/已审结（不含尚未审结）"),
        Metric("rvca", "复议纠错率（含未审结）", ("review_corrected",), ("review_total",), "rate", "纠正/复议总计"),
        Metric(
            "ltc",
            "诉讼纠错率",
            tuple(f"{b}_corrected" for b in _LIT),
            tuple(c for b in _LIT for c in _closed(b)),
            "rate",
            "纠正/已审结（不含尚未审结）",
        ),
        Metric(
            "ltca",
            "诉讼纠错率（含未审结）",
            tuple(f"{b}_corrected" for b in _LIT),
            tuple(f"{b}_total" for b in _LIT),
            "rate",
            "纠正/诉讼总计",
        ),
        Metric(
            "cc",
            "综合纠错率",
            tuple(f"{b}_corrected" for b in CASE_BLOCKS),
            tuple(c for b in CASE_BLOCKS for c in _closed(b)),
            "rate",
            "(复议+诉讼)纠正/已审结",
        ),
        Metric("pass", "勾稽通过率", ("consistent",), ("reports",), "rate", "通过全部勾稽规则的报告占比"),
    )
}
DIMENSIONS: dict[str, str] = {"year": "年度", "level": "机关层级", "province": "省份", "agency": "机关"}


def metric_expr(metric: Metric) -> pl.Expr:
    """The metric over columns named like the bases (group sums or per-report values)."""
    num = pl.sum_horizontal([pl.col(c) for c in metric.numerator])
    if not metric.denominator:
        return num
    den = pl.sum_horizontal([pl.col(c) for c in metric.denominator])
    scale = 100.0 if metric.kind == "per100" else 1.0
    return pl.when(den > 0).then(num * scale / den).otherwise(None)


def bases_of(codes: Iterable[str]) -> tuple[str, ...]:
    """The bases the metrics ``codes`` read (in :data:`BASES` order)."""
    wanted = {b for c in codes for b in (*METRICS[c].numerator, *METRICS[c].denominator)}
    return tuple(b for b in BASES if b in wanted)


def cells_of(bases: Iterable[str]) -> tuple[str, ...]:
    """The cells the bases ``bases`` are sums of."""
    return tuple(dict.fromkeys(c for b in bases for c in BASES[b].meta.root_names()))


def with_metrics(df: pl.DataFrame, codes: list[str] | None = None) -> pl.DataFrame:
    """Add one column per metric code to a frame of base sums."""
    return df.with_columns(metric_expr(METRICS[c]).alias(c) for c in (codes or list(METRICS)))


# What an additive view may group by: the cube's dimensions that name something (not the year links).
CubeDim = Literal["year", "level", "province", "body", "city", "template", "aggregate", "synthetic"]
CUBE_DIMENSIONS: tuple[str, ...] = (
    "year", "level", "body", "province", "city", "template", "aggregate", "synthetic", "has_prev", "has_next",
)


def like_chunks(column: pl.Series, template: pl.Series) -> pl.Series:
    """``column`` cut into the chunk layout of ``template`` (same length).

    A frame whose columns have different chunk layouts is rechunked — copied
    whole — by the next operation on it; for a memory-mapped million-report
    frame that copy is the app's largest allocation, so added columns follow
    the frame's layout instead.
    """
    lengths = [len(c) for c in template.get_chunks()]
    if len(lengths) <= 1:
        return column.rechunk()
    offsets = [sum(lengths[:i]) for i in range(len(lengths))]
    return pl.concat([column.slice(o, n) for o, n in zip(offsets, lengths, strict=True)], rechunk=False)


def add_year_links(wide: pl.DataFrame, key: str = "agency_key") -> pl.DataFrame:
    """Flag each report whose body also reported the year before (``has_prev``) / after (``has_next``).

    同比 compares only such bodies; flags computed once per data version keep it a
    filter instead of a join at every view.
    """
    keys = wide.select(pl.col(key).alias("agency_key"), "year")  # any column naming the body (text or code)
    seen = keys.drop_nulls().unique()
    prev = seen.with_columns((pl.col("year") + 1).alias("year"), pl.lit(True).alias("has_prev"))
    nxt = seen.with_columns((pl.col("year") - 1).alias("year"), pl.lit(True).alias("has_next"))
    flags = (
        keys.join(prev, on=["agency_key", "year"], how="left", maintain_order="left")
        .join(nxt, on=["agency_key", "year"], how="left", maintain_order="left")
        .select(pl.col("has_prev").fill_null(False), pl.col("has_next").fill_null(False))
    )
    template = wide.get_column(key)
    # Only the two flag columns are new; the cells are shared, not copied.
    return wide.hstack([like_chunks(c, template) for c in flags.get_columns()])


QUALITY_FLAGS: tuple[str, ...] = ("failed_checks", "repairs", "assumed_zeros", "missing_tables")


# Cube columns every cube (a search's too) has besides its cell sums.
COUNTS: tuple[str, ...] = ("reports", "consistent", *QUALITY_FLAGS)


def cube_measures(cells: tuple[str, ...] | None = None, *, counts: bool = True) -> list[pl.Expr]:
    """What the cube holds per group: report count, consistent reports, reports per quality flag, cell sums.

    ``cells`` (default :data:`CUBE_CELLS`) are summed; ``counts`` adds the
    :data:`COUNTS`. Cells are Int32 and an Int32 sum stays Int32 (and wraps):
    they are widened before summing.
    """
    summed = [pl.col(c).cast(pl.Int64).sum() for c in (CUBE_CELLS if cells is None else cells) if c not in COUNTS]
    if not counts:
        return summed
    return [pl.len().cast(pl.Int64).alias("reports"), pl.col("consistent").cast(pl.Int64).sum(),
            *((pl.col(flag) > 0).sum().cast(pl.Int64).alias(flag) for flag in QUALITY_FLAGS), *summed]


def build_cube(
    wide: pl.DataFrame | pl.LazyFrame,
    dimensions: tuple[str, ...] = CUBE_DIMENSIONS,
    cells: tuple[str, ...] | None = None,
) -> pl.DataFrame:
    """The :data:`TABLE_CELLS` (or ``cells``) summed per combination of the filter dimensions, with report counts.

    Additive views give the same result on the cube as on the reports (sums of
    sums), but the cube has a few thousand rows instead of a million. The quality
    flags become counts of reports with the flag. The name search is not a
    dimension: views with a search build a smaller cube of the matching reports.
    """
    return wide.lazy().group_by(list(dimensions)).agg(cube_measures(TABLE_CELLS if cells is None else cells)).collect()


def count_expr(lf: pl.LazyFrame) -> pl.Expr:
    """The report count: a row count on reports, a sum on the cube."""
    return pl.col("reports").sum() if "reports" in lf.collect_schema() else pl.len()


# The cells the bases read; totals sum these first and derive the bases from the sums
# (the bases are linear), so a million reports cost one column sum per cell.
BASE_CELLS: tuple[str, ...] = tuple(dict.fromkeys(c for e in BASES.values() for c in e.meta.root_names()))
MIX_CELLS: tuple[str, ...] = tuple(cell_column("new_received", k) for k in APPLICANT_COLUMNS[:-1])
REASON_GROUPS: tuple[str, ...] = ("withheld", "unable", "not_processed", "other")
REASON_CELLS: tuple[str, ...] = tuple(cell_column(k, "total") for g in REASON_GROUPS for k in DISPOSITION_GROUPS[g])
# Every table cell an additive view reads.
TABLE_CELLS: tuple[str, ...] = tuple(dict.fromkeys((*BASE_CELLS, *MIX_CELLS, *REASON_CELLS)))
# Every cell an additive view reads; the prepared cube sums exactly these (a view reading another cell fails its
# test): the table cells and the per-report 质量 indicators the prepared data adds (gip_data.quality.derive).
CUBE_CELLS: tuple[str, ...] = (*TABLE_CELLS, *QUALITY_CELLS)

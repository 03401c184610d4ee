"""Additive views: sums of report measures per group, and ratios of those sums.

Each function reads a ``LazyFrame`` of reports — or of cube rows, which hold the
same measures already summed (``reports`` counts them) — builds one lazy query
and collects it once, so a view costs one pass over what it reads plus a fixed
overhead of a millisecond or so. Results are sorted explicitly (Polars 2 keeps
no order after a group-by).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import polars as pl

from gip_data.metrics.definitions import (
    BASES,
    METRICS,
    MIX_CELLS,
    QUALITY_FLAGS,
    REASON_GROUPS,
    CubeDim,
    bases_of,
    cells_of,
    count_expr,
    metric_expr,
)
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    APPLICANT_COLUMNS,
    CASE_BLOCK_LABELS,
    CASE_BLOCKS,
    DISPOSITION_GROUP_LABELS,
    DISPOSITION_GROUPS,
    OUTCOME_LABELS,
    ROW_BY_KEY,
    cell_column,
)

KPI_CODES: tuple[str, ...] = ("recv", "apps", "open", "wh", "un", "fwd", "rvn", "ltn", "rvc", "ltc")
CASE_RATE_CODES: tuple[str, ...] = ("rvn", "ltn", "rv", "lt", "rvc", "rvca", "ltc", "ltca", "cc")
QUALITY_COUNTS: dict[str, str] = dict(zip(QUALITY_FLAGS, ("failing", "repaired", "assumed", "missing"), strict=True))
_OUTCOMES = ("upheld", "corrected", "other", "pending")


def needed_bases(codes: Sequence[str] | None = None, bases: Sequence[str] = ()) -> tuple[str, ...]:
    """The bases a totals query reads: those of the metrics ``codes`` and ``bases`` (every base by default)."""
    wanted = set(BASES if codes is None else bases_of(codes)) | set(bases)
    return tuple(b for b in BASES if b in wanted)


def totals_query(
    lf: pl.LazyFrame, by: Sequence[str] = (), codes: Sequence[str] | None = None, bases: Sequence[str] = ()
) -> pl.LazyFrame:
    """Sums of bases (and the report count) per group with metrics; sorted by ``by`` (lazy).

    The metrics ``codes`` and the bases they read plus ``bases`` (by default
    every metric and every base); only the cells of those bases are read.
    """
    keys, read = list(by), needed_bases(codes, bases)
    aggs = [count_expr(lf).cast(pl.Int64).alias("reports"), *(pl.col(c).cast(pl.Int64).sum() for c in cells_of(read))]
    sums = lf.group_by(keys).agg(aggs) if keys else lf.select(aggs)
    out = sums.select(*keys, "reports", *(BASES[n].cast(pl.Int64).alias(n) for n in read)).with_columns(
        metric_expr(METRICS[code]).alias(code) for code in dict.fromkeys(METRICS if codes is None else codes))
    return out.sort(keys) if keys else out


def totals(lf: pl.LazyFrame, by: Sequence[str] | None = None, codes: Sequence[str] | None = None) -> pl.DataFrame:
    """Sums of bases (and the report count) per group with metrics (default every one); sorted by ``by``."""
    return totals_query(lf, by or (), codes).collect()


def yearly_totals(lf: pl.LazyFrame, codes: tuple[str, ...] | None = None) -> pl.DataFrame:
    """Totals and metrics per year (the overview trend): the metrics ``codes`` and their bases (default: all)."""
    return totals(lf.filter(pl.col("year").is_not_null()), ["year"], codes)


def latest_year(lf: pl.LazyFrame) -> int | None:
    """The most recent report year in the view."""
    value = lf.select(pl.col("year").max()).collect().item()
    return int(value) if value is not None else None


def kpi_table(lf: pl.LazyFrame, year: int | None = None) -> pl.DataFrame:
    """KPI values for one year (default: the latest) with the change against the previous year.

    同比 compares only bodies with a report in both years (``matched`` says how
    many): relative change for counts, difference in points for rates. The
    sums per (year, year links) are read once; the year's totals and both
    matched totals come from them.
    """
    schema = {"metric": pl.String, "label": pl.String, "kind": pl.String, "value": pl.Float64,
              "previous": pl.Float64, "current_matched": pl.Float64, "change": pl.Float64,
              "matched": pl.Int32, "year": pl.Int32}
    cells = cells_of(needed_bases(KPI_CODES))
    sums = [count_expr(lf).cast(pl.Int64).alias("reports"), *(pl.col(c).cast(pl.Int64).sum() for c in cells)]
    by_links = lf.filter(pl.col("year").is_not_null()).group_by("year", "has_prev", "has_next").agg(sums).collect()
    if year is None:
        year = cast("int | None", by_links.get_column("year").max())  # an Int32 column's max (None when empty)
    if year is None:
        return pl.DataFrame(schema=schema)
    y = pl.col("year")
    parts = {"now": y == year, "cur_m": (y == year) & pl.col("has_prev"), "prev": (y == year - 1) & pl.col("has_next")}
    grouped = pl.concat([by_links.lazy().filter(cond).with_columns(pl.lit(name).alias("part"))
                         for name, cond in parts.items()])
    found = {row["part"]: row for row in totals_query(grouped, ["part"], KPI_CODES).collect().iter_rows(named=True)}
    now, prev, cur_m = found.get("now") or {}, found.get("prev"), found.get("cur_m")
    n_matched = int(cur_m["reports"]) if cur_m else 0
    rows = []
    for code in ("reports", *KPI_CODES):
        kind = "count" if code == "reports" else METRICS[code].kind
        label = "报告数" if code == "reports" else METRICS[code].label
        before = prev[code] if prev else None
        after = cur_m[code] if cur_m else None
        value = now.get(code, 0 if kind == "count" else None)  # a year without reports: zero counts, no rates
        rows.append((code, label, kind, value, before, after, _change(kind, before, after), n_matched, year))
    return pl.DataFrame(rows, schema=schema, orient="row")


def _change(kind: str, before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    if kind == "count":
        return (after - before) / before if before else None
    return after - before


def volume_by(lf: pl.LazyFrame, by: Sequence[CubeDim]) -> pl.DataFrame:
    """Applications (new, carried over, received) per group."""
    return totals_query(lf, by, ("recv",)).select(*by, "reports", "new", "carried_over", "recv").collect()


def _in_order(column: str, order: Sequence[str]) -> pl.Expr:
    """A sort key putting ``column``'s values in template order."""
    return pl.col(column).replace_strict({k: i for i, k in enumerate(order)}, return_dtype=pl.Int32)


def applicant_mix(lf: pl.LazyFrame, by: CubeDim = "year") -> pl.DataFrame:
    """New applications by applicant kind (自然人 and the five 法人或其他组织 kinds): count and share."""
    kinds = list(APPLICANT_COLUMNS[:-1])
    return (
        lf.group_by(by)
        .agg(pl.col(c).cast(pl.Int64).sum().alias(k) for c, k in zip(MIX_CELLS, kinds, strict=True))
        .unpivot(on=kinds, index=by, variable_name="applicant", value_name="count")
        .with_columns(
            pl.col("applicant").replace_strict(APPLICANT_COLUMN_LABELS).alias("label"),
            (pl.col("count") / pl.col("count").sum().over(by)).alias("share"),
        )
        .sort(by, _in_order("applicant", kinds))
        .collect()
    )


def flows_by_year(lf: pl.LazyFrame) -> pl.DataFrame:
    """New vs carried over vs carried forward, per year (long)."""
    labels = {"new": "本年新收", "carried_over": "上年结转", "carried_forward": "结转下年度"}
    return (
        totals_query(lf, ["year"], (), list(labels))
        .select("year", *labels)
        .unpivot(on=list(labels), index="year", variable_name="flow", value_name="count")
        .with_columns(pl.col("flow").replace_strict(labels).alias("label"))
        .sort("year", _in_order("flow", list(labels)))
        .collect()
    )


def disposition_mix(lf: pl.LazyFrame, by: CubeDim = "year") -> pl.DataFrame:
    """Dispositions (six groups) per group: count and share of their sum (= 办结 when rule 2 holds)."""
    groups = list(DISPOSITION_GROUPS)
    return (
        totals_query(lf.filter(pl.col(by).is_not_null()), [by], (), groups)
        .select(by, *groups)
        .unpivot(on=groups, index=by, variable_name="group", value_name="count")
        .with_columns(
            pl.col("group").replace_strict(DISPOSITION_GROUP_LABELS).alias("label"),
            (pl.col("count") / pl.col("count").sum().over(by)).alias("share"),
        )
        .sort(by, _in_order("group", groups))
        .collect()
    )


def reason_breakdown(lf: pl.LazyFrame) -> pl.DataFrame:
    """The reasons inside 不予公开, 无法提供, 不予处理 and 其他处理: group, reason, count, share in group."""
    keys = [(g, k) for g in REASON_GROUPS for k in DISPOSITION_GROUPS[g]]
    sums = lf.select(pl.col(cell_column(k, "total")).cast(pl.Int64).sum().alias(k) for _, k in keys).collect().row(0)
    counts = [int(v or 0) for v in sums]
    in_group = {g: sum(c for (gg, _), c in zip(keys, counts, strict=True) if gg == g) for g in REASON_GROUPS}
    rows = [(g, DISPOSITION_GROUP_LABELS[g], k, _reason_label(k), c, c / in_group[g] if in_group[g] else None)
            for (g, k), c in zip(keys, counts, strict=True)]
    return pl.DataFrame(rows, schema={"group": pl.String, "group_label": pl.String, "reason": pl.String,
                                      "label": pl.String, "count": pl.Int64, "share": pl.Float64}, orient="row")


def _reason_label(key: str) -> str:
    label = ROW_BY_KEY[key].label
    return "其他处理（未分项）" if key == "other" else label.split(".", 1)[-1]


def case_outcomes(lf: pl.LazyFrame, by: CubeDim = "year") -> pl.DataFrame:
    """Review and litigation outcomes (维持/纠正/其他/尚未审结) per group and block (long)."""
    cols = [f"{b}_{o}" for b in CASE_BLOCKS for o in _OUTCOMES]
    return (
        totals_query(lf.filter(pl.col(by).is_not_null()), [by], (), cols)
        .select(by, *cols)
        .unpivot(on=cols, index=by, variable_name="cell", value_name="count")
        .with_columns(
            pl.col("cell").str.replace(r"_(upheld|corrected|other|pending)$", "").alias("block"),
            pl.col("cell").str.extract(r"_(upheld|corrected|other|pending)$").alias("outcome"),
        )
        .with_columns(
            pl.col("block").replace_strict(CASE_BLOCK_LABELS).alias("block_label"),
            pl.col("outcome").replace_strict(OUTCOME_LABELS).alias("outcome_label"),
        )
        .drop("cell")
        .sort(by, _in_order("block", CASE_BLOCKS), _in_order("outcome", _OUTCOMES))
        .collect()
    )


def case_rates(lf: pl.LazyFrame, by: CubeDim = "year") -> pl.DataFrame:
    """Correction rates (both denominators) and cases per 100 closed applications, per group."""
    totals = ("litigation_direct_total", "litigation_after_review_total")
    query = totals_query(lf.filter(pl.col(by).is_not_null()), [by], CASE_RATE_CODES, totals)
    return query.select(by, *totals, *CASE_RATE_CODES).collect()


def metric_by(lf: pl.LazyFrame, dims: Sequence[str], code: str, limit: int | None = None) -> pl.DataFrame:
    """One metric per group of ``dims`` (ratio of sums); ``limit`` keeps the groups with most applications.

    ``"agency"`` stands for the body and its name (``agency_key``, ``agency``);
    groups with an unknown value of a dimension are left out.
    """
    keys = [k for d in dims for k in (("agency_key", "agency") if d == "agency" else (d,))]
    query = totals_query(lf.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys)), keys, (code, "recv"))
    if limit is not None:
        query = query.sort(["recv", *keys], descending=[True, *[False] * len(keys)]).head(limit).sort(keys)
    return query.select(*keys, "reports", "recv", pl.col(code).alias("value")).collect()


def quality_overview(lf: pl.LazyFrame) -> pl.DataFrame:
    """One row: the report count and the counts of reports failing checks, with repairs, assumed zeros, missing tables."""
    on_cube = "reports" in lf.collect_schema()
    count = pl.col("reports").sum() if on_cube else pl.len()
    flagged = [(pl.col(f).sum() if on_cube else (pl.col(f) > 0).sum()).alias(n) for f, n in QUALITY_COUNTS.items()]
    return lf.select(count.alias("reports"), *flagged).select(pl.all().cast(pl.Int64).fill_null(0)).collect()

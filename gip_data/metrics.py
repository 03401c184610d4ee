"""Dashboard metrics: pure Polars over the (filtered) wide frame, no I/O and no Streamlit.

Definitions follow ``../shared/METRICS.md``: ratios over a group are ratios of
sums (never means of ratios), two denominators are given where they exist
(closed cases without 尚未审结, and all cases), and distributions across bodies
are separate functions. Every function takes a ``LazyFrame`` of wide rows so
that only the columns it needs are read, and returns a small sorted frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    APPLICANT_COLUMNS,
    CASE_BLOCK_LABELS,
    CASE_BLOCKS,
    DISPOSITION_GROUP_LABELS,
    DISPOSITION_GROUPS,
    OUTCOME_LABELS,
    ROW_BY_KEY,
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


def with_metrics(df: pl.DataFrame, codes: list[str] | None = None) -> pl.DataFrame:
    """Add one column per metric code to a frame of base sums."""
    return df.with_columns(metric_expr(METRICS[c]).alias(c) for c in (codes or list(METRICS)))


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


def build_cube(
    wide: pl.DataFrame | pl.LazyFrame,
    dimensions: tuple[str, ...] = CUBE_DIMENSIONS,
    cells: tuple[str, ...] | None = None,
) -> pl.DataFrame:
    """The :data:`CUBE_CELLS` (or ``cells``) summed per combination of the filter dimensions, with report counts.

    Additive views give the same result on the cube as on the reports (sums of
    sums), but the cube has a few thousand rows instead of a million. The quality
    flags become counts of reports with the flag. The name search is not a
    dimension: views with a search build a smaller cube of the matching reports.
    """
    return (
        wide.lazy()
        .group_by(list(dimensions))
        .agg(pl.len().cast(pl.Int64).alias("reports"), pl.col("consistent").cast(pl.Int64).sum(),
             *((pl.col(flag) > 0).sum().cast(pl.Int64).alias(flag) for flag in QUALITY_FLAGS),
             *(pl.col(c).sum().cast(pl.Int64) for c in (cells or CUBE_CELLS) if c != "consistent"))
        .collect()
    )


def _count_expr(lf: pl.LazyFrame) -> pl.Expr:
    """The report count: a row count on reports, a sum on the cube."""
    return pl.col("reports").sum() if "reports" in lf.collect_schema() else pl.len()


# The cells the bases read; totals sum these first and derive the bases from the sums
# (the bases are linear), so a million reports cost one column sum per cell.
BASE_CELLS: tuple[str, ...] = tuple(dict.fromkeys(c for e in BASES.values() for c in e.meta.root_names()))


def totals(lf: pl.LazyFrame, by: Sequence[str] | None = None) -> pl.DataFrame:
    """Sums of every base (and the report count) per group, with every metric; sorted by ``by``."""
    by = list(by) if by else None
    aggs = [_count_expr(lf).cast(pl.Int64).alias("reports"), *(pl.col(c).cast(pl.Int64).sum().alias(c) for c in BASE_CELLS)]
    sums = lf.group_by(by).agg(aggs).sort(by).collect() if by else lf.select(aggs).collect()
    bases = sums.select(*(by or []), "reports", *(expr.cast(pl.Int64).alias(n) for n, expr in BASES.items()))
    return with_metrics(bases)


def yearly_totals(lf: pl.LazyFrame) -> pl.DataFrame:
    """Totals and metrics per year (the overview trend)."""
    return totals(lf.filter(pl.col("year").is_not_null()), ["year"])


def latest_year(lf: pl.LazyFrame) -> int | None:
    """The most recent report year in the view."""
    value = lf.select(pl.col("year").max()).collect().item()
    return int(value) if value is not None else None


def kpi_table(lf: pl.LazyFrame, year: int | None = None) -> pl.DataFrame:
    """KPI values for one year (default: the latest) with the change against the previous year.

    同比 compares only bodies with a report in both years (``matched`` says how
    many): relative change for counts, difference in points for rates.
    """
    year = year if year is not None else latest_year(lf)
    cols = ["metric", "label", "kind", "value", "previous", "current_matched", "change", "matched", "year"]
    if year is None:
        return pl.DataFrame(schema={c: pl.Float64 if c in cols[3:7] else pl.String for c in cols[:-2]}).with_columns(
            pl.lit(0).alias("matched"), pl.lit(None, pl.Int32).alias("year")
        )
    current = totals(lf.filter(pl.col("year") == year))
    matched = ((pl.col("year") == year) & pl.col("has_prev")) | ((pl.col("year") == year - 1) & pl.col("has_next"))
    by_year = totals(lf.filter(matched), ["year"])
    prev = by_year.filter(pl.col("year") == year - 1)
    cur_m = by_year.filter(pl.col("year") == year)
    n_matched = int(cur_m["reports"][0]) if cur_m.height else 0
    rows = []
    for code in ("reports", *KPI_CODES):
        kind = "count" if code == "reports" else METRICS[code].kind
        label = "报告数" if code == "reports" else METRICS[code].label
        value = current[code][0]
        before = prev[code][0] if prev.height else None
        after = cur_m[code][0] if cur_m.height else None
        rows.append((code, label, kind, value, before, after, _change(kind, before, after)))
    frame = pl.DataFrame(rows, schema=dict.fromkeys(cols[:3], pl.String) | dict.fromkeys(cols[3:7], pl.Float64), orient="row")
    return frame.with_columns(pl.lit(n_matched).alias("matched"), pl.lit(year, pl.Int32).alias("year"))


KPI_CODES: tuple[str, ...] = ("recv", "apps", "open", "wh", "un", "fwd", "rvn", "ltn", "rvc", "ltc")


def _change(kind: str, before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    if kind == "count":
        return (after - before) / before if before else None
    return after - before


def volume_by(lf: pl.LazyFrame, by: Sequence[str]) -> pl.DataFrame:
    """Applications (new, carried over, received) per group."""
    return totals(lf, by).select(*by, "reports", "new", "carried_over", "recv")


MIX_CELLS: tuple[str, ...] = tuple(cell_column("new_received", k) for k in APPLICANT_COLUMNS[:-1])


def applicant_mix(lf: pl.LazyFrame, by: str = "year") -> pl.DataFrame:
    """New applications by applicant kind (自然人 and the five 法人或其他组织 kinds): count and share."""
    kinds = APPLICANT_COLUMNS[:-1]
    sums = (
        lf.group_by(by)
        .agg(pl.col(c).sum().cast(pl.Int64).alias(k) for c, k in zip(MIX_CELLS, kinds, strict=True))
        .sort(by)
        .collect()
        .unpivot(on=list(kinds), index=by, variable_name="applicant", value_name="count")
    )
    sums = sums.with_columns(
        pl.col("applicant").replace_strict(APPLICANT_COLUMN_LABELS).alias("label"),
        (pl.col("count") / pl.col("count").sum().over(by)).alias("share"),
    )
    return _sort_by_order(sums, by, "applicant", list(kinds))


def flows_by_year(lf: pl.LazyFrame) -> pl.DataFrame:
    """New vs carried over vs carried forward, per year (long)."""
    labels = {"new": "本年新收", "carried_over": "上年结转", "carried_forward": "结转下年度"}
    df = totals(lf, ["year"]).select("year", *labels).unpivot(on=list(labels), index="year", variable_name="flow", value_name="count")
    return _sort_by_order(df.with_columns(pl.col("flow").replace_strict(labels).alias("label")), "year", "flow", list(labels))


def top_bodies(lf: pl.LazyFrame, n: int = 20) -> pl.DataFrame:
    """The bodies with most applications received (new + carried over) over the view.

    A body is a known agency key; it is shown with the name, level and province
    of its latest report in the view. Ties rank by key.
    """
    latest = ("year", "report_id")
    return (
        lf.filter(pl.col("agency_key").is_not_null())
        .group_by("agency_key")
        .agg(
            *(pl.col(c).sort_by(*latest, nulls_last=False).last() for c in ("agency", "level", "province")),
            pl.len().alias("reports"),
            (BASES["new"] + BASES["carried_over"]).sum().cast(pl.Int64).alias("recv"),
        )
        .top_k(n, by=["recv", "agency_key"], reverse=[False, True])
        .sort(["recv", "agency_key"], descending=[True, False])
        .collect()
    )


def volume_distribution(lf: pl.LazyFrame, by: str = "level") -> pl.DataFrame:
    """Distribution of applications received per report across bodies: quartiles, p90, max, mean.

    Reads the per-report ``recv`` column when the frame has it (precomputed once per data version).
    """
    has_recv = "recv" in lf.collect_schema()
    v = (pl.col("recv") if has_recv else BASES["new"] + BASES["carried_over"]).alias("v")
    return (
        lf.filter(pl.col(by).is_not_null())
        .select(pl.col(by), v)
        .group_by(by)
        .agg(
            pl.len().alias("reports"),
            pl.col("v").min().alias("min"),
            pl.col("v").quantile(0.25).alias("q1"),
            pl.col("v").median().alias("median"),
            pl.col("v").quantile(0.75).alias("q3"),
            pl.col("v").quantile(0.9).alias("p90"),
            pl.col("v").max().alias("max"),
            pl.col("v").mean().alias("mean"),
        )
        .sort(by)
        .collect()
    )


def _sort_by_order(df: pl.DataFrame, by: str, col: str, order: list[str]) -> pl.DataFrame:
    rank = {k: i for i, k in enumerate(order)}
    return df.sort([pl.col(by), pl.col(col).replace_strict(rank, return_dtype=pl.Int32)])


def disposition_mix(lf: pl.LazyFrame, by: str = "year") -> pl.DataFrame:
    """Dispositions (six groups) per group: count and share of their sum (= 办结 when rule 2 holds)."""
    groups = list(DISPOSITION_GROUPS)
    df = totals(lf.filter(pl.col(by).is_not_null()), [by]).select(by, *groups)
    long = df.unpivot(on=groups, index=by, variable_name="group", value_name="count").with_columns(
        pl.col("group").replace_strict(DISPOSITION_GROUP_LABELS).alias("label"),
        (pl.col("count") / pl.col("count").sum().over(by)).alias("share"),
    )
    return _sort_by_order(long, by, "group", groups)


REASON_GROUPS: tuple[str, ...] = ("withheld", "unable", "not_processed", "other")
REASON_CELLS: tuple[str, ...] = tuple(cell_column(k, "total") for g in REASON_GROUPS for k in DISPOSITION_GROUPS[g])
# Every cell an additive view reads; the prepared cube sums exactly these (a view reading another cell fails its test).
CUBE_CELLS: tuple[str, ...] = tuple(dict.fromkeys((*BASE_CELLS, *MIX_CELLS, *REASON_CELLS)))


def reason_breakdown(lf: pl.LazyFrame) -> pl.DataFrame:
    """The reasons inside 不予公开, 无法提供, 不予处理 and 其他处理: group, reason, count, share in group."""
    keys = [k for g in REASON_GROUPS for k in DISPOSITION_GROUPS[g]]
    sums = lf.select(pl.col(cell_column(k, "total")).sum().cast(pl.Int64).alias(k) for k in keys).collect()
    rows = [
        (g, DISPOSITION_GROUP_LABELS[g], k, _reason_label(k), int(sums[k][0] or 0))
        for g in REASON_GROUPS
        for k in DISPOSITION_GROUPS[g]
    ]
    df = pl.DataFrame(rows, schema=["group", "group_label", "reason", "label", "count"], orient="row")
    return df.with_columns(
        pl.when(pl.col("count").sum().over("group") > 0)
        .then(pl.col("count") / pl.col("count").sum().over("group"))
        .alias("share")
    )


def _reason_label(key: str) -> str:
    label = ROW_BY_KEY[key].label
    return "其他处理（未分项）" if key == "other" else label.split(".", 1)[-1]


def case_outcomes(lf: pl.LazyFrame, by: str = "year") -> pl.DataFrame:
    """Review and litigation outcomes (维持/纠正/其他/尚未审结) per group and block (long)."""
    outcomes = ("upheld", "corrected", "other", "pending")
    cols = [f"{b}_{o}" for b in CASE_BLOCKS for o in outcomes]
    df = totals(lf.filter(pl.col(by).is_not_null()), [by]).select(by, *cols)
    long = df.unpivot(on=cols, index=by, variable_name="cell", value_name="count").with_columns(
        pl.col("cell").str.replace(r"_(upheld|corrected|other|pending)$", "").alias("block"),
        pl.col("cell").str.extract(r"_(upheld|corrected|other|pending)$").alias("outcome"),
    )
    long = long.with_columns(
        pl.col("block").replace_strict(CASE_BLOCK_LABELS).alias("block_label"),
        pl.col("outcome").replace_strict(OUTCOME_LABELS).alias("outcome_label"),
    ).drop("cell")
    return long.sort(by, pl.col("block").replace_strict({b: i for i, b in enumerate(CASE_BLOCKS)}),
                     pl.col("outcome").replace_strict({o: i for i, o in enumerate(outcomes)}))


CASE_RATE_CODES: tuple[str, ...] = ("rvn", "ltn", "rv", "lt", "rvc", "rvca", "ltc", "ltca", "cc")


def case_rates(lf: pl.LazyFrame, by: str = "year") -> pl.DataFrame:
    """Correction rates (both denominators) and cases per 100 closed applications, per group."""
    df = totals(lf.filter(pl.col(by).is_not_null()), [by])
    return df.select(by, "litigation_direct_total", "litigation_after_review_total", *CASE_RATE_CODES)


def metric_by(lf: pl.LazyFrame, dims: Sequence[str], code: str, limit: int | None = None) -> pl.DataFrame:
    """One metric per group of ``dims`` (ratio of sums); ``limit`` keeps the groups with most applications.

    ``"agency"`` stands for the body and its name (``agency_key``, ``agency``);
    groups with an unknown value of a dimension are left out.
    """
    keys = [k for d in dims for k in (("agency_key", "agency") if d == "agency" else (d,))]
    df = totals(lf.filter(pl.all_horizontal(pl.col(d).is_not_null() for d in keys)), keys)
    if limit is not None and df.height > limit:
        df = df.sort(["recv", *keys], descending=[True, *[False] * len(keys)]).head(limit).sort(keys)
    return df.select(*keys, "reports", "recv", pl.col(code).alias("value"))


def body_metric(lf: pl.LazyFrame, code: str, limit: int = 30) -> pl.DataFrame:
    """One metric per body and name (a renamed body has a group per name): the ``limit`` groups with most applications."""
    return metric_by(lf, ["agency"], code, limit)


def body_history(lf: pl.LazyFrame, keys: tuple[str, ...], code: str) -> pl.DataFrame:
    """One metric per body (of ``keys``), name and year: the history of a few bodies."""
    return metric_by(lf.filter(pl.col("agency_key").is_in(list(keys))), ["agency", "year"], code)


PEER_CODES: tuple[str, ...] = ("recv", "open", "wh", "un", "bl", "rv", "lt")


def peer_comparison(lf: pl.LazyFrame, agency_key: str, year: int) -> pl.DataFrame:
    """One body against its peers (same level and province, same year): value vs quartiles per metric.

    Peer statistics are distributions of per-report values, not sums.
    """
    me = lf.filter((pl.col("agency_key") == agency_key) & (pl.col("year") == year)).select("level", "province").collect()
    if me.height == 0:
        return pl.DataFrame(schema={"metric": pl.String, "label": pl.String, "value": pl.Float64,
                                    "q1": pl.Float64, "median": pl.Float64, "q3": pl.Float64, "peers": pl.Int64})
    level, province = me["level"][0], me["province"][0]
    group = lf.filter(
        (pl.col("year") == year)
        & (pl.col("level") == level)
        & (pl.col("province").is_null() if province is None else pl.col("province") == province)
    )
    rows = group.select(pl.col("agency_key"), *(e.alias(n) for n, e in BASES.items()), pl.lit(1).alias("reports"))
    values = rows.with_columns(metric_expr(METRICS[c]).alias(c) for c in PEER_CODES).collect()
    mine = values.filter(pl.col("agency_key") == agency_key)
    peers = values.filter(pl.col("agency_key") != agency_key)
    out = []
    for c in PEER_CODES:
        col = peers[c].drop_nulls()
        out.append((c, METRICS[c].label, mine[c][0], col.quantile(0.25), col.median(), col.quantile(0.75), col.len()))
    return pl.DataFrame(out, schema=["metric", "label", "value", "q1", "median", "q3", "peers"], orient="row",
                        schema_overrides={"peers": pl.Int64})


QUALITY_COUNTS: dict[str, str] = dict(zip(QUALITY_FLAGS, ("failing", "repaired", "assumed", "missing"), strict=True))


def quality_overview(lf: pl.LazyFrame) -> pl.DataFrame:
    """One row: the report count and the counts of reports failing checks, with repairs, assumed zeros, missing tables."""
    on_cube = "reports" in lf.collect_schema()
    count = pl.col("reports").sum() if on_cube else pl.len()
    flagged = [(pl.col(f).sum() if on_cube else (pl.col(f) > 0).sum()).alias(n) for f, n in QUALITY_COUNTS.items()]
    return lf.select(count.alias("reports"), *flagged).collect().cast(pl.Int64).fill_null(0)


def quality_reports(lf: pl.LazyFrame, limit: int = 200) -> pl.DataFrame:
    """Reports with any quality flag, worst first (failed rules, then repairs)."""
    flags = list(QUALITY_FLAGS)
    rows = lf.filter(pl.any_horizontal(pl.col(f) > 0 for f in flags)).select("report_id", "agency", "year", "level", *flags)
    return worst_first(rows).head(limit).collect()


def report_list(lf: pl.LazyFrame, limit: int = 100) -> pl.DataFrame:
    """The first ``limit`` reports of the view by id: id, agency, year, level."""
    return lf.select("report_id", "agency", "year", "level").sort("report_id").head(limit).collect()


def worst_first(frame: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame | pl.DataFrame:
    """Reports ordered worst first: most failed rules, then missing tables, then repairs, then id."""
    return frame.sort(["failed_checks", "missing_tables", "repairs", "report_id"], descending=[True, True, True, False])

"""The 年报质量 checks, evaluated for every report at once (Polars, no per-report Python).

:func:`scorecard` turns the wide frame (:data:`gip_data.frames.WIDE_SCHEMA`, whose
``fact_*`` columns hold what the parser read of the text) into one row per report, in
the wide frame's order, with a status per check — 1 pass, 0 fail, null unknown,
-1 not applicable — and the figures the evidence needs. The words of the
evidence are written by :mod:`gip_data.quality.explain` for the reports shown.

A check is *unknown* when what it compares is not known (no facts stored, no
previous year stored, no date found): unknown never counts against a body.
The score is the share of known checks that pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from gip_data.schema.facts import CHECKED_KINDS, FINGERPRINT_BYTES, FINGERPRINT_SIZE, SECTION_NAMES
from gip_data.schema.template import case_column, cell_column

PASS, FAIL, NOT_APPLICABLE = 1, 0, -1
STATUS_DTYPE = pl.Int8()
COPY_SHARE_LIMIT = 0.8  # this share of last year's sentences or more, unchanged, is a copied report
CHUNK = 65_536
MIN_SENTENCES = 10  # fewer distinct sentences say too little to call a report copied
MIN_NARRATIVE = 200  # characters of prose under which missing headings are unknown, not missing
ALL_SECTIONS = (1 << len(SECTION_NAMES)) - 1
FIRST_FEE_YEAR = 2021  # the 2021 template asks for 信息处理费 in part 六
DEPARTMENT_DEADLINE = (1, 31)  # 条例 第五十条: each body by 31 January of the next year
GOVERNMENT_DEADLINE = (3, 31)  # the report of a government at county level or above by 31 March


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """One check of the catalogue: its short Chinese name and what it verifies."""

    code: str
    name: str
    description: str


CHECKS: tuple[CheckInfo, ...] = (
    CheckInfo("tables", "表格勾稽", "表三、表四的勾稽关系全部成立（收支平衡、办理结果合计、行合计、复议诉讼合计）。"),
    CheckInfo("narrative", "正文与表格一致", "正文所述收到申请、办结、结转、复议、诉讼件数与表格数字一致。"),
    CheckInfo("continuity", "跨年衔接", "本年“上年结转”等于同一机关上一年度报告的“结转下年度继续办理”（两年报告均已入库时）。"),
    CheckInfo("edition", "格式版本", "2019、2020年度报告使用2019版格式，2021年度起使用2021版格式。"),
    CheckInfo("sections", "章节完整", "总体情况、主动公开、依申请公开、复议诉讼、存在问题及改进、其他需要报告的事项六部分齐全。"),
    CheckInfo("table2", "表二", "报告含主动公开政府信息情况表（表二）。"),
    CheckInfo("fee", "信息处理费说明", "2021年度起报告说明收取信息处理费的情况。"),
    CheckInfo("timely", "按时发布", "部门（及乡镇街道）于次年1月31日前、县级以上政府于次年3月31日前公布（条例第五十条）。"),
    CheckInfo("copied", "非照抄上年", f"与同一机关上一年度报告相同的句子少于{COPY_SHARE_LIMIT:.0%}（忽略数字差异）。"),
)
CHECK_CODES: tuple[str, ...] = tuple(c.code for c in CHECKS)
CHECK_BY_CODE: dict[str, CheckInfo] = {c.code: c for c in CHECKS}

# Narrative kinds compared with the table, and the table quantity of each (received also accepts 一+二).
_TOTAL = "total"
TABLE_OF_KIND: dict[str, pl.Expr] = {
    "received": pl.col(cell_column("new_received", _TOTAL)),
    "carried_over": pl.col(cell_column("carried_over", _TOTAL)),
    "closed": pl.col(cell_column("total", _TOTAL)),
    "carried_forward": pl.col(cell_column("carried_forward", _TOTAL)),
    "review": pl.col(case_column("review", _TOTAL)),
    "litigation": pl.col(case_column("litigation_direct", _TOTAL)) + pl.col(case_column("litigation_after_review", _TOTAL)),
}
NARRATIVE_KINDS: tuple[str, ...] = tuple(TABLE_OF_KIND)
DATE_SOURCES: tuple[str, ...] = ("published", "signed", "file_created")
DATE_SOURCE_DTYPE = pl.Enum(list(DATE_SOURCES))


def _status(passed: pl.Expr, known: pl.Expr) -> pl.Expr:
    return pl.when(known).then(passed.cast(STATUS_DTYPE)).otherwise(None).cast(STATUS_DTYPE)


def _kind_status(kind: str) -> pl.Expr:
    """1/0/null for one narrative kind: stated values against the table (a single value, or the parts' sum)."""
    said, table = pl.col(f"said_{kind}"), TABLE_OF_KIND[kind].cast(pl.Int64)
    agrees = said.list.contains(table) | ((said.list.len() > 1) & (said.list.sum() == table))
    if kind == "received":
        both = table + pl.col(cell_column("carried_over", _TOTAL)).cast(pl.Int64)
        agrees = agrees | said.list.contains(both)
    return _status(agrees.fill_null(False), (said.list.len() > 0) & table.is_not_null())


def _bits(statuses: list[pl.Expr], value: int) -> pl.Expr:
    return pl.sum_horizontal((s == value).fill_null(False).cast(pl.UInt8) * (1 << i) for i, s in enumerate(statuses))


def narrative_columns() -> list[pl.Expr]:
    """The narrative check and the bit masks of the kinds that agree / disagree (bit i = NARRATIVE_KINDS[i])."""
    kinds = [_kind_status(k) for k in NARRATIVE_KINDS]
    bad, good = _bits(kinds, FAIL).cast(pl.UInt8), _bits(kinds, PASS).cast(pl.UInt8)
    status = pl.when(bad > 0).then(FAIL).when(good > 0).then(PASS).otherwise(None).cast(STATUS_DTYPE)
    return [status.alias("narrative"), bad.alias("narrative_bad"), good.alias("narrative_ok")]


def _year_dates(years: list[int], offset: int, month: int, day: int) -> pl.Expr:
    """A date per report year (year + offset, month, day) through a small lookup instead of a date per row."""
    mapping = {y: date(y + offset, month, day) for y in years if 1 <= y + offset <= 9999}
    return pl.col("year").replace_strict(mapping, default=None, return_dtype=pl.Date)


def timeliness_columns(years: list[int]) -> list[pl.Expr]:
    """The date used (published, else the date line, else the file's creation), its source, and the check.

    A date before the report year has ended cannot be the report's and is passed
    over. Unknown body type: on time by 31 January passes, after 31 March fails,
    in between unknown. ``years`` are the report years present.
    """
    year_end = _year_dates(years, 0, 12, 31)
    usable = [pl.when(pl.col(f"fact_{src}") > year_end).then(pl.col(f"fact_{src}")) for src in DATE_SOURCES]
    dated = pl.coalesce(usable)
    source = pl.coalesce([pl.when(u.is_not_null()).then(pl.lit(s)) for u, s in zip(usable, DATE_SOURCES, strict=True)])
    early, late = _year_dates(years, 1, *DEPARTMENT_DEADLINE), _year_dates(years, 1, *GOVERNMENT_DEADLINE)
    government = (pl.col("body") == "政府") & (pl.col("level") != "乡镇街道")
    department = (pl.col("body") == "部门") | (pl.col("level") == "乡镇街道")
    deadline = pl.when(government).then(late).when(department).then(early)
    status = (
        pl.when(dated.is_null() | pl.col("year").is_null()).then(None)
        .when(deadline.is_not_null()).then((dated <= deadline).cast(STATUS_DTYPE))
        .when(dated <= early).then(PASS).when(dated > late).then(FAIL)
        .otherwise(None).cast(STATUS_DTYPE)
    )
    return [dated.alias("dated"), source.cast(DATE_SOURCE_DTYPE).alias("dated_by"),
            deadline.alias("deadline"), status.alias("timely")]


def fingerprint_matrix(fingerprints: pl.Series) -> np.ndarray:
    """Stored signatures (``fact_fingerprint``, little-endian uint32) as a (rows, FINGERPRINT_SIZE) matrix."""
    array = fingerprints.bin.reinterpret(dtype=pl.Array(pl.UInt32, FINGERPRINT_SIZE), endianness="little")
    return array.to_numpy().astype(np.uint32, copy=False).reshape(len(fingerprints), FINGERPRINT_SIZE)


def copy_share(fingerprints: pl.Series, sentences: pl.Series, previous: pl.Series) -> pl.Series:
    """Estimated share of this year's sentences found unchanged in last year's report, from MinHash signatures.

    ``fingerprints`` and ``sentences`` are the reports' stored signatures and
    sentence counts; ``previous`` gives, per report, the row of the body's
    report of the year before. The share of equal positions estimates the
    Jaccard index J of the two sentence sets, and |A∩B| = J(|A|+|B|)/(1+J).
    Null where either report has no signature or no sentence.
    """
    signed = (fingerprints.bin.size() == FINGERPRINT_BYTES) & (sentences > 0)
    n = len(fingerprints)
    usable = (previous.is_not_null() & signed & signed.gather(previous)).fill_null(False)
    at = np.flatnonzero(usable.to_numpy())
    equal = np.zeros(n, dtype=np.float64)
    before = previous.gather(at).to_numpy()
    for start in range(0, at.size, CHUNK):  # bounded temporaries: CHUNK × FINGERPRINT_SIZE per side
        mine, theirs = at[start : start + CHUNK], before[start : start + CHUNK]
        equal[mine] = (fingerprint_matrix(fingerprints.gather(mine)) == fingerprint_matrix(fingerprints.gather(theirs))
                       ).sum(axis=1)
    jaccard = pl.Series(equal) / FINGERPRINT_SIZE
    a, b = sentences.cast(pl.Float64), sentences.gather(previous).cast(pl.Float64)
    share = (jaccard * (a + b) / (1 + jaccard) / a).clip(0, 1)
    return share.zip_with(usable, pl.Series([None], dtype=pl.Float64).new_from_index(0, n)).cast(pl.Float32)


def previous_positions(frame: pl.DataFrame) -> pl.Series:
    """For each row, the row of the same body's report of the year before (null when none is in the frame).

    A body is its code (``agency_code``) when the frame has one, else its key;
    an aggregate report and the body's own report are different series. The
    body, year and flag are packed into one integer per row and sorted, and
    each row's key of the year before is found by binary search — no hash
    join (where a body has two reports of one year, the first is used).
    """
    if "agency_code" in frame.columns:
        code = frame["agency_code"].cast(pl.UInt64)
    else:
        code = frame["agency_key"].rank("dense").cast(pl.UInt64)
    packed = frame.select((code.to_frame("c")["c"] * 2**17 + pl.col("year").cast(pl.UInt64) * 2
                           + pl.col("aggregate").cast(pl.UInt64)).alias("k"))["k"]
    known = (code.is_not_null() & frame["year"].is_not_null()).to_numpy()
    rows = np.flatnonzero(known)
    keys = packed.gather(rows).to_numpy()
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    wanted = ordered - 2  # the same body and flag, one year earlier (keys are at least 2: years are positive)
    found = np.searchsorted(ordered, wanted, side="left")  # the first such report in the frame's order
    inside = found < len(ordered)
    has = inside & (ordered[np.where(inside, found, 0)] == wanted)
    result = np.full(len(frame), -1, dtype=np.int64)
    result[rows[order[has]]] = rows[order[found[has]]]
    out = pl.Series("prev", result)
    return out.set(out < 0, None).cast(pl.UInt32)


_TABLE_COLUMNS = (cell_column("new_received", _TOTAL), cell_column("carried_over", _TOTAL), cell_column("total", _TOTAL),
                  cell_column("carried_forward", _TOTAL),
                  *(case_column(b, _TOTAL) for b in ("review", "litigation_direct", "litigation_after_review")))
_FACT_INPUTS = (*(f"fact_said_{k}" for k in CHECKED_KINDS), "fact_sections", "fact_narrative_chars", "fact_table2",
                "fact_fee", *(f"fact_{src}" for src in DATE_SOURCES), "fact_sentences", "fact_fingerprint")
# What the scorecard reads of a report (besides its body code when the frame has one).
SCORECARD_INPUTS: tuple[str, ...] = ("report_id", "agency_key", "aggregate", "year", "level", "body", "template",
                                     "failed_checks", *_TABLE_COLUMNS, *_FACT_INPUTS)


def said_lists() -> list[pl.Expr]:
    """The stated values of each narrative kind as integer lists (stored as comma-separated text)."""
    return [pl.col(f"fact_said_{k}").str.split(",").cast(pl.List(pl.Int64)).alias(f"said_{k}") for k in NARRATIVE_KINDS]


def scorecard(wide: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """One row per report of ``wide`` (same order): the status of every check, its evidence figures, the score.

    The facts come from the report's ``fact_*`` columns; each report is matched
    with the body's report of the year before by position (signatures never
    move). Any subset of the wide frame can be scored on its own as long as it
    holds every year of the bodies it covers (the continuity and copy checks
    look at the year before): after an upload only the touched bodies need
    scoring again.
    """
    fwd = cell_column("carried_forward", _TOTAL)
    body = ("agency_code",) if "agency_code" in wide.lazy().collect_schema() else ()
    rows = wide.lazy().select(*SCORECARD_INPUTS, *body).collect()
    prev = previous_positions(rows)
    rows = rows.with_columns(
        *said_lists(), rows[fwd].gather(prev).alias(f"prev_{fwd}"),
        rows["fact_sentences"].gather(prev).alias("prev_sentences"),
        copy_share(rows["fact_fingerprint"], rows["fact_sentences"], prev).alias("copy_share"))
    has_facts = pl.col("fact_narrative_chars").is_not_null()
    co, prev_fwd = pl.col(cell_column("carried_over", _TOTAL)), pl.col(f"prev_{fwd}")
    table3 = pl.col(cell_column("total", _TOTAL)).is_not_null() | pl.col(cell_column("new_received", _TOTAL)).is_not_null()
    template = pl.col("template").cast(pl.String)
    years = [int(y) for y in rows["year"].drop_nulls().unique().to_list()]
    card = rows.lazy().select(
        "report_id",
        _status(pl.col("failed_checks") == 0, table3).alias("tables"),
        *narrative_columns(),
        _status(co == prev_fwd, co.is_not_null() & prev_fwd.is_not_null()).alias("continuity"),
        prev_fwd.cast(pl.Int64).alias("prev_forward"),
        _status(template == pl.when(pl.col("year") <= 2020).then(pl.lit("2019")).otherwise(pl.lit("2021")),
                pl.col("year").is_not_null() & template.is_not_null()).alias("edition"),
        _status(pl.col("fact_sections") == ALL_SECTIONS,
                has_facts & ((pl.col("fact_sections") > 0) | (pl.col("fact_narrative_chars") >= MIN_NARRATIVE))
                ).alias("sections"),
        pl.col("fact_sections").alias("sections_mask"),
        _status(pl.col("fact_table2"), has_facts).alias("table2"),
        pl.when(pl.col("year") < FIRST_FEE_YEAR).then(pl.lit(NOT_APPLICABLE, STATUS_DTYPE))
        .otherwise(_status(pl.col("fact_fee"), has_facts & pl.col("year").is_not_null())).alias("fee"),
        *timeliness_columns(years),
        "copy_share",
        _status(pl.col("copy_share") < COPY_SHARE_LIMIT,
                (pl.col("fact_sentences") >= MIN_SENTENCES) & (pl.col("prev_sentences") >= MIN_SENTENCES)
                ).alias("copied"),
    )
    return card.with_columns(*score_columns()).collect()


def score_columns() -> list[pl.Expr]:
    """Passes, fails and the score (share of known checks that pass, null when none is known)."""
    passes = pl.sum_horizontal((pl.col(c) == PASS).fill_null(False).cast(pl.Int8) for c in CHECK_CODES)
    fails = pl.sum_horizontal((pl.col(c) == FAIL).fill_null(False).cast(pl.Int8) for c in CHECK_CODES)
    score = pl.when((passes + fails) > 0).then(passes.cast(pl.Float32) / (passes + fails).cast(pl.Float32))
    return [passes.cast(pl.Int8).alias("passes"), fails.cast(pl.Int8).alias("fails"), score.alias("score")]


def deadline_for(year: int, body: str | None, level: str | None) -> date | None:
    """The publication deadline of one report (None when the body type is unknown)."""
    if body == "政府" and level != "乡镇街道":
        return date(year + 1, *GOVERNMENT_DEADLINE)
    if body == "部门" or level == "乡镇街道":
        return date(year + 1, *DEPARTMENT_DEADLINE)
    return None

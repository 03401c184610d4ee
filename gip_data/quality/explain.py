"""The evidence of each check in words (Chinese), for the reports a page shows.

:func:`explain` reads one report's scorecard row (:func:`gip_data.quality.checks.scorecard`)
and wide row, and — when given — its facts, so the stated sentences can be
quoted. It is called for the few reports on screen, never for every report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from gip_data.quality.checks import (
    CHECK_BY_CODE,
    CHECK_CODES,
    COPY_SHARE_LIMIT,
    FAIL,
    FIRST_FEE_YEAR,
    MIN_SENTENCES,
    NARRATIVE_KINDS,
    NOT_APPLICABLE,
    PASS,
)
from gip_data.schema.facts import SECTION_NAMES, STATED_LABELS, ReportFacts
from gip_data.schema.template import case_column, cell_column

Status = Literal["pass", "fail", "unknown", "na"]
STATUS_LABELS: dict[str, str] = {"pass": "通过", "fail": "未通过", "unknown": "无法判断", "na": "不适用"}
_TABLE_LABELS: dict[str, str] = {
    "received": "表三“一、本年新收”",
    "carried_over": "表三“二、上年结转”",
    "closed": "表三“（七）总计”",
    "carried_forward": "表三“四、结转下年度继续办理”",
    "review": "表四行政复议总计",
    "litigation": "表四行政诉讼总计（直接起诉+复议后起诉）",
}
_DATE_LABELS = {"published": "网页发布时间", "signed": "报告落款日期", "file_created": "文件创建日期（文件属性，仅供参考）"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One check of one report: its status and the evidence in words."""

    code: str
    name: str
    status: Status
    evidence: str

    @property
    def status_label(self) -> str:
        """通过 / 未通过 / 无法判断 / 不适用."""
        return STATUS_LABELS[self.status]


_STATUS_OF_VALUE: dict[int, Status] = {PASS: "pass", FAIL: "fail", NOT_APPLICABLE: "na"}


def status_of(value: int | None) -> Status:
    """The status of a scorecard cell."""
    if value is None:
        return "unknown"
    return _STATUS_OF_VALUE[value]


def _d(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def _total(wide: Mapping[str, Any], row: str) -> int | None:
    return wide.get(cell_column(row, "total"))


def _table_value(kind: str, wide: Mapping[str, Any]) -> int | None:
    if kind == "litigation":
        a, b = wide.get(case_column("litigation_direct", "total")), wide.get(case_column("litigation_after_review", "total"))
        return None if a is None or b is None else a + b
    if kind == "review":
        return wide.get(case_column("review", "total"))
    row = {"received": "new_received", "closed": "total"}.get(kind, kind)
    return _total(wide, row)


def said_values(text: str | None) -> list[int]:
    """The stated values of one kind from their stored text (``"12,3"`` → [12, 3])."""
    return [int(v) for v in text.split(",")] if text else []


def _stated_text(kind: str, facts: ReportFacts | None) -> str:
    if facts is None:
        return ""
    quotes = [s for s in facts.stated if s.kind == kind]
    return f"（原文：“{quotes[0].sentence}”）" if quotes else ""


def _narrative(card: Mapping[str, Any], wide: Mapping[str, Any], facts: ReportFacts | None) -> str:
    bad, good = card["narrative_bad"] or 0, card["narrative_ok"] or 0
    parts = []
    for i, kind in enumerate(NARRATIVE_KINDS):
        if not (bad | good) >> i & 1:
            continue
        values = said_values(wide.get(f"fact_said_{kind}"))
        said = "、".join(str(v) for v in values) if values else "?"
        table = _table_value(kind, wide)
        verdict = "不一致" if bad >> i & 1 else "一致"
        if verdict == "一致" and len(values) > 1 and table not in values:
            verdict = f"分项合计{sum(values)}件，一致"
        elif verdict == "一致" and kind == "received" and table not in values:
            verdict = f"与本年新收加上年结转（{table}+{_total(wide, 'carried_over')}件）一致"
        parts.append(f"正文称{STATED_LABELS[kind]}{said}件，{_TABLE_LABELS[kind]}为{table}件，{verdict}"
                     + (_stated_text(kind, facts) if bad >> i & 1 else ""))
    return "；".join(parts) if parts else "正文未写明可与表格对照的件数（或未入库正文信息）"


def _continuity(card: Mapping[str, Any], wide: Mapping[str, Any]) -> str:
    year, this, before = wide.get("year"), _total(wide, "carried_over"), card["prev_forward"]
    if before is None or year is None:  # a known previous report implies a known year
        return f"未入库该机关{year - 1 if year else '上一'}年度报告（或其结转数未知），无法对照"
    relation = "等于" if this == before else "不等于"
    return f"本年“上年结转”{this}件{relation}{year - 1}年度报告“结转下年度继续办理”{before}件"


def _edition(wide: Mapping[str, Any]) -> str:
    year, template = wide.get("year"), wide.get("template")
    if year is None:
        return "报告年度未知"
    expected = "2019" if year <= 2020 else "2021"
    return f"{year}年度报告应使用{expected}版格式，识别为{template}版"


def _sections(card: Mapping[str, Any]) -> str:
    mask = card["sections_mask"]
    if mask is None:
        return "未入库正文信息"
    missing = [f"{'一二三四五六'[k - 1]}、{name}" for k, name in SECTION_NAMES.items() if not mask >> (k - 1) & 1]
    return "六部分齐全" if not missing else "缺少：" + "；".join(missing)


def _timely(card: Mapping[str, Any], wide: Mapping[str, Any]) -> str:
    dated, deadline = card["dated"], card["deadline"]
    if dated is None:
        return "未找到发布时间、落款日期或文件日期"
    source = _DATE_LABELS.get(str(card["dated_by"]), "日期")
    if deadline is None:
        return (f"{source}为{_d(dated)}；机关类型未知，部门截止次年1月31日、政府截止次年3月31日"
                + ("，均已晚于" if card["timely"] == FAIL else "，均不晚于" if card["timely"] == PASS else "，无法判断"))
    relation = "不晚于" if dated <= deadline else "晚于"
    return f"{source}为{_d(dated)}，{relation}截止日期{_d(deadline)}"


def _copied(card: Mapping[str, Any], wide: Mapping[str, Any]) -> str:
    share = card["copy_share"]
    if share is None or card["copied"] is None:
        return f"未入库上一年度报告正文，或任一年少于{MIN_SENTENCES}句，无法比较"
    return (f"约{share:.0%}的句子与{wide.get('year', 0) - 1}年度报告相同（忽略数字差异；"
            f"达到{COPY_SHARE_LIMIT:.0%}视为照抄）")


def _evidence(code: str, card: Mapping[str, Any], wide: Mapping[str, Any], facts: ReportFacts | None) -> str:
    if code == "tables":
        failed = wide.get("failed_checks") or 0
        return "未识别出表三" if card["tables"] is None else (f"{failed}处勾稽关系不成立" if failed else "勾稽关系全部成立")
    if code == "narrative":
        return _narrative(card, wide, facts)
    if code == "continuity":
        return _continuity(card, wide)
    if code == "edition":
        return _edition(wide)
    if code == "sections":
        return _sections(card)
    if code == "table2":
        return {PASS: "含表二", FAIL: "未找到表二"}.get(card["table2"], "未入库正文信息")
    if code == "fee":
        if card["fee"] == NOT_APPLICABLE:
            return f"{FIRST_FEE_YEAR}年度以前的格式不要求"
        return {PASS: "已说明信息处理费收取情况", FAIL: "未见信息处理费收取情况的说明"}.get(card["fee"], "未入库正文信息")
    if code == "timely":
        return _timely(card, wide)
    return _copied(card, wide)


def explain(card: Mapping[str, Any], wide: Mapping[str, Any], facts: ReportFacts | None = None) -> list[Finding]:
    """Every check of one report with its status and evidence (rows as dicts, e.g. ``frame.row(i, named=True)``)."""
    return [
        Finding(code, CHECK_BY_CODE[code].name, status_of(card[code]), _evidence(code, card, wide, facts))
        for code in CHECK_CODES
    ]


def findings_text(overview: Any, worst: Any | None = None, limit: int = 5) -> list[str]:
    """Sentences for a briefing: each check that fails somewhere (from :func:`gip_data.quality.rollup.overview`),
    then the bodies with the lowest scores (from :func:`gip_data.quality.rollup.rank_bodies`, worst first)."""
    lines = []
    for row in overview.iter_rows(named=True):
        if row["fail"]:
            known = row["pass"] + row["fail"]
            lines.append(f"{row['name']}：{row['fail']}份报告未通过（已能判断的{known}份中占{row['fail'] / known:.0%}）")
    if worst is not None:
        for row in worst.head(limit).iter_rows(named=True):
            if row["fails"]:
                lines.append(f"{row['agency']}：质量得分{row['score']:.0%}（{row['fails']}项未通过）")
    return lines

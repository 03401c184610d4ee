"""Check the extracted tables against the arithmetic rules (勾稽关系).

:func:`check_tables` evaluates every hard rule of FORMATS.md (balance,
disposition total, row total, the three table-4 blocks) at every place it
applies and returns one :class:`~gip_data.schema.record.Check` per place.
:data:`RULE_CATALOGUE` names and explains each code for the data-quality page.
:func:`soft_checks` adds warnings that real tables usually, but not always,
satisfy (table 2); they never make a report inconsistent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from gip_data.schema.record import CaseOutcomes, Check, ProactiveItem
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    APPLICANT_COLUMNS,
    CASE_BLOCK_LABELS,
    CASE_BLOCKS,
    OUTCOMES,
    ROW_BY_KEY,
    Row,
)
from gip_data.validate.constraints import (
    Constraint,
    application_constraints,
    case_code,
    case_constraints,
)


class TablesLike(Protocol):
    """What the checker reads: the extractor's output or a stored record."""

    # Read-only members: the checker never assigns them, so a record's dict of lists matches a Mapping of
    # Sequences (a settable protocol attribute would have to match its type exactly).
    @property
    def applications(self) -> Mapping[str, Sequence[int] | None]: ...
    @property
    def review(self) -> CaseOutcomes | None: ...
    @property
    def litigation_direct(self) -> CaseOutcomes | None: ...
    @property
    def litigation_after_review(self) -> CaseOutcomes | None: ...
    @property
    def proactive(self) -> Sequence[ProactiveItem]: ...


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One rule of the catalogue: short Chinese name, description, severity."""

    name: str
    description: str
    severity: str = "error"


RULE_CATALOGUE: dict[str, RuleInfo] = {
    "balance": RuleInfo(
        "收支平衡",
        "每一列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理（表头注明的勾稽关系）。",
    ),
    "disposition-total": RuleInfo(
        "办理结果合计",
        "每一列：（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）（2021版为（六）1–3之和）。",
    ),
    "row-total": RuleInfo(
        "行合计",
        "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。",
    ),
    case_code("review"): RuleInfo("行政复议合计", "行政复议：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。"),
    case_code("litigation_direct"): RuleInfo(
        "直接起诉合计", "未经复议直接起诉：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。"
    ),
    case_code("litigation_after_review"): RuleInfo(
        "复议后起诉合计", "复议后起诉：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。"
    ),
    "proactive-published-within-total": RuleInfo(
        "新公开不超过总数",
        "2019版表二第（一）项：本年新公开数量通常不大于对外公开总数量（提示，不是硬性规则）。",
        "warning",
    ),
    "proactive-valid-covers-new": RuleInfo(
        "现行有效不少于本年制发",
        "2021版表二第（一）项：现行有效件数通常不少于本年制发件数（提示，不是硬性规则）。",
        "warning",
    ),
}


def check_tables(tables: TablesLike, rows: Sequence[Row] | None = None) -> list[Check]:
    """Every hard rule at every place, in a stable order (table 3, then table 4).

    The rules come from the rows' roles (:mod:`gip_data.validate.constraints`):
    ``rows`` when given, else the rows the extractor aligned (``tables.layout``),
    else the built-in rows named by the keys of ``tables.applications``.
    """
    values = tables_to_cells(tables)
    declared = rows or getattr(tables, "layout", None)
    rules = application_constraints(declared or tables.applications.keys())
    if any(getattr(tables, block) is not None for block in CASE_BLOCKS):
        rules += case_constraints()
    return [evaluate(rule, values) for rule in rules]


def tables_to_cells(tables: TablesLike) -> dict[tuple[str, str], int | None]:
    """All cells of tables 3 and 4 by (row, column); None where a row is missing."""
    cells: dict[tuple[str, str], int | None] = {}
    for row, numbers in tables.applications.items():
        for index, column in enumerate(APPLICANT_COLUMNS):
            cells[(row, column)] = None if numbers is None else int(numbers[index])
    for block in CASE_BLOCKS:
        outcomes: CaseOutcomes | None = getattr(tables, block)
        for outcome in OUTCOMES:
            cells[(block, outcome)] = None if outcomes is None else getattr(outcomes, outcome)
    return cells


def evaluate(rule: Constraint, cells: Mapping[tuple[str, str], int | None]) -> Check:
    """The Check for one rule at one place."""
    found_values = [cells.get(c) for c in rule.found]
    expected_values = [cells.get(c) for c in rule.expected]
    if None in found_values or None in expected_values:
        return Check(
            code=rule.code,
            holds=False,
            row=rule.row,
            column=rule.column,
            message=f"{place_label(rule)}：数据缺失，无法核对",
        )
    found = sum(v for v in found_values if v is not None)
    expected = sum(v for v in expected_values if v is not None)
    holds = found == expected
    verdict = "相符" if holds else f"不符：应为 {expected}，表中为 {found}（差 {found - expected:+d}）"
    return Check(
        code=rule.code,
        holds=holds,
        expected=expected,
        found=found,
        row=rule.row,
        column=rule.column,
        message=f"{place_label(rule)}{RULE_CATALOGUE[rule.code].name}{verdict}",
    )


def place_label(rule: Constraint) -> str:
    """Where a rule applies, in Chinese: "（七）总计·自然人：" etc."""
    if rule.table == 4:
        return f"{CASE_BLOCK_LABELS.get(rule.row or '', rule.row)}："
    row = ROW_BY_KEY[rule.row].label if rule.row in ROW_BY_KEY else (rule.row or "")
    column = APPLICANT_COLUMN_LABELS.get(rule.column or "", "")
    return f"{row}·{column}：" if row else f"{column}列："


def soft_checks(tables: TablesLike) -> list[Check]:
    """Warnings from table 2 (never part of the hard checks)."""
    out: list[Check] = []
    for item in tables.proactive:
        values = dict(zip(item.columns, item.values, strict=False))
        published, total = _column_value(values, "新公开"), _column_value(values, "总数量")
        if published is not None and total is not None:
            out.append(_soft("proactive-published-within-total", item, published <= total, total, published))
        issued, valid = _column_value(values, "制发"), _column_value(values, "现行有效")
        if issued is not None and valid is not None:
            out.append(_soft("proactive-valid-covers-new", item, valid >= issued, issued, valid))
    return out


def _column_value(values: Mapping[str, float | int | None], word: str) -> float | None:
    return next((float(v) for k, v in values.items() if word in k and v is not None), None)


def _soft(code: str, item: ProactiveItem, holds: bool, expected: float, found: float) -> Check:
    info = RULE_CATALOGUE[code]
    return Check(
        code=code,
        holds=holds,
        expected=round(expected),
        found=round(found),
        row=item.label,
        message=f"{item.item}·{item.label}：{info.name}{'相符' if holds else '不符（提示）'}",
    )


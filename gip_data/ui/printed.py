"""Tables 2–4 of a record as printed, with a mark on every cell and the failing rules in words.

The layout is :mod:`gip_data.layout`'s (the template's row tree and columns);
this module adds what a reader needs to trust a number: each cell's marks
(:class:`Mark`: printed, repaired by a rule, blank taken as 0, unknown, in a
failing rule, corrected or typed by staff, read by OCR with low confidence),
shown by colour *and* by a symbol after the number so the table reads without
colour; the legend; the failing rules as sentences (which sum, what it should
be, what the table says). It builds pandas frames for ``st.dataframe`` (the
display strings, a Styler) and for ``st.data_editor`` (numbers), and maps a
selected grid position back to its cell. No Streamlit here: tested directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from gip_data.layout import (
    CellKey,
    LayoutRow,
    cell_values,
    column_label,
    columns_of,
    record_table3,
    row_label,
    table3_layout,
    table4_layout,
)
from gip_data.review import LOW_CONFIDENCE
from gip_data.schema.record import AnnualReport, Check, SourceSpan
from gip_data.schema.template import CASE_BLOCKS, PROACTIVE_CONTENT_HEADER, ROW_BY_KEY, TableNumber
from gip_data.validate.constraints import Constraint, application_constraints, case_constraints
from gip_data.validate.rules import RULE_CATALOGUE


class Mark(StrEnum):
    """What is known about a cell's number, most urgent first."""

    FAILING = "failing"
    UNKNOWN = "unknown"
    UNSURE = "unsure"
    CORRECTED = "corrected"
    MANUAL = "manual"
    REPAIRED = "repaired"
    ASSUMED = "assumed"
    PRINTED = "printed"


@dataclass(frozen=True, slots=True)
class MarkStyle:
    """How a mark shows: its name, the symbol after the number, a Streamlit colour and the cell background."""

    label: str
    symbol: str
    colour: str
    background: str
    meaning: str


MARK_STYLES: dict[Mark, MarkStyle] = {
    Mark.FAILING: MarkStyle("勾稽不符", "×", "red", "#ffcdd2", "所在的勾稽规则不成立（原件可能有误，见右侧说明）"),
    Mark.UNKNOWN: MarkStyle("未读出", "？", "orange", "#ffe0b2", "原件中未能读出这个数"),
    Mark.UNSURE: MarkStyle("识别存疑", "≈", "violet", "#ede7f6", f"OCR 识别置信度低于 {LOW_CONFIDENCE:.0%}"),
    Mark.CORRECTED: MarkStyle("人工更正", "✎", "blue", "#d6eaff", "工作人员更正过，原解析值见来源说明"),
    Mark.MANUAL: MarkStyle("人工录入", "✍", "green", "#e3f4e4", "工作人员对照原件录入"),
    Mark.REPAIRED: MarkStyle("按规则补全", "△", "orange", "#fff3c4", "原件空白或缺失，由勾稽关系唯一确定"),
    Mark.ASSUMED: MarkStyle("空白按0", "○", "gray", "#eceff1", "原件空白，按0处理"),
    Mark.PRINTED: MarkStyle("原文数字", "", "gray", "", "与原件所印一致"),
}
UNKNOWN_TEXT = "？"


@dataclass(frozen=True, slots=True)
class CellView:
    """One cell as shown: value, marks (most urgent first), notes in words, where it was printed."""

    key: CellKey
    value: int | None
    marks: tuple[Mark, ...]
    notes: tuple[str, ...] = ()
    source: SourceSpan | None = None

    @property
    def text(self) -> str:
        """The number with the symbols of its marks (``？`` for an unknown number)."""
        symbols = "".join(MARK_STYLES[m].symbol for m in self.marks if m is not Mark.UNKNOWN)
        shown = UNKNOWN_TEXT if self.value is None else str(self.value)
        return f"{shown} {symbols}" if symbols else shown

    @property
    def background(self) -> str:
        """The background of the most urgent mark that has one."""
        return next((MARK_STYLES[m].background for m in self.marks if MARK_STYLES[m].background), "")


def constraints_of(record: AnnualReport) -> dict[tuple[str, str | None, str | None], Constraint]:
    """The rules the checker applies to this record, by (code, row, column) as its checks name them."""
    rules = application_constraints(record.applications.keys())
    if any(getattr(record, block) is not None for block in CASE_BLOCKS):
        rules += case_constraints()
    return {(r.code, r.row, r.column): r for r in rules}


def _table_of(rule: Constraint, cell: tuple[str, str]) -> TableNumber:
    return 4 if rule.table == 4 or cell[0] in CASE_BLOCKS else 3


def _failing_cells(record: AnnualReport) -> dict[CellKey, list[str]]:
    rules = constraints_of(record)
    out: dict[CellKey, list[str]] = {}
    for check in record.failed_checks:
        rule = rules.get((check.code, check.row, check.column))
        if rule is None:
            continue
        for cell in rule.cells:
            out.setdefault((_table_of(rule, cell), *cell), []).append(RULE_CATALOGUE[check.code].name)
    return out


def fixing_rules(record: AnnualReport, key: CellKey, filled: set[CellKey]) -> list[str]:
    """The rules that fix a filled cell: those holding rules it is in whose other cells were all printed."""
    holds = {(c.code, c.row, c.column) for c in record.checks if c.holds}
    names = []
    for place, rule in constraints_of(record).items():
        cells = {(_table_of(rule, c), *c) for c in rule.cells}
        if place in holds and key in cells and not (cells - {key}) & filled:
            names.append(RULE_CATALOGUE[rule.code].name)
    return list(dict.fromkeys(names))


def _repair_note(record: AnnualReport, key: CellKey, reason: str, filled: set[CellKey]) -> str:
    rules = fixing_rules(record, key, filled)
    if rules:
        return f"按规则补全：由{'、'.join(rules)}确定（原件此处空白或缺失）"
    return f"按规则补全（{_rule_name(reason)}）"


def cell_views(record: AnnualReport) -> dict[CellKey, CellView]:
    """Every printed cell of tables 3 and 4 with its marks and notes."""
    failing = _failing_cells(record)
    repairs = {(r.table, r.row, r.column): r for r in record.repairs}
    filled = set(repairs) | {(z.table, z.row, z.column) for z in record.assumed_zero}
    zeros = {(z.table, z.row, z.column) for z in record.assumed_zero}
    corrected = {(c.table, c.row, c.column): c for c in record.corrections}
    sources = {(s.table, s.row, s.column): s.source for s in record.provenance}
    views: dict[CellKey, CellView] = {}
    for key, value in cell_values(record).items():
        marks: list[Mark] = []
        notes: list[str] = []
        source = sources.get(key)
        if key in failing:
            marks.append(Mark.FAILING)
            notes.append("所在规则不成立：" + "、".join(dict.fromkeys(failing[key])))
        if value is None:
            marks.append(Mark.UNKNOWN)
        if source is not None and source.confidence is not None and source.confidence < LOW_CONFIDENCE:
            marks.append(Mark.UNSURE)
            notes.append(f"OCR 置信度 {source.confidence:.0%}")
        if key in corrected:
            fix = corrected[key]
            marks.append(Mark.CORRECTED)
            notes.append(f"人工更正：解析值 {'未读出' if fix.parsed is None else fix.parsed} → {_shown(fix.value)}")
        elif record.manual_entry and value is not None and key not in zeros:
            marks.append(Mark.MANUAL)
        if key in repairs:
            marks.append(Mark.REPAIRED)
            notes.append(_repair_note(record, key, repairs[key].reason, filled))
        if key in zeros:
            marks.append(Mark.ASSUMED)
        if not any(m in marks for m in (Mark.UNKNOWN, Mark.CORRECTED, Mark.MANUAL, Mark.REPAIRED, Mark.ASSUMED)):
            marks.append(Mark.PRINTED)
        views[key] = CellView(key, value, tuple(sorted(marks, key=list(Mark).index)), tuple(notes), source)
    return views


def _rule_name(reason: str) -> str:
    """A repair's reason in words (a rule code, or already words)."""
    info = RULE_CATALOGUE.get(reason)
    return info.name if info else reason


def _shown(value: int | None) -> str:
    return UNKNOWN_TEXT if value is None else str(value)


# -- the grids --------------------------------------------------------------------------------------------------

LABEL_COLUMNS: dict[int, tuple[str, ...]] = {1: ("项目",), 2: ("类别", "项目"), 3: ("栏目", "分项", "项目")}


def layout_of(record: AnnualReport, table: int) -> tuple[LayoutRow, ...]:
    """The rows a record's table 3 (its edition's) or table 4 prints."""
    return record_table3(record) if table == 3 else table4_layout()


def _label_cells(row: LayoutRow, depth: int) -> list[str]:
    """The row's label columns as printed: group labels where the group opens, the own label after them."""
    cells = [g if opens else "" for g, opens in zip(row.path, row.opens, strict=True)]
    cells.append(row.label)
    return cells + [""] * (depth - len(cells))


@dataclass(frozen=True, slots=True)
class Grid:
    """One table as a grid: the frame shown, and which cell each (row position, column name) is."""

    table: TableNumber
    frame: pd.DataFrame
    cells: dict[tuple[int, str], CellKey] = field(default_factory=dict)
    label_columns: tuple[str, ...] = ()

    def cell_at(self, row: int, column: str) -> CellKey | None:
        """The cell shown at a selected position (None for a label column)."""
        return self.cells.get((row, column))

    def position_of(self, key: CellKey) -> tuple[int, str] | None:
        """Where a cell stands in the grid."""
        return next((pos for pos, k in self.cells.items() if k == key), None)


def _grid(rows: tuple[LayoutRow, ...], table: TableNumber, value: Mapping[CellKey, object]) -> Grid:
    depth = max(len(r.path) for r in rows) + 1
    labels = LABEL_COLUMNS[depth]
    records, cells = [], {}
    for i, row in enumerate(rows):
        entry: dict[str, object] = dict(zip(labels, _label_cells(row, depth), strict=True))
        for column in columns_of(table):
            name = column_label(table, column)
            entry[name] = value.get((table, row.key, column))
            cells[(i, name)] = (table, row.key, column)
        records.append(entry)
    return Grid(table, pd.DataFrame(records), cells, labels)


def display_grid(record: AnnualReport, table: TableNumber, views: Mapping[CellKey, CellView] | None = None) -> Grid:
    """Table 3 or 4 as printed, each number followed by the symbols of its marks."""
    views = views if views is not None else cell_views(record)
    return _grid(layout_of(record, table), table, {k: v.text for k, v in views.items()})


def styled(grid: Grid, views: Mapping[CellKey, CellView]) -> pd.io.formats.style.Styler:
    """The grid's frame painted by the most urgent mark of each cell."""

    def paint(frame: pd.DataFrame) -> pd.DataFrame:
        colours = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for (row, column), key in grid.cells.items():
            view = views.get(key)
            if view is not None and view.background:
                colours.loc[row, column] = f"background-color: {view.background}"
        return colours

    return grid.frame.style.apply(paint, axis=None)


def editor_grid(record: AnnualReport, table: TableNumber, values: Mapping[CellKey, int | None] | None = None) -> Grid:
    """Table 3 or 4 as numbers for an editor (nullable integers), laid out as printed."""
    values = values if values is not None else cell_values(record)
    grid = _grid(layout_of(record, table), table, values)
    numeric = [c for c in grid.frame.columns if c not in grid.label_columns]
    frame = grid.frame.astype({c: "Int64" for c in numeric})
    return Grid(table, frame, grid.cells, grid.label_columns)


def blank_editor_grid(template: int, table: TableNumber) -> Grid:
    """An empty grid of an edition's table 3 or of table 4 (manual entry)."""
    rows = table3_layout(template == 2021) if table == 3 else table4_layout()
    grid = _grid(rows, table, {})
    numeric = [c for c in grid.frame.columns if c not in grid.label_columns]
    return Grid(table, grid.frame.astype({c: "Int64" for c in numeric}), grid.cells, grid.label_columns)


def values_of(grid: Grid, frame: pd.DataFrame) -> dict[CellKey, int | None]:
    """The cells of an edited frame (same shape as ``grid.frame``); blank → None."""
    out: dict[CellKey, int | None] = {}
    for (row, column), key in grid.cells.items():
        value = frame.iloc[row][column]
        out[key] = None if value is None or pd.isna(value) else int(value)
    return out


# -- table 2 ----------------------------------------------------------------------------------------------------


def proactive_frames(record: AnnualReport) -> list[tuple[str, pd.DataFrame]]:
    """Table 2 as printed: one small table per item (第二十条第（一）项 …) with its own columns; blank → —."""
    blocks: dict[str, list[dict[str, object]]] = {}
    for item in record.proactive:
        row: dict[str, object] = {PROACTIVE_CONTENT_HEADER: item.label}
        row.update({c: "—" if v is None else _number(v) for c, v in zip(item.columns, item.values, strict=False)})
        blocks.setdefault(item.item, []).append(row)
    return [(item, pd.DataFrame(rows)) for item, rows in blocks.items()]


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- the rules in words -----------------------------------------------------------------------------------------

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


def _short_row(row: str) -> str:
    """A row by its printed numbering (（三）1., （七）, 四), or its label where it has none."""
    spec = ROW_BY_KEY[row]
    own = _NUMBERING.match(spec.label)
    inner = spec.group if spec.group and spec.group.startswith("（") else ""
    group = _NUMBERING.match(inner) if inner else None
    if own:
        return ((group.group(0) if group else "") + own.group(0)).rstrip("、")
    return spec.label


def _part_name(rule: Constraint, cell: tuple[str, str]) -> str:
    """A cell named within its rule: by column within a row's rule, by row within a column's rule."""
    table = _table_of(rule, cell)
    if rule.code == "row-total" or table == 4:
        return column_label(table, cell[1])
    return _short_row(cell[0])


_NOTE = re.compile(r"（[^（）]*[，、][^（）]*）$")  # a trailing explanatory note: （区分处理的，只计这一情形…）


def _sum_phrase(rule: Constraint, cells: tuple[tuple[str, str], ...]) -> str:
    """The cells of one side of a rule: one cell by its label, a few joined by ＋, many as a range."""
    if len(cells) == 1:
        table, (row, column) = _table_of(rule, cells[0]), cells[0]
        if rule.code == "row-total" or table == 4:
            return column_label(table, column)
        return _NOTE.sub("", row_label(3, row))
    names = [_part_name(rule, c) for c in cells]
    if len(names) <= 4:
        return "＋".join(names)
    return f"{names[0]}至{names[-1]} 共{len(names)}项之和"


def signed(number: int) -> str:
    """A difference with its sign (+2, −1: the minus sign, not a hyphen Markdown would take for a list)."""
    return f"+{number}" if number > 0 else f"−{-number}" if number < 0 else "0"


def rule_place(rule: Constraint) -> str:
    """Where a rule applies, in the template's words."""
    if rule.table == 4 or rule.row in CASE_BLOCKS:
        return row_label(4, rule.row or "")
    if rule.code == "row-total" and rule.row:
        return _NOTE.sub("", row_label(3, rule.row))
    return f"{column_label(3, rule.column or '')}列"


@dataclass(frozen=True, slots=True)
class RuleSentence:
    """One failing rule in words, with the cells it reads."""

    title: str
    detail: str
    cells: tuple[CellKey, ...]


def rule_sentence(check: Check, rule: Constraint) -> RuleSentence:
    """``行合计不成立 · （一）予以公开`` and ``总计 应等于 自然人至其他共6项之和（应为 12），表中为 11，差 −1``."""
    title = f"{RULE_CATALOGUE[check.code].name}不成立 · {rule_place(rule)}"
    cells = tuple((_table_of(rule, c), *c) for c in rule.cells)
    total, parts = _sum_phrase(rule, rule.found), _sum_phrase(rule, rule.expected)
    if check.expected is None or check.found is None:
        return RuleSentence(title, f"{total} 应等于 {parts}：其中有未读出的数，无法核对。", cells)
    gap = check.found - check.expected
    named = parts if len(rule.expected) <= 2 else "各项之和"
    detail = f"{total} 应等于 {parts}。{named}为 {check.expected}，表中{total}为 {check.found}，相差 {signed(gap)}。"
    return RuleSentence(title, detail, cells)


def failing_rules(record: AnnualReport, checks: Iterable[Check] | None = None) -> list[RuleSentence]:
    """Every failing rule of the record (or of ``checks``, e.g. a draft's) as a sentence."""
    rules = constraints_of(record)
    chosen = record.failed_checks if checks is None else [c for c in checks if not c.holds]
    return [rule_sentence(c, rules[(c.code, c.row, c.column)]) for c in chosen if (c.code, c.row, c.column) in rules]


def legend(marks: Iterable[Mark] | None = None) -> list[tuple[Mark, MarkStyle]]:
    """The marks to explain (all by default), most urgent first."""
    chosen = set(marks) if marks is not None else set(Mark)
    return [(m, MARK_STYLES[m]) for m in Mark if m in chosen]

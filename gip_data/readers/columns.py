"""Column-layout text read as fixed columns (``pdftotext -layout``, a viewer's copy, fixed-width exports).

In such text a blank cell leaves nothing, so a row of table 3 shows fewer
numbers than it has columns and only their horizontal position says which
column each belongs to. This reading finds table 3's seven columns from the
rows that print all seven numbers (else from the header words 自然人 … 总计),
measured both in characters (what ``pdftotext -layout`` pads with) and in
display cells (a CJK character is two wide, what a monospace viewer pads with);
the measure under which the full rows line up best is used. Every row of the
table with fewer numbers then becomes a grid row of seven cells, each number in
the column whose centre stands nearest above it, the others blank. A row whose
numbers cannot be placed one per column stays as printed.

The wrapped label of a row may carry the numbers on its first or a middle
line; each line keeps its own label text, so the extractor still reads the
label pieces in order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from statistics import median

from gip_data.readers.document import Block, Origin, Table
from gip_data.schema.template import APPLICANT_COLUMN_LABELS, APPLICANT_COLUMNS, APPLICATION_WIDTH

WIDTH = APPLICATION_WIDTH  # table 3's value columns: 自然人, five 法人或其他组织 kinds, 总计
# Each column's header word, and its first half where a narrow header wraps it (商业/企业).
HEADER_WORDS: tuple[tuple[str, ...], ...] = tuple(
    (label, label[: len(label) - 2]) if len(label) >= 4 else (label,)
    for label in (APPLICANT_COLUMN_LABELS[c] for c in APPLICANT_COLUMNS)
)
_VALUE = re.compile(r"^(?:\d[\d,]*(?:\.\d+)?|[-—–/／]|无)$")
_START = ("收到和处理政府信息公开申请", "勾稽关系", "申请人情况")
_END = ("行政复议", "存在的主要问题")
MIN_FULL_ROWS = 1
MAX_OFFSET = 3.0  # display cells a number may stand off its column's centre


@dataclass(slots=True)
class _Row:
    """One text line split into its label part and its trailing values (with spans)."""

    number: int  # 1-based line of the text
    raw: str
    label: str
    label_end: int
    values: list[tuple[str, int, int]]  # (text, start, end) in the raw line


def column_layout(lines: list[tuple[int, str]], blocks: list[Block]) -> list[Block] | None:
    """``blocks`` (one per text line, same order) with table 3's short rows as 7-cell grid rows.

    ``lines`` holds (line number, raw text) of every non-blank line, parallel
    to ``blocks``. None when the text has no column layout to read.
    """
    zone = _table_zone(lines)
    if zone is None or not any("  " in raw or "\u3000" in raw for _n, raw in lines[zone[0] : zone[1]]):
        return None
    assert zone is not None
    rows = {i: _split(number, raw) for i, (number, raw) in enumerate(lines) if zone[0] <= i < zone[1]}
    centres = _centres([r for r in rows.values() if r is not None], lines[zone[0] : zone[1]])
    if centres is None:
        return None
    measure, centre = centres
    out = list(blocks)
    changed = False
    for i, row in rows.items():
        if row is None or not 0 < len(row.values) < WIDTH:
            continue
        placed = _place(row, measure, centre)
        if placed is not None:
            out[i] = placed
            changed = True
    return out if changed else None


def _table_zone(lines: list[tuple[int, str]]) -> tuple[int, int] | None:
    """Indices of the lines from table 3's heading or header to table 4's heading."""
    start = next((i for i, (_, raw) in enumerate(lines) if any(w in raw for w in _START)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if any(w in lines[i][1] for w in _END)), len(lines))
    return start, end


def _split(number: int, raw: str) -> _Row | None:
    """The line's label and its run of trailing value tokens (None when it has none)."""
    parts = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", raw)]
    values: list[tuple[str, int, int]] = []
    while parts and _VALUE.match(unicodedata.normalize("NFKC", parts[-1][0])):
        values.insert(0, parts.pop())
    if not values:
        return None
    label_end = parts[-1][2] if parts else 0
    if parts and raw[label_end : values[0][1]].count(" ") < 2 and "\u3000" not in raw[label_end : values[0][1]]:
        return None  # a number glued to prose ("共 3 件"), not a column
    label = raw[:label_end].strip()
    if not label and len(values) <= 3 and any(not v[0][0].isdigit() for v in values):
        return None  # a page footer ("- 3 -"), not a row
    return _Row(number, raw, label, label_end, values)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _position(raw: str, start: int, end: int, measure: str) -> float:
    """Centre of raw[start:end] in characters or display cells."""
    if measure == "chars":
        return (start + end) / 2
    left = _width(raw[:start])
    return left + _width(raw[start:end]) / 2


def _centres(rows: list[_Row], lines: list[tuple[int, str]]) -> tuple[str, list[float]] | None:
    """The measure and the seven column centres under which the table's numbers line up best.

    Centres come from the rows that print all seven numbers (the median per
    column), else from the header words; each measure is judged by how far the
    numbers of every row of the table stand from their nearest centre.
    """
    full = [r for r in rows if len(r.values) == WIDTH]
    best: tuple[float, str, list[float]] | None = None
    for measure in ("chars", "cells"):
        if len(full) >= MIN_FULL_ROWS:
            columns = [[_position(r.raw, s, e, measure) for _t, s, e in r.values] for r in full]
            centre: list[float] | None = [median(c[k] for c in columns) for k in range(WIDTH)]
        else:
            centre = _header_centres(lines, measure)
        if centre is None:
            continue
        spread = _misfit(rows, measure, centre)
        if best is None or spread < best[0]:
            best = (spread, measure, centre)
    return (best[1], best[2]) if best else None


def _misfit(rows: list[_Row], measure: str, centre: list[float]) -> float:
    """Mean distance of the table's numbers from their nearest column centre."""
    gaps = [min(abs(c - _position(r.raw, s, e, measure)) for c in centre) for r in rows for _t, s, e in r.values]
    return sum(gaps) / len(gaps) if gaps else 0.0


def _header_centres(lines: list[tuple[int, str]], measure: str) -> list[float] | None:
    """Column centres from the header words (the first line naming each), when all seven are found."""
    centre: list[float] = []
    for words in HEADER_WORDS:
        spot = None
        for _number, raw in lines[:12]:
            for word in words:
                at = raw.find(word)
                if at >= 0 and (word != "其他" or "其他组织" not in raw[at : at + 4]):
                    spot = _position(raw, at, at + len(word), measure)
                    break
            if spot is not None:
                break
        if spot is None:
            return None
        centre.append(spot)
    return centre if centre == sorted(centre) else None


def _place(row: _Row, measure: str, centre: list[float]) -> Table | None:
    """The row as label + 7 cells with each number under its column, or None when it does not fit."""
    gaps = [min(centre[k + 1] - centre[k] for k in range(WIDTH - 1)) / 2, MAX_OFFSET]
    tolerance = max(gaps)
    cells = [""] * WIDTH
    origins = [Origin(line=row.number, start=row.label_end, end=row.label_end)] * WIDTH
    last = -1
    for text, start, end in row.values:
        spot = _position(row.raw, start, end, measure)
        column = min(range(WIDTH), key=lambda k: abs(centre[k] - spot))
        if column <= last or abs(centre[column] - spot) > tolerance:
            return None
        cells[column] = text
        origins[column] = Origin(line=row.number, start=start, end=end)
        last = column
    label_cells = [row.label] if row.label else []
    label_origins = [Origin(line=row.number, start=0, end=row.label_end)] if row.label else []
    return Table([label_cells + cells], exact_columns=True, origins=[label_origins + origins])

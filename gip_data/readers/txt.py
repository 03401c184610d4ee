"""TXT reader: decoded text → one :class:`Line` per non-blank text line, read up to three ways.

Plain-text reports come from copy-paste, Word "save as text", crawlers,
``pdftotext -layout`` and converters that write markdown. Their table rows keep
whatever separated the cells, so a line is split on the first separator kind it
has, in this order:

- pipes (``a | b | c |``): the cells as printed, stripped; trailing empty cells
  (the padding of ``| |||``) are dropped, interior and leading ones kept because
  they hold a column position;
- tabs (Word's text export): same rule, except that a lone cell indented by
  tabs loses its indentation;
- runs of two or more spaces (``pdftotext -layout`` columns);
- otherwise the whole line is one cell.

Every cell keeps its origin: the 1-based line of the decoded text and the
character span of the cell in it. Only whitespace is normalised (NBSP and
ideographic space become a plain space); label normalisation belongs to the
extractor.

:func:`txt_readings` yields the readings the parse chooses from:

1. ``lines``: every line as above;
2. ``table-rows`` (yielded first where it applies), for converter markdown whose tables carry value rows without
   labels: the text lines inside table 3 (label fragments pushed out of the
   table, page footers, stray numbers) are left out, so the rows of the tables
   alone say where each value row stands; headings stay;
3. ``columns``, for column-layout text: table 3's rows with fewer numbers than
   columns placed by position (:mod:`gip_data.readers.columns`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gip_data.readers._encoding import bytes_to_text
from gip_data.readers.columns import column_layout
from gip_data.readers.document import Block, Document, Line, Origin

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

_SPACES = str.maketrans({"\u00a0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u200b": ""})
_LAYOUT_GAP = re.compile(r" {2,}")
# Word's "save as text" leaves bookmark markers such as "[bookmark: _GoBack]".
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_VALUE_CELL = re.compile(r"^\s*\d[\d,]*(?:\.\d+)?\s*$")
_HEADING = re.compile(r"^\s*(?:#+\s|[一二三四五六七八九十]+、)")
MIN_VALUE_ROWS = 2
_TABLE3_WORDS = ("收到和处理政府信息公开申请", "勾稽关系")
_TABLE4_WORDS = ("行政复议",)
Cell = tuple[str, int, int]  # (text, start, end) in the raw line


def read_txt(data: bytes, source: str, limits: ReadLimits) -> Document:
    """Decode ``data`` and split every non-blank line into cells (the ``lines`` reading)."""
    _kept, blocks = _split_text(data, source)
    return Document(format="txt", blocks=blocks, reading="lines")


def txt_readings(data: bytes, source: str, limits: ReadLimits) -> Iterator[Document]:
    """Every reading of the text (module docstring).

    Where a converter's tables hold value rows without labels, the table rows
    are read first: the labels it pushed out of its tables stand in the wrong
    places, and a wrong order among the disposition rows breaks no sum, so a
    tie must not go to them. Otherwise the lines come first, the columns last.
    """
    kept, blocks = _split_text(data, source)
    rows = _table_rows(kept, blocks)
    if rows is not None:
        yield Document(format="txt", blocks=rows, reading="table-rows")
    yield Document(format="txt", blocks=blocks, reading="lines")
    columns = column_layout([(n, raw) for n, raw, _cells in kept], blocks)
    if columns is not None:
        yield Document(format="txt", blocks=columns, reading="columns")


def _split_text(data: bytes, source: str) -> tuple[list[tuple[int, str, list[Cell]]], list[Block]]:
    """The decoded text's non-blank lines (number, raw text, cells) and their Lines."""
    text, _encoding = bytes_to_text(data, source)
    split = [(n, raw, line_cells(raw)) for n, raw in enumerate(text.splitlines(), 1)]
    kept = [(n, raw, cells) for n, raw, cells in split if cells]
    return kept, [_line(n, cells) for n, _raw, cells in kept]


def text_to_lines(text: str) -> list[Line]:
    """Each non-blank line of ``text`` as a Line of cells (see module doc)."""
    lines: list[Line] = []
    for number, raw in enumerate(text.splitlines(), 1):
        cells = line_cells(raw)
        if cells:
            lines.append(_line(number, cells))
    return lines


def _line(number: int, cells: list[Cell]) -> Line:
    return Line([c for c, _s, _e in cells], origins=[Origin(line=number, start=s, end=e) for _c, s, e in cells])


def line_to_cells(raw: str) -> list[str]:
    """One text line split on its separators; [] for a blank or rule line."""
    return [cell for cell, _start, _end in line_cells(raw)]


def line_cells(raw: str) -> list[Cell]:
    """One text line split on its separators, each cell with its span in ``raw``."""
    line, index = _cleaned(raw)
    stripped = line.strip()
    if not stripped or _MARKDOWN_RULE.match(stripped):
        return []
    if "|" in line:
        lead = len(line) - len(line.lstrip())
        # A leading pipe is markdown framing, not an empty first column.
        body_start = lead + 1 if stripped.startswith("|") else lead
        cells = _split_on(line, body_start, re.compile(r"\|"))
    elif "\t" in line:
        cells = _split_on(line, 0, re.compile(r"\t"))
    else:
        cells = _split_on(line, len(line) - len(line.lstrip()), _LAYOUT_GAP)
    return [(text, index[start], index[end - 1] + 1 if end > start else index[start]) for text, start, end in _trimmed(cells)]


def _cleaned(raw: str) -> tuple[str, list[int]]:
    """The line with spaces unified and bookmarks removed, and where each character came from."""
    out: list[str] = []
    index: list[int] = []
    removed = {m.start(): m.end() for m in _BOOKMARK.finditer(raw)}
    i = 0
    while i < len(raw):
        if i in removed:
            i = removed[i]
            continue
        ch = raw[i].translate(_SPACES)
        if ch:
            out.append(ch)
            index.append(i)
        i += 1
    index.append(len(raw))
    text = "".join(out).rstrip()
    return text, index[: len(text) + 1]


def _split_on(line: str, start: int, separator: re.Pattern[str]) -> list[Cell]:
    """Cells of ``line[start:]`` between separators, each stripped, with their spans."""
    cells: list[Cell] = []
    position = start
    for match in separator.finditer(line, start):
        cells.append(_strip(line, position, match.start()))
        position = match.end()
    cells.append(_strip(line, position, len(line)))
    return cells


def _strip(line: str, start: int, end: int) -> Cell:
    piece = line[start:end]
    lead = len(piece) - len(piece.lstrip())
    text = piece.strip()
    return text, start + lead, start + lead + len(text)


def _trimmed(cells: list[Cell]) -> list[Cell]:
    """Drop trailing empty cells, and leading ones when a single cell remains."""
    while cells and not cells[-1][0]:
        cells.pop()
    if sum(1 for c in cells if c[0]) == 1:
        return [c for c in cells if c[0]]
    return cells


def _table_rows(kept: list[tuple[int, str, list[Cell]]], blocks: list[Block]) -> list[Block] | None:
    """The ``table-rows`` reading: text lines inside table 3 left out (module doc).

    Table 3 runs from its heading or header (收到和处理政府信息公开申请 …) to
    table 4's heading; without them, from the first to the last row of values.
    Inside, only the tables' rows and headings stay: label fragments pushed out
    of the table, page footers and stray numbers go. Only for text whose pipe
    tables hold value rows without a label; None otherwise.
    """
    value_rows = [i for i, (_n, raw, cells) in enumerate(kept) if "|" in raw and _all_values(cells)]
    if len(value_rows) < MIN_VALUE_ROWS:
        return None
    start = next((i for i, (_n, raw, _c) in enumerate(kept) if any(w in raw for w in _TABLE3_WORDS)), None)
    if start is None or start > value_rows[0]:
        start = value_rows[0]
    end = next((i for i in range(start + 1, len(kept)) if any(w in kept[i][1] for w in _TABLE4_WORDS)), None)
    end = end if end is not None and end > value_rows[-1] else value_rows[-1]
    dropped = {i for i in range(start + 1, end) if "|" not in kept[i][1] and not _HEADING.match(kept[i][1])}
    if not dropped:
        return None
    return [block for i, block in enumerate(blocks) if i not in dropped]


def _all_values(cells: list[Cell]) -> bool:
    texts = [c for c, _s, _e in cells if c]
    return len(texts) >= 2 and all(_VALUE_CELL.match(c) for c in texts)


def _has_value(cells: list[Cell]) -> bool:
    return any(_VALUE_CELL.match(c) for c, _s, _e in cells)

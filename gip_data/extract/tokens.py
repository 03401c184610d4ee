"""Document → one flat stream of label and number tokens in reading order.

Every block becomes a run of tokens: a Line's cells and a Table row's cells are
read left to right, and the text inside a cell is cut into label pieces and
numbers, so a row printed as ``…数量211001023`` or ``…信息1100001122.没有…``
gives a label, a digit run and (for the latter) the next label with its
``2.`` enumerator restored. Page footers are dropped. Blank cells become
``unknown`` tokens only where they hold a column position: between numbers of a
text line, or after the last label cell of a real grid row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from gip_data.extract.normalize import is_placeholder, label_core, nfkc
from gip_data.readers.document import Document, Line

TokenKind = Literal["label", "number", "unknown", "blank"]

_FOOTER = re.compile(
    r"^(?:[-—–_~·\s]*\d{1,4}[-—–_~·\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
_FOOTER_DASH = re.compile(r"[-—–_~·]")
_NUM = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_OPEN = "([【〔<《"
_CLOSE = ")]】〕>》"
# A number glued to one of these is prose ("2020年", "16件"), not a table cell.
_PROSE_UNITS = "年月日件个人次条项家%号页岁"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")
_PLAIN_NUMBER = re.compile(r"^\d+(?:,\d{3})*(?:\.\d+)?$")
# U+FFFD stands for a character the reader could not read (OCR: an unsure digit);
# a number holding one is an unknown cell, unreadable rather than blank.
UNREADABLE = "\ufffd"
_UNREADABLE_NUMBER = re.compile(r"^[\d,.\ufffd]*\ufffd[\d,.\ufffd]*$")


@dataclass(slots=True)
class Token:
    """One piece of the stream: a label, a printed number, or an unknown cell.

    ``blank`` marks an empty grid cell in a row without any number: a row of
    table 3 printed all blank (``&nbsp;`` for zero) or a header row; only the
    table-3 assignment uses it, as unknown cells of a row that has no others.
    """

    kind: TokenKind
    text: str
    line: int
    core: str = ""
    value: int | float | None = None
    digits: str = ""  # the digit string when the number is a bare run (no sign/sep)

    @property
    def unreadable(self) -> bool:
        """An unknown cell whose digits were printed but could not be read (see ``UNREADABLE``)."""
        return self.kind == "unknown" and UNREADABLE in self.text

    @property
    def is_value(self) -> bool:
        """True for tokens that fill a table cell (a number or an unknown)."""
        return self.kind in ("number", "unknown")


def is_footer(text: str) -> bool:
    """Page footers such as "- 3 -", "— 12 —", "第3页", "3/12"."""
    text = nfkc(text).strip()
    if not text or not _FOOTER.match(text):
        return False
    # A bare number is a table cell, not a footer: demand a dash or a word.
    return bool(_FOOTER_DASH.search(text)) or not text.isdigit()


def document_to_tokens(doc: Document) -> list[Token]:
    """The whole document as one token stream (see module docstring)."""
    tokens: list[Token] = []
    line_no = 0
    for block in doc.blocks:
        rows = (
            [block.cells] if isinstance(block, Line) else block.rows if block.exact_columns else _trim_grid(block.rows)
        )
        grid = not isinstance(block, Line)
        for cells in rows:
            if not grid and is_footer(" ".join(cells)):
                continue
            tokens.extend(row_to_tokens(cells, line_no, grid))
            line_no += 1
    return tokens


def _trim_grid(rows: list[list[str]]) -> list[list[str]]:
    """Drop grid columns that are empty in every row, at the right edge."""
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or not r[width - 1].strip() for r in rows):
        width -= 1
    return [r[:width] for r in rows]


def row_to_tokens(cells: list[str], line: int, grid: bool) -> list[Token]:
    """Tokens of one text line or grid row, with blank cells placed (module doc)."""
    per_cell = [cell_to_tokens(cell, line) for cell in cells]
    last_label = max((i for i, toks in enumerate(per_cell) if any(t.kind == "label" for t in toks)), default=-1)
    out: list[Token] = []
    for index, toks in enumerate(per_cell):
        if toks or index <= last_label:
            out.extend(toks)
            continue
        if grid and not _has_value(per_cell, "unknown"):
            out.append(Token("blank", "", line))
        elif grid or (_has_value(per_cell[index + 1 :]) and _has_value(per_cell[last_label + 1 : index])):
            out.append(Token("unknown", "", line))
    return _drop_covered_blanks(out) if grid else out


def _has_value(cells: list[list[Token]], also: str = "number") -> bool:
    """True when a cell holds a number (or, with ``also="unknown"``, a placeholder such as '—')."""
    return any(t.kind in ("number", also) for toks in cells for t in toks)


def _drop_covered_blanks(tokens: list[Token]) -> list[Token]:
    """In a grid, blanks right after the label are merged-cell cover unless needed.

    A row of table 3 has 7 value cells and table 4 has 15; extra leading blanks
    beyond those widths are the cells a colspan label covered.
    """
    start = max((i for i, t in enumerate(tokens) if t.kind == "label"), default=-1) + 1
    values = tokens[start:]
    while len(values) > 7 and len(values) != 15 and values[0].kind in ("unknown", "blank") and not values[0].text:
        values = values[1:]
    return tokens[:start] + values


def cell_to_tokens(cell: str, line: int) -> list[Token]:
    """Cut one cell into label pieces and numbers (module docstring)."""
    text = nfkc(cell).strip()
    if not text:
        return []
    if is_placeholder(text) or _UNREADABLE_NUMBER.match(text):
        return [Token("unknown", text, line)]
    if _PLAIN_NUMBER.match(text):
        return [_number_token(text, line)]
    if not _DIGIT.search(text):
        # Most cells are prose or labels without digits: one label token.
        core = label_core(text)
        return [Token("label", text, line, core=core)] if core else []
    out: list[Token] = []
    label: list[str] = []
    depth = 0
    pos = 0
    for match in _NUM.finditer(text):
        between = text[pos : match.start()]
        depth = _bracket_depth(between, depth)
        label.append(between)
        pos = match.end()
        kind, number, enumerator = _classify_number(text, match, depth)
        if kind == "label":
            label.append(match.group())
            continue
        if number:
            sign = _sign_before(label)
            _flush_label(label, out, line)
            out.append(_number_token(sign + number, line))
        label.append(enumerator)
    label.append(text[pos:])
    _flush_label(label, out, line)
    return out


def _classify_number(text: str, match: re.Match[str], depth: int) -> tuple[str, str, str]:
    """Decide what a digit run inside a cell is: (kind, number part, enumerator part)."""
    digits = match.group()
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end() : match.end() + 2]
    if depth > 0 or before == "第" or (after[:1] and after[0] in _PROSE_UNITS):
        return "label", "", ""
    if _CJK.match(before) and not digits.isdigit():
        return "label", "", ""
    # "1.属于…", "2、重复…": a list enumerator; "…1100001122.没有…": a run, then "2."
    if len(after) == 2 and after[0] in ".、" and not after[1].isdigit() and digits.isdigit():
        return "number", digits[:-1], digits[-1]
    return "number", digits, ""


def _sign_before(label: list[str]) -> str:
    """Take a '+' or '-' printed right before a number (本年增/减) out of the label."""
    if not label:
        return ""
    tail = label[-1]
    stripped = tail.rstrip()
    if stripped.endswith(("+", "-")) and tail == stripped:
        head = stripped[:-1]
        if not head.strip() or head.endswith((" ", "|")) or not head.rstrip():
            label[-1] = head
            return stripped[-1]
    return ""


def _bracket_depth(text: str, depth: int) -> int:
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth


def _flush_label(parts: list[str], out: list[Token], line: int) -> None:
    text = "".join(parts).strip()
    parts.clear()
    if not text:
        return
    core = label_core(text)
    if core:
        out.append(Token("label", text, line, core=core))
    elif is_placeholder(text):
        out.append(Token("unknown", text, line))


def _number_token(text: str, line: int) -> Token:
    clean = text.replace(",", "")
    value: int | float = float(clean) if "." in clean else int(clean)
    digits = text if text.isdigit() else ""
    return Token("number", text, line, value=value, digits=digits)

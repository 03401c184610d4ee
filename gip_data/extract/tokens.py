"""Document → one flat stream of label and number tokens in reading order.

Every block becomes a run of tokens: a Line's cells and a Table row's cells are
read left to right, and the text inside a cell is cut into label pieces and
numbers, so a row printed as ``…数量211001023`` or ``…信息1100001122.没有…``
gives a label, a digit run and (for the latter) the next label with its
``2.`` enumerator restored. Page footers are dropped. Blank cells become
``unknown`` tokens only where they hold a column position: between numbers of a
text line, or after the last label cell of a real grid row. A row of generic
column names (``数据1 | 数据2 | …``, a converter's header) is header text, not
numbers. A number holding U+FFFD (a digit OCR could not read) is an ``unknown``
token that is :attr:`Token.unreadable`: the decoder never takes it as 0.

Each token keeps the reader's :class:`~gip_data.readers.document.Origin` of its
cell; for text (a line and a character span) a number's origin is narrowed to
the span of its own digits. PDF and grid origins pass through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from gip_data.extract.normalize import PLACEHOLDERS, is_placeholder, label_core, nfkc
from gip_data.readers.document import Document, Line, Origin
from gip_data.schema.template import APPLICATION_WIDTH, CASE_WIDTH

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
# An inner list marker, not "第(一)项" (a citation of an article's item).
_INNER_ENUMERATOR = re.compile(
    r"(?<!第)\([一二三四五六七八九十]{1,2}\)(?!项)|(?<![一二三四五六七八九十第])[一二三四五六七八九十]{1,2}、"
)
_GENERIC_HEADER = re.compile(r"^\s*([^\d\s|]{1,6})\s*(\d{1,2})\s*$")
MIN_GENERIC_HEADERS = 3
# U+FFFD stands for a character the reader could not read (OCR: an unsure digit); a number
# holding one is an unknown cell that is *unreadable*: printed, but not known to be blank.
UNREADABLE = "\ufffd"
_UNREADABLE_NUMBER = re.compile(r"^[+-]?[\d,.\ufffd]*\ufffd[\d,.\ufffd]*$")


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
    origin: Origin | None = None
    header: bool = False  # a generic column name (数据1 …): never a row label

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
        if isinstance(block, Line):
            rows, origins = [block.cells], [block.origins]
        else:
            rows = block.rows if block.exact_columns else _trim_grid(block.rows)
            origins = list(block.origins) if block.origins else [None] * len(rows)
        grid = not isinstance(block, Line)
        for cells, row_origins in zip(rows, origins, strict=False):
            if not grid and is_footer(" ".join(cells)):
                continue
            tokens.extend(row_to_tokens(cells, line_no, grid, row_origins))
            line_no += 1
    return tokens


def _trim_grid(rows: list[list[str]]) -> list[list[str]]:
    """Drop grid columns that are empty in every row, at the right edge."""
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or not r[width - 1].strip() for r in rows):
        width -= 1
    return [r[:width] for r in rows]


def row_to_tokens(
    cells: list[str], line: int, grid: bool, origins: list[Origin] | None = None
) -> list[Token]:
    """Tokens of one text line or grid row, with blank cells placed (module doc)."""
    where = origins if origins is not None and len(origins) == len(cells) else [None] * len(cells)
    if _generic_header(cells):
        pairs = zip(cells, where, strict=True)
        return [Token("label", c, line, core=label_core(c), origin=o, header=True) for c, o in pairs if c]
    per_cell = [cell_to_tokens(cell, line, origin) for cell, origin in zip(cells, where, strict=True)]
    last_label = max((i for i, toks in enumerate(per_cell) if any(t.kind == "label" for t in toks)), default=-1)
    out: list[Token] = []
    for index, toks in enumerate(per_cell):
        if toks or index <= last_label:
            out.extend(toks)
            continue
        if grid and not _has_value(per_cell, "unknown"):
            out.append(Token("blank", "", line, origin=where[index]))
        elif grid or (_has_value(per_cell[index + 1 :]) and _has_value(per_cell[last_label + 1 : index])):
            out.append(Token("unknown", "", line, origin=where[index]))
    return _drop_covered_blanks(out) if grid else out


def _generic_header(cells: list[str]) -> bool:
    """A row of generic column names with one word and counting numbers (数据1, 数据2, …)."""
    if len(cells) < MIN_GENERIC_HEADERS or not _GENERIC_HEADER.match(cells[-1]):
        return False
    found = [m for m in (_GENERIC_HEADER.match(nfkc(c)) for c in cells if c.strip()) if m]
    if len(found) < MIN_GENERIC_HEADERS or len({m.group(1) for m in found}) != 1:
        return False
    numbers = [int(m.group(2)) for m in found]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


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
    while (
        len(values) > APPLICATION_WIDTH
        and len(values) != CASE_WIDTH
        and values[0].kind in ("unknown", "blank")
        and not values[0].text
    ):
        values = values[1:]
    return tokens[:start] + values


class _Span:
    """Where the characters of a normalised cell stand in the reader's text (text origins only)."""

    def __init__(self, cell: str, normal: str, origin: Origin | None) -> None:
        self.origin = origin
        self.index: list[int] | None = None  # None: NFKC kept every character one for one
        self.normal = normal
        self.text_origin = origin is not None and origin.line is not None and origin.start is not None
        if self.text_origin and len(normal) != len(cell):
            self.normal = "".join(nfkc(ch) if not ch.isascii() else ch for ch in cell)
            self.index = [i for i, ch in enumerate(cell) for _ in range(len(nfkc(ch)) if not ch.isascii() else 1)]
            self.index.append(len(cell))
        self.lead = len(self.normal) - len(self.normal.lstrip())

    def of(self, start: int, end: int) -> Origin | None:
        """The origin of characters ``start:end`` of the stripped, normalised cell."""
        origin = self.origin
        if not self.text_origin or origin is None or origin.start is None:
            return origin
        first, last = start + self.lead, end + self.lead
        if self.index is not None:
            first, last = self.index[first], self.index[last - 1] + 1
        return Origin(line=origin.line, start=origin.start + first, end=origin.start + last, page=origin.page)


def cell_to_tokens(cell: str, line: int, origin: Origin | None = None) -> list[Token]:
    """Cut one cell into label pieces and numbers (module docstring)."""
    normal = nfkc(cell)
    text = normal.strip()
    if not text:
        return []
    if text in PLACEHOLDERS or _UNREADABLE_NUMBER.match(text):
        return [Token("unknown", text, line, origin=origin)]
    span = _Span(cell, normal, origin) if _DIGIT.search(text) else None
    if span is not None:
        text = span.normal.strip()
    if _PLAIN_NUMBER.match(text):
        return [_number_token(text, line, span.of(0, len(text)) if span else origin)]
    if span is None:
        # Most cells are prose or labels without digits: label tokens only.
        out_labels: list[Token] = []
        _flush_label([text], out_labels, line, origin)
        return out_labels
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
            _flush_label(label, out, line, origin)
            first = match.start() - len(sign)
            out.append(_number_token(sign + number, line, span.of(first, match.start() + len(number))))
        elif depth == 0 and "".join(label).strip():
            _flush_label(label, out, line, origin)  # "…收费申请3.其他": a list marker starts the next label
        label.append(enumerator)
    label.append(text[pos:])
    _flush_label(label, out, line, origin)
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


def _flush_label(parts: list[str], out: list[Token], line: int, origin: Origin | None) -> None:
    text = "".join(parts).strip()
    parts.clear()
    if not text:
        return
    for piece in split_enumerated(text):
        core = label_core(piece)
        if core:
            out.append(Token("label", piece, line, core=core, origin=origin))
        elif is_placeholder(piece):
            out.append(Token("unknown", piece, line, origin=origin))


def split_enumerated(text: str) -> list[str]:
    """Cut a label run before each inner list marker: "…其他一、本年新收…" → "…其他", "一、本年新收…".

    Crawled pages run a row's group label, its own label and the next row's
    into one string ("三、本年度办理结果(一)予以公开", "…3.其他(七)总计"); a
    Chinese-numeral marker (``(七)``, ``一、``) outside brackets starts a new label.
    """
    cuts = [0]
    for match in _INNER_ENUMERATOR.finditer(text):
        start = match.start()
        if start and _bracket_depth(text[:start], 0) == 0:
            cuts.append(start)
    if len(cuts) == 1:
        return [text]
    cuts.append(len(text))
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def _number_token(text: str, line: int, origin: Origin | None = None) -> Token:
    clean = text.replace(",", "")
    value: int | float = float(clean) if "." in clean else int(clean)
    digits = text if text.isdigit() else ""
    return Token("number", text, line, value=value, digits=digits, origin=origin)

"""HTML reader: a web page → Lines for its text and Tables for its ``<table>`` grids.

Parsed with lxml's HTML parser with network access off; the HTML parser never
loads a DTD or resolves external entities, so a hostile page cannot make us
fetch anything. Scripts, styles, navigation and form controls are dropped.

- Block elements (``p``, headings, ``li``, ``div`` …) and ``<br>`` end a line,
  so text sitting directly in a ``<div>`` still becomes a Line. A line is split
  into cells like a TXT line (pipes, or runs of ``&nbsp;``/ideographic spaces
  used as column gaps).
- A ``<table>`` becomes a :class:`Table` whose rowspan/colspan are resolved into
  a grid: the spanning cell keeps its text at its top-left position and every
  position it covers is ``""``.
- A table whose cells hold other tables is a layout table (a page frame): its
  cells are read as ordinary content, so the inner data tables become Tables.

Provenance: a grid cell's origin is the grid's index in the document and its
row and column after spans are resolved; a text line's is its 1-based index
among the lines emitted, with each cell's character span.

:func:`html_readings` yields the ``grid`` reading and then, where the page has
tables, the ``text`` reading: each table row as a text line of its non-empty
cells (a grid whose spans are broken still reads right in order).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree

from gip_data.errors import CorruptFileError
from gip_data.readers._encoding import bytes_to_text
from gip_data.readers.document import Block, Document, Line, Origin, Table
from gip_data.readers.txt import line_cells

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

_SKIPPED = {
    "script", "style", "nav", "noscript", "template", "iframe", "svg", "select",
    "button", "input", "textarea", "object", "embed", "head", "map",
}  # fmt: skip
_BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "header", "footer", "aside", "blockquote", "center",
    "address", "figure", "figcaption", "form", "fieldset", "caption", "tr", "td", "th", "hr",
    "body", "html", "tbody", "thead", "tfoot", "table",
}  # fmt: skip
# Runs of ordinary whitespace collapse as a browser renders them; NBSP and the
# ideographic space survive, so deliberate gaps can still separate columns.
_COLLAPSIBLE = re.compile(r"[ \t\r\n\f]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# HTML caps colspan at 1000 and rowspan at 65534; we cap lower, a report table
# is never that wide, and a huge span must not allocate a huge grid.
_MAX_COLSPAN = 200
_MAX_COLUMNS = 400


def read_html(data: bytes, source: str, limits: ReadLimits) -> Document:
    """Decode and parse ``data`` and walk it into blocks in document order (the ``grid`` reading)."""
    return next(html_readings(data, source, limits))


def html_readings(data: bytes, source: str, limits: ReadLimits) -> Iterator[Document]:
    """The ``grid`` reading, then (when the page has tables) the ``text`` reading (module docstring)."""
    document = _read(data, source)
    yield document
    if any(isinstance(b, Table) for b in document.blocks):
        yield replace(document, blocks=tables_as_text(document.blocks), reading="text")


def tables_as_text(blocks: list[Block]) -> list[Block]:
    """Each grid row as a text line of its non-empty cells, origins kept."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Line):
            out.append(block)
            continue
        origins = block.origins or [[Origin()] * len(row) for row in block.rows]
        for row, where in zip(block.rows, origins, strict=True):
            kept = [(cell, origin) for cell, origin in zip(row, where, strict=True) if cell.strip()]
            if kept:
                out.append(Line([c for c, _ in kept], origins=[o for _, o in kept]))
    return out


def _read(data: bytes, source: str) -> Document:
    match = _CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii", "ignore") if match else None
    text, _encoding = bytes_to_text(data, source, declared)
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return Document(format="html")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFileError(f"HTML cannot be parsed: {exc}", source=source) from exc
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return Document(
        format="html",
        blocks=walker.blocks,
        title=_title(root),
        publisher=_meta(root, _PUBLISHER_META),
        reading="grid",
    )


def _tag(element: etree._Element) -> str | None:
    """Lower-case tag name, or None for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else None


# Government sites tag each article (GB/T 政府网站 page metadata): its title and the body that issued it.
_TITLE_META = ("articletitle", "title", "og:title")
_PUBLISHER_META = ("contentsource", "publisher", "author")


def _meta(root: etree._Element, names: tuple[str, ...]) -> str | None:
    """The first non-empty ``<meta name=… content=…>`` among ``names`` (in that order)."""
    found: dict[str, str] = {}
    for element in root.xpath("//meta[@content]"):
        key = (element.get("name") or element.get("property") or "").strip().lower()
        value = normalise_text(element.get("content") or "")
        if key in names and value:
            found.setdefault(key, value)
    return next((found[name] for name in names if name in found), None)


def _title(root: etree._Element) -> str | None:
    """The page's ArticleTitle meta, else the text of ``<title>``, else of the first ``<h1>``."""
    if meta := _meta(root, _TITLE_META):
        return meta
    for path in ("//title", "//h1"):
        for element in root.xpath(path):
            text = normalise_text(element.text_content())
            if text:
                return text
    return None


def normalise_text(text: str) -> str:
    """Collapse HTML whitespace to single spaces and trim; NBSP-only → ""."""
    return _COLLAPSIBLE.sub(" ", text).replace("\u00a0", " ").replace("\u3000", " ").strip()


class _Walker:
    """Walks an element tree, buffering inline text until a block boundary."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self.lines = 0
        self.tables = 0

    def flush(self) -> None:
        """End the current line: emit it when it has any text."""
        if self._buffer:
            raw = _COLLAPSIBLE.sub(" ", "".join(self._buffer))
            self._buffer.clear()
            self.emit(raw)

    def emit(self, raw: str) -> None:
        """One text line as a Line, its cells' origins numbered among the emitted lines."""
        cells = line_cells(raw)
        if cells:
            self.lines += 1
            origins = [Origin(line=self.lines, start=start, end=end) for _c, start, end in cells]
            self.blocks.append(Line([c for c, _s, _e in cells], origins=origins))

    def walk(self, element: lxml.html.HtmlElement) -> None:
        """Emit the content of ``element`` (not its tail)."""
        tag = _tag(element)
        if tag is None or tag in _SKIPPED:
            return
        if tag == "table" and not _has_nested_table(element):
            self.flush()
            rows, origins = grid_with_origins(element, self.tables)
            if rows:
                self.blocks.append(Table(rows, origins=origins))
                self.tables += 1
            return
        if tag == "pre":
            self.flush()
            for raw in element.text_content().splitlines():
                self.emit(raw)
            return
        is_block = tag in _BLOCKS or tag == "br"
        if is_block:
            self.flush()
        if element.text:
            self._buffer.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self._buffer.append(child.tail)
        if is_block:
            self.flush()


def _has_nested_table(table: etree._Element) -> bool:
    """True when a cell of ``table`` holds another table (a layout table)."""
    return any(True for _ in table.iterdescendants("table"))


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """The ``<tr>`` of this table (directly or in thead/tbody/tfoot), in order."""
    return [tr for tr in table.iter("tr") if _nearest_table(tr) is table]


def _nearest_table(element: etree._Element) -> etree._Element | None:
    """The closest enclosing ``<table>`` of ``element``."""
    parent = element.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _span(cell: etree._Element, name: str, cap: int) -> int:
    """A rowspan/colspan attribute as an int in [1, cap]; junk counts as 1."""
    digits = re.match(r"\s*(\d+)", cell.get(name, "1"))
    value = int(digits.group(1)) if digits else 1
    return min(max(value, 1), cap)


def cell_text(cell: etree._Element) -> str:
    """A cell's text; ``<br>`` and inner blocks become spaces; scripts skipped."""
    parts = [cell.text or ""]
    _collect_text(cell, parts)
    return normalise_text("".join(parts))


def _collect_text(element: etree._Element, parts: list[str]) -> None:
    """Append the text below ``element`` to ``parts``, spacing block boundaries."""
    for child in element:
        tag = _tag(child)
        if tag is not None and tag not in _SKIPPED:
            boundary = " " if tag in _BLOCKS or tag == "br" else ""
            parts.append(boundary + (child.text or ""))
            _collect_text(child, parts)
            parts.append(boundary)
        if child.tail:
            parts.append(child.tail)


def table_to_grid(table: etree._Element) -> list[list[str]]:
    """Resolve rowspan/colspan into a rectangular grid; covered positions are ""."""
    return grid_with_origins(table, 0)[0]


def grid_with_origins(table: etree._Element, index: int) -> tuple[list[list[str]], list[list[Origin]]]:
    """The grid of :func:`table_to_grid` and each cell's origin (grid ``index``, row, column)."""
    rows = _own_rows(table)
    grid: list[list[str | None]] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        column = 0
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            column = _next_free(grid[r], column)
            rowspan = _span(cell, "rowspan", len(rows) - r)
            colspan = min(_span(cell, "colspan", _MAX_COLSPAN), max(_MAX_COLUMNS - column, 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    _put(grid[r + dr], column + dc, "")
            grid[r][column] = cell_text(cell)
            column += colspan
    width = max((len(row) for row in grid), default=0)
    out = [[c or "" for c in row] + [""] * (width - len(row)) for row in grid]
    kept = [r for r, row in enumerate(out) if any(row)]
    origins = [[Origin(table=index, row=r, column=c) for c in range(width)] for r in kept]
    return [out[r] for r in kept], origins


def _next_free(row: list[str | None], column: int) -> int:
    """The first position at or after ``column`` not covered by a span from above."""
    while column < len(row) and row[column] is not None:
        column += 1
    return column


def _put(row: list[str | None], column: int, value: str) -> None:
    """Set ``row[column]``, growing the row with free (None) positions."""
    if column >= len(row):
        row.extend([None] * (column + 1 - len(row)))
    row[column] = value

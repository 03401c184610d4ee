"""DOCX reader: a Word document's body → Lines and Tables in document order.

Safety first: the zip is opened and measured before any XML is parsed. The
total uncompressed size and each large member's compression ratio are checked
against :class:`ReadLimits`, so a zip bomb is refused from its directory alone
(zipfile also stops reading a member at its declared size). Only the main
document part and the core properties are parsed, with an lxml parser that
resolves no entities, loads no DTD and never touches the network.

We read the XML directly instead of through python-docx: python-docx parses
every part (styles alone are ~800 KB in a typical government file), its
object graph is cyclic so memory is only returned by the cycle collector
(100 documents in a row grew the process by 110 MB), and its cell API repeats
a merged cell for every grid position it covers. Direct reading is ~4× faster.

- ``w:p`` → one Line per visual line (``w:br``), split on tabs like TXT;
- ``w:tbl`` → a Table with ``w:gridSpan``/``w:gridBefore`` expanded and
  ``w:vMerge`` continuation cells given as "";
- a table whose cells hold tables (a layout frame) is read as content, so the
  inner tables become Tables; content controls (``w:sdt``) are entered.

Provenance: a grid cell's origin is the grid's index in the document and its
row and column after spans are expanded; a paragraph line's is its 1-based
index among the lines emitted, with each cell's character span.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from lxml import etree

from gip_data.errors import CorruptFileError, EncryptedFileError, FileTooLargeError
from gip_data.readers.document import Block, Document, Line, Origin, Table
from gip_data.readers.txt import line_cells

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
_P, _TBL, _TR, _TC = (f"{{{W}}}{t}" for t in ("p", "tbl", "tr", "tc"))
_SDT, _CUSTOM_XML = f"{{{W}}}sdt", f"{{{W}}}customXml"
# Run content in reading order; the Fallback copy of AlternateContent repeats
# the Choice, and w:pPr/w:tabs/w:tab are tab stops, not tabs.
_RUN_CONTENT = etree.XPath(
    ".//w:r/w:t[not(ancestor::mc:Fallback)] | .//w:r/w:tab[not(ancestor::mc:Fallback)]"
    " | .//w:r/w:br[not(ancestor::mc:Fallback)] | .//w:r/w:cr[not(ancestor::mc:Fallback)]",
    namespaces=_NS,
)
_HEADING_STYLES = ("title", "heading1", "1", "标题", "heading 1")
# Members smaller than this may compress extremely (repeated empty runs) without
# being dangerous; the ratio test is for members that could really blow up.
_RATIO_FLOOR = 1024 * 1024
# Narrower grid columns (in twips, 1/1440 inch) cannot hold a character.
_SLIVER_TWIPS = 30


_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "/officeDocument"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def _safe_parser() -> etree.XMLParser:
    """An XML parser that cannot be made to read files, fetch URLs or expand entities."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def read_docx(data: bytes, source: str, limits: ReadLimits) -> Document:
    """Check the zip against the limits, parse the main part, walk its body."""
    check_zip_limits(data, source, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = etree.fromstring(archive.read(_main_part(archive)), _safe_parser())
            core_title = _core_title(archive)
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, OSError) as exc:
        raise CorruptFileError(f"damaged Word document: {exc}", source=source) from exc
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise CorruptFileError("Word document without a body", source=source)
    walker = _BodyWalker()
    walker.walk_children(body)
    return Document(format="docx", blocks=walker.blocks, title=_title(walker, core_title))


def _main_part(archive: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (word/document.xml)."""
    try:
        rels = etree.fromstring(archive.read("_rels/.rels"), _safe_parser())
    except KeyError:
        return "word/document.xml"
    for rel in rels.iter(f"{{{_PACKAGE_RELS}}}Relationship"):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
            return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def _core_title(archive: zipfile.ZipFile) -> str | None:
    """dc:title of docProps/core.xml, when present and readable."""
    try:
        core = etree.fromstring(archive.read("docProps/core.xml"), _safe_parser())
    except (KeyError, etree.XMLSyntaxError):
        return None
    title = core.findtext(_DC_TITLE)
    return title.strip() if title and title.strip() else None


def check_zip_limits(data: bytes, source: str, limits: ReadLimits) -> None:
    """Raise FileTooLargeError for a zip whose members would inflate past the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise CorruptFileError(f"damaged zip archive: {exc}", source=source) from exc
    if any(m.flag_bits & 0x1 for m in members):
        raise EncryptedFileError("password-protected Word document", source=source)
    total = sum(m.file_size for m in members)
    if total > limits.max_docx_uncompressed:
        raise FileTooLargeError(
            f"uncompressed size {total // (1024 * 1024)} MB exceeds "
            f"{limits.max_docx_uncompressed // (1024 * 1024)} MB",
            source=source,
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > limits.max_docx_ratio:
            raise FileTooLargeError(f"{member.filename} compresses {ratio:.0f}:1 (zip bomb?)", source=source)


def _local(element: etree._Element) -> str:
    """Tag name without namespace ("" for comments)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def paragraph_lines(paragraph: etree._Element) -> list[str]:
    """A paragraph's text, one string per visual line (``w:br`` starts a new one)."""
    parts: list[str] = []
    for node in _RUN_CONTENT(paragraph):
        name = _local(node)
        if name == "t":
            parts.append(node.text or "")
        elif name == "tab":
            parts.append("\t")
        else:  # w:br (any break type) and w:cr end the visual line
            parts.append("\n")
    return "".join(parts).split("\n")


class _BodyWalker:
    """Turns body-level XML into blocks; remembers the first heading for the title."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.heading: str | None = None
        self.lines = 0
        self.tables = 0

    def walk_children(self, parent: etree._Element) -> None:
        """Walk the block-level children of ``parent`` in order."""
        for child in parent:
            tag = child.tag
            if tag == _P:
                self._paragraph(child)
            elif tag == _TBL:
                self._table(child)
            elif tag in (_SDT, _CUSTOM_XML) or _local(child) in ("sdtContent", "ins", "moveTo"):
                self.walk_children(child)

    def _paragraph(self, paragraph: etree._Element) -> None:
        """Emit the paragraph's lines; note it as the title when heading-styled."""
        for raw in paragraph_lines(paragraph):
            if found := line_cells(raw):
                self.lines += 1
                cells = [c for c, _s, _e in found]
                origins = [Origin(line=self.lines, start=start, end=end) for _c, start, end in found]
                self.blocks.append(Line(cells, origins=origins))
                if self.heading is None and _is_heading(paragraph):
                    self.heading = " ".join(cells)

    def _table(self, table: etree._Element) -> None:
        """A data table becomes a Table; a layout table is walked as content."""
        if any(True for _ in table.iterdescendants(_TBL)):
            for cell in _cells_in_order(table):
                self.walk_children(cell)
            return
        rows = table_to_grid(table)
        if rows:
            origins = [[Origin(table=self.tables, row=r, column=c) for c in range(len(row))] for r, row in rows]
            self.blocks.append(Table([row for _r, row in rows], origins=origins))
            self.tables += 1


def _is_heading(paragraph: etree._Element) -> bool:
    """True for a paragraph in a Title/Heading 1 style or with outline level 0."""
    style = paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle")
    level = paragraph.find(f"{{{W}}}pPr/{{{W}}}outlineLvl")
    name = (style.get(f"{{{W}}}val") or "").lower() if style is not None else ""
    return name in _HEADING_STYLES or (level is not None and level.get(f"{{{W}}}val") == "0")


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, also those wrapped in content controls."""
    return [tr for tr in table.iter(_TR) if _owner(tr, _TBL) is table]


def _cells(row: etree._Element) -> list[etree._Element]:
    """The row's own cells, also those wrapped in content controls."""
    return [tc for tc in row.iter(_TC) if _owner(tc, _TR) is row]


def _cells_in_order(table: etree._Element) -> list[etree._Element]:
    """Every own cell of ``table``, row by row."""
    return [tc for tr in _rows(table) for tc in _cells(tr)]


def _owner(element: etree._Element, tag: str) -> etree._Element | None:
    """The nearest ancestor of ``element`` with ``tag``."""
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _int_property(element: etree._Element, path: str, default: int) -> int:
    """An integer ``w:val`` of a property element, clamped to [0, 200]."""
    found = element.find(path)
    raw = found.get(f"{{{W}}}val") if found is not None else None
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        value = default
    return min(max(value, 0), 200)


def cell_text(cell: etree._Element) -> str:
    """All paragraph text of a cell, lines joined by a space, whitespace trimmed."""
    lines: list[str] = []
    for paragraph in cell.iter(_P):
        lines.extend(raw.replace("\t", " ") for raw in paragraph_lines(paragraph))
    return " ".join(" ".join(line.split()) for line in lines if line.strip())


def table_to_grid(table: etree._Element) -> list[tuple[int, list[str]]]:
    """Expand gridBefore/gridSpan, blank vMerge continuations, pad to a rectangle.

    Each kept row comes with its index in the expanded grid (empty rows are dropped).
    """
    grid: list[list[str]] = []
    for tr in _rows(table):
        row = [""] * _int_property(tr, f"{{{W}}}trPr/{{{W}}}gridBefore", 0)
        for tc in _cells(tr):
            span = max(_int_property(tc, f"{{{W}}}tcPr/{{{W}}}gridSpan", 1), 1)
            merge = tc.find(f"{{{W}}}tcPr/{{{W}}}vMerge")
            continued = merge is not None and merge.get(f"{{{W}}}val", "continue") != "restart"
            row.append("" if continued else cell_text(tc))
            row.extend([""] * (span - 1))
        grid.append(row)
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    for column in reversed(_sliver_columns(table)):
        _drop_column(grid, column)
    return [(r, row) for r, row in enumerate(grid) if any(row)]


def _sliver_columns(table: etree._Element) -> list[int]:
    """Grid columns too narrow to hold text (w:gridCol below ~0.5 mm).

    Converters and Word itself leave them where cell edges almost line up (a
    .doc converted by LibreOffice gets a 1-twip column); they hold no cell of
    their own, only the start or the middle of a merged one.
    """
    widths = [col.get(f"{{{W}}}w") for col in table.iterfind(f"{{{W}}}tblGrid/{{{W}}}gridCol")]
    return [i for i, w in enumerate(widths) if w is not None and w.isdigit() and int(w) < _SLIVER_TWIPS]


def _drop_column(grid: list[list[str]], column: int) -> None:
    """Remove a sliver column; text starting in it moves to the next position its cell covers."""
    if any(column + 1 >= len(row) or (row[column] and row[column + 1]) for row in grid):
        return  # text in the sliver and in its neighbour: it is a real column after all
    for row in grid:
        if row[column]:
            row[column + 1] = row[column]
        del row[column]


def _title(walker: _BodyWalker, core_title: str | None) -> str | None:
    """The first heading, else the core-properties title, else the first line."""
    if walker.heading:
        return walker.heading
    if core_title:
        return core_title
    first = next((b for b in walker.blocks if isinstance(b, Line)), None)
    return first.text if first else None

"""PDF reader: the text layer (via pypdfium2) → Lines in reading order, per page.

Speed matters (a bulk import reads thousands of reports), so there is no table
finder here. Each page's characters are read with their loose boxes (advance
width, so glyphs of one word touch) and baseline origins, then

1. ``glyphs_to_rows``: grouped into visual rows by baseline, sorted by x;
2. ``row_to_cells``: a row is split into cells where a vertical ruling line of
   the page runs between two glyphs, or where the gap between them exceeds
   about one character (``pdftotext -layout`` style, for unruled tables).

A label wrapped inside a narrow table cell therefore appears as fragments on
the following rows; the extractor reassembles those. Page footers ("- 3 -")
stay, the extractor skips them.

Rows crossed by two or more ruling lines lie inside a table: consecutive ones
form a :class:`Table` with ``exact_columns`` and keep an empty string for every
ruled cell without text (a blank 总计, an ``&nbsp;`` zero), so blank cells keep
their column; other rows are :class:`Line` blocks of their non-empty cells.

Failures: a password → :class:`EncryptedFileError`; too many pages →
:class:`FileTooLargeError`; no usable text but images → :class:`NoTextLayerError`
(a scan needs OCR); anything pdfium cannot open → :class:`CorruptFileError`.
"""

from __future__ import annotations

import bisect
import ctypes
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gip_data.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NoTextLayerError,
)
from gip_data.readers.document import Block, Document, Line, Table

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

# A gap wider than this many font sizes separates two cells (no ruling line).
CELL_GAP = 1.0
# A gap wider than this many font sizes inside a cell is a word space.
WORD_GAP = 0.2
# Glyphs whose baselines differ by less than this many font sizes share a row.
BASELINE_TOLERANCE = 0.3
# Below this share of decodable characters the text layer is unusable (fonts
# without a Unicode map produce private-use or replacement characters).
MIN_DECODABLE_SHARE = 0.5
_UNDECODABLE = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")
_WORD_EXPORT_PREFIX = re.compile(r"^(Microsoft Word|WPS文字|Microsoft PowerPoint)\s*-\s*", re.IGNORECASE)


@dataclass(slots=True)
class Glyph:
    """One character of the text layer with its horizontal extent and baseline."""

    char: str
    left: float
    right: float
    baseline: float
    size: float


@dataclass(slots=True)
class Rule:
    """A vertical ruling line: table borders between cells."""

    x: float
    bottom: float
    top: float


def read_pdf(data: bytes, source: str, limits: ReadLimits) -> Document:
    """Open ``data`` with pdfium and rebuild every page's lines."""
    pdf = _open(data, source)
    try:
        pages = len(pdf)
        if pages > limits.max_pdf_pages:
            raise FileTooLargeError(f"{pages} pages > {limits.max_pdf_pages}", source=source)
        blocks: list[Block] = []
        stats = _TextStats()
        for index in range(pages):
            blocks.extend(_page_lines(pdf, index, stats))
        stats.raise_if_unusable(pdf, source)
        return Document(format="pdf", blocks=list(blocks), title=_title(pdf), pages=pages)
    finally:
        pdf.close()


def _open(data: bytes, source: str) -> pdfium.PdfDocument:
    """Load the document, turning pdfium's errors into typed ones."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFileError("password-protected PDF", source=source) from exc
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFileError("unsupported PDF security handler", source=source) from exc
        raise CorruptFileError(f"PDF cannot be opened: {exc}", source=source) from exc


class _TextStats:
    """Counts usable and undecodable characters over the whole document."""

    def __init__(self) -> None:
        self.usable = 0
        self.undecodable = 0

    def add(self, glyphs: list[Glyph]) -> None:
        """Count one page's glyphs."""
        bad = sum(1 for g in glyphs if _UNDECODABLE.match(g.char))
        self.undecodable += bad
        self.usable += len(glyphs) - bad

    def raise_if_unusable(self, pdf: pdfium.PdfDocument, source: str) -> None:
        """NoTextLayerError for a scan or an undecodable text layer; Empty for blank pages."""
        total = self.usable + self.undecodable
        if total and self.usable / total >= MIN_DECODABLE_SHARE:
            return
        if total:
            raise NoTextLayerError("the text layer cannot be decoded", source=source)
        if _has_images(pdf):
            raise NoTextLayerError("pages are images only", source=source)
        raise EmptyFileError("PDF pages hold no text", source=source)


def _has_images(pdf: pdfium.PdfDocument) -> bool:
    """True when any page draws an image (checked only for text-less files)."""
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            if any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])):
                return True
        finally:
            page.close()
    return False


def _append_grid_row(blocks: list[Block], cells: list[str], page: int) -> None:
    """Consecutive rows inside ruled cells form one Table, so blank cells keep their columns."""
    if blocks and isinstance(blocks[-1], Table):
        blocks[-1].rows.append(cells)
    else:
        blocks.append(Table([cells], page=page, exact_columns=True))


def _page_lines(pdf: pdfium.PdfDocument, index: int, stats: _TextStats) -> list[Block]:
    """The blocks of page ``index``: Lines of text, Tables of ruled rows (1-based pages)."""
    page = pdf[index]
    textpage = page.get_textpage()
    try:
        glyphs = textpage_to_glyphs(textpage)
        stats.add(glyphs)
        if not glyphs:
            return []
        rules = page_to_rules(page)
        blocks: list[Block] = []
        for row in glyphs_to_rows(glyphs):
            crossing = rules_crossing(row, rules)
            cells = row_to_cells(row, crossing)
            if not any(cells):
                continue
            if len(crossing) >= 2:  # inside a table
                _append_grid_row(blocks, cells, index + 1)
            else:
                blocks.append(Line([c for c in cells if c], page=index + 1))
        return blocks
    finally:
        textpage.close()
        page.close()


def textpage_to_glyphs(textpage: pdfium.PdfTextPage) -> list[Glyph]:
    """Every visible, non-space character with its loose box and baseline."""
    # Hot loop (one pass per character): pdfium functions and ctypes
    # out-parameters are bound to locals once.
    handle = textpage.raw
    get_unicode, get_size = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetFontSize
    get_loose_box, get_origin = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(origin_x), ctypes.byref(origin_y)
    glyphs: list[Glyph] = []
    for i in range(pdfium_c.FPDFText_CountChars(handle)):
        char = chr(get_unicode(handle, i))
        # pdfium's generated characters are the spaces and line breaks it infers.
        if char.isspace() or char == "\x00" or not get_loose_box(handle, i, rect_ref):
            continue
        get_origin(handle, i, x_ref, y_ref)
        left, right = rect.left, rect.right
        size = get_size(handle, i) or abs(right - left) or 1.0
        glyphs.append(Glyph(char, min(left, right), max(left, right), origin_y.value, size))
    return glyphs


def page_to_rules(page: pdfium.PdfPage) -> list[Rule]:
    """Vertical ruling lines drawn as thin paths or thin rectangles, sorted by x."""
    handle = page.raw
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    bounds = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(b) for b in bounds]
    rules: list[Rule] = []
    for i in range(pdfium_c.FPDFPage_CountObjects(handle)):
        obj = get_object(handle, i)
        if get_type(obj) != pdfium_c.FPDF_PAGEOBJ_PATH or not pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
            continue
        x0, y0, x1, y1 = (b.value for b in bounds)
        if x1 - x0 <= 2.5 and y1 - y0 > 4:
            rules.append(Rule((x0 + x1) / 2, y0, y1))
        elif x1 - x0 > 2.5 and y1 - y0 > 4:
            rules.extend(_vertical_segments(obj))
    rules.sort(key=lambda r: r.x)
    return rules


def _vertical_segments(handle: pdfium_c.FPDF_PAGEOBJECT) -> list[Rule]:
    """Vertical segments inside one path that draws a whole grid (one path, many lines)."""
    count = pdfium_c.FPDFPath_CountSegments(handle)
    if count <= 1 or count > 5000:
        return []
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(handle, ctypes.byref(m)):
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(handle, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        px, py = x.value, y.value
        points.append((m.a * px + m.c * py + m.e, m.b * px + m.d * py + m.f))
    rules = []
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        if abs(ax - bx) <= 1.0 and abs(ay - by) > 4:
            rules.append(Rule((ax + bx) / 2, min(ay, by), max(ay, by)))
    return rules


def glyphs_to_rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into visual rows by baseline (top of page first), each by x."""
    ordered = sorted(glyphs, key=lambda g: (-g.baseline, g.left))
    rows: list[list[Glyph]] = []
    anchor = None
    for glyph in ordered:
        if anchor is None or anchor.baseline - glyph.baseline > BASELINE_TOLERANCE * max(anchor.size, 1.0):
            rows.append([])
            anchor = glyph
        rows[-1].append(glyph)
    for row in rows:
        row.sort(key=lambda g: g.left)
    return rows


def rules_crossing(row: list[Glyph], rules: list[Rule]) -> list[float]:
    """The x of every vertical rule that crosses the row's baseline, sorted."""
    baseline = row[0].baseline
    return [r.x for r in rules if r.bottom - 1 <= baseline <= r.top + 1]


def row_to_cells(row: list[Glyph], crossing: list[float]) -> list[str]:
    """Split one visual row into cell strings at the rules crossing it and at wide gaps.

    Between two ruling lines with no glyph lies an empty cell: it is kept as
    "" (before, between and after the glyphs), so a blank table cell keeps its
    column. Without rules, cells are cut at wide gaps and nothing is empty.
    """
    cells = _empty_cells(_rules_in(crossing, -1e9, _mid(row[0])) - 1) + [[row[0].char]]
    previous = row[0]
    for glyph in row[1:]:
        if glyph.char == previous.char and abs(glyph.left - previous.left) < 0.3 * glyph.size:
            continue  # fake bold: the same glyph drawn twice, slightly offset
        gap = glyph.left - previous.right
        size = max(glyph.size, previous.size, 1.0)
        between = _rules_in(crossing, _mid(previous), _mid(glyph))
        if between or gap > CELL_GAP * size:
            cells.extend(_empty_cells(between - 1))
            cells.append([glyph.char])
        else:
            cells[-1].append((" " if gap > WORD_GAP * size else "") + glyph.char)
        previous = glyph
    cells.extend(_empty_cells(_rules_in(crossing, _mid(previous), 1e9) - 1))
    return ["".join(parts).strip() for parts in cells]


def _empty_cells(count: int) -> list[list[str]]:
    return [[""] for _ in range(max(count, 0))]


def _mid(glyph: Glyph) -> float:
    return (glyph.left + glyph.right) / 2


def _rules_in(xs: list[float], low: float, high: float) -> int:
    """How many rule positions of the sorted ``xs`` lie strictly between ``low`` and ``high``."""
    return bisect.bisect_left(xs, high) - bisect.bisect_right(xs, low)


def _title(pdf: pdfium.PdfDocument) -> str | None:
    """The metadata title when it is a real (Chinese) title, not a file name."""
    try:
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    except pdfium.PdfiumError:
        return None
    title = re.sub(r"\.(docx?|wps|pdf)$", "", _WORD_EXPORT_PREFIX.sub("", title), flags=re.IGNORECASE)
    return title if re.search(r"[\u4e00-\u9fff]", title) else None

"""The fast reading's view of a page: characters and rules through pypdfium2.

pdfium measures in the page's user space (y up, ``/Rotate`` not applied); every
box is moved here to the display frame pdfplumber uses. Two traps of real files
are handled where they arise:

- Font size: pdfium reports the nominal ``Tf`` size, which WPS sets to hundreds
  (``/F 259 Tf`` under a 0.05 text matrix); the character's own box is used
  instead, so rows are grouped by what is drawn.
- Filled rectangles: WPS draws a white rectangle behind every line of body text
  and may rule tables with thin filled rectangles. Only thin rectangles (or the
  edges of stroked ones) are rules; a filled area is a background.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Callable, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gip_data.readers.pdf.model import Char, PageContent, Rule

# A rectangle thinner than this (points) is a rule; a thicker filled one is a background.
THIN = 3.0
# A stroked segment is horizontal or vertical when its other extent is at most this.
STRAIGHT = 1.0
_UNDECODABLE = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")
_MAX_SEGMENTS = 20000

Point = tuple[float, float]
ToDisplay = Callable[[float, float], Point]


def page_content(pdf: pdfium.PdfDocument, index: int) -> PageContent:
    """Characters and rules of page ``index`` (0-based), in display coordinates."""
    page = pdf[index]
    try:
        to_display, width, height, rotation = _display_transform(page)
        content = PageContent(index + 1, width, height)
        textpage = page.get_textpage()
        try:
            _read_chars(textpage, to_display, rotation, content)
            content.rules = list(_rules(page, to_display, _RunCounter(textpage.raw, content)))
        finally:
            textpage.close()
        return content
    finally:
        page.close()


def _display_transform(page: pdfium.PdfPage) -> tuple[ToDisplay, float, float, int]:
    """A function from user space to the display frame, the displayed size, the quarter turns of /Rotate."""
    left, bottom, right, top = page.get_mediabox()
    width, height = right - left, top - bottom
    turns = pdfium_c.FPDFPage_GetRotation(page.raw) % 4
    if turns == 1:
        return (lambda x, y: (y - bottom, x - left)), height, width, turns
    if turns == 2:
        return (lambda x, y: (right - x, y - bottom)), width, height, turns
    if turns == 3:
        return (lambda x, y: (top - y, right - x)), height, width, turns
    return (lambda x, y: (x - left, top - y)), width, height, turns


def _read_chars(textpage: pdfium.PdfTextPage, to_display: ToDisplay, rotation: int, out: PageContent) -> None:
    """Every visible, non-space character (hot loop: pdfium functions bound to locals once)."""
    handle = textpage.raw
    get_unicode, generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    get_box, get_angle = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharAngle
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    quarter = math.pi / 2
    for i in range(pdfium_c.FPDFText_CountChars(handle)):
        code = get_unicode(handle, i)
        char = chr(code) if 0 < code < 0x110000 else "\ufffd"
        if char.isspace() or generated(handle, i) == 1 or not get_box(handle, i, rect_ref):
            continue
        if map_error(handle, i) == 1 or _UNDECODABLE.match(char):
            out.undecodable += 1
            continue
        ax, ay = to_display(rect.left, rect.top)
        bx, by = to_display(rect.right, rect.bottom)
        box = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        angle = get_angle(handle, i)  # radians, measured clockwise
        turns = (-round(angle / quarter) - rotation) % 4 if angle >= 0 else -rotation % 4
        out.chars.append(Char(char, box[0], box[1], box[2], box[3], box, turns))


class _RunCounter:
    """Counts text objects, and those whose glyphs pdfium cannot map to any text.

    pdfium leaves glyphs without a Unicode value out of the text page, so they
    cannot be counted as characters; a text object whose text comes out empty
    is the trace they leave (a font without a ToUnicode map, an Identity-H font).
    """

    def __init__(self, textpage: object, content: PageContent) -> None:
        self.textpage = textpage
        self.content = content

    def add(self, obj: object) -> None:
        self.content.text_runs += 1
        # The length in bytes of the UTF-16 text with its terminator: 2 means no text at all.
        if pdfium_c.FPDFTextObj_GetText(obj, self.textpage, None, 0) <= 2:
            self.content.blank_runs += 1


def _rules(page: pdfium.PdfPage, to_display: ToDisplay, runs: _RunCounter) -> Iterator[Rule]:
    """Rules drawn by the page's path objects, inside form XObjects too; text objects counted."""
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    handle = page.raw
    objects = [pdfium_c.FPDFPage_GetObject(handle, i) for i in range(pdfium_c.FPDFPage_CountObjects(handle))]
    yield from _object_rules(objects, identity, to_display, runs)


def _object_rules(
    objects: list[object], parent: tuple[float, ...], to_display: ToDisplay, runs: _RunCounter
) -> Iterator[Rule]:
    get_type = pdfium_c.FPDFPageObj_GetType
    for obj in objects:
        kind = get_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            runs.add(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield from _path_rules(obj, parent, to_display)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            matrix = _compose(_matrix(obj), parent)
            children = [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
            yield from _object_rules(children, matrix, to_display, runs)


def _matrix(obj: object) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2, a * b2 + b * d2,
        c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )


def _path_rules(obj: object, parent: tuple[float, ...], to_display: ToDisplay) -> Iterator[Rule]:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return
    filled, stroked = fill_mode.value != 0, bool(stroke.value)
    if not (filled or stroked):
        return
    a, b, c, d, e, f = _compose(_matrix(obj), parent)
    for points, curved in _subpaths(obj):
        shown = [to_display(a * x + c * y + e, b * x + d * y + f) for x, y in points]
        yield from _shape_rules(shown, curved, filled, stroked)


def _subpaths(obj: object) -> Iterator[tuple[list[Point], bool]]:
    """Each subpath's points (closing point added when it is closed) and whether it has curves."""
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count <= 0 or count > _MAX_SEGMENTS:
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[Point] = []
    curved = False
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO and points:
            yield points, curved
            points, curved = [], False
        curved = curved or kind == pdfium_c.FPDF_SEGMENT_BEZIERTO
        points.append((x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and points[0] != points[-1]:
            points.append(points[0])
    if points:
        yield points, curved


def _shape_rules(points: list[Point], curved: bool, filled: bool, stroked: bool) -> Iterator[Rule]:
    """Rules of one subpath: a thin shape is a rule, a stroked shape's straight sides are rules."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, top, x1, bottom = min(xs), min(ys), max(xs), max(ys)
    if min(x1 - x0, bottom - top) <= THIN and max(x1 - x0, bottom - top) > THIN:
        yield Rule(x0, top, x1, bottom)  # a line, or a thin filled rectangle
        return
    if not stroked or curved:
        return  # a filled area (a background behind text, cell shading) rules nothing
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        if abs(ax - bx) <= STRAIGHT or abs(ay - by) <= STRAIGHT:
            yield Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))

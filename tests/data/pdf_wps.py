"""A PDF writer that draws pages the way WPS (and its "Jisupdf" exporter) does.

Standard library only, on :func:`tests.data.pdf_build.classic_pdf`. What it
copies from WPS-made files (features, not content):

- the page is drawn upside down (``1 0 0 -1 0 842 cm``) and every glyph with a
  huge nominal size under a tiny text matrix (``/F1 259 Tf 0.05 0 0 -0.05 x y Tm``),
  one positioned glyph at a time;
- a filled white rectangle behind every line of body text;
- table rules drawn as thin filled rectangles, cells shaded with filled areas;
- CJK text in a non-embedded CID font (STSong-Light, ``UniGB-UCS2-H``), digits
  and Latin in Helvetica, as WPS mixes a CJK and a Latin font.

A :class:`Canvas` lays a page out in an upright *virtual frame* (x right, y down)
and a page placement maps it to user space: ``upright`` (the usual page),
``rotate90`` (a landscape page stored portrait with ``/Rotate 90``) or
``sideways`` (a landscape table printed across a portrait page, its text running
upwards). ``unmapped=True`` writes the CJK font as ``Identity-H`` without a
``ToUnicode`` map: glyphs are drawn but their text cannot be known.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from tests.data.pdf_build import classic_pdf

A4 = (595.0, 842.0)
NOMINAL_SCALE = 0.05  # WPS's text matrix scale: Tf size = point size / 0.05
_HELVETICA = {"-": 333, ".": 278, " ": 278, ",": 278, "%": 889, "/": 278, ":": 278}

PLACEMENTS = {
    # page placement → (virtual frame size from the A4 user space, cm matrix, /Rotate)
    "upright": (A4, b"1 0 0 -1 0 842 cm", 0),
    "rotate90": ((A4[1], A4[0]), b"0 1 1 0 0 0 cm", 90),
    "sideways": ((A4[1], A4[0]), b"0 1 1 0 0 0 cm", 0),
}


def advance(char: str, size: float) -> float:
    """Horizontal advance of one character: CJK a full em, Latin Helvetica widths."""
    if char.isascii():
        return _HELVETICA.get(char, 556) / 1000 * size
    return size


def text_width(text: str, size: float) -> float:
    return sum(advance(c, size) for c in text)


@dataclass
class Canvas:
    """One page's drawing operations, in the virtual frame (points, y down)."""

    placement: str = "upright"
    ops: list[bytes] = field(default_factory=list)

    @property
    def size(self) -> tuple[float, float]:
        return PLACEMENTS[self.placement][0]

    def fill(self, x: float, top: float, width: float, height: float, rgb: tuple[float, float, float]) -> None:
        """A filled rectangle (a background, a shading, or a thin rule)."""
        r, g, b = rgb
        self.ops.append(b"q %.3f %.3f %.3f rg %.2f %.2f %.2f %.2f re f* Q" % (r, g, b, x, top, width, height))

    def hrule(self, x0: float, x1: float, y: float, weight: float = 0.5) -> None:
        self.fill(x0, y - weight / 2, x1 - x0, weight, (0, 0, 0))

    def vrule(self, x: float, top: float, bottom: float, weight: float = 0.5) -> None:
        self.fill(x - weight / 2, top, weight, bottom - top, (0, 0, 0))

    def text(self, x: float, baseline: float, text: str, size: float) -> None:
        """Glyphs one at a time, each with its own text matrix (CJK font or Helvetica)."""
        nominal = size / NOMINAL_SCALE
        parts = [b"BT 0 0 0 rg"]
        for char in text:
            if not char.isspace():
                font, code = (b"/F2", _latin(char)) if char.isascii() else (b"/F1", char.encode("utf-16-be"))
                parts.append(
                    b"%s %.0f Tf %.2f 0 0 %.2f %.2f %.2f Tm <%s> Tj"
                    % (font, nominal, NOMINAL_SCALE, -NOMINAL_SCALE, x, baseline, code.hex().encode())
                )
            x += advance(char, size)
        parts.append(b"ET")
        self.ops.append(b" ".join(parts))

    def stream(self) -> bytes:
        return b"q " + PLACEMENTS[self.placement][1] + b"\n" + b"\n".join(self.ops) + b"\nQ"


def _latin(char: str) -> bytes:
    return char.encode("cp1252")


def write_pdf(pages: list[Canvas], *, title: str = "", unmapped: bool = False) -> bytes:
    """The PDF file of ``pages`` (object 1 catalog, 2 page tree, 3-4 fonts, 5… pages and streams)."""
    objects: list[bytes] = [b"", b"", _cjk_font(unmapped), _LATIN_FONT, _CID_DESCRIPTOR]
    kids = []
    for canvas in pages:
        stream = zlib.compress(canvas.stream(), 9)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream))
        rotate = PLACEMENTS[canvas.placement][2]
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (rotate, len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info = b""
    if title:
        objects.append(b"<< /Title <feff%s> /Creator (WPS-like fixture writer) >>" % title.encode("utf-16-be").hex().encode())
        info = b"/Info %d 0 R " % len(objects)
    return classic_pdf(objects, trailer=info)


_CID_DESCRIPTOR = (
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
)
_LATIN_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _cjk_font(unmapped: bool) -> bytes:
    """STSong-Light over UCS-2 codes; or (``unmapped``) the same codes as bare glyph ids."""
    encoding = b"/Identity-H" if unmapped else b"/UniGB-UCS2-H"
    ordering = b"(Identity) /Supplement 0" if unmapped else b"(GB1) /Supplement 4"
    subtype = b"/CIDFontType2" if unmapped else b"/CIDFontType0"
    return (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding %s /DescendantFonts [<< /Type /Font "
        b"/Subtype %s /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering %s >> "
        b"/FontDescriptor 5 0 R /DW 1000 >>] >>" % (encoding, subtype, ordering)
    )

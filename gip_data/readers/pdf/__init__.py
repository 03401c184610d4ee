"""PDF reader: two readings of the text layer, cheapest first, laid out the same way.

1. ``pdfium`` (fast): characters and path objects through pypdfium2
   (:mod:`~gip_data.readers.pdf.pdfium_page`).
2. ``pdfplumber`` (the reader of record): characters, lines, rects and curves
   through pdfplumber (:mod:`~gip_data.readers.pdf.plumber_page`).

Both give a :class:`~gip_data.readers.pdf.model.PageContent` per page (display
frame, real rules only), which is turned upright when its text runs sideways
(:func:`~gip_data.readers.pdf.model.to_reading_frame`), cut into ruled tables by
pdfplumber's table finder (:mod:`~gip_data.readers.pdf.grid`), laid out into
blocks with an :class:`~gip_data.readers.document.Origin` for every cell
(:mod:`~gip_data.readers.pdf.layout`), and joined across page breaks
(:mod:`~gip_data.readers.pdf.pages`). :mod:`gip_data.parse` extracts the fast
reading first and makes the pdfplumber reading only when the rules do not all
hold under the fast one.

Failures: a password → :class:`EncryptedFileError`; too many pages →
:class:`FileTooLargeError`; pages that are images only → :class:`NoTextLayerError`;
glyphs without a Unicode value → :class:`UnmappedFontError` (both mean: needs
OCR); blank pages → :class:`EmptyFileError`; anything pdfium cannot open →
:class:`CorruptFileError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gip_data.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NoTextLayerError,
    UnmappedFontError,
)
from gip_data.readers.document import Document
from gip_data.readers.pdf.grid import cell_groups, rule_edges
from gip_data.readers.pdf.layout import layout_page
from gip_data.readers.pdf.model import PageContent, to_reading_frame
from gip_data.readers.pdf.pages import join_pages
from gip_data.readers.pdf.pdfium_page import page_content

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

# Above this share of characters without a Unicode value the text layer cannot be trusted: OCR it.
MAX_UNDECODABLE_SHARE = 0.1
# Above this share of text objects that map to no text at all, the fonts have no Unicode map.
# (Browser-printed files leave a few: space-only runs; up to 6% seen.)
MAX_BLANK_RUN_SHARE = 0.3
_WORD_EXPORT_PREFIX = re.compile(r"^(Microsoft Word|WPS文字|Microsoft PowerPoint)\s*-\s*", re.IGNORECASE)


def pdf_readings(data: bytes, source: str, limits: ReadLimits) -> Iterator[Document]:
    """The fast pdfium reading, then the pdfplumber reading (made only when asked for)."""
    pdf = _open(data, source)
    try:
        pages = len(pdf)
        if pages > limits.max_pdf_pages:
            raise FileTooLargeError(f"{pages} pages > {limits.max_pdf_pages}", source=source)
        contents = [page_content(pdf, index) for index in range(pages)]
        _check_text_layer(contents, pdf, source)
        title = _title(pdf)
    finally:
        pdf.close()
    yield build_document(contents, title, pages, "pdfium")
    from gip_data.readers.pdf.plumber_page import plumber_pages  # pdfminer loads only when needed

    yield build_document(plumber_pages(data), title, pages, "pdfplumber")


def read_pdf(data: bytes, source: str, limits: ReadLimits) -> Document:
    """The first (fast) reading of a PDF."""
    return next(pdf_readings(data, source, limits))


def build_document(contents: Iterable[PageContent], title: str | None, pages: int, reading: str) -> Document:
    """Lay out every page and join tables across page breaks."""
    placed = []
    for content in contents:
        page = to_reading_frame(content)
        placed.append(layout_page(page, cell_groups(rule_edges(page.rules))))
    return Document(format="pdf", blocks=join_pages(placed), title=title, pages=pages, reading=reading)


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


def _check_text_layer(contents: list[PageContent], pdf: pdfium.PdfDocument, source: str) -> None:
    """Typed errors for a file whose text cannot be read: needs OCR, or holds none at all."""
    usable = sum(len(c.chars) for c in contents)
    undecodable = sum(c.undecodable for c in contents)
    runs, blank = sum(c.text_runs for c in contents), sum(c.blank_runs for c in contents)
    if undecodable > MAX_UNDECODABLE_SHARE * (usable + undecodable):
        raise UnmappedFontError(f"{undecodable} of {usable + undecodable} glyphs have no Unicode value", source=source)
    if blank > MAX_BLANK_RUN_SHARE * runs:
        raise UnmappedFontError(f"{blank} of {runs} text runs map to no text", source=source)
    if usable:
        return
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


def _title(pdf: pdfium.PdfDocument) -> str | None:
    """The metadata title when it is a real (Chinese) title, not a file name."""
    try:
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    except pdfium.PdfiumError:
        return None
    title = re.sub(r"\.(docx?|wps|pdf)$", "", _WORD_EXPORT_PREFIX.sub("", title), flags=re.IGNORECASE)
    return title if re.search(r"[\u4e00-\u9fff]", title) else None

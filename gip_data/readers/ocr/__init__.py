"""OCR reader: scanned reports (image-only PDFs, PNG/JPEG/TIFF pages) → the same :class:`Document`.

A scan is read in two readings, cheapest first (the registry's ``readings``):

1. ``ocr``: the first page (title, body, year) and the pages that hold a wide
   ruled grid (tables 3 and 4, :mod:`~gip_data.readers.ocr.select`), each read
   in full (:mod:`~gip_data.readers.ocr.page`);
2. ``ocr-all-pages``: every page, made only when the first reading skipped
   pages and the rules did not all hold under it (an unruled table, a grid the
   cheap pass missed), and only for files of at most :data:`MAX_ALL_PAGES` pages.

Tables come out as :class:`~gip_data.readers.document.Table` grids with an
:class:`~gip_data.readers.document.Origin` per cell (page, box in PDF points,
OCR confidence); other text as :class:`~gip_data.readers.document.Line`\\ s. The
extractor then matches labels and decodes numbers with the rules exactly as for
any other format. A digit the recogniser is unsure of is written as U+FFFD
(:mod:`~gip_data.readers.ocr.cells`): the extractor takes such a cell as unknown.

OCR is slow (seconds per page): a caller that shows progress installs a
callback with :func:`report_progress` before parsing (the upload jobs and
``gip import`` do, in their worker processes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from gip_data.readers.document import Block, Document, DocumentFormat
from gip_data.readers.ocr.source import PageSource, image_source, pdf_source

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

Progress = Callable[[float, str], None]
MAX_ALL_PAGES = 30  # a longer scan is not read page by page when its table pages were not found
_progress: Progress | None = None


def report_progress(callback: Progress | None) -> None:
    """Install (or with None remove) the progress callback of this process: (fraction done, what)."""
    global _progress
    _progress = callback


def _tell(fraction: float, what: str) -> None:
    if _progress is not None:
        _progress(min(1.0, max(0.0, fraction)), what)


def image_readings(data: bytes, source: str, limits: ReadLimits) -> Iterator[Document]:
    """The readings of a PNG/JPEG/TIFF scan (module docstring)."""
    yield from _readings(image_source(data, source, limits), "image")


def read_image(data: bytes, source: str, limits: ReadLimits) -> Document:
    """The first reading of an image scan."""
    return next(image_readings(data, source, limits))


def scan_pdf_readings(data: bytes, source: str, limits: ReadLimits) -> Iterator[Document]:
    """The readings of an image-only PDF (the PDF reader found no usable text layer)."""
    yield from _readings(pdf_source(data, source, limits), "pdf")


def _readings(pages: PageSource, document_format: DocumentFormat) -> Iterator[Document]:
    from gip_data.readers.ocr.select import select_pages

    try:
        _tell(0.0, "查找表格所在页 / finding the table pages")
        selection = select_pages(pages) if pages.count > 1 else None
        chosen = list(selection.pages) if selection else list(range(pages.count))
        read: dict[int, list[Block]] = {}
        yield _document(pages, chosen, document_format, "ocr", read)
        if len(chosen) < pages.count <= MAX_ALL_PAGES:
            yield _document(pages, list(range(pages.count)), document_format, "ocr-all-pages", read)
    finally:
        pages.close()


def _document(
    pages: PageSource, chosen: list[int], document_format: DocumentFormat, reading: str, read: dict[int, list[Block]]
) -> Document:
    """OCR the ``chosen`` pages in full into one document (pages already in ``read`` are not read again)."""
    from gip_data.readers.ocr.engine import engine
    from gip_data.readers.ocr.page import read_page

    ocr = engine()
    blocks: list[Block] = []
    todo = [index for index in chosen if index not in read]
    for done, index in enumerate(todo):
        _tell(0.05 + 0.95 * done / len(todo), f"识别第 {index + 1} 页 / OCR page {index + 1} ({done + 1}/{len(todo)})")
        read[index] = read_page(ocr, pages.page(index))
    for index in chosen:
        blocks.extend(read[index])
    _tell(1.0, "识别完成 / OCR done")
    return Document(format=document_format, blocks=blocks, pages=pages.count, reading=reading)

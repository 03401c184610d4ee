"""Manual entry (人工录入) of a file in which no standard table was found: what staff type beside.

When the parser finds no standard table (:class:`~gip_data.errors.NotAReportError`,
:class:`~gip_data.errors.UnreadableTableError`) or the file has no text layer
and OCR did not read it (:class:`~gip_data.errors.NoTextLayerError` and its
kinds), staff can still type the numbers from the document. :func:`read_draft`
(run in a limited worker: the bytes are untrusted) gives them the document's
text, or for a PDF without usable text its page count so the pages are shown
as images, and the metadata the text names. The typed record itself is built
by :func:`gip_data.corrections.manual_record` and checked like any other.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from gip_data.errors import GipDataError, NoTextLayerError
from gip_data.schema.meta import ReportMeta
from gip_data.schema.record import Edition

# The errors after which a file is offered for manual entry: it is readable as a document, or a scan whose
# text could not be read (no text layer, fonts without a Unicode map, OCR out of its time or memory budget),
# but no standard table came out of it. Damaged, encrypted, empty or oversized files are not offered.
MANUAL_ENTRY_CODES: frozenset[str] = frozenset(
    {"not-a-report", "unreadable-table", "no-text-layer", "unmapped-font", "parse-limit"}
)
TEXT_FORMATS: tuple[str, ...] = ("txt", "html", "docx", "doc", "wps")
MIN_TEXT_CHARS = 50  # fewer characters in a PDF's text layer: a scan, shown as pages
MAX_TEXT_CHARS = 200_000  # shown beside the grid; longer documents are cut (a report is far shorter)


class ManualDraft(BaseModel):
    """What the manual-entry page shows and pre-fills: the text (or pages) and the metadata found."""

    format: str
    text: str = ""
    pages: int | None = None
    shown_as: Literal["text", "pages", "image"] = "text"
    meta: ReportMeta = ReportMeta()
    template: Edition = 2021


def offers_manual_entry(error_code: str | None) -> bool:
    """Whether a file that failed with this error code may be entered by hand."""
    return error_code in MANUAL_ENTRY_CODES


def edition_for(year: int | None) -> Edition:
    """The edition a report of this year should use (2019 format through 2020, 2021 format after)."""
    return 2019 if year is not None and year <= 2020 else 2021


def read_draft(data: bytes, file_name: str) -> ManualDraft:
    """The document's text and metadata for manual entry; a scan gives its pages (or the image) instead.

    A PDF whose text layer is (nearly) empty is shown as page images without
    reading it: reading a scan would start OCR, which failed or ran out of its
    budget already. Metadata then comes from the file name alone.
    """
    from gip_data.extract.metadata import infer_metadata
    from gip_data.readers.document import Document
    from gip_data.readers.registry import ReadLimits, read_readings
    from gip_data.readers.sniff import sniff_format
    from gip_data.sourceview import page_count, text_chars

    document_format = sniff_format(data, file_name)
    scanned = document_format not in (*TEXT_FORMATS, "pdf") or (
        document_format == "pdf" and text_chars(data) < MIN_TEXT_CHARS
    )
    try:
        # OCR off: it ran (or was out of budget) before manual entry was offered; a file that needs it is shown as pages
        document = None if scanned else next(read_readings(data, file_name, ReadLimits(allow_ocr=False)))
    except NoTextLayerError:
        document = None
    except StopIteration as exc:
        raise GipDataError("no reading", source=file_name) from exc
    if document is None:
        meta = infer_metadata(Document(format=document_format), file_name).meta
        if document_format == "pdf":
            return ManualDraft(format=document_format, pages=page_count(data), shown_as="pages", meta=meta,
                               template=edition_for(meta.year))
        return ManualDraft(format=document_format, shown_as="image", meta=meta, template=edition_for(meta.year))
    meta = infer_metadata(document, file_name).meta
    pages = document.pages if document.format == "pdf" else None
    return ManualDraft(format=document.format, text=document.text()[:MAX_TEXT_CHARS], pages=pages, meta=meta,
                       template=edition_for(meta.year))

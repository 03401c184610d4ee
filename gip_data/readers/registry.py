"""The reader registry and its entry points, :func:`read_readings` and :func:`read_document`.

Readers are registered by format string and suffixes (camelot's ``PARSERS``,
docling's ``supported_formats()``). The format is sniffed from the bytes
(:mod:`gip_data.readers.sniff`); the suffix only breaks ties. Each reader module
is imported on first use, so reading a TXT file never loads pdfium or lxml.

Every failure leaves as a typed :class:`~gip_data.errors.GipDataError` with the
file name as ``source``: a reader's library exception is wrapped here, so no
raw pdfium/zip/lxml error reaches a user.

A reader that finds no text to read (a scanned PDF: :class:`NoTextLayerError`,
"needs OCR") names an ``ocr`` readings function; the file's readings then come
from OCR (:mod:`gip_data.readers.ocr`). Image files (PNG, JPEG, TIFF) are read by
OCR directly.

A file may be read more than one way (a fast PDF path and pdfplumber; text as
lines and as fixed columns). A reader that can do so registers a ``readings``
function that yields its readings cheapest first; the parse extracts each and
keeps the one the arithmetic rules like best (:mod:`gip_data.parse`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from gip_data.errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    GipDataError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from gip_data.readers.document import Document, DocumentFormat
from gip_data.readers.sniff import sniff_format

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Input-safety limits, checked before and while a reader runs."""

    max_bytes: int = 50 * MB
    max_pdf_pages: int = 200
    max_docx_uncompressed: int = 100 * MB
    # Uncompressed/compressed size of one zip member; deflated XML reaches ~20×,
    # a zip bomb thousands.
    max_docx_ratio: float = 200.0
    # False: a file that needs OCR raises NoTextLayerError instead of being read by OCR
    # (the sandbox reads it again in a worker with the OCR budget, see gip_data.sandbox).
    allow_ocr: bool = True


ReadFunction = Callable[[bytes, str, ReadLimits], Document]
ReadingsFunction = Callable[[bytes, str, ReadLimits], Iterator[Document]]


@dataclass(frozen=True, slots=True)
class Reader:
    """A registered reader: its format, the suffixes it claims, where it lives.

    ``readings`` names an optional function of the same module that yields every
    reading of a file, cheapest first; without it the file has one reading.
    ``ocr`` ("module:function") yields the readings of a file this reader finds
    no text in (:class:`NoTextLayerError`): it goes to OCR instead.
    """

    format: DocumentFormat
    suffixes: tuple[str, ...]
    module: str
    function: str
    readings: str | None = None
    ocr: str | None = None
    label: str | None = None  # the format's name in messages (default: the format in capitals)

    def load(self) -> ReadFunction:
        """Import the reader module and return its read function."""
        read: ReadFunction = getattr(importlib.import_module(self.module), self.function)
        return read

    def load_readings(self) -> ReadingsFunction:
        """The function yielding every reading (the single read function when there is one way)."""
        if self.readings is None:
            read = self.load()

            def single(data: bytes, source: str, limits: ReadLimits) -> Iterator[Document]:
                yield read(data, source, limits)

            return single
        readings: ReadingsFunction = getattr(importlib.import_module(self.module), self.readings)
        return readings

    def load_ocr(self) -> ReadingsFunction | None:
        """The readings function for a file this reader finds no text in (None: no OCR route)."""
        if self.ocr is None:
            return None
        module, function = self.ocr.split(":")
        readings: ReadingsFunction = getattr(importlib.import_module(module), function)
        return readings


READERS: dict[str, Reader] = {
    "txt": Reader("txt", (".txt", ".text", ".csv", ".md"), "gip_data.readers.txt", "read_txt", "txt_readings"),
    "html": Reader("html", (".html", ".htm", ".xhtml", ".shtml"), "gip_data.readers.html", "read_html", "html_readings"),
    "docx": Reader("docx", (".docx",), "gip_data.readers.docx", "read_docx"),
    "pdf": Reader(
        "pdf",
        (".pdf",),
        "gip_data.readers.pdf",
        "read_pdf",
        readings="pdf_readings",
        ocr="gip_data.readers.ocr:scan_pdf_readings",
    ),
    # Converted to DOCX by LibreOffice in a separate process (gip_data.readers.legacy_office).
    "doc": Reader("doc", (".doc",), "gip_data.readers.legacy_office", "read_doc"),
    "wps": Reader("wps", (".wps",), "gip_data.readers.legacy_office", "read_wps"),
    # Scans and photos of report pages, read by OCR.
    "image": Reader(
        "image",
        (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
        "gip_data.readers.ocr",
        "read_image",
        readings="image_readings",
        label="PNG/JPEG/TIFF",
    ),
}

# Formats a user may upload by mistake; their content never sniffs as one of
# ours, so the magic gives the clearer message.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"GIF8", "GIF image"),
    (b"{\\rtf", "RTF document"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7z archive"),
)


def supported_suffixes() -> list[str]:
    """Every suffix a registered reader claims, for upload widgets and messages."""
    return sorted({s for reader in READERS.values() for s in reader.suffixes})


def supported_formats() -> list[str]:
    """The registered formats by name (``PDF``, ``DOCX``, …), for the messages that list them."""
    return sorted({reader.label or reader.format.upper() for reader in READERS.values()})


def read_document(data: bytes, file_name: str, limits: ReadLimits | None = None) -> Document:
    """Read one report file's bytes into a :class:`Document` (its first, cheapest reading).

    Raises :class:`FileTooLargeError`, :class:`EmptyFileError`,
    :class:`UnsupportedFormatError`, :class:`CorruptFileError`,
    :class:`~gip_data.errors.EncryptedFileError` or
    :class:`~gip_data.errors.NoTextLayerError`, all with ``source=file_name``.
    """
    for document in read_readings(data, file_name, limits):
        return document
    raise EmptyFileError("no text found", source=file_name)  # a readings function that yields nothing


def read_readings(data: bytes, file_name: str, limits: ReadLimits | None = None) -> Iterator[Document]:
    """Every reading of one file, cheapest first, each checked and wrapped like :func:`read_document`.

    The generator is lazy: a caller satisfied with the first reading never pays
    for the others. An error of a later reading is raised where it happens; the
    caller decides whether an earlier reading is good enough.
    """
    limits = limits or ReadLimits()
    if len(data) > limits.max_bytes:
        raise FileTooLargeError(f"{len(data) / MB:.1f} MB > {limits.max_bytes / MB:.0f} MB", source=file_name)
    document_format = _format_of(data, file_name)
    if document_format == "image" and not limits.allow_ocr:
        raise NoTextLayerError("image file: needs OCR", source=file_name)
    reader = READERS[document_format]
    readings = reader.load_readings()(data, file_name, limits)
    yielded = False
    while True:
        try:
            document = next(readings)
        except StopIteration:
            return
        except NoTextLayerError as exc:
            ocr = reader.load_ocr() if limits.allow_ocr else None
            if yielded or ocr is None:
                exc.source = exc.source or file_name
                raise
            readings, reader = ocr(data, file_name, limits), READERS["image"]  # read from here on by OCR
            continue
        except GipDataError as exc:
            exc.source = exc.source or file_name
            raise
        except MemoryError as exc:
            raise FileTooLargeError("out of memory while reading", source=file_name) from exc
        except Exception as exc:  # a library's own error: wrap it, never show a traceback
            raise CorruptFileError(f"{type(exc).__name__}: {exc}", source=file_name) from exc
        if not document.blocks:
            raise EmptyFileError("no text found", source=file_name)
        yielded = True
        yield document


def _format_of(data: bytes, file_name: str) -> DocumentFormat:
    """The sniffed format, refusing known foreign types and suffix/content clashes."""
    for magic, what in _REFUSED_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(what, source=file_name)
    document_format = sniff_format(data, file_name)
    suffix = PurePath(file_name).suffix.lower()
    if document_format == "txt" and suffix in (".pdf", ".docx", ".doc", ".wps", ".xls", ".xlsx", ".zip"):
        # Named like a binary format but holds no such structure: a broken download.
        raise CorruptFileError(f"content is not a valid {suffix} file", source=file_name)
    return document_format

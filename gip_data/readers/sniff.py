"""Which reader a file needs, decided by its content first and its suffix second.

Users upload files with wrong or missing suffixes ("报告.pdf" that is really a
Word file, an .htm saved as .txt), so magic bytes decide: ``%PDF`` → pdf, a zip
holding ``word/document.xml`` → docx, PNG/JPEG/TIFF signatures → image (a scan
or photo of report pages, read by OCR), markup → html, anything else → text.
Formats we cannot read are refused here, before any parser touches the bytes:
legacy OLE Word/Excel files, macro-enabled documents, other zips.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from gip_data.errors import CorruptFileError, EmptyFileError, UnsupportedFormatError
from gip_data.readers.document import DocumentFormat

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Raster images a scanner or a phone writes (PNG, JPEG, little- and big-endian TIFF).
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Markup that only HTML starts with; searched in the first KB after decoding
# loosely, so UTF-16 and GBK pages are recognised too.
_HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|table[\s>]|meta\s|title>|div[\s>]|p[\s>])",
    re.IGNORECASE,
)
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mht"}
_MACRO_CONTENT_TYPE = b"macroEnabled"
# A PDF header may follow some junk bytes; the spec allows it within 1 KB.
_PDF_WINDOW = 1024


def sniff_format(data: bytes, file_name: str) -> DocumentFormat:
    """The document format of ``data``; raises for empty or unsupported input."""
    if not data.strip():
        raise EmptyFileError(source=file_name)
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith(_OLE_MAGIC):
        raise UnsupportedFormatError(
            "legacy Word/Excel (OLE) file; save it as .docx or PDF", source=file_name
        )
    if data.startswith(_ZIP_MAGIC):
        return _zip_format(data, file_name)
    if _looks_like_html(data, file_name):
        return "html"
    return "txt"


def _zip_format(data: bytes, file_name: str) -> DocumentFormat:
    """docx for a Word document zip; every other zip is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise CorruptFileError(f"damaged zip archive: {exc}", source=file_name) from exc
    except RuntimeError as exc:  # zipfile raises RuntimeError for encrypted entries
        raise CorruptFileError(f"unreadable zip archive: {exc}", source=file_name) from exc
    if "word/document.xml" not in names:
        raise UnsupportedFormatError("zip archive that is not a Word document", source=file_name)
    if _MACRO_CONTENT_TYPE.lower() in content_types.lower() or "word/vbaProject.bin" in names:
        raise UnsupportedFormatError("macro-enabled Word document (.docm)", source=file_name)
    if PurePath(file_name).suffix.lower() in {".docm", ".dotm"}:
        raise UnsupportedFormatError("macro-enabled Word document (.docm)", source=file_name)
    return "docx"


def _looks_like_html(data: bytes, file_name: str) -> bool:
    """Markup near the start (in any common encoding) or an HTML suffix."""
    if PurePath(file_name).suffix.lower() in _HTML_SUFFIXES:
        return True
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1:2] == b"\x00" or head[:1] == b"\x00":
        head = head.replace(b"\x00", b"")  # UTF-16: drop the high bytes of ASCII
    return bool(_HTML_MARKERS.search(head))

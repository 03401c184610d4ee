"""Which reader a file needs, decided by its content first and its suffix second.

Users upload files with wrong or missing suffixes ("报告.pdf" that is really a
Word file, an .htm saved as .txt), so magic bytes decide: ``%PDF`` → pdf, a zip
holding ``word/document.xml`` → docx, an OLE2 compound file holding a Word
document stream → doc (wps when named .wps: WPS Office writes the same
structure), one holding a Works text stream → wps, PNG/JPEG/TIFF signatures →
image (a scan or photo of report pages, read by OCR), markup → html, anything
else → text. Formats we cannot read are refused here, before any parser touches the
bytes: OLE Excel/PowerPoint files, encrypted Office files, macro-enabled
documents, other zips.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from gip_data.errors import CorruptFileError, EmptyFileError, EncryptedFileError, UnsupportedFormatError
from gip_data.readers.document import DocumentFormat

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Root streams that tell what an OLE2 compound file holds.
_OLE_WORD = "worddocument"  # Word 97–2003, and WPS Office's .wps (the same binary format)
_OLE_WORKS = "contents"  # Microsoft Works word processor (.wps)
_OLE_FOREIGN = {
    "workbook": "Excel 97–2003 workbook",
    "book": "Excel 5 workbook",
    "powerpoint document": "PowerPoint 97–2003 presentation",
}
_OLE_ENCRYPTED = {"encryptedpackage", "encryptioninfo"}  # a password-protected .docx/.xlsx
# Word's file information block: magic number, and the flags word with fEncrypted.
_WORD_IDENT = 0xA5EC
_WORD_ENCRYPTED = 0x0100
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
    if data.startswith(OLE_MAGIC):
        return _ole_format(data, file_name)
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


def _ole_format(data: bytes, file_name: str) -> DocumentFormat:
    """doc or wps for a Word/WPS compound file; other OLE2 files are refused with their kind."""
    import olefile  # only for OLE2 input

    try:
        # Given a file object the stubs take the stream names' type from the annotation: str, as olefile
        # decodes them (path_encoding utf-8); given the bytes themselves they would say bytes.
        ole: olefile.OleFileIO[str] = olefile.OleFileIO(io.BytesIO(data))
        with ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
            header = ole.openstream("WordDocument").read(12) if _OLE_WORD in streams else b""
    except Exception as exc:  # olefile raises OSError, ValueError, struct errors… on damaged files
        raise CorruptFileError(f"damaged Word 97–2003/WPS file: {exc}", source=file_name) from exc
    if streams & _OLE_ENCRYPTED:
        raise EncryptedFileError("password-protected Office document", source=file_name)
    suffix = PurePath(file_name).suffix.lower()
    if _OLE_WORD in streams:
        if len(header) < 12 or int.from_bytes(header[:2], "little") != _WORD_IDENT:
            raise CorruptFileError("Word document stream without a valid header", source=file_name)
        if int.from_bytes(header[10:12], "little") & _WORD_ENCRYPTED:
            raise EncryptedFileError("password-protected Word 97–2003 document", source=file_name)
        return "wps" if suffix == ".wps" else "doc"
    if _OLE_WORKS in streams:
        return "wps"
    kind = next((what for stream, what in _OLE_FOREIGN.items() if stream in streams), "OLE2 compound file")
    raise UnsupportedFormatError(f"{kind}, not a Word or WPS document", source=file_name)


def _looks_like_html(data: bytes, file_name: str) -> bool:
    """Markup near the start (in any common encoding) or an HTML suffix."""
    if PurePath(file_name).suffix.lower() in _HTML_SUFFIXES:
        return True
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1:2] == b"\x00" or head[:1] == b"\x00":
        head = head.replace(b"\x00", b"")  # UTF-16: drop the high bytes of ASCII
    return bool(_HTML_MARKERS.search(head))

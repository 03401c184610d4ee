"""Bytes → str for the text formats (TXT, HTML), shared by both readers.

Chinese government sites publish in UTF-8, GBK/GB2312 (often mislabelled) and
now and then UTF-16 from a Windows "save as Unicode". The order of trust is:
a byte-order mark, the NUL pattern of BOM-less UTF-16, strict UTF-8, a declared
charset (HTML only, and only when it decodes cleanly), then charset-normalizer.
Every GB-family answer is decoded as GB18030, the superset of GB2312 and GBK, so
a page labelled "gb2312" that uses a GBK-only character still decodes.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from gip_data.errors import CorruptFileError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "euc_cn", "euc-cn", "hz", "x-gbk", "ms936"}
# C0 controls other than tab, LF, CR, FF: text never carries many of them.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Samples are enough to see the NUL pattern of UTF-16 and to run detection.
_SAMPLE = 64 * 1024


def canonical_encoding(name: str) -> str:
    """The codec we decode with for a declared or detected name (GB family → gb18030)."""
    try:
        normal = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return name.strip().lower()
    return "gb18030" if normal in _GB_FAMILY or name.strip().lower() in _GB_FAMILY else normal


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding and BOM length when ``data`` starts with a byte-order mark."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _utf16_by_nul_pattern(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII and CJK text puts NULs on one parity of byte."""
    sample = data[: _SAMPLE - (_SAMPLE % 2)]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    # Text with any ASCII (digits, punctuation, newlines) puts NULs on one side.
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _is_single_byte(encoding: str) -> bool:
    """True for codecs that map every byte to a character (latin-1, cp1252…)."""
    return encoding in {"ascii", "latin-1", "iso8859-1"} or encoding.startswith(
        ("cp125", "iso8859", "mac-", "koi8", "cp437", "cp85")
    )


def _decodes_cleanly(data: bytes, encoding: str) -> str | None:
    """``data`` decoded strictly, or None when the codec rejects it."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, preferring a GB-family answer when it has one."""
    matches = from_bytes(data[:_SAMPLE] if len(data) > _SAMPLE else data)
    names = [m.encoding for m in matches]
    for name in names:
        if canonical_encoding(name) == "gb18030":
            return "gb18030"
    return names[0] if names else None


def looks_like_text(text: str) -> bool:
    """False for decoded binary: many control characters or replacement chars."""
    if not text:
        return True
    sample = text[:_SAMPLE]
    bad = len(_CONTROL_CHARS.findall(sample)) + sample.count("\ufffd")
    return bad <= max(2, len(sample) // 200)


def bytes_to_text(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    ``declared`` is a charset the document itself names (HTML meta). It wins
    only if it decodes without error; a page declared UTF-8 that is really GBK
    falls through to detection. Raises :class:`CorruptFileError` for bytes no
    encoding turns into plausible text.
    """
    bom = _bom_encoding(data)
    if bom:
        text = data[bom[1] :].decode(bom[0], errors="replace")
        return _checked(text, source), bom[0]
    utf16 = _utf16_by_nul_pattern(data)
    if utf16:
        return _checked(data.decode(utf16, errors="replace"), source), utf16
    # Strict UTF-8 first: non-ASCII bytes that happen to form valid UTF-8 are
    # almost never another encoding. A declared single-byte charset decodes
    # anything, so it is no evidence and is left to detection.
    candidates = ["utf-8"]
    if declared and not _is_single_byte(canonical_encoding(declared)):
        candidates.append(canonical_encoding(declared))
    for encoding in candidates:
        clean = _decodes_cleanly(data, encoding)
        if clean is not None:
            return _checked(clean, source), encoding
    detected = _detected_encoding(data)
    if detected is None:
        raise CorruptFileError("no text encoding fits the bytes", source=source)
    encoding = canonical_encoding(detected)
    return _checked(data.decode(encoding, errors="replace"), source), encoding


def _checked(text: str, source: str) -> str:
    """``text`` when it is plausible text; binary data raises CorruptFileError."""
    if not looks_like_text(text):
        raise CorruptFileError("binary data, not text", source=source)
    return text

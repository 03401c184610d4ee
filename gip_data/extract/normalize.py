"""Text normalisation for matching labels and reading numbers.

Labels are compared on their *core*: NFKC (full-width digits and brackets
become ASCII), traditional → simplified (OpenCC), bracketed notes and list
enumerators (``1.``, ``1、``, ``（1）``, ``（三）``, ``一、``) removed, and only
CJK characters and letters kept, so spacing, quotes and punctuation variants do
not matter. Numbers are read from NFKC text with thousands separators, signs
and units tolerated.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_CONVERTER: opencc.OpenCC | None = None

# Cells that stand for "unknown" in a printed table.
PLACEHOLDERS: frozenset[str] = frozenset(
    {"-", "—", "–", "－", "--", "——", "-—", "/", "／", "\\", "无", "空", "*", "x", "X", "…", "..."}
)
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(?\d{1,2}\)?[.、]?|\([一二三四五六七八九十\d]{1,2}\))")
_BRACKET_PAIRS = {"(": ")", "[": "]", "【": "】", "〔": "〕", "<": ">", "《": "》"}
_CORE_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_SHORT_ENUM = re.compile(r"\(([一二三四五六七八九十\d]{1,2})\)")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"(?:\(?(?:万元|元|件|个|项|人次|次|条)\)?)$")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC ``t2s``); the converter loads once."""
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = opencc.OpenCC("t2s")
    return str(_CONVERTER.convert(text))


def nfkc(text: str) -> str:
    """NFKC with the ideographic full stop and list comma kept distinct from ASCII."""
    return unicodedata.normalize("NFKC", text).replace("\u00a0", " ")


def drop_bracket_notes(text: str) -> str:
    """Remove bracketed notes but keep short enumerators like ``(三)``.

    An unclosed bracket (a note wrapped onto the next line) drops everything
    after it; an unopened closing bracket drops everything before it, which is
    the tail of a note wrapped from the previous line.
    """
    text = _SHORT_ENUM.sub(r"〖\1〗", text)
    closers = set(_BRACKET_PAIRS.values())
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in _BRACKET_PAIRS:
            depth += 1
        elif ch in closers:
            if depth == 0:
                out.clear()  # tail of a note opened on a previous line
            else:
                depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out).replace("〖", "(").replace("〗", ")")


@lru_cache(maxsize=4096)
def label_core(text: str) -> str:
    """The comparable core of a label (see module docstring)."""
    text = drop_bracket_notes(to_simplified(nfkc(text)))
    text = re.sub(r"\s+", "", text)
    previous = None
    while previous != text:
        previous = text
        text = _ENUMERATOR.sub("", text)
    return "".join(_CORE_CHAR.findall(text))


def clean_label(text: str) -> str:
    """A display form of a printed label: NFKC, simplified, no inner whitespace."""
    return re.sub(r"\s+", "", to_simplified(nfkc(text)))


def is_placeholder(text: str) -> bool:
    """True for a cell printed as '—', '-', '/', '无' … (an unknown value)."""
    return nfkc(text).strip() in PLACEHOLDERS


def parse_number(text: str) -> int | float | None:
    """Read one printed number: full-width digits, thousands separators, sign, unit.

    Returns an int when the text has no decimals, a float otherwise, None when
    the text is not a number.
    """
    value = re.sub(r"\s+", "", nfkc(text))
    value = _UNIT_SUFFIX.sub("", value)
    if not _NUMBER.match(value):
        return None
    value = value.replace(",", "")
    if "." in value:
        return float(value)
    return int(value)


_ENUM_BRACKET = re.compile(r"^\s*\(\s*([一二三四五六七八九十]+)\s*\)")
_ENUM_CHINESE = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.]")
_ENUM_DIGIT = re.compile(r"^\s*\(?\s*(\d{1,2})\s*[).、]")


@lru_cache(maxsize=4096)
def enumerator(text: str) -> str:
    """The list marker a label starts with, unified: "(三)", "三、" or "3." ("" if none).

    ``1、``, ``1.``, ``（1）`` all give "1."; ``（三）`` and ``三、`` stay distinct
    because table 3 uses both levels.
    """
    text = nfkc(text)
    if match := _ENUM_BRACKET.match(text):
        return f"({match.group(1)})"
    if match := _ENUM_CHINESE.match(text):
        return f"{match.group(1)}、"
    if match := _ENUM_DIGIT.match(text):
        return f"{int(match.group(1))}."
    return ""

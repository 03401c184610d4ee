"""Report facts read at parse time from the text outside the tables (see :mod:`gip_data.schema.facts`).

:func:`extract_facts` is the one call the parse makes. It works on the
*narrative*: the document's text lines that are not table rows (a grid, a line
with cell separators, a line of three or more bare numbers), normalised with
NFKC so full-width digits and punctuation read like ASCII. From it come

- the skeleton parts present (一、总体情况 … 六、其他需要报告的事项), matched by
  keyword in a heading "<numeral>、<title>" so renamed headings still count and
  table-3 row labels (一、本年新收…) never do;
- the numbers the prose states (:mod:`gip_data.extract.facts_numbers`);
- whether the fee paragraph (信息处理费) and table 2 are there;
- the dates (:mod:`gip_data.extract.facts_dates`);
- a fingerprint of the sentences: digits become one placeholder (a copied
  sentence with this year's figures is still a copy), punctuation and spaces
  go, and the MinHash signature of the distinct sentences is kept (32 numbers,
  whatever the report's length: the share of equal positions in two signatures
  estimates the two reports' share of common sentences).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from gip_data.extract.facts_dates import report_dates
from gip_data.extract.facts_numbers import Sentence, stated_numbers
from gip_data.readers.document import Document, Line
from gip_data.schema.facts import FINGERPRINT_SIZE, ReportFacts

# A heading's numeral follows a line start, a stop, a space or a table's last digit (text run together);
# Arabic numerals (1、总体情况) only at a line start.
_HEADING = re.compile(
    r"(?:(?:^|(?<=[\s。;:!?)\d%]))(?P<numeral>[一二三四五六七])\s*[、.]|^(?P<arabic>[1-7])\s*、)\s*(?=(?P<title>[^\n。;]{1,30}))",
    re.MULTILINE,
)
# Skeleton part → keywords of its heading, tried in this order (复议/诉讼 before 申请: 四's title names both).
_SECTION_KEYWORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (4, re.compile(r"复议|诉讼")),
    (6, re.compile(r"其他需要|其他事项|需要说明|需要报告")),
    (3, re.compile(r"依申请|收到.{0,8}申请|处理.{0,8}申请|申请.{0,6}(?:情况|办理)")),
    (2, re.compile(r"主动公开")),
    (5, re.compile(r"问题|改进|不足|工作计划|工作打算|(?:明年|下一步|下一年)")),
    (1, re.compile(r"总体情况|基本情况|概述|总体概况|工作概况")),
)
# Table-3/4 row labels that look like headings (一、本年新收…, 三、本年度办理结果).
_TABLE_LABEL = re.compile(r"^(?:本年新收|上年结转|本年度办理结果|结转下年度)")
_TABLE_ROW = re.compile(r"(?:\d[\d.,]*\s+){2,}\d|^[\d\s.,|/—-]*$")
_HEADING_START = re.compile(r"^(?:[一二三四五六七]\s*[、.]|[1-7]\s*、|[(（][一二三四五六七八九十]+[)）])")
_LINE_END = ("。", "!", "?", ";", ":", ")", "”")
_FEE = re.compile(r"信息处理费|(?:未|没有|无|不)(?:收取|收)[^。;]{0,16}?费|收费情况")
_TABLE2 = re.compile(r"第二十条第\s*[(（]?\s*[一1]\s*[)）]?\s*项")
_SENTENCE_END = re.compile(r"[。!?;\n]")
_NOT_TEXT = re.compile(r"[\s\W_]+")
_DIGITS = re.compile(r"\d+")
MIN_SENTENCE, MAX_SENTENCE = 8, 200
HEADING_TITLE_CHARS = 20
SHORT_LINE = 20
HEADING_LINE = 40
TABLE_CELL_CHARS = 20
TABLE_ROW_CHARS = 150  # longer lines are prose (a page whose text runs together may hold a table inside)


def _is_table_row(cells: list[str]) -> bool:
    """A grid row: several cells most of them short, or a short line of bare numbers."""
    parts = [c.strip() for c in cells if c.strip()]
    if len(parts) > 1:
        return sum(len(p) <= TABLE_CELL_CHARS for p in parts) * 2 >= len(parts)
    text = parts[0] if parts else ""
    return len(text) <= TABLE_ROW_CHARS and bool(_TABLE_ROW.search(text))


def narrative_lines(document: Document) -> list[str]:
    """The text lines outside the tables, NFKC-normalised (see the module docstring)."""
    out = []
    for block in document.blocks:
        if not isinstance(block, Line):
            continue
        cells = [unicodedata.normalize("NFKC", c) for c in block.cells]
        if not _is_table_row(cells):
            out.append(" ".join(c.strip() for c in cells if c.strip()))
    return out


def join_lines(lines: list[str]) -> str:
    """The narrative as one text: a line wrapped inside a sentence (PDF, converted text) joins the next.

    A line break stays where the line ends a sentence, is short (a heading, a
    date line) or the next line opens a heading.
    """
    out: list[str] = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        out.append(line)
        heading = len(line) <= HEADING_LINE and _HEADING_START.match(line)
        ends = line.endswith(_LINE_END) or len(line) < SHORT_LINE or heading or _HEADING_START.match(following)
        out.append("\n" if ends else "")
    return "".join(out).rstrip("\n")


def sections_present(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """The skeleton parts whose heading is found, and (position, part) of every heading in order."""
    marks: list[tuple[int, int]] = []
    for match in _HEADING.finditer(text):
        title = match["title"][:HEADING_TITLE_CHARS]
        if _TABLE_LABEL.match(title):
            continue
        part = next((k for k, pattern in _SECTION_KEYWORDS if pattern.search(title)), None)
        if part is not None:
            marks.append((match.start(), part))
    return sorted({part for _, part in marks}), marks


def split_sentences(text: str, marks: list[tuple[int, int]]) -> list[Sentence]:
    """The sentences of the narrative, each with the skeleton part it stands in."""
    sentences, start, mark = [], 0, 0
    section = 0
    for end_match in [*_SENTENCE_END.finditer(text), None]:
        end = end_match.end() if end_match else len(text)
        while mark < len(marks) and marks[mark][0] < end:
            section = marks[mark][1]
            mark += 1
        piece = text[start:end].strip()
        if piece:
            sentences.append(Sentence(piece, section))
        start = end
    return sentences


def normalise_sentence(text: str) -> str:
    """Digits to one placeholder, punctuation and spaces removed."""
    return _NOT_TEXT.sub("", _DIGITS.sub("#", text))


# MinHash: FINGERPRINT_SIZE hash functions h_i(x) = (a_i·x + b_i) mod (2^61 − 1), fixed once for all reports.
_PRIME = (1 << 61) - 1
_COEFFICIENTS = [
    (int.from_bytes(hashlib.blake2b(b"a%d" % i, digest_size=8).digest(), "big") % (_PRIME - 1) + 1,
     int.from_bytes(hashlib.blake2b(b"b%d" % i, digest_size=8).digest(), "big") % _PRIME)
    for i in range(FINGERPRINT_SIZE)
]


def sentence_hash(normalised: str) -> int:
    """The 64-bit hash of one normalised sentence."""
    return int.from_bytes(hashlib.blake2b(normalised.encode(), digest_size=8).digest(), "big")


def minhash(hashes: set[int]) -> list[int]:
    """The MinHash signature of a set of sentence hashes: per hash function its minimum (low 32 bits); [] if empty."""
    if not hashes:
        return []
    return [min((a * h + b) % _PRIME for h in hashes) & 0xFFFFFFFF for a, b in _COEFFICIENTS]


def fingerprint(sentences: list[Sentence]) -> tuple[int, list[int]]:
    """(distinct sentences kept, their MinHash signature)."""
    hashes = set()
    for sentence in sentences:
        norm = normalise_sentence(sentence.text)
        if MIN_SENTENCE <= len(norm) <= MAX_SENTENCE and norm.count("#") * 4 < len(norm):
            hashes.add(sentence_hash(norm))
    return len(hashes), minhash(hashes)


def extract_facts(document: Document, data: bytes = b"", *, has_table2_rows: bool = False) -> ReportFacts:
    """The facts of one report (``has_table2_rows``: the table extractor found table-2 rows)."""
    lines = narrative_lines(document)
    text = join_lines(lines)
    sections, marks = sections_present(text)
    sentences = split_sentences(text, marks)
    count, sketch = fingerprint(sentences)
    full_text = unicodedata.normalize("NFKC", "\n".join(filter(None, [document.title or "", document.text()])))
    return ReportFacts(
        stated=stated_numbers(sentences),
        sections=sections,
        narrative_chars=len(_NOT_TEXT.sub("", text)),
        table2=has_table2_rows or bool(_TABLE2.search(full_text)),
        fee_paragraph=bool(_FEE.search(text)),
        dates=report_dates(full_text, lines, data, document.format),
        sentences=count,
        fingerprint=sketch,
    )

"""Dates a report carries: the page's 发布时间, the date line at its end, the file's own dates.

- published: a header line "发布时间: 2024-03-08" (crawled pages keep it at the
  top of the text) or an HTML ``<meta name="PubDate" content="2024-03-08">``;
- signed: a date standing alone at the end of a line in the report's last
  lines (the 落款 under the body's name), Arabic or Chinese numerals
  (二〇二五年一月十五日);
- file_created / file_modified: a PDF's Info dictionary (CreationDate, ModDate)
  or a DOCX's core properties (dcterms:created, dcterms:modified).

A date that does not exist (2月30日) is no date. Reading a file's metadata
never fails the parse: a file without readable metadata simply has no file dates.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from gip_data.schema.facts import ReportDates

_CN_DIGIT = "〇零一二三四五六七八九"
_YEAR = rf"(?P<y>(?:19|20)\d\d|[{_CN_DIGIT}]{{4}})"
_MONTH = r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})"
_DAY = r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})"
_CN_DATE = re.compile(rf"{_YEAR}\s*年\s*{_MONTH}\s*月\s*{_DAY}\s*日")
_ISO_DATE = r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
_PUBLISHED = re.compile(rf"(?:发布时间|发布日期|公开日期|发布于|发文日期)\s*[:：]?\s*{_ISO_DATE}")
_META_NAMES = r"(?:pubdate|publishdate|firstpublishedtime|published_time|article:published_time|dc\.date)"
_META_NAME_FIRST = re.compile(
    rb"(?i)<meta[^>]{0,40}?(?:name|property)\s*=\s*[\"']?" + _META_NAMES.encode()
    + rb"[\"']?[^>]{0,40}?content\s*=\s*[\"']?((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})"
)
_META_CONTENT_FIRST = re.compile(
    rb"(?i)<meta[^>]{0,40}?content\s*=\s*[\"']?((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})[^>]{0,40}?(?:name|property)"
    rb"\s*=\s*[\"']?" + _META_NAMES.encode()
)
_PDF_DATE = re.compile(r"^D?:?((?:19|20)\d\d)(\d\d)(\d\d)")
_DOCX_DATE = re.compile(r"<dcterms:(created|modified)[^>]*>\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
HEADER_CHARS = 3000
END_LINES = 6
END_LINE_CHARS = 60


_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _cn_int(text: str) -> int | None:
    """一/十二/二十一/三十 → int; None when not a small Chinese numeral."""
    if text.isdigit():
        return int(text)
    tens, sep, ones = text.partition("十")
    if not sep:
        return _CN_VALUE.get(text) if len(text) == 1 else None
    high = _CN_VALUE.get(tens) if tens else 1
    low = _CN_VALUE.get(ones) if ones else 0
    return None if high is None or low is None else high * 10 + low


def make_date(year: str, month: str, day: str) -> date | None:
    """A date from the printed parts (Arabic or Chinese numerals), None when it does not exist."""
    y = int(year) if year.isdigit() else int("".join(str(_CN_VALUE[c]) for c in year))
    m, d = _cn_int(month), _cn_int(day)
    if m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def published_date(text: str, data: bytes) -> date | None:
    """The page's publication date: a 发布时间 line near the top, else an HTML meta tag."""
    match = _PUBLISHED.search(text[:HEADER_CHARS])
    if match:
        return make_date(match["y"], match["m"], match["d"])
    head = data[:65536]
    meta = _META_NAME_FIRST.search(head) or _META_CONTENT_FIRST.search(head)
    return make_date(*(g.decode() for g in meta.groups())) if meta else None


def signed_date(narrative_lines: list[str]) -> date | None:
    """The date line at the end: the last date ending one of the last lines, on a short line."""
    for line in reversed(narrative_lines[-END_LINES:]):
        stripped = line.strip()
        matches = list(_CN_DATE.finditer(stripped))
        if not matches or matches[-1].end() != len(stripped):
            continue
        found = matches[-1]
        before = stripped[: found.start()].rstrip(" 　")
        # A long line ending in a date is a date line only when the date stands apart (after a stop or a space).
        if len(stripped) > END_LINE_CHARS and before and stripped[found.start() - 1] not in " 　。":
            continue
        return make_date(found["y"], found["m"], found["d"])
    return None


def file_dates(data: bytes, document_format: str) -> tuple[date | None, date | None]:
    """(created, modified) from a PDF's Info dictionary or a DOCX's core properties."""
    try:
        if document_format == "pdf":
            return _pdf_dates(data)
        if document_format == "docx":
            return _docx_dates(data)
    except Exception:  # noqa: BLE001 - metadata is optional: an unreadable one is simply absent
        return None, None
    return None, None


def _pdf_dates(data: bytes) -> tuple[date | None, date | None]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        meta = pdf.get_metadata_dict(skip_empty=True)
    finally:
        pdf.close()

    def parse(key: str) -> date | None:
        match = _PDF_DATE.match(meta.get(key, "").strip())
        return make_date(*match.groups()) if match else None

    return parse("CreationDate"), parse("ModDate")


def _docx_dates(data: bytes) -> tuple[date | None, date | None]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("docProps/core.xml")
        if info.file_size > 1_000_000:
            return None, None
        core = archive.read(info).decode("utf-8", "replace")
    found = {m.group(1): make_date(*m.groups()[1:]) for m in _DOCX_DATE.finditer(core)}
    return found.get("created"), found.get("modified")


def report_dates(text: str, narrative_lines: list[str], data: bytes, document_format: str) -> ReportDates:
    """Every date known for one report (see the module docstring)."""
    created, modified = file_dates(data, document_format)
    return ReportDates(
        published=published_date(text, data),
        signed=signed_date(narrative_lines),
        file_created=created,
        file_modified=modified,
    )

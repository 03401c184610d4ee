"""What a report says outside its tables, read at parse time (the 年报质量 checks' evidence).

:class:`ReportFacts` rides on :class:`gip_data.schema.record.AnnualReport` as the
optional ``facts`` field, so it is stored with the record and reads back with it.
Everything here is what the text states, never a value derived from the tables:
the numbers the narrative gives with their sentence, the sections and paragraphs
present, the dates the document or its file carry, and a compact fingerprint of
its sentences for copied-text detection.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FACTS_VERSION = 1

# What a narrative number counts. The table cells each kind is compared with are
# named in gip_data.quality.checks (proactive has no table counterpart).
StatedKind = Literal["received", "carried_over", "closed", "carried_forward", "review", "litigation", "proactive"]
STATED_KINDS: tuple[str, ...] = (
    "received", "carried_over", "closed", "carried_forward", "review", "litigation", "proactive",
)
STATED_LABELS: dict[str, str] = {
    "received": "收到申请",
    "carried_over": "上年结转",
    "closed": "办结",
    "carried_forward": "结转下年度",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "proactive": "主动公开",
}

# The six parts of the report skeleton (both editions); a report may split one into two (一…七).
SECTION_NAMES: dict[int, str] = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}
FINGERPRINT_SIZE = 32  # hash functions of the MinHash signature of the sentences


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatedNumber(_Model):
    """One number the narrative states, with what it counts and the sentence it stands in."""

    kind: StatedKind
    value: int = Field(ge=0)
    sentence: str  # the sentence, cut to at most 160 characters around the number


class ReportDates(_Model):
    """Dates known for the report; each None when the source does not give it.

    ``published``: the page's 发布时间 (a crawler header, an HTML meta tag);
    ``signed``: the date line at the end of the report (落款日期);
    ``file_created`` / ``file_modified``: the file's own metadata (PDF Info, DOCX core properties).
    """

    published: date | None = None
    signed: date | None = None
    file_created: date | None = None
    file_modified: date | None = None


class ReportFacts(_Model):
    """The facts of one report read outside its tables (see the module docstring).

    ``sections`` lists the skeleton parts (keys of :data:`SECTION_NAMES`) whose
    heading was found; ``narrative_chars`` is the length of the text outside the
    tables (a near-empty narrative makes the section check unknown, not failed);
    ``fingerprint`` is the MinHash signature of the distinct normalised sentences
    (:data:`FINGERPRINT_SIZE` minima, one per hash function; empty when there is
    no sentence), ``sentences`` how many distinct sentences there are.
    """

    version: int = FACTS_VERSION
    stated: list[StatedNumber] = Field(default_factory=list)
    sections: list[int] = Field(default_factory=list)
    narrative_chars: int = 0
    table2: bool = False
    fee_paragraph: bool = False
    dates: ReportDates = Field(default_factory=ReportDates)
    sentences: int = 0
    fingerprint: list[int] = Field(default_factory=list)

    def values(self, kind: str) -> list[int]:
        """The distinct values stated for one kind, in order of first mention."""
        return list(dict.fromkeys(s.value for s in self.stated if s.kind == kind))


# --- Facts as report columns -------------------------------------------------------------------
# The 年报质量 checks read a few facts of every report. They are stored as columns of ``report`` and
# of the wide frame (not cut out of the record JSON at load time: at national scale that read parses
# every record, tens of kilobytes each), so they load, snapshot and update with the cells.

FactKind = Literal["text", "integer", "boolean", "date", "binary"]
# The stated kinds the checks compare with a table cell (主动公开 has no table-3/4 counterpart).
CHECKED_KINDS: tuple[str, ...] = ("received", "carried_over", "closed", "carried_forward", "review", "litigation")
FINGERPRINT_BYTES = 4 * FINGERPRINT_SIZE  # little-endian uint32 minima


class FactColumn(BaseModel):
    """One fact stored as a column: its kind (storage and frame types follow from it) and Chinese header."""

    model_config = ConfigDict(frozen=True)

    kind: FactKind
    zh: str


FACT_COLUMNS: dict[str, FactColumn] = {
    **{f"fact_said_{kind}": FactColumn(kind="text", zh=f"正文所称{STATED_LABELS[kind]}件数") for kind in CHECKED_KINDS},
    "fact_sections": FactColumn(kind="integer", zh="正文章节（一至六按位：一=1…六=32）"),
    "fact_narrative_chars": FactColumn(kind="integer", zh="表格外正文字数"),
    "fact_table2": FactColumn(kind="boolean", zh="含表二（正文识别）"),
    "fact_fee": FactColumn(kind="boolean", zh="说明信息处理费"),
    "fact_published": FactColumn(kind="date", zh="网页发布日期"),
    "fact_signed": FactColumn(kind="date", zh="落款日期"),
    "fact_file_created": FactColumn(kind="date", zh="文件创建日期"),
    "fact_sentences": FactColumn(kind="integer", zh="正文句子数"),
    "fact_fingerprint": FactColumn(kind="binary", zh="正文句子指纹（MinHash）"),
}


def section_mask(sections: list[int]) -> int:
    """The bit mask of the parts present (bit k-1 for part k)."""
    return sum(1 << (k - 1) for k in set(sections) if 1 <= k <= 8)


def said_text(values: list[int]) -> str | None:
    """Stated values as stored: distinct, in order of mention, comma-separated (None when none)."""
    return ",".join(str(v) for v in values) if values else None


def fingerprint_bytes(fingerprint: list[int]) -> bytes | None:
    """The signature as stored (little-endian uint32), None unless it has :data:`FINGERPRINT_SIZE` values."""
    if len(fingerprint) != FINGERPRINT_SIZE:
        return None
    return b"".join(int(v).to_bytes(4, "little") for v in fingerprint)


def fact_values(facts: ReportFacts | None) -> dict[str, object]:
    """The fact columns of one report (every one None when the report has no facts)."""
    if facts is None:
        return dict.fromkeys(FACT_COLUMNS)
    return {
        **{f"fact_said_{kind}": said_text(facts.values(kind)) for kind in CHECKED_KINDS},
        "fact_sections": section_mask(facts.sections),
        "fact_narrative_chars": facts.narrative_chars,
        "fact_table2": facts.table2,
        "fact_fee": facts.fee_paragraph,
        "fact_published": facts.dates.published,
        "fact_signed": facts.dates.signed,
        "fact_file_created": facts.dates.file_created,
        "fact_sentences": facts.sentences,
        "fact_fingerprint": fingerprint_bytes(facts.fingerprint),
    }

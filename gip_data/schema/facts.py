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

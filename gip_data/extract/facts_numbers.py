"""Numbers the narrative states about applications, appeals and proactive disclosure.

A report's prose repeats some table figures ("共收到政府信息公开申请34件",
"办结依申请公开81件", "行政复议案件2件、行政诉讼案件7件", "主动公开政府信息135条")
and mentions many other counts that are not about 政府信息公开 (热线受理101309件,
受理公安业务6945件). A number is taken only when its clause names the right
subject next to it:

- applications (received, carried over, closed, carried forward): the sentence
  speaks of an application for 政府信息公开 (申请 / 依申请);
- review and litigation: the sentence mentions 信息公开, or stands in the report's
  part 四 (复议、诉讼情况);
- a clause that says none happened ("未发生…行政复议、行政诉讼", "未收到…申请") states 0.

Approximate figures ("13000余件", "100多件") and rates ("办结率") are never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gip_data.schema.facts import StatedKind, StatedNumber

_NUM = r"(?<![第\d零〇一二两三四五六七八九十百千万])(?P<n>\d[\d,]*|[零〇一二两三四五六七八九十百千万]{1,8})"
_UNIT = r"\s*(?:件|个|份|宗|起|条|项)(?![\d余多])"
_APP_UNIT = r"\s*(?:件|个|份|宗|条)(?![\d余多])"
_GAP = r"[^,;。:\d]"
_VERB = r"(?:收到|受理|接收|新收|收悉|接到|共收)"
_SUBJECT = r"(?:政府信息公开|信息公开|政务公开)(?:的)?申请|依申请公开(?:的)?(?:申请|信息|事项)?"
_YEAR_WORDS = r"\s*(?:下一?年度?|下年|次年|\d{4}\s*年度?)"

_TOTAL = r"(?:\s|数量|总数|共计|共|合计|总计|累计|为|达|是|各类)*"

# (kind, pattern) in order; every pattern has a group "n". Searched clause by clause.
_PATTERNS: tuple[tuple[StatedKind, re.Pattern[str]], ...] = (
    ("received", re.compile(rf"{_VERB}(?:办结)?{_GAP}{{0,30}}?(?:{_SUBJECT}){_TOTAL}{_NUM}{_APP_UNIT}")),
    ("received", re.compile(rf"{_VERB}(?:办结)?{_TOTAL}{_NUM}{_APP_UNIT}{_GAP}{{0,6}}?(?:{_SUBJECT})")),
    ("carried_over", re.compile(rf"上年(?:度)?结转(?:的)?(?:{_SUBJECT})?{_TOTAL}{_NUM}{_APP_UNIT}")),
    ("closed", re.compile(rf"(?:受理)?办结(?!率)(?:了|的)?(?:{_SUBJECT})?{_TOTAL}{_NUM}{_APP_UNIT}")),
    ("carried_forward", re.compile(rf"结转(?:至|到)?{_YEAR_WORDS}(?:继续)?(?:办理)?(?:的)?(?:{_SUBJECT}|申请)?{_TOTAL}{_NUM}{_APP_UNIT}")),
    ("carried_forward", re.compile(rf"{_NUM}{_APP_UNIT}{_GAP}{{0,6}}?结转(?:至|到)?{_YEAR_WORDS}")),
    ("review", re.compile(rf"行政复议(?:(?!诉讼|起诉)[^,;。:\d]){{0,10}}?{_NUM}{_UNIT}")),
    ("litigation", re.compile(rf"行政诉讼(?:(?!复议)[^,;。:\d]){{0,10}}?{_NUM}{_UNIT}")),
    ("proactive", re.compile(rf"主动公开{_GAP}{{0,40}}?{_NUM}\s*(?:条|件|篇)(?![\d余多])")),
)
# A clause saying that nothing of a kind happened.
_CASE_WORDS: tuple[tuple[StatedKind, str], ...] = (("review", "行政复议"), ("litigation", "行政诉讼"))
_NONE_APPLICATIONS = re.compile(rf"(?:未|没有|无)(?:收到|受理|接到|接收){_GAP}{{0,20}}?(?:{_SUBJECT})")
_NONE_CASES = re.compile(r"(?:未|没有|无)(?:发生|出现|产生|收到|涉及)?[^,;。\d]{0,20}?(?:行政复议|行政诉讼)")
_CUMULATIVE = re.compile(r"历年|(?<!全年)(?<!年度)(?<!本年)累计|截至目前|总数达")
_CLAUSE_END = re.compile(r"(?<!\d),|,(?!\d)|[;:]")  # a comma between digits is a thousands separator
_DIGIT = re.compile(r"\d")
_APPLICATION_KINDS = frozenset({"received", "carried_over", "closed", "carried_forward"})
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
MAX_STATED = 10_000_000
SENTENCE_CHARS = 160
MAX_SENTENCE_CHARS = 500


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the narrative and the skeleton part it stands in (0 before any heading)."""

    text: str
    section: int


def parse_number(text: str) -> int | None:
    """An Arabic (1,234) or Chinese (三十二) integer; None when it is not one."""
    if text[0].isdigit():
        return int(text.replace(",", ""))
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            return None
    return total + current


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(sentence) if c]


def _excerpt(sentence: str, clause: str) -> str:
    """The sentence, cut to :data:`SENTENCE_CHARS` characters around the clause when longer."""
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    at = max(sentence.find(clause), 0)
    start = max(0, min(at - 40, len(sentence) - SENTENCE_CHARS))
    return "…" + sentence[start : start + SENTENCE_CHARS] + "…"


def _in_context(kind: str, sentence: Sentence) -> bool:
    if kind in _APPLICATION_KINDS:
        return "申请" in sentence.text
    if kind in ("review", "litigation"):
        return "信息公开" in sentence.text or sentence.section == 4
    return True


def _clause_numbers(clause: str, sentence: Sentence) -> Iterator[tuple[StatedKind, int]]:
    taken: set[str] = set()
    for kind, pattern in _PATTERNS:
        if kind in taken or not _in_context(kind, sentence):
            continue
        if kind == "proactive" and _CUMULATIVE.search(clause):
            continue  # a running total since the first year, not this year's count
        match = pattern.search(clause)
        if match is None:
            continue
        value = parse_number(match.group("n"))
        if value is not None and value <= MAX_STATED:
            taken.add(kind)
            yield kind, value
            if kind == "received" and "办结" in match.group(0)[:6]:  # 受理办结2件: received and closed
                taken.add("closed")
                yield "closed", value
    if "received" not in taken and "申请" in clause and _NONE_APPLICATIONS.search(clause):
        yield "received", 0


def _stated_none(sentence: Sentence, taken: set[str]) -> Iterator[tuple[StatedKind, int]]:
    """Review / litigation stated as none: "无…被申请行政复议、提起行政诉讼的情况" (no number after it)."""
    if not ("信息公开" in sentence.text or "政府信息" in sentence.text or sentence.section == 4):
        return
    match = _NONE_CASES.search(sentence.text)
    whole = match is not None and not _DIGIT.search(sentence.text[match.start() :])
    for piece in [sentence.text] if whole else _clauses(sentence.text):
        found = _NONE_CASES.search(piece)
        tail = piece[found.start() :] if found else ""
        if not tail or _DIGIT.search(tail):
            continue
        for kind, word in _CASE_WORDS:
            if kind not in taken and word in tail:
                taken.add(kind)
                yield kind, 0


def stated_numbers(sentences: list[Sentence]) -> list[StatedNumber]:
    """Every number the sentences state about applications, appeals and proactive disclosure."""
    found: list[StatedNumber] = []
    for sentence in sentences:
        if len(sentence.text) > MAX_SENTENCE_CHARS:
            continue  # a table run together with the prose, not a sentence
        taken: set[str] = set()
        for clause in _clauses(sentence.text):
            for kind, value in _clause_numbers(clause, sentence):
                taken.add(kind)
                found.append(StatedNumber(kind=kind, value=value, sentence=_excerpt(sentence.text, clause)))
        for kind, value in _stated_none(sentence, taken):
            found.append(StatedNumber(kind=kind, value=value, sentence=_excerpt(sentence.text, sentence.text)))
    return found

"""Match label tokens against the template's row labels, in table order.

The rows of table 3 come from :mod:`gip_data.schema.template` (both editions:
the single （六） row and its three 2021 sub-rows are alternatives at the same
place). A cursor walks the expected rows; a token matches

- *strongly* a row in a small window ahead when it contains the row's core
  label (4+ characters) or starts a wrapped label (its core is a prefix of the
  row's core);
- *weakly* the row under the cursor when it contains the row's keyword, equals
  a short core (``其他``, ``总计``), or is within a small edit distance.

Order resolves the ambiguous short labels; merged parent labels, continuation
fragments of a wrapped label and repeated column headers are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from gip_data.extract.normalize import enumerator, label_core
from gip_data.extract.tokens import Token
from gip_data.schema.template import (
    ALL_APPLICATION_ROWS,
    APPLICANT_COLUMN_LABELS,
    OTHER_SINGLE_ROW,
    OTHER_SPLIT_ROWS,
)

# A distinctive word per row: enough to place a reworded or damaged label when
# the order already says which row comes next.
ROW_KEYWORDS: dict[str, tuple[str, ...]] = {
    "new_received": ("新收",),
    "carried_over": ("上年结转",),
    "granted": ("予以公开",),
    "partially_granted": ("部分公开",),
    "withheld_state_secret": ("国家秘密",),
    "withheld_prohibited_by_law": ("禁止公开",),
    "withheld_safety_stability": ("三安全", "一稳定"),
    "withheld_third_party": ("第三方",),
    "withheld_internal_affairs": ("内部事务",),
    "withheld_process_info": ("过程性",),
    "withheld_enforcement_file": ("执法案卷",),
    "withheld_administrative_query": ("查询事项",),
    "unable_not_held": ("不掌握",),
    "unable_needs_creation": ("另行制作", "现成信息"),
    "unable_unclear": ("不明确",),
    "not_processed_petition": ("信访", "举报投诉"),
    "not_processed_duplicate": ("重复申请",),
    "not_processed_publication": ("出版物",),
    "not_processed_massive": ("大量反复",),
    "not_processed_confirmation": ("重新出具", "确认"),
    "other": ("其他处理",),
    "other_overdue_correction": ("逾期不补正",),
    "other_unpaid_fee": ("收费通知", "缴纳费用"),
    "other_misc": ("其他",),
    "total": ("总计", "合计"),
    "carried_forward": ("结转下年",),
}
STRONG_MIN = 4
MAX_FUZZY_TEXT = 80  # a table label is short; prose is not compared character by character
WINDOW = 4
HEADER_WORDS: frozenset[str] = frozenset(
    label_core(text) for text in (*APPLICANT_COLUMN_LABELS.values(), "申请人情况", "法人或其他组织", "合计")
) | frozenset({"社会公益", "组织", "法律服务", "机构", "申请人", "情况"})
_HEADER_STARTERS = frozenset(label_core(t) for t in ("自然人", "商业企业", "科研机构", "申请人情况", "法人或其他组织"))


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A row of table 3 as the matcher sees it: its cores and keywords."""

    key: str
    cores: tuple[str, ...]
    keywords: tuple[str, ...]
    enumerator: str


@dataclass(slots=True)
class RowMatch:
    """A table-3 row found in the stream: which token carried its label, and how."""

    key: str
    position: int
    text: str
    how: str  # "strong" | "prefix" | "keyword" | "fuzzy"


def _row_specs() -> tuple[RowSpec, ...]:
    specs = []
    for row in ALL_APPLICATION_ROWS:
        cores = tuple(dict.fromkeys(label_core(t) for t in (row.label, *row.variants)))
        specs.append(RowSpec(row.key, cores, ROW_KEYWORDS.get(row.key, ()), enumerator(row.label)))
    return tuple(specs)


ROW_SPECS: tuple[RowSpec, ...] = _row_specs()
SPLIT_KEYS: frozenset[str] = frozenset(r.key for r in OTHER_SPLIT_ROWS)
GROUP_CORES: frozenset[str] = frozenset(label_core(r.group) for r in ALL_APPLICATION_ROWS if r.group)


def match_application_rows(tokens: list[Token], start: int = 0) -> list[RowMatch]:
    """Walk ``tokens`` from ``start`` and return the table-3 rows found, in order."""
    matches: list[RowMatch] = []
    cursor = 0
    in_header = False
    for position in range(start, len(tokens)):
        token = tokens[position]
        if token.kind != "label":
            in_header = in_header and token.kind == "blank"
            continue
        core = token.core
        if core in _HEADER_STARTERS:
            in_header = True
        if in_header and core in HEADER_WORDS:
            continue
        in_header = False
        if matches and _continues(core, matches[-1].key):
            continue
        found = _match_token(core, enumerator(token.text), cursor, started=bool(matches))
        if found is None:
            if matches and ROW_SPECS[cursor - 1].key == "carried_forward" and len(core) >= STRONG_MIN:
                break  # the first foreign label after the last row ends the table
            continue
        index, how = found
        matches.append(RowMatch(ROW_SPECS[index].key, position, token.text, how))
        cursor = index + 1
        if cursor >= len(ROW_SPECS):
            break
    return resolve_other_rows(matches)


def _continues(core: str, key: str) -> bool:
    """A fragment of the previous row's wrapped label (not a new row)."""
    spec = ROW_SPECS[_index(key)]
    return len(core) >= 1 and any(core in c and not c.startswith(core) for c in spec.cores)


def _index(key: str) -> int:
    return next(i for i, s in enumerate(ROW_SPECS) if s.key == key)


def _match_token(core: str, marker: str, cursor: int, started: bool) -> tuple[int, str] | None:
    """The row a label (core and list marker) stands for, looking ahead from ``cursor``."""
    window = range(cursor, min(len(ROW_SPECS), cursor + WINDOW))
    strong = [i for i in window if _strong(core, ROW_SPECS[i])]
    if strong:
        return strong[-1], "strong"
    for i in list(window)[:2]:
        # A label cut after a few characters in a narrow PDF cell: "3.危" / "及“三安" …
        if marker and marker == ROW_SPECS[i].enumerator and any(c.startswith(core) for c in ROW_SPECS[i].cores):
            return i, "prefix"
    for i in window:
        if _prefix(core, ROW_SPECS[i]) and (started or len(core) >= 6):
            return i, "prefix"
    if not started:
        return None
    near = list(window)[:2]
    if ROW_SPECS[cursor - 1].key == OTHER_SINGLE_ROW.key:
        near.append(_index("total"))  # a 2019 （六） is followed by （七）, not by sub-rows
    for i in near:
        if i > cursor and not _may_skip_to(core, marker, cursor, i):
            continue
        if _group_fragment(core, marker, ROW_SPECS[i]):
            continue
        how = _weak(core, ROW_SPECS[i], exact_only=i > cursor)
        if how:
            return i, how
    return None


def _group_fragment(core: str, marker: str, spec: RowSpec) -> bool:
    """A piece of a merged group label ("其他处" of （六）其他处理), not the sub-row "3.其他".

    Narrow PDF columns cut the group cell into pieces on the lines of its
    sub-rows; such a piece carries no list marker, while a sub-row prints its
    own ("3."), so a bare piece never stands for a numbered sub-row.
    """
    numbered = spec.enumerator.endswith(".")
    return numbered and marker != spec.enumerator and any(core in group for group in GROUP_CORES)


def _may_skip_to(core: str, marker: str, cursor: int, index: int) -> bool:
    """May a weak label skip the row under the cursor and land on row ``index``?

    A bare short word ("其他") is also a piece of a merged group cell printed
    beside a wrapped label ("（六）/其他/处理" in a narrow PDF column); it may
    only skip a row when it carries the target row's own list marker ("3.其他").
    The 2019 （六） is followed by （七）总计, so skipping from it is normal.
    """
    if len(core) > 2 or ROW_SPECS[cursor - 1].key == OTHER_SINGLE_ROW.key:
        return True
    return bool(marker) and marker == ROW_SPECS[index].enumerator


def _strong(core: str, spec: RowSpec) -> bool:
    return any(len(c) >= STRONG_MIN and c in core for c in spec.cores)


def _prefix(core: str, spec: RowSpec) -> bool:
    return len(core) >= 3 and any(c.startswith(core) for c in spec.cores if len(c) > len(core))


def _weak(core: str, spec: RowSpec, exact_only: bool) -> str | None:
    if any(core == c for c in spec.cores):
        return "keyword"
    if exact_only:
        return None
    if any(len(k) >= 2 and k in core and len(core) <= 40 for k in spec.keywords):
        return "keyword"
    if any(len(c) >= STRONG_MIN and fuzzy_contains(core, c) for c in spec.cores):
        return "fuzzy"
    return None


def fuzzy_contains(text: str, pattern: str) -> bool:
    """True when ``pattern`` occurs in ``text`` within a small edit distance.

    Sellers' approximate substring matching: one edit for short labels, two
    from ten characters on.
    """
    limit = 1 if len(pattern) < 10 else 2
    if not len(pattern) - limit <= len(text) <= MAX_FUZZY_TEXT:
        return False
    previous = list(range(len(pattern) + 1))
    best = previous[-1]
    for ch in text:
        current = [0]
        for j, pc in enumerate(pattern, 1):
            cost = 0 if pc == ch else 1
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost))
        previous = current
        best = min(best, current[-1])
    return best <= limit


def resolve_other_rows(matches: list[RowMatch]) -> list[RowMatch]:
    """Keep either the single （六） row or its 2021 sub-rows, never both.

    In the 2021 layout the parent label （六）其他处理 is printed beside its first
    sub-row, so when any sub-row matched, the single-row match is the parent.
    """
    if any(m.key in SPLIT_KEYS for m in matches):
        return [m for m in matches if m.key != OTHER_SINGLE_ROW.key]
    return matches

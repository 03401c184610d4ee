"""Match label tokens against the template's row labels: a global alignment, not a greedy walk.

Each layout of table 3 declared in :mod:`gip_data.schema.template` (the single
（六） row, its three 2021 sub-rows, any other edition's rows) is aligned with
the stream of label tokens: the best-scoring chain of (token, row) pairs,
increasing in both, is kept, and the layout whose chain scores best wins. A
token matches a row

- *strongly* when it contains the row's core label (4+ characters), or starts
  a wrapped label (its core is a prefix of the row's core);
- *weakly* when it contains the row's keyword, equals a short core (``其他``,
  ``总计``), or is within a small edit distance; a weak match must follow the
  row before it in the chain (order resolves the ambiguous short labels).

A match scores less the longer the token is beyond the label (a prose sentence
that mentions 部分公开 is not the table's row label), less before the table's
heading or header (the anchor, where present), and more when values follow the
label on its own line. Header words, fragments of the previous row's wrapped
label and pieces of merged group cells never stand for a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from gip_data.extract.normalize import enumerator, label_core
from gip_data.extract.tokens import Token
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    EDITION_SPECS,
    OTHER_SPLIT_ROWS,
    EditionSpec,
    Row,
)

STRONG_MIN = 4
MAX_FUZZY_TEXT = 80  # a table label is short; prose is not compared character by character
MAX_WEAK_TEXT = 40
LABEL_SLACK = 16  # characters a label cell may carry beyond its row label (group label, notes)
MIN_SCORE = 0.5  # a match worth less is prose, never a row label
BEFORE_ANCHOR = 0.25
VALUE_LINE_BONUS = 0.5
MISSING_ROW = 1.0
SCORES = {"strong": 3.0, "prefix": 2.0, "keyword": 1.5, "fuzzy": 1.5}
HEADER_WORDS: frozenset[str] = frozenset(
    label_core(text) for text in (*APPLICANT_COLUMN_LABELS.values(), "申请人情况", "法人或其他组织", "合计")
) | frozenset({"社会公益", "组织", "法律服务", "机构", "申请人", "情况"})
_HEADER_STARTERS = frozenset(label_core(t) for t in ("自然人", "商业企业", "科研机构", "申请人情况", "法人或其他组织"))
# Words of table 3's heading and header note: where they stand, the table starts.
ANCHOR_WORDS: tuple[str, ...] = ("收到和处理政府信息公开申请", "勾稽关系", "申请人情况")
SPLIT_KEYS: frozenset[str] = frozenset(r.key for r in OTHER_SPLIT_ROWS)


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A row of table 3 as the matcher sees it: its cores, keywords and list marker."""

    key: str
    cores: tuple[str, ...]
    keywords: tuple[str, ...]
    enumerator: str
    groups: frozenset[str]


@dataclass(slots=True)
class RowMatch:
    """A table-3 row found in the stream: which token carried its label, and how."""

    key: str
    position: int
    text: str
    how: str  # "strong" | "prefix" | "keyword" | "fuzzy"


@dataclass(slots=True)
class Alignment:
    """The best chain for one layout: its rows, the matches and the chain's score."""

    rows: tuple[Row, ...]
    matches: list[RowMatch]
    score: float


@lru_cache(maxsize=64)
def row_specs(rows: tuple[Row, ...]) -> tuple[RowSpec, ...]:
    """The matcher's view of a layout's rows (cached per layout)."""
    groups = frozenset(label_core(r.group) for r in rows if r.group)
    specs = []
    for row in rows:
        cores = tuple(dict.fromkeys(label_core(t) for t in (row.label, *row.variants)))
        specs.append(RowSpec(row.key, cores, row.keywords, enumerator(row.label), groups))
    return tuple(specs)


def layouts_of(editions: Sequence[EditionSpec] = EDITION_SPECS) -> list[tuple[Row, ...]]:
    """Every distinct table-3 layout the editions declare, in declaration order."""
    return list(dict.fromkeys(layout for spec in editions for layout in spec.layouts))


def match_application_rows(
    tokens: list[Token], start: int = 0, editions: Sequence[EditionSpec] = EDITION_SPECS
) -> list[RowMatch]:
    """The table-3 rows found in ``tokens`` (from ``start``), in order, for the best layout."""
    return align_table3(tokens, layouts_of(editions), start).matches


def align_table3(tokens: list[Token], layouts: Sequence[tuple[Row, ...]], start: int = 0) -> Alignment:
    """Align every layout with the label stream and keep the best chain (module docstring)."""
    labels = _label_positions(tokens, start)
    anchor = _anchor(tokens, labels)
    best: Alignment | None = None
    for rows in layouts:
        found = _align(tokens, labels, rows, anchor)
        if best is None or found.score > best.score:
            best = found
    assert best is not None, "at least one layout is declared"
    return best


def _label_positions(tokens: list[Token], start: int) -> list[int]:
    """Label tokens that may stand for a row: column-header words are left out."""
    out: list[int] = []
    in_header = False
    for position in range(start, len(tokens)):
        token = tokens[position]
        if token.kind != "label":
            in_header = in_header and token.kind == "blank"
            continue
        if token.core in _HEADER_STARTERS:
            in_header = True
        if in_header and token.core in HEADER_WORDS:
            continue
        in_header = False
        if token.core and not token.header:
            out.append(position)
    return out


def _anchor(tokens: list[Token], labels: list[int]) -> int:
    """Position of the first token naming table 3's heading or header note (0 when none)."""
    for position in labels:
        if any(word in tokens[position].core for word in ANCHOR_WORDS):
            return position
    return 0


@dataclass(frozen=True, slots=True)
class _Hit:
    """How one label core can stand for one row (computed once per core and layout)."""

    strong: str | None  # "strong" | "prefix" | None
    start_ok: bool  # may begin a chain
    base: float  # score of the strong/prefix match before the position weight
    weak: str | None  # a weak match allowed right after the previous row
    skip: bool  # an exact short label that may skip one row to land here


class _Matcher:
    """The per-layout match table: label core and list marker → a hit (or None) per row.

    Labels recur across thousands of reports, so the table is kept between
    documents (bounded; cleared when full).
    """

    LIMIT = 20000

    def __init__(self, specs: tuple[RowSpec, ...]) -> None:
        self.specs = specs
        self.longest = max(len(c) for spec in specs for c in spec.cores)
        # Beyond this length a strong match scores under MIN_SCORE and no weak match applies.
        self.longest_text = max(MAX_WEAK_TEXT, int(SCORES["strong"] * (self.longest + LABEL_SLACK) / MIN_SCORE))
        self.cache: dict[tuple[str, str], tuple[tuple[_Hit | None, ...], frozenset[int]] | None] = {}

    def profile(self, core: str, marker: str) -> tuple[tuple[_Hit | None, ...], frozenset[int]] | None:
        """Per row the hit, and the rows this core is a fragment of; None when it stands for no row."""
        if len(core) > self.longest_text:
            return None  # prose far longer than any label can match nothing (and is not kept)
        key = (core, marker)
        if key in self.cache:
            return self.cache[key]
        if len(self.cache) >= self.LIMIT:
            self.cache.clear()
        found = self._compute(core, marker)
        self.cache[key] = found
        return found

    def _compute(self, core: str, marker: str) -> tuple[tuple[_Hit | None, ...], frozenset[int]] | None:
        hits: list[_Hit | None] = []
        for spec in self.specs:
            label = _label_match(core, marker, spec)
            strong, start_ok = label if label else (None, False)
            base = SCORES[strong] * _labelness(core, spec) if strong else 0.0
            weak = _weak_after(core, marker, spec, adjacent=True)
            skip = _may_skip(core, marker, spec) and core in spec.cores
            hit = _Hit(strong, start_ok, base, weak, skip)
            hits.append(hit if strong or weak or skip else None)
        if not any(hits):
            return None
        fragments = frozenset(i for i, spec in enumerate(self.specs) if _continues(core, spec))
        return tuple(hits), fragments


@lru_cache(maxsize=64)
def _matcher(rows: tuple[Row, ...]) -> _Matcher:
    return _Matcher(row_specs(rows))


def _align(tokens: list[Token], labels: list[int], rows: tuple[Row, ...], anchor: int) -> Alignment:
    """Best chain of (label token, row) pairs increasing in both (module docstring)."""
    matcher = _matcher(rows)
    specs = matcher.specs
    # best[i]: score and back-pointer of the best chain so far whose last match is row i.
    best: list[tuple[float, int, int] | None] = [None] * len(specs)  # (score, position, previous row)
    trail: dict[tuple[int, int], tuple[float, int, str]] = {}  # (row, position) → (score, previous row, how)
    for position in labels:
        token = tokens[position]
        if not token.core:
            continue
        found = matcher.profile(token.core, enumerator(token.text))
        if found is None:
            continue
        hits, fragments = found
        weight = _weight(tokens, position, anchor)
        updates: list[tuple[int, float, int, str]] = []
        for i, hit in enumerate(hits):
            if hit is not None:
                step = _best_predecessor(hit, i, fragments, best, weight)
                if step is not None:
                    updates.append((i, *step))
        for i, score, previous, how in updates:
            current = best[i]
            if current is None or score > current[0]:
                best[i] = (score, position, previous)
                trail[(i, position)] = (score, previous, how)
    return _chain(tokens, rows, specs, best, trail)


def _weight(tokens: list[Token], position: int, anchor: int) -> float:
    """How much a match at ``position`` counts: less before the anchor, more on a line with values."""
    weight = BEFORE_ANCHOR if position < anchor else 1.0
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    if following is not None and following.is_value and following.line == tokens[position].line:
        weight += VALUE_LINE_BONUS / SCORES["strong"]
    return weight


def _best_predecessor(
    hit: _Hit,
    i: int,
    fragments: frozenset[int],
    best: list[tuple[float, int, int] | None],
    weight: float,
) -> tuple[float, int, str] | None:
    """The best chain that this token can extend by matching row ``i``: (score, previous row, how).

    A token that is a fragment of a row's wrapped label never follows that row.
    """
    result: tuple[float, int, str] | None = None
    if hit.strong is not None:
        score = hit.base * weight
        if score >= MIN_SCORE:
            if hit.start_ok:
                result = (score, -1, hit.strong)
            for j in range(i):
                chain = best[j]
                if chain is not None and j not in fragments and (result is None or chain[0] + score > result[0]):
                    result = (chain[0] + score, j, hit.strong)
    previous = best[i - 1] if i > 0 else None
    if hit.weak is not None and previous is not None and i - 1 not in fragments:
        total = previous[0] + SCORES[hit.weak] * weight
        if result is None or total > result[0]:
            result = (total, i - 1, hit.weak)
    before = best[i - 2] if i > 1 else None
    if hit.skip and before is not None and i - 2 not in fragments:
        total = before[0] + SCORES["keyword"] * weight
        if result is None or total > result[0]:
            result = (total, i - 2, "keyword")
    return result


def _label_match(core: str, marker: str, spec: RowSpec) -> tuple[str, bool] | None:
    """A strong or prefix match of a label core with a row: (how, may start a chain)."""
    if any(len(c) >= STRONG_MIN and c in core for c in spec.cores):
        return "strong", True
    if marker and marker == spec.enumerator and any(c.startswith(core) for c in spec.cores):
        # A label cut after a few characters in a narrow PDF cell: "3.危" / "及“三安" …
        return "prefix", True
    if len(core) >= 3 and any(c.startswith(core) for c in spec.cores if len(c) > len(core)):
        return "prefix", len(core) >= 6
    return None


def _labelness(core: str, spec: RowSpec) -> float:
    """1 for a label cell; less for a token much longer than the row's label (prose)."""
    longest = max(len(c) for c in spec.cores)
    return min(1.0, (longest + LABEL_SLACK) / max(len(core), 1))


def _weak_after(core: str, marker: str, spec: RowSpec, adjacent: bool) -> str | None:
    """A weak match, allowed only right after the previous row of the chain."""
    if _group_fragment(core, marker, spec):
        return None
    if any(core == c for c in spec.cores):
        return "keyword"
    if not adjacent:
        return None
    if len(core) <= MAX_WEAK_TEXT and any(len(k) >= 2 and k in core for k in spec.keywords):
        return "keyword"
    if any(len(c) >= STRONG_MIN and fuzzy_contains(core, c) for c in spec.cores):
        return "fuzzy"
    return None


def _group_fragment(core: str, marker: str, spec: RowSpec) -> bool:
    """A piece of a merged group label ("其他处" of （六）其他处理), not the sub-row "3.其他".

    Narrow PDF columns cut the group cell into pieces on the lines of its
    sub-rows; such a piece carries no list marker, while a sub-row prints its
    own ("3."), so a bare piece never stands for a numbered sub-row.
    """
    numbered = spec.enumerator.endswith(".")
    return numbered and marker != spec.enumerator and any(core in group for group in spec.groups)


def _may_skip(core: str, marker: str, spec: RowSpec) -> bool:
    """May an exact short label skip one row to land on ``spec``?

    A bare short word ("其他") is also a piece of a merged group cell printed
    beside a wrapped label ("（六）/其他/处理" in a narrow PDF column); it may
    only skip a row when it carries the target row's own list marker ("3.其他").
    """
    if _group_fragment(core, marker, spec):
        return False
    return len(core) > 2 or (bool(marker) and marker == spec.enumerator)


def _continues(core: str, spec: RowSpec) -> bool:
    """A fragment of this row's wrapped label (not a new row)."""
    return any(core in c and not c.startswith(core) for c in spec.cores)


def _chain(
    tokens: list[Token],
    rows: tuple[Row, ...],
    specs: tuple[RowSpec, ...],
    best: list[tuple[float, int, int] | None],
    trail: dict[tuple[int, int], tuple[float, int, str]],
) -> Alignment:
    """Walk the back-pointers of the best-scoring chain."""
    ends = [(chain[0], i) for i, chain in enumerate(best) if chain is not None]
    if not ends:
        return Alignment(rows, [], -MISSING_ROW * len(rows))
    score, row = max(ends)
    position = best[row][1]  # type: ignore[index]
    matches: list[RowMatch] = []
    while row >= 0:
        _score, previous, how = trail[(row, position)]
        matches.append(RowMatch(specs[row].key, position, tokens[position].text, how))
        if previous < 0:
            break
        position = _position_before(trail, previous, position)
        row = previous
    matches.reverse()
    return Alignment(rows, matches, score - MISSING_ROW * (len(rows) - len(matches)))


def _position_before(trail: dict[tuple[int, int], tuple[float, int, str]], row: int, before: int) -> int:
    """The position of ``row``'s best match recorded before token ``before``.

    ``best`` only improves, so the last entry recorded for the row before that
    token is the chain the match extended.
    """
    return max(p for (r, p) in trail if r == row and p < before)


@lru_cache(maxsize=65536)
def fuzzy_contains(text: str, pattern: str) -> bool:
    """True when ``pattern`` occurs in ``text`` within a small edit distance.

    Sellers' approximate substring matching: one edit for short labels, two
    from ten characters on. Texts missing more of the pattern's characters
    than the edits allow are refused before the quadratic comparison.
    """
    limit = 1 if len(pattern) < 10 else 2
    if not len(pattern) - limit <= len(text) <= MAX_FUZZY_TEXT:
        return False
    present = set(text)
    if sum(1 for ch in pattern if ch not in present) > limit:
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

"""Match label tokens against the template's row labels: a global alignment, not a greedy walk.

Each layout of table 3 declared in :mod:`gip_data.schema.template` (the single
（六） row, its three 2021 sub-rows, any other edition's rows) is aligned with
the stream of label tokens: the best-scoring chain of (token, row) pairs,
increasing in both, is kept, and the layout whose chain scores best wins. A
token matches a row strongly (its label, or the start of a wrapped label) or
weakly (a keyword, a short core such as ``其他``, a small edit distance); a weak
match must follow the row before it in the chain, so order resolves the
ambiguous short labels (:mod:`gip_data.extract.label_match`).

A match scores less the longer the token is beyond the label (a prose sentence
that mentions 部分公开 is not the table's row label), less before the table's
heading or header (the anchor, where present), and more when values follow the
label on its own line. Header words, fragments of the previous row's wrapped
label and pieces of merged group cells never stand for a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gip_data.extract.label_match import (
    MIN_SCORE,
    SCORES,
    Hit,
    RowSpec,
    fuzzy_contains,
    matcher_for,
)
from gip_data.extract.normalize import enumerator, label_core
from gip_data.extract.tokens import Token
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    EDITION_SPECS,
    OTHER_SPLIT_ROWS,
    EditionSpec,
    Row,
)

BEFORE_ANCHOR = 0.25
VALUE_LINE_BONUS = 0.5
MISSING_ROW = 1.0
HEADER_WORDS: frozenset[str] = frozenset(
    label_core(text) for text in (*APPLICANT_COLUMN_LABELS.values(), "申请人情况", "法人或其他组织", "合计")
) | frozenset({"社会公益", "组织", "法律服务", "机构", "申请人", "情况"})
_HEADER_STARTERS = frozenset(label_core(t) for t in ("自然人", "商业企业", "科研机构", "申请人情况", "法人或其他组织"))
# Words of table 3's heading and header note: where they stand, the table starts.
ANCHOR_WORDS: tuple[str, ...] = ("收到和处理政府信息公开申请", "勾稽关系", "申请人情况")
SPLIT_KEYS: frozenset[str] = frozenset(r.key for r in OTHER_SPLIT_ROWS)


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
    anchored: bool = False  # the table's heading or header note was found


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
    return align_layouts(tokens, layouts, start)[0]


def align_layouts(tokens: list[Token], layouts: Sequence[tuple[Row, ...]], start: int = 0) -> list[Alignment]:
    """Every layout's best chain, the best-scoring first (ties in declaration order)."""
    assert layouts, "at least one layout is declared"
    labels = _label_positions(tokens, start)
    anchor = _anchor(tokens, labels)
    found = [_align(tokens, labels, rows, anchor) for rows in layouts]
    for alignment in found:
        alignment.anchored = anchor is not None
    return sorted(found, key=lambda a: -a.score)  # stable: declaration order breaks ties


def same_labels(first: Alignment, second: Alignment) -> bool:
    """True when both chains found the same labels for the same rows: the labels cannot choose between them."""
    return [(m.key, m.position) for m in first.matches] == [(m.key, m.position) for m in second.matches]


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


def _anchor(tokens: list[Token], labels: list[int]) -> int | None:
    """Position of the first token naming table 3's heading or header note (None when none)."""
    for position in labels:
        if any(word in tokens[position].core for word in ANCHOR_WORDS):
            return position
    return None


def _align(tokens: list[Token], labels: list[int], rows: tuple[Row, ...], anchor: int | None) -> Alignment:
    """Best chain of (label token, row) pairs increasing in both (module docstring)."""
    matcher = matcher_for(rows)
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


def _weight(tokens: list[Token], position: int, anchor: int | None) -> float:
    """How much a match at ``position`` counts: less before the anchor, more on a line with values."""
    weight = BEFORE_ANCHOR if anchor is not None and position < anchor else 1.0
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    if following is not None and following.is_value and following.line == tokens[position].line:
        weight += VALUE_LINE_BONUS / SCORES["strong"]
    return weight


def _best_predecessor(
    hit: Hit,
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


def _chain(
    tokens: list[Token],
    rows: tuple[Row, ...],
    specs: tuple[RowSpec, ...],
    best: list[tuple[float, int, int] | None],
    trail: dict[tuple[int, int], tuple[float, int, str]],
) -> Alignment:
    """Walk the back-pointers of the best-scoring chain."""
    ends = [(chain[0], i, chain[1]) for i, chain in enumerate(best) if chain is not None]
    if not ends:
        return Alignment(rows, [], -MISSING_ROW * len(rows))
    score, row, position = max(ends)  # rows are distinct: the position never breaks a tie
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




__all__ = ["Alignment", "RowMatch", "RowSpec", "align_layouts", "align_table3", "same_labels", "fuzzy_contains", "layouts_of", "match_application_rows"]

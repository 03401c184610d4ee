"""How one label token can stand for one table-3 row: the match kinds and their table.

The alignment (:mod:`gip_data.extract.labels`) asks, per label core and list
marker, which rows it may stand for and how strongly; the answer is computed
once per core and layout and kept between documents (:class:`Matcher`).

- *strong*: the token contains the row's core label (4+ characters);
- *prefix*: the token starts a wrapped label (its core is a prefix of the
  row's core), or carries the row's own list marker before a cut label;
- *weak*: the row's keyword, an exact short core (``其他``, ``总计``) or a
  small edit distance; allowed only right after the previous row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from gip_data.extract.normalize import enumerator, label_core
from gip_data.schema.template import Row

STRONG_MIN = 4
MAX_FUZZY_TEXT = 80  # a table label is short; prose is not compared character by character
MAX_WEAK_TEXT = 40
LABEL_SLACK = 16  # characters a label cell may carry beyond its row label (group label, notes)
MIN_SCORE = 0.5  # a match worth less is prose, never a row label
SCORES = {"strong": 3.0, "prefix": 2.0, "keyword": 1.5, "fuzzy": 1.5}


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A row of table 3 as the matcher sees it: its cores, keywords and list marker."""

    key: str
    cores: tuple[str, ...]
    keywords: tuple[str, ...]
    enumerator: str
    groups: frozenset[str]


@lru_cache(maxsize=64)
def row_specs(rows: tuple[Row, ...]) -> tuple[RowSpec, ...]:
    """The matcher's view of a layout's rows (cached per layout)."""
    groups = frozenset(label_core(r.group) for r in rows if r.group)
    specs = []
    for row in rows:
        cores = tuple(dict.fromkeys(label_core(t) for t in (row.label, *row.variants)))
        specs.append(RowSpec(row.key, cores, row.keywords, enumerator(row.label), groups))
    return tuple(specs)


@dataclass(frozen=True, slots=True)
class Hit:
    """How one label core can stand for one row (computed once per core and layout)."""

    strong: str | None  # "strong" | "prefix" | None
    start_ok: bool  # may begin a chain
    base: float  # score of the strong/prefix match before the position weight
    weak: str | None  # a weak match allowed right after the previous row
    skip: bool  # an exact short label that may skip one row to land here


class Matcher:
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
        self.cache: dict[tuple[str, str], tuple[tuple[Hit | None, ...], frozenset[int]] | None] = {}

    def profile(self, core: str, marker: str) -> tuple[tuple[Hit | None, ...], frozenset[int]] | None:
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

    def _compute(self, core: str, marker: str) -> tuple[tuple[Hit | None, ...], frozenset[int]] | None:
        hits: list[Hit | None] = []
        for spec in self.specs:
            label = _label_match(core, marker, spec)
            strong, start_ok = label if label else (None, False)
            base = SCORES[strong] * _labelness(core, spec) if strong else 0.0
            weak = _weak_after(core, marker, spec)
            skip = _may_skip(core, marker, spec) and core in spec.cores
            hit = Hit(strong, start_ok, base, weak, skip)
            hits.append(hit if strong or weak or skip else None)
        if not any(hits):
            return None
        fragments = frozenset(i for i, spec in enumerate(self.specs) if continues(core, spec))
        return tuple(hits), fragments


@lru_cache(maxsize=64)
def matcher_for(rows: tuple[Row, ...]) -> Matcher:
    """The match table of one layout (one per layout, kept between documents)."""
    return Matcher(row_specs(rows))


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


def _weak_after(core: str, marker: str, spec: RowSpec) -> str | None:
    """A weak match, allowed only right after the previous row of the chain."""
    if _group_fragment(core, marker, spec):
        return None
    if any(core == c for c in spec.cores):
        return "keyword"
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


def continues(core: str, spec: RowSpec) -> bool:
    """A fragment of this row's wrapped label (not a new row)."""
    return any(core in c and not c.startswith(core) for c in spec.cores)


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

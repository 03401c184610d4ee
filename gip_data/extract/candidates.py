"""The readings a row's printed tokens allow: candidates for the decoder, with their cost.

A row of width ``w`` (7 for table 3, 15 for table 4; :mod:`gip_data.schema.template`)
printed as value tokens is read as ``w`` cells. Spaces and cell borders between
digit runs are evidence, not boundaries: a crawler or a converter may run cells
together (``211001023``, ``2 00 00 0 2``) or lose one. So a reading may

- take every token as one cell (``printed``, cost 0), the only reading of a
  row printed with exactly its cells;
- cut digit runs into several cells, no part starting with 0 unless it is "0"
  (``split``, cost 0: ``10 0 0 012`` = 1/0/0/0/0/1/2);
- read one number across a space, when the row printed more tokens than it
  has cells (``split`` with a crossing, cost :data:`CROSS_COST` each);
- lose cells: fewer cells printed than the row has, each missing cell placed
  anywhere as unknown (``inserted``, cost :data:`LOST_COST` each). Runs that
  cannot be one number (``00000``) are cut into their zeros, other runs stay
  whole: a row with blanks is not also run together.

Within-row sums (a row's 总计, a table-4 block's 总计) prune readings and fill a
single unknown cell at once; the table-wide rules are the decoder's job, and the
decoder prefers the cheapest readings that make the whole table consistent.

A token printed with digits the reader could not read (:attr:`Token.unreadable`,
OCR) is one unknown cell, like a blank; each reading lists such cells with
their printed text (``unreadable``) so the decoder never assumes them 0.

Every search is bounded (:data:`MAX_NODES` steps, :data:`MAX_CANDIDATES`
readings per row). A row whose search hit the bound is marked incomplete: the
decoder never takes one of its readings as *the* answer, it leaves the row null
with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Literal

from gip_data.extract.tokens import Token
from gip_data.schema.template import RowSum

CandidateKind = Literal["printed", "inserted", "split"]
KIND_RANK: dict[str, int] = {"printed": 0, "inserted": 1, "split": 2}
MAX_MISSING = 3
MAX_CROSSINGS = 2
MAX_CANDIDATES = 400
MAX_NODES = 20000  # search steps per row; a real row needs a few hundred at most
MAX_CELL_DIGITS = 7  # no count in tables 3/4 runs into the tens of millions
LOST_COST = 1.0
CROSS_COST = 1.0

# Where a cell's digits were printed: (first token, offset in it, last token, end offset in it),
# token indices counted within the row's chunk; None for a cell the print lost.
CellSpan = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a row: cell values (None = unknown), how it was read, what it costs."""

    values: tuple[int | None, ...]
    kind: CandidateKind
    filled: tuple[int, ...] = ()  # cells that were unknown and fixed by the row's own sum
    cost: float = 0.0
    spans: tuple[CellSpan | None, ...] = ()
    # Cells printed with digits the reader could not read: (cell index, printed text with U+FFFD).
    unreadable: tuple[tuple[int, str], ...] = ()


@dataclass(slots=True)
class RowReadings:
    """Every reading of one row found within the budget."""

    candidates: list[Candidate] = field(default_factory=list)
    complete: bool = True  # False when a bound cut the search short


@dataclass(slots=True)
class _Atom:
    """One printed token as the cutter sees it: a digit run, or a fixed cell."""

    index: int
    digits: str = ""
    value: int | None = None
    length: int = 0  # characters of the printed token


def row_candidates(tokens: Sequence[Token], width: int, sums: Sequence[RowSum]) -> list[Candidate]:
    """All readings of ``tokens`` as a row of ``width`` cells (module docstring)."""
    return row_readings(tokens, width, sums).candidates


def row_readings(tokens: Sequence[Token], width: int, sums: Sequence[RowSum]) -> RowReadings:
    """All readings of ``tokens`` as a row of ``width`` cells, and whether the search finished."""
    atoms = [_atom(i, t) for i, t in enumerate(tokens)]
    readings = RowReadings()
    found: list[Candidate] = []
    if len(atoms) == width:
        values = tuple(a.value if not a.digits else int(a.digits) for a in atoms)
        if all(not a.digits or _whole(a.digits) for a in atoms):
            spans = tuple(_whole_span(a) for a in atoms)
            printed = _fill(values, "printed", sums, keep_broken=True, spans=spans)
            if printed is not None:
                found.append(printed)
    if atoms and len(atoms) != width and len(atoms) <= width + MAX_CROSSINGS:
        found.extend(_cuts(atoms, width, sums, readings, crossings=max(0, len(atoms) - width)))
    if atoms and len(atoms) < width:
        found.extend(_insertions(atoms, width, sums))
    if not found and readings.complete:
        digit_by_digit = _digit_by_digit(atoms, width, sums)
        if digit_by_digit is not None:
            found.append(digit_by_digit)
    readings.candidates = _unique(found)
    if len(readings.candidates) >= MAX_CANDIDATES:
        readings.complete = False
        readings.candidates = readings.candidates[:MAX_CANDIDATES]
    unreadable = {i: t.text for i, t in enumerate(tokens) if t.unreadable}
    if unreadable:
        readings.candidates = [_mark_unreadable(c, unreadable) for c in readings.candidates]
    return readings


def _digit_by_digit(atoms: list[_Atom], width: int, sums: Sequence[RowSum]) -> Candidate | None:
    """The row read one cell per printed digit, kept even where it breaks the row's own sums.

    Only when no reading fits the sums and the row printed exactly ``width``
    digits and blanks: then this is the only reading with every cell present
    (``3000000`` for seven cells is 3/0/0/0/0/0/0 however it is cut), so it is
    the print as it stands, not a guess. Its broken sum is the source's error,
    which the checks report; leaving the row null would hide the printed numbers.
    """
    if sum(len(a.digits) if a.digits else 1 for a in atoms) != width:
        return None
    values: list[int | None] = []
    spans: list[CellSpan | None] = []
    for atom in atoms:
        if not atom.digits:
            values.append(atom.value)
            spans.append(_whole_span(atom))
            continue
        for offset, digit in enumerate(atom.digits):
            values.append(int(digit))
            spans.append((atom.index, offset, atom.index, offset + 1))
    return _fill(tuple(values), "split", sums, keep_broken=True, spans=tuple(spans))


def _mark_unreadable(candidate: Candidate, printed: dict[int, str]) -> Candidate:
    """The reading with its cells printed as unreadable tokens listed (an unknown token is one cell)."""
    cells = tuple(
        (index, printed[span[0]]) for index, span in enumerate(candidate.spans) if span is not None and span[0] in printed
    )
    return replace(candidate, unreadable=cells) if cells else candidate


def _atom(index: int, token: Token) -> _Atom:
    if token.kind == "number" and token.digits:
        return _Atom(index, digits=token.digits, length=len(token.digits))
    value = token.value if token.kind == "number" and isinstance(token.value, int) and token.value >= 0 else None
    return _Atom(index, value=value, length=len(token.text))


def _whole(digits: str) -> bool:
    """A digit run that can be one number (no leading zero)."""
    return digits == "0" or not digits.startswith("0")


def _whole_span(atom: _Atom) -> CellSpan | None:
    """The whole printed token; None for a blank cell (nothing was printed there)."""
    return (atom.index, 0, atom.index, atom.length) if atom.length else None


def _fill(
    values: tuple[int | None, ...],
    kind: CandidateKind,
    sums: Sequence[RowSum],
    keep_broken: bool,
    cost: float = 0.0,
    spans: tuple[CellSpan | None, ...] = (),
) -> Candidate | None:
    """Fill unknowns the row's own sums fix; drop readings that break them (unless printed)."""
    cells = list(values)
    filled: list[int] = []
    for total, parts in sums:
        group = (total, *parts)
        unknown = [i for i in group if cells[i] is None]
        if len(unknown) == 1:
            i = unknown[0]
            known = sum(cells[p] or 0 for p in parts if p != i)
            value = known if i == total else (cells[total] or 0) - known
            if value < 0:
                if not keep_broken:
                    return None
                continue
            cells[i] = value
            filled.append(i)
        elif not unknown and not keep_broken and cells[total] != sum(cells[p] or 0 for p in parts):
            return None
    return Candidate(tuple(cells), kind, tuple(filled), cost, spans)


def _insertions(atoms: list[_Atom], width: int, sums: Sequence[RowSum]) -> Iterator[Candidate]:
    """Cells lost from the print: the printed cells in order, unknowns placed anywhere."""
    cells: list[tuple[int | None, CellSpan | None]] = []
    for atom in atoms:
        if not atom.digits:
            cells.append((atom.value, _whole_span(atom)))
            continue
        zeros = len(atom.digits) - len(atom.digits.lstrip("0"))
        rest = atom.digits[zeros:]
        if zeros and not rest:
            zeros -= 1
            rest = "0"
        cells.extend((0, (atom.index, k, atom.index, k + 1)) for k in range(zeros))
        cells.append((int(rest), (atom.index, zeros, atom.index, len(atom.digits))))
    missing = width - len(cells)
    if not cells or not 0 < missing <= MAX_MISSING:
        return
    for positions in combinations(range(width), missing):
        printed = iter(cells)
        row = [(None, None) if index in positions else next(printed) for index in range(width)]
        values = tuple(v for v, _ in row)
        spans = tuple(s for _, s in row)
        found = _fill(values, "inserted", sums, keep_broken=False, cost=LOST_COST * missing, spans=spans)
        if found is not None:
            yield found


def _cuts(
    atoms: list[_Atom], width: int, sums: Sequence[RowSum], readings: RowReadings, crossings: int
) -> Iterator[Candidate]:
    """Readings that cut digit runs (and, at a cost, read across a space) into ``width`` cells.

    Only a row printed with more tokens than cells reads numbers across spaces
    (up to ``crossings`` of them); a row printed with exactly its cells is read
    as printed.
    """
    digits = sum(len(a.digits) for a in atoms)
    fixed = sum(1 for a in atoms if not a.digits)
    if digits == 0 or digits + fixed < width or digits > width * MAX_CELL_DIGITS:
        return
    closing = {total: parts for total, parts in sums}
    search = _CutSearch(atoms, width, closing, max_crossings=crossings)
    yield from search.run()
    if not search.finished:
        readings.complete = False


class _CutSearch:
    """Depth-first search over cell ends; a group's total is written down, not searched.

    When the row ends with a group's total (table 3's 总计, table 4's last
    总计) printed in a digit run, each suffix of that run is tried as the total
    first: the parts before it must then add up to it, which bounds every part
    (no part has more digits than the total, the last part is the difference),
    and a suffix is tried only when it equals the parts' digit sum modulo 9
    (a number is congruent to its digit sum, however the digits are cut).
    Results are collected in a list (a plain recursion: nested generators cost
    more per step than the steps themselves).
    """

    def __init__(
        self, atoms: list[_Atom], width: int, closing: dict[int, tuple[int, ...]], max_crossings: int = MAX_CROSSINGS
    ) -> None:
        self.atoms = atoms
        self.max_crossings = max_crossings
        self.width = width
        self.closing = closing
        self.nodes = 0
        self.finished = True
        # Digits (or fixed cells) still to come from each atom on, for the room test.
        self.after = [sum(len(a.digits) or 1 for a in atoms[i:]) for i in range(len(atoms) + 1)]
        self.cells = width  # cells this pass places
        self.end = (len(atoms), 0)  # where this pass must stop
        self.reserved = 0  # digits kept back for the bounded total
        self.bound = 0
        self.bounded: tuple[int, ...] = ()
        self.found: list[tuple[list[int | None], list[CellSpan | None], int]] = []
        self.values: list[int | None] = []
        self.spans: list[CellSpan | None] = []

    def run(self) -> list[Candidate]:
        """Every reading, each as a candidate with its spans and cost."""
        last = self.width - 1
        tail = self.atoms[-1]
        if last in self.closing and tail.digits and not self.max_crossings:
            return self._run_bounded(last, tail)  # (a total read across a space is searched plainly)
        self._walk(0, 0, 0)
        return [self._candidate(v, s, c) for v, s, c in self.found]

    def _run_bounded(self, last: int, tail: _Atom) -> list[Candidate]:
        self.cells, self.bounded = last, self.closing[last]
        size_of = len(tail.digits)
        out: list[Candidate] = []
        # The filter below holds when every cell before the total is one of its parts (table 3).
        fixed_cells = any(not a.digits for a in self.atoms) or set(self.bounded) != set(range(last))
        digit_sum = sum(int(d) for a in self.atoms for d in a.digits)
        for size in range(1, min(MAX_CELL_DIGITS, size_of) + 1):
            suffix = tail.digits[size_of - size :]
            if size > 1 and suffix[0] == "0":
                continue
            # However the digits before it are cut, their parts add up to their digit sum modulo 9.
            if not fixed_cells and (digit_sum - 2 * sum(int(d) for d in suffix)) % 9:
                continue
            self.bound, self.reserved = int(suffix), size
            self.end = (len(self.atoms) - 1, size_of - size)
            span = (tail.index, size_of - size, tail.index, size_of)
            self.found = []
            self._walk(0, 0, 0)
            out.extend(self._candidate([*v, self.bound], [*s, span], c) for v, s, c in self.found)
            if not self.finished:
                break
        return out

    @staticmethod
    def _candidate(values: list[int | None], spans: list[CellSpan | None], crossings: int) -> Candidate:
        kind: CandidateKind = "printed" if crossings == 0 and _as_printed(spans) else "split"
        return Candidate(tuple(values), kind, (), CROSS_COST * crossings, tuple(spans))

    def _left(self, atom: int, offset: int) -> int:
        return (self.after[atom] if atom < len(self.atoms) else 0) - offset - self.reserved

    def _walk(self, atom: int, offset: int, crossings: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(self.found) >= MAX_CANDIDATES:
            self.finished = False
            return
        values = self.values
        index = len(values)
        if index == self.cells:
            if (atom, offset) == self.end or (offset == 0 and self.end == (atom, len(self.atoms[atom].digits))):
                self.found.append((list(values), list(self.spans), crossings))
            return
        left = self._left(atom, offset)
        if not self.cells - index <= left <= (self.cells - index) * MAX_CELL_DIGITS:
            return
        current = self.atoms[atom]
        if not current.digits:
            self._place(atom + 1, 0, crossings, current.value, _whole_span(current))
            return
        longest, exact, remaining = MAX_CELL_DIGITS, None, -1
        if index in self.bounded:
            remaining = self.bound - sum(values[p] or 0 for p in self.bounded if p < index)
            if remaining < 0:
                return
            longest = len(str(remaining))
            if index == self.cells - 1 and all(p <= index for p in self.bounded):
                exact = remaining
        elif index in self.closing:
            exact = sum(values[p] or 0 for p in self.closing[index])
            longest = len(str(exact))
        rest = self.cells - index - 1
        for end_atom, end, value, span, crossed in self._cells_from(atom, offset, crossings, longest):
            if exact is not None:
                if value != exact:
                    continue
            elif remaining >= 0:
                if value > remaining:
                    break
                if not _can_reach(remaining - value, self._left(end_atom, end), rest):
                    continue
            self._place(end_atom, end, crossings + crossed, value, span)

    def _place(self, atom: int, offset: int, crossings: int, value: int | None, span: CellSpan | None) -> None:
        at_end = atom < len(self.atoms) and self.atoms[atom].digits and offset == len(self.atoms[atom].digits)
        if at_end and (atom, offset) != self.end:
            atom, offset = atom + 1, 0
        self.values.append(value)
        self.spans.append(span)
        self._walk(atom, offset, crossings)
        self.values.pop()
        self.spans.pop()

    def _cells_from(
        self, atom: int, offset: int, crossings: int, longest: int
    ) -> list[tuple[int, int, int, CellSpan, int]]:
        """Possible next cells from (atom, offset): (end atom, end offset, value, span, spaces crossed)."""
        out: list[tuple[int, int, int, CellSpan, int]] = []
        text = ""
        crossed = 0
        a, start = atom, offset
        while a < len(self.atoms) and self.atoms[a].digits:
            digits = self.atoms[a].digits
            stop = self.end[1] if a == self.end[0] else len(digits)
            for end in range(start + 1, stop + 1):
                piece = text + digits[start:end]
                if (len(piece) > 1 and piece[0] == "0") or len(piece) > longest:
                    return out
                out.append((a, end, int(piece), (atom, offset, a, end), crossed))
            if stop < len(digits) or a == self.end[0]:
                return out
            text += digits[start:]
            a, start = a + 1, 0
            crossed += 1
            if crossings + crossed > self.max_crossings:
                return out
        return out


def _can_reach(rest: int, digits: int, cells: int) -> bool:
    """Can ``digits`` digits, cut into ``cells`` parts, sum to exactly ``rest``?

    One part gets at least ceil(digits / cells) digits, and a part of d > 1
    digits is at least 10^(d-1) (no leading zeros); no part exceeds ``rest``,
    so none has more digits than ``rest`` has.
    """
    if cells == 0:
        return digits == 0 and rest == 0
    longest = -(-digits // cells)
    if digits > cells * len(str(rest)):
        return False
    return longest <= 1 or rest >= 10 ** (longest - 1)


def _as_printed(spans: list[CellSpan | None]) -> bool:
    """True when every cell is exactly one whole token (nothing was cut)."""
    seen = [s[0] for s in spans if s is not None]
    return len(seen) == len(set(seen)) and all(s is None or s[0] == s[2] and s[1] == 0 for s in spans)


def split_runs(runs: Sequence[str], width: int, sums: Sequence[RowSum]) -> Iterator[list[int]]:
    """Every way to cut digit runs into ``width`` integers that satisfy ``sums`` (no crossing)."""
    atoms = [_Atom(i, digits=run) for i, run in enumerate(runs)]
    search = _CutSearch(atoms, width, {total: parts for total, parts in sums}, max_crossings=0)
    for candidate in search.run():
        yield [v or 0 for v in candidate.values]


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per distinct reading, the cheapest and most literal first."""
    best: dict[tuple[int | None, ...], Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: (c.cost, KIND_RANK[c.kind])):
        best.setdefault(candidate.values, candidate)
    return list(best.values())

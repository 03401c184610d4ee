"""The readings a row's printed tokens allow: candidates for the decoder.

A row of width ``w`` (7 for table 3, 15 for table 4) printed as tokens gives:

- ``printed``: exactly ``w`` tokens, read as printed (unknown cells stay None);
- ``inserted``: fewer tokens, so cells were lost: every way to place the
  missing cells (None) among the printed numbers, whose order is kept;
- ``split``: fewer tokens holding enough digits, so separators were lost:
  every split of the digit runs into ``w`` non-negative integers without
  leading zeros that satisfies the row's own sums.

Within-row sums (a row's 总计, a table-4 block's 总计) prune splits and fill a
single unknown cell at once; the table-wide rules are the decoder's job.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from gip_data.extract.tokens import Token

CandidateKind = Literal["printed", "inserted", "split"]
KIND_RANK: dict[str, int] = {"printed": 0, "inserted": 1, "split": 2}
MAX_MISSING = 3
MAX_CANDIDATES = 400
MAX_NODES = 20000  # search steps per row; a real row needs a few hundred at most
MAX_CELL_DIGITS = 7  # no count in tables 3/4 runs into the tens of millions

# (total index, part indices): the sums inside one row.
RowSum = tuple[int, tuple[int, ...]]
TABLE3_ROW_SUMS: tuple[RowSum, ...] = ((6, (0, 1, 2, 3, 4, 5)),)
TABLE4_ROW_SUMS: tuple[RowSum, ...] = tuple((b + 4, (b, b + 1, b + 2, b + 3)) for b in (0, 5, 10))


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a row: cell values (None = unknown) and how it was read."""

    values: tuple[int | None, ...]
    kind: CandidateKind
    filled: tuple[int, ...] = ()  # cells that were unknown and fixed by the row's own sum


def row_candidates(tokens: Sequence[Token], width: int, sums: Sequence[RowSum]) -> list[Candidate]:
    """All readings of ``tokens`` as a row of ``width`` cells (module docstring)."""
    cells = [_cell_value(t) for t in tokens]
    found: list[Candidate] = []
    if len(cells) == width:
        found.append(_fill(tuple(cells), "printed", sums, keep_broken=True))
    elif len(cells) < width:
        found.extend(_insertions(cells, width, sums))
        found.extend(_splits(tokens, width, sums))
    return _unique([c for c in found if c is not None])


def _cell_value(token: Token) -> int | None:
    """A cell of tables 3/4: a non-negative integer, else unknown."""
    if token.kind == "number" and isinstance(token.value, int) and token.value >= 0:
        return token.value
    return None


def _insertions(cells: list[int | None], width: int, sums: Sequence[RowSum]) -> Iterator[Candidate | None]:
    missing = width - len(cells)
    if not cells or missing > MAX_MISSING:
        return
    for positions in combinations(range(width), missing):
        values: list[int | None] = []
        printed = iter(cells)
        for index in range(width):
            values.append(None if index in positions else next(printed))
        yield _fill(tuple(values), "inserted", sums, keep_broken=False)


def _fill(
    values: tuple[int | None, ...], kind: CandidateKind, sums: Sequence[RowSum], keep_broken: bool
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
    return Candidate(tuple(cells), kind, tuple(filled))


def _splits(tokens: Sequence[Token], width: int, sums: Sequence[RowSum]) -> Iterator[Candidate]:
    runs = [t.digits for t in tokens]
    digits = sum(len(r) for r in runs)
    if not runs or not all(runs) or not width <= digits <= width * MAX_CELL_DIGITS:
        return
    for parts in split_runs(runs, width, sums):
        yield Candidate(tuple(parts), "split")


def split_runs(runs: Sequence[str], width: int, sums: Sequence[RowSum]) -> Iterator[list[int]]:
    """Every way to cut digit runs into ``width`` integers that satisfy ``sums``.

    Each run is cut into one or more parts (a part never starts with 0 unless
    it is "0"). A depth-first search places parts left to right; a group's
    total is not searched but written down (the sum of its parts must be
    printed next). When the row ends with a total (table 3), each suffix is
    tried as that total first, which bounds every part before it.
    """
    text = "".join(runs)
    cuts: set[int] = set()
    for run in runs:
        cuts.add(len(run) + max(cuts, default=0))
    closing = {total: parts for total, parts in sums}
    last = width - 1
    if last not in closing:
        yield from _walk(text, width, closing, cuts, None)
        return
    for size in range(1, len(text) - last + 1):
        suffix = text[len(text) - size :]
        if (size > 1 and suffix[0] == "0") or any(len(text) - size < c < len(text) for c in cuts):
            continue
        for parts in _walk(text[: len(text) - size], last, closing, cuts, int(suffix)):
            yield [*parts, int(suffix)]


def _walk(
    text: str, width: int, closing: dict[int, tuple[int, ...]], cuts: set[int], bound: int | None
) -> Iterator[list[int]]:
    """Cut ``text`` into ``width`` parts; ``bound`` is the final total when known."""
    group_of = {part: total for total, parts in closing.items() for part in parts}
    produced = 0
    nodes = 0

    def walk(start: int, parts: list[int]) -> Iterator[list[int]]:
        nonlocal produced, nodes
        nodes += 1
        if nodes > MAX_NODES:
            return
        index = len(parts)
        if index == width:
            if start == len(text) and (bound is None or _group_sum(parts, closing[width]) == bound):
                produced += 1
                yield list(parts)
            return
        if produced >= MAX_CANDIDATES:
            return
        if index in closing:
            piece = str(_group_sum(parts, closing[index]))
            end = start + len(piece)
            if text.startswith(piece, start) and not any(start < c < end for c in cuts):
                parts.append(int(piece))
                yield from walk(end, parts)
                parts.pop()
            return
        for end in _piece_ends(text, start, width - index, cuts):
            value = int(text[start:end])
            total_at = group_of.get(index, width)
            running = _group_sum(parts, closing.get(total_at, ())) + value
            if bound is not None and total_at == width:
                if running > bound:
                    break
                if not _can_reach(bound - running, len(text) - end, width - index - 1):
                    continue
            if total_at < width and len(str(running)) > len(text) - end - (total_at - index - 1):
                break
            parts.append(value)
            yield from walk(end, parts)
            parts.pop()

    yield from walk(0, [])


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


def _group_sum(parts: list[int], group: tuple[int, ...]) -> int:
    return sum(parts[p] for p in group if p < len(parts))


def _piece_ends(text: str, start: int, cells_left: int, cuts: set[int]) -> Iterator[int]:
    """End positions of the next part: no leading zero, room left, no crossing a cut."""
    for end in range(start + 1, len(text) + 1):
        if end - start > 1 and text[start] == "0":
            return
        if len(text) - end < cells_left - 1:
            return
        if any(start < c < end for c in cuts):
            return
        yield end


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per distinct reading, the most literal kind first."""
    best: dict[tuple[int | None, ...], Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: KIND_RANK[c.kind]):
        best.setdefault(candidate.values, candidate)
    return list(best.values())

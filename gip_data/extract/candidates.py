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
    if not runs or not all(runs) or sum(len(r) for r in runs) < width:
        return
    for parts in split_runs(runs, width, sums):
        yield Candidate(tuple(parts), "split")


def split_runs(runs: Sequence[str], width: int, sums: Sequence[RowSum]) -> Iterator[list[int]]:
    """Every way to cut digit runs into ``width`` integers that satisfy ``sums``.

    Each run is cut into one or more parts (a part never starts with 0 unless
    it is "0"); a depth-first search checks each sum as soon as its total cell
    is placed, which prunes almost every branch.
    """
    text = "".join(runs)
    cuts = set()
    offset = 0
    for run in runs:
        offset += len(run)
        cuts.add(offset)
    closing = {total: parts for total, parts in sums}
    produced = 0

    def walk(start: int, parts: list[int]) -> Iterator[list[int]]:
        nonlocal produced
        index = len(parts)
        if index == width:
            if start == len(text):
                produced += 1
                yield list(parts)
            return
        cells_left = width - index
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            if len(text) - end < cells_left - 1:
                break
            if any(start < c < end for c in cuts):
                break
            value = int(piece)
            if index in closing and value != sum(parts[p] for p in closing[index]):
                continue
            if produced >= MAX_CANDIDATES:
                return
            parts.append(value)
            yield from walk(end, parts)
            parts.pop()

    yield from walk(0, [])


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per distinct reading, the most literal kind first."""
    best: dict[tuple[int | None, ...], Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: KIND_RANK[c.kind]):
        best.setdefault(candidate.values, candidate)
    return list(best.values())

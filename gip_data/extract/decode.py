"""Decode a table jointly with the arithmetic rules: choose readings, fill unknown cells.

Input: per row the candidate readings (:mod:`gip_data.extract.candidates`) and
the table's rules (:mod:`gip_data.validate.constraints`). Rows with one reading
are fixed; rules already broken by fixed printed numbers are left out (the
source is wrong there and the checks will say so). The open rows are decided
together, over rows, columns and totals at once:

1. A layered dynamic programme (:mod:`gip_data.extract.joint`) walks the open
   rows; its state is what every rule still lacks. Forward it finds the
   cheapest consistent tables; backward it marks every reading that lies on
   one of them. A row keeps only those readings, first trying each row's
   cheapest readings alone (the print as it stands), then all.
2. A row left with one reading takes it. Rows left with several are settled by
   enumerating the consistent tables over them (readings that differ only in
   where an unknown sat but fill to the same row are one answer); if they still
   differ, the row is null with a warning. Never a guess.
3. No consistent table at all: the readings that break the fewest rules, at the
   least cost, are kept when they are one per row; else the row is null.

Unknown cells left after propagation are taken as 0 and listed as assumed zero
(a blank cell usually means none), except a cell printed with digits the reader
could not read (OCR, :attr:`Candidate.unreadable`): 0 would be a guess. The
rules fill it (a repair naming OCR) when they fix it to a value its readable
digits allow; otherwise its group (table 3: the row, table 4: the block) is
left null with a warning (:attr:`DecodedRows.unsettled`), its other repairs and
assumptions dropped with it. A printed number is never changed. Every search is bounded
(:data:`gip_data.extract.joint.MAX_EDGES`, :data:`NODE_BUDGET`,
:data:`MAX_SOLUTIONS`); a table the bound cuts short leaves its open rows null
with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gip_data.extract.candidates import KIND_RANK, Candidate
from gip_data.extract.joint import Layers
from gip_data.validate.constraints import Cell, Constraint

NODE_BUDGET = 20000
MAX_SOLUTIONS = 64
BIG = 10**12

Term = tuple[str, int, int]  # (row, cell index, coefficient)
Grid = dict[str, list[int | None]]


@dataclass(slots=True)
class DecodedRows:
    """The decoder's verdict for one table."""

    values: dict[str, list[int] | None]
    chosen: dict[str, Candidate] = field(default_factory=dict)
    repairs: list[tuple[str, int, int, str]] = field(default_factory=list)
    assumed_zero: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    # (row, group) left null for an unreadable cell the rules do not settle; a row whose group
    # is the whole row also has values[row] None.
    unsettled: set[tuple[str, int]] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Groups:
    """How unreadable cells are left null: ``width`` cells per group (0: the whole row), named by ``name``."""

    width: int = 0
    name: Callable[[str, int], str] | None = None


@dataclass(slots=True)
class _Rule:
    constraint: Constraint
    terms: list[Term]


def decode_rows(
    rows: dict[str, list[Candidate]],
    constraints: list[Constraint],
    locate: Callable[[Cell], tuple[str, int]],
    describe: Callable[[str], str] = str,
    incomplete: Iterable[str] = (),
    groups: Groups = Groups(),
) -> DecodedRows:
    """Choose one reading per row and fill unknown cells (module docstring).

    ``incomplete`` names rows whose readings a search bound cut short: they are
    never decided (null with a warning). ``groups`` says what an unreadable cell
    the rules do not settle leaves null.
    """
    cut_short = set(incomplete)
    readable = {k: c for k, c in rows.items() if c and k not in cut_short}
    rules = [_Rule(c, _terms(c, locate, readable)) for c in constraints]
    rules = [r for r in rules if r.terms]
    fixed = {k: c[0] for k, c in readable.items() if len(c) == 1}
    open_rows = [k for k, c in readable.items() if len(c) > 1]
    active = [r for r in rules if not _broken_by_print(r, fixed)]
    result = DecodedRows(values={k: None for k in rows if k not in readable})
    for key in result.values:
        why = "读法过多，超出搜索上限，无法确定，该行留空" if key in cut_short else "未能读出数字"
        result.warnings.append(f"{describe(key)}：{why}")
    chosen = dict(fixed)
    if open_rows:
        chosen.update(_settle(readable, open_rows, fixed, active, result, describe))
    result.chosen = chosen
    _finish(chosen, active, result)
    _leave_unsettled(chosen, result, groups, describe)
    return result


def _terms(rule: Constraint, locate: Callable[[Cell], tuple[str, int]], rows: dict[str, list[Candidate]]) -> list[Term]:
    terms: list[Term] = []
    for coef, cells in ((1, rule.found), (-1, rule.expected)):
        for cell in cells:
            row, index = locate(cell)
            if row not in rows:
                return []  # a rule over a row the table does not have (or cannot read)
            terms.append((row, index, coef))
    return terms


def _broken_by_print(rule: _Rule, fixed: dict[str, Candidate]) -> bool:
    """True when printed numbers alone already break the rule (a source error)."""
    total = 0
    for row, index, coef in rule.terms:
        candidate = fixed.get(row)
        value = candidate.values[index] if candidate is not None else None
        if value is None:
            return False
        total += coef * value
    return total != 0


def _settle(
    rows: dict[str, list[Candidate]],
    open_rows: list[str],
    fixed: dict[str, Candidate],
    rules: list[_Rule],
    result: DecodedRows,
    describe: Callable[[str], str],
) -> dict[str, Candidate]:
    """Decide the open rows jointly (module docstring, steps 1–3)."""
    cheapest = {k: [c for c in rows[k] if c.cost == min(x.cost for x in rows[k])] for k in open_rows}
    support: dict[str, list[Candidate]] | None = None
    for options, strict in ((cheapest, True), ({k: rows[k] for k in open_rows}, True), (None, False)):
        options = options or {k: rows[k] for k in open_rows}
        support = Layers(options, open_rows, fixed, [r.terms for r in rules], strict).support()
        if support is None:
            return _give_up(open_rows, rows, result, describe, "可能的读法组合过多，超出搜索上限")
        if any(support.values()):
            result.decisions.extend(
                f"{describe(k)}：没有读法满足全部勾稽关系，取违反规则最少的读法" for k in open_rows if not strict
            )
            break
    assert support is not None
    chosen = {k: s[0] for k, s in support.items() if len(s) == 1}
    for key in chosen:
        result.decisions.append(
            f"{describe(key)}：{len(rows[key])} 种读法中唯一满足勾稽关系的一种（{chosen[key].kind}）"
        )
    undecided = [k for k in open_rows if k not in chosen]
    if undecided:
        settled = dict(fixed, **chosen)
        chosen.update(_enumerate(support, undecided, settled, rules, rows, result, describe))
    return chosen


def _give_up(
    open_rows: list[str],
    rows: dict[str, list[Candidate]],
    result: DecodedRows,
    describe: Callable[[str], str],
    why: str,
) -> dict[str, Candidate]:
    for key in open_rows:
        result.values[key] = None
        result.warnings.append(f"{describe(key)}：{why}，无法确定，该行留空")
        result.decisions.append(f"{describe(key)}：{len(rows[key])} 种读法，{why}，留空")
    return {}


def _enumerate(
    support: dict[str, list[Candidate]],
    undecided: list[str],
    settled: dict[str, Candidate],
    rules: list[_Rule],
    rows: dict[str, list[Candidate]],
    result: DecodedRows,
    describe: Callable[[str], str],
) -> dict[str, Candidate]:
    """Rows with several best readings: one answer only if every consistent table fills them alike."""
    solutions, exhausted = _search(support, undecided, settled, rules)
    chosen: dict[str, Candidate] = {}
    solutions.sort(key=lambda s: sum(KIND_RANK[c.kind] for c in s[0].values()))
    for key in undecided:
        options: dict[tuple[int | None, ...], Candidate] = {}
        for assignment, grid in solutions:
            options.setdefault(tuple(grid[key]), assignment[key])
        if not options:
            options = {c.values: c for c in support[key]}
        name = describe(key)
        if len(options) == 1 and exhausted:
            chosen[key] = next(iter(options.values()))
            result.decisions.append(f"{name}：{len(rows[key])} 种读法中唯一满足勾稽关系的一种（{chosen[key].kind}）")
            continue
        result.values[key] = None
        why = "多种读法均满足勾稽关系" if exhausted else "可能的读法组合过多，超出搜索上限"
        result.warnings.append(f"{name}：{why}，无法确定，该行留空")
        result.decisions.append(f"{name}：{len(rows[key])} 种读法，{why}，留空")
    return chosen


Solution = tuple[dict[str, Candidate], Grid]


def _search(
    rows: dict[str, list[Candidate]], open_rows: list[str], fixed: dict[str, Candidate], rules: list[_Rule]
) -> tuple[list[Solution], bool]:
    """Depth-first search over the open rows: consistent assignments, and whether the search finished."""
    bounds = {k: _bounds(rows[k]) for k in open_rows}
    for key, candidate in fixed.items():
        bounds[key] = _bounds([candidate])
    touching = {k: [r for r in rules if any(t[0] == k for t in r.terms)] for k in open_rows}
    assigned: dict[str, Candidate] = dict(fixed)
    solutions: list[Solution] = []
    budget = [NODE_BUDGET]

    def walk(depth: int) -> None:
        if budget[0] <= 0 or len(solutions) >= MAX_SOLUTIONS:
            return
        if depth == len(open_rows):
            grid = _propagate({k: list(c.values) for k, c in assigned.items()}, rules)
            if grid is not None:
                solutions.append(({k: assigned[k] for k in open_rows}, grid))
            return
        key = open_rows[depth]
        for candidate in rows[key]:
            budget[0] -= 1
            assigned[key] = candidate
            if all(_feasible(r, assigned, bounds) for r in touching[key]):
                walk(depth + 1)
            del assigned[key]

    walk(0)
    return solutions, budget[0] > 0 and len(solutions) < MAX_SOLUTIONS


def _bounds(candidates: list[Candidate]) -> list[tuple[int, int]]:
    width = len(candidates[0].values)
    out = []
    for i in range(width):
        values = [c.values[i] for c in candidates]
        low = min((v for v in values if v is not None), default=0) if None not in values else 0
        high = max((v for v in values if v is not None), default=0) if None not in values else BIG
        out.append((low, high))
    return out


def _feasible(rule: _Rule, assigned: dict[str, Candidate], bounds: dict[str, list[tuple[int, int]]]) -> bool:
    """Can the rule still hold, given assigned rows and the range of the others?"""
    low = high = 0
    for row, index, coef in rule.terms:
        if row in assigned:
            value = assigned[row].values[index]
            lo, hi = (value, value) if value is not None else (0, BIG)
        else:
            lo, hi = bounds[row][index]
        if coef > 0:
            low, high = low + lo, high + hi
        else:
            low, high = low - hi, high - lo
    return low <= 0 <= high


def _propagate(grid: Grid, rules: list[_Rule], strict: bool = True) -> Grid | None:
    """Fill unknown cells that the rules fix; None when the rules cannot all hold.

    A rule with one unknown cell fixes it; a rule whose unknown cells all sit on
    one side with nothing left to share fixes them at 0 (cells are non-negative).
    Cells still unknown at the end are left as None for the caller. Not
    ``strict``: a rule that would need a negative cell is skipped (it is broken
    in the source) and the final consistency test is not made.
    """
    progress = True
    while progress:
        progress = False
        for rule in rules:
            unknown = [(r, i, c) for r, i, c in rule.terms if grid[r][i] is None]
            if not unknown:
                continue
            rest = sum(c * (grid[r][i] or 0) for r, i, c in rule.terms if grid[r][i] is not None)
            if len(unknown) == 1:
                row, index, coef = unknown[0]
                value = -rest * coef
                if value < 0:
                    if strict:
                        return None
                    continue
                grid[row][index] = value
                progress = True
            elif rest == 0 and len({c for _, _, c in unknown}) == 1:
                for row, index, _ in unknown:
                    grid[row][index] = 0
                progress = True
    return grid if not strict or _consistent(grid, rules) else None


def _consistent(grid: Grid, rules: list[_Rule]) -> bool:
    """True when no rule is broken by known cells (unknowns may still close a gap)."""
    for rule in rules:
        if all(grid[r][i] is not None for r, i, _ in rule.terms):
            if sum(c * (grid[r][i] or 0) for r, i, c in rule.terms) != 0:
                return False
            continue
        rest = sum(c * (grid[r][i] or 0) for r, i, c in rule.terms)
        signs = {c for r, i, c in rule.terms if grid[r][i] is None}
        if (rest > 0 and signs == {1}) or (rest < 0 and signs == {-1}):
            return False  # the unknowns could only widen the gap
    return True


def _finish(chosen: dict[str, Candidate], rules: list[_Rule], result: DecodedRows) -> None:
    """Fill what the rules fix, take the rest as 0, and record repairs (unreadable cells: see below)."""
    grid: Grid = {k: list(c.values) for k, c in chosen.items()}
    usable = [r for r in rules if all(t[0] in grid for t in r.terms)]
    solved = _propagate(grid, usable, strict=False) or grid
    for key, candidate in chosen.items():
        unreadable = dict(candidate.unreadable)
        values: list[int] = []
        for index, value in enumerate(solved[key]):
            unknown_in_print = candidate.values[index] is None or index in candidate.filled
            if index in unreadable:
                if value is None or not fits_printed(value, unreadable[index]):
                    result.unsettled.add((key, index))  # a cell, turned into its group below
                    value = 0
                else:
                    result.repairs.append((key, index, value, "OCR无法识别的数字由勾稽关系确定"))
            elif value is None:
                result.assumed_zero.append((key, index))
                value = 0
            elif candidate.kind == "split":
                result.repairs.append((key, index, value, "连写数字按勾稽关系拆分"))
            elif unknown_in_print:
                result.repairs.append((key, index, value, "空缺或缺失单元格由勾稽关系确定"))
            values.append(value)
        result.values[key] = values


def fits_printed(value: int, printed: str) -> bool:
    """True when ``value`` agrees with the digits of ``printed`` that were read, in order.

    A U+FFFD is one digit OCR could not read, or none: on coarse scans a speck
    between or after digits is taken for an unsure character (``31\ufffd19`` for
    3119). The value itself always comes from the rules, never from the print.
    """
    pattern = "".join(r"\d?" if ch == "\ufffd" else re.escape(ch) for ch in printed.replace(",", "").lstrip("+"))
    return re.fullmatch(pattern, str(value)) is not None


def _leave_unsettled(
    chosen: dict[str, Candidate], result: DecodedRows, groups: Groups, describe: Callable[[str], str]
) -> None:
    """Null the group of every unreadable cell the rules did not settle, with a warning (module docstring)."""
    cells, result.unsettled = result.unsettled, set()
    for key, index in sorted(cells):
        width = groups.width or len(chosen[key].values)
        result.unsettled.add((key, index // width))
    if not result.unsettled:
        return
    width_of = {key: groups.width or len(chosen[key].values) for key, _ in result.unsettled}

    def inside(key: str, index: int) -> bool:
        return key in width_of and (key, index // width_of[key]) in result.unsettled

    result.repairs = [r for r in result.repairs if not inside(r[0], r[1])]
    result.assumed_zero = [a for a in result.assumed_zero if not inside(a[0], a[1])]
    for key, group in sorted(result.unsettled):
        name = groups.name(key, group) if groups.name is not None else describe(key)
        result.warnings.append(f"{name}：有数字无法识别，勾稽关系也不能确定，留空")
        result.decisions.append(f"{name}：OCR无法识别的数字未由勾稽关系确定，留空")
        if not groups.width or groups.width == len(chosen[key].values):
            result.values[key] = None

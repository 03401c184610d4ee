"""Ground truth for the corpus: consistent tables drawn at random, and their arithmetic.

Nothing here imports the parser. The row keys and rules are written out again
from FORMATS.md so that the expected JSON is derived from the numbers alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

COLUMNS = ("natural_person", "business", "research", "public_interest", "legal_service", "other_org", "total")
HEAD_LEAVES = (
    "granted",
    "partially_granted",
    "withheld_state_secret",
    "withheld_prohibited_by_law",
    "withheld_safety_stability",
    "withheld_third_party",
    "withheld_internal_affairs",
    "withheld_process_info",
    "withheld_enforcement_file",
    "withheld_administrative_query",
    "unable_not_held",
    "unable_needs_creation",
    "unable_unclear",
    "not_processed_petition",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_massive",
    "not_processed_confirmation",
)
SPLIT_OTHER = ("other_overdue_correction", "other_unpaid_fee", "other_misc")
BLOCKS = ("review", "litigation_direct", "litigation_after_review")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def leaves(split: bool) -> tuple[str, ...]:
    """Disposition leaves that add up to （七）总计 (rule 2)."""
    return HEAD_LEAVES + (SPLIT_OTHER if split else ("other",))


def row_keys(split: bool) -> list[str]:
    """Every row of table 3 in print order."""
    return ["new_received", "carried_over", *leaves(split), "total", "carried_forward"]


@dataclass
class Truth:
    """One report's numbers as printed, plus what a parser should say about them."""

    split: bool
    applications: dict[str, list[int]]
    cases: dict[str, dict[str, int]]
    undecidable_rows: list[str] = field(default_factory=list)

    def failed_checks(self) -> list[list[str | None]]:
        """[code, row, column] of every hard rule the printed numbers break."""
        return sorted(_failed(self.applications, self.split) + _failed_cases(self.cases), key=str)


def _cell(rng: random.Random, density: float, scale: int) -> int:
    return rng.randint(1, scale) if rng.random() < density else 0


def draw_table(
    rng: random.Random, split: bool, density: float, scales: tuple[int, ...]
) -> dict[str, list[int]]:
    """A consistent table 3: leaves drawn, everything else summed (rules 1–3 hold).

    ``scales`` gives the largest value per applicant column (6 of them);
    ``density`` the share of non-zero leaf cells. A few leaves stay all zero,
    as in real reports.
    """
    table: dict[str, list[int]] = {}
    for key in leaves(split):
        silent = rng.random() < 0.25 and key not in ("granted", "unable_not_held")
        cells = [0 if silent else _cell(rng, density, s) for s in scales]
        table[key] = [*cells, sum(cells)]
    total = [sum(table[k][c] for k in leaves(split)) for c in range(6)]
    forward = [_cell(rng, density / 2, max(1, s // 4)) for s in scales]
    carried = [
        min(t + f, _cell(rng, density / 2, max(1, s // 4)))
        for t, f, s in zip(total, forward, scales, strict=True)
    ]
    new = [t + f - c for t, f, c in zip(total, forward, carried, strict=True)]
    table["new_received"] = [*new, sum(new)]
    table["carried_over"] = [*carried, sum(carried)]
    table["total"] = [*total, sum(total)]
    table["carried_forward"] = [*forward, sum(forward)]
    return {key: table[key] for key in row_keys(split)}


def draw_cases(rng: random.Random, scale: int) -> dict[str, dict[str, int]]:
    """Table 4: outcomes drawn per block, totals summed (rule 4 holds)."""
    out = {}
    for block in BLOCKS:
        cells = [_cell(rng, 0.6, scale) for _ in range(4)]
        out[block] = dict(zip(OUTCOMES, [*cells, sum(cells)], strict=True))
    return out


def _failed(table: dict[str, list[int]], split: bool) -> list[list[str | None]]:
    failed: list[list[str | None]] = []
    for key, cells in table.items():
        if sum(cells[:6]) != cells[6]:
            failed.append(["row-total", key, "total"])
    for c, column in enumerate(COLUMNS):
        if sum(table[k][c] for k in leaves(split)) != table["total"][c]:
            failed.append(["disposition-total", "total", column])
        inflow = table["new_received"][c] + table["carried_over"][c]
        if inflow != table["total"][c] + table["carried_forward"][c]:
            failed.append(["balance", None, column])
    return failed


def _failed_cases(cases: dict[str, dict[str, int]]) -> list[list[str | None]]:
    failed: list[list[str | None]] = []
    for block, cells in cases.items():
        if sum(cells[o] for o in OUTCOMES[:4]) != cells["total"]:
            failed.append([f"{block.replace('_', '-')}-total", block, "total"])
    return failed


def row_splits(run: str, width: int = 7) -> list[list[int]]:
    """Every split of a digit run into ``width`` cells, no leading zeros, last = sum of the rest."""
    found: list[list[int]] = []

    def walk(start: int, parts: list[int]) -> None:
        if len(parts) == width - 1:
            rest = run[start:]
            if rest and (rest == "0" or rest[0] != "0") and int(rest) == sum(parts):
                found.append([*parts, int(rest)])
            return
        for end in range(start + 1, len(run)):
            piece = run[start:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            walk(end, [*parts, int(piece)])

    walk(0, [])
    return found


def case_readings(run: str, blocks: int = 3) -> int:
    """How many ways a table-4 digit run splits into blocks of 5 cells, each ending in its sum."""
    if blocks == 0:
        return int(run == "")
    count = 0
    for end in range(5, len(run) - 5 * (blocks - 1) + 1):
        readings = len(row_splits(run[:end], 5))
        count += readings * case_readings(run[end:], blocks - 1) if readings else 0
    return count


def ambiguous_rows(table: dict[str, list[int]], split: bool, runs: dict[str, str]) -> list[str]:
    """Rows printed as digit runs that have another reading consistent with every rule.

    Each run-together row is re-read alone, the others held at their truth: a
    second split that keeps rules 1–3 means the printed page cannot decide.
    """
    out = []
    for key, run in runs.items():
        for reading in row_splits(run):
            if reading == table[key]:
                continue
            trial = dict(table) | {key: reading}
            if not _failed(trial, split):
                out.append(key)
                break
    return out

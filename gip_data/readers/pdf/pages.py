"""Pages → one block list: a table continued on the next page becomes one table.

A ruled table that ends a page (nothing but page furniture below it) and a
table that starts the next page (nothing but furniture above it) with the same
columns are one table broken by the page: the second part's rows are appended
to the first, and a header the second part repeats (its first rows equal the
first part's first rows) is dropped. The footer and running head between them
(``- 4 -``) move after the joined table, so they never fall inside it.
"""

from __future__ import annotations

from gip_data.readers.document import Block, Table
from gip_data.readers.pdf.grid import Grid
from gip_data.readers.pdf.layout import Placed

# Column boundaries of two parts of one table differ by at most this (points).
COLUMN_TOLERANCE = 3.0


def join_pages(pages: list[list[Placed]]) -> list[Block]:
    """Every page's blocks in order, tables broken by a page break joined."""
    blocks: list[Block] = []
    open_table: tuple[Table, Grid] | None = None  # the last table, while only furniture followed it
    for page in pages:
        content = [p for p in page if not p.furniture]
        joined = None
        if open_table and content and content[0].grid and _continues(open_table[1], content[0].grid):
            joined = content[0]
            assert isinstance(joined.block, Table)
            _append(open_table[0], joined.block)
        blocks.extend(p.block for p in page if p is not joined)
        if not content or content[-1] is joined:
            continue
        last = content[-1]
        open_table = (last.block, last.grid) if isinstance(last.block, Table) and last.grid else None
    return blocks


def _continues(before: Grid, after: Grid) -> bool:
    """Same columns: as many, at the same positions."""
    return len(before.xs) == len(after.xs) and all(
        abs(a - b) <= COLUMN_TOLERANCE for a, b in zip(before.xs, after.xs, strict=True)
    )


def _append(table: Table, part: Table) -> None:
    """Add ``part``'s rows to ``table``, without the header rows it repeats."""
    repeated = 0
    while repeated < min(len(part.rows), len(table.rows) - 1) and _same(part.rows[repeated], table.rows[repeated]):
        repeated += 1
    table.rows.extend(part.rows[repeated:])
    if table.origins is not None and part.origins is not None:
        table.origins.extend(part.origins[repeated:])


def _same(a: list[str], b: list[str]) -> bool:
    return ["".join(c.split()) for c in a] == ["".join(c.split()) for c in b]

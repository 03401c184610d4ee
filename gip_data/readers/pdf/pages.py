"""Pages → one block list: a table continued on the next page becomes one table.

A ruled table that ends a page (nothing but page furniture below it) and a
table that starts the next page (nothing but furniture above it) with the same
outer edges are one table broken by the page. The two parts may not draw the
same inner rules (the rows after the break may merge columns the header split),
so both are put on the union of their column boundaries: a cell keeps its text
in its first column and the columns it now spans get "". The second part's
rows are appended, and a header it repeats (its first rows equal the first
part's first rows) is dropped. The footer and running head between the parts
(``- 4 -``) move after the joined table, so they never fall inside it.
"""

from __future__ import annotations

import bisect

from gip_data.readers.document import Block, Origin, Table
from gip_data.readers.pdf.layout import Placed

# Column boundaries closer than this (points) are the same boundary.
COLUMN_TOLERANCE = 3.0


def join_pages(pages: list[list[Placed]]) -> list[Block]:
    """Every page's blocks in order, tables broken by a page break joined."""
    blocks: list[Block] = []
    open_table: tuple[Table, list[float]] | None = None  # the last table, while only furniture followed it
    for page in pages:
        content = [p for p in page if not p.furniture]
        joined = None
        if open_table and content and content[0].grid and _same_edges(open_table[1], content[0].grid.xs):
            joined = content[0]
            assert isinstance(joined.block, Table) and joined.grid is not None
            open_table = (open_table[0], _append(*open_table, joined.block, joined.grid.xs))
        blocks.extend(p.block for p in page if p is not joined)
        if not content or content[-1] is joined:
            continue
        last = content[-1]
        open_table = (last.block, list(last.grid.xs)) if isinstance(last.block, Table) and last.grid else None
    return blocks


def _same_edges(before: list[float], after: list[float]) -> bool:
    return abs(before[0] - after[0]) <= COLUMN_TOLERANCE and abs(before[-1] - after[-1]) <= COLUMN_TOLERANCE


def _append(table: Table, xs: list[float], part: Table, part_xs: list[float]) -> list[float]:
    """Add ``part``'s rows to ``table`` (both on their union of columns), without a repeated header."""
    union = _union(xs, part_xs)
    _regrid(table, xs, union)
    _regrid(part, part_xs, union)
    repeated = 0
    while repeated < min(len(part.rows), len(table.rows) - 1) and _same(part.rows[repeated], table.rows[repeated]):
        repeated += 1
    table.rows.extend(part.rows[repeated:])
    if table.origins is not None and part.origins is not None:
        table.origins.extend(part.origins[repeated:])
    return union


def _union(a: list[float], b: list[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(a + b):
        if not out or x - out[-1] > COLUMN_TOLERANCE:
            out.append(x)
    return out


def _regrid(table: Table, xs: list[float], union: list[float]) -> None:
    """Spread each column of ``table`` over the union columns it covers (text in the first, "" after)."""
    if len(xs) == len(union):
        return
    starts = [_nearest(union, x) for x in xs]
    for index, row in enumerate(table.rows):
        origins = table.origins[index] if table.origins else None
        new_row: list[str] = []
        new_origins: list[Origin] = []
        for column, text in enumerate(row):
            width = max(starts[column + 1] - starts[column], 1)
            new_row += [text] + [""] * (width - 1)
            if origins is not None:
                new_origins += [origins[column]] * width
        table.rows[index] = new_row
        if table.origins is not None:
            table.origins[index] = new_origins


def _nearest(values: list[float], x: float) -> int:
    i = bisect.bisect_left(values, x)
    if i == len(values) or (i > 0 and x - values[i - 1] < values[i] - x):
        return i - 1
    return i


def _same(a: list[str], b: list[str]) -> bool:
    return ["".join(c.split()) for c in a] == ["".join(c.split()) for c in b]

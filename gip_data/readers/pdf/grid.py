"""Ruled tables: pdfplumber's table finder run over the rules a reading found.

pdfplumber's ``TableFinder`` (edges → merged edges → intersections → cells →
tables) is used as it is, but fed only with real rules: filled rectangles
behind text lines (WPS draws one behind every line of body text) and cell
shading are not rules, so each reading filters them out first and hands the
finder explicit edges. The result is turned into a :class:`Grid`: the distinct
row and column boundaries of one table, and every drawn cell as a span of grid
rows and columns (a merged cell covers several).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pdfplumber import table as plumber_table
from pdfplumber.utils import geometry as plumber_geometry  # filter_edges is defined (and exported) here

from gip_data.readers.pdf.model import Box, Rule

# pdfplumber's default tolerances (points).
SNAP = 3.0
JOIN = 3.0
INTERSECTION = 3.0
MIN_EDGE = 3.0
# Boundaries closer than this are one (a double rule, a rounding difference).
BOUNDARY_TOLERANCE = 2.0


@dataclass(slots=True)
class Cell:
    """A drawn cell of a grid: its box and the grid rows/columns it spans (end exclusive)."""

    box: Box
    row: int
    row_end: int
    column: int
    column_end: int


@dataclass(slots=True)
class Grid:
    """One ruled table: its boundaries and drawn cells, with a lookup from grid slot to cell."""

    xs: list[float]
    ys: list[float]
    cells: list[Cell]
    owner: list[list[int]]  # owner[row][column] = index of the cell covering that slot, or -1

    @property
    def box(self) -> Box:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    def cell_at(self, x: float, y: float) -> int:
        """The index of the cell holding point (x, y), or -1 outside every drawn cell."""
        column = bisect.bisect_right(self.xs, x) - 1
        row = bisect.bisect_right(self.ys, y) - 1
        if 0 <= row < self.rows and 0 <= column < self.columns:
            return self.owner[row][column]
        return -1


def rule_edges(rules: list[Rule]) -> list[dict[str, object]]:
    """The rules as pdfplumber edge dicts (a vertical or horizontal segment each)."""
    edges: list[dict[str, object]] = []
    for rule in rules:
        if rule.vertical:
            x = (rule.x0 + rule.x1) / 2
            edges.append(_edge("v", x, rule.top, x, rule.bottom))
        else:
            y = (rule.top + rule.bottom) / 2
            edges.append(_edge("h", rule.x0, y, rule.x1, y))
    return edges


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, object]:
    return {
        "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top, "orientation": orientation,
    }


def cell_groups(edges: list[dict[str, object]]) -> list[list[Box]]:
    """pdfplumber's TableFinder steps on explicit edges: the cell boxes of each table found."""
    merged = plumber_table.merge_edges(edges, SNAP, SNAP, JOIN, JOIN)
    merged = plumber_geometry.filter_edges(merged, min_length=MIN_EDGE)
    intersections = plumber_table.edges_to_intersections(merged, INTERSECTION, INTERSECTION)
    cells = plumber_table.intersections_to_cells(intersections)
    return [list(group) for group in plumber_table.cells_to_tables(cells)]


def to_grid(cells: list[Box]) -> Grid:
    """The row/column structure of one table's cells."""
    xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells])
    ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells])
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    placed: list[Cell] = []
    for box in sorted(cells, key=lambda b: (b[1], b[0])):
        cell = Cell(box, _index(ys, box[1]), _index(ys, box[3]), _index(xs, box[0]), _index(xs, box[2]))
        if cell.row_end <= cell.row or cell.column_end <= cell.column:
            continue
        for row in range(cell.row, cell.row_end):
            for column in range(cell.column, cell.column_end):
                if owner[row][column] < 0:
                    owner[row][column] = len(placed)
        placed.append(cell)
    return Grid(xs, ys, placed, owner)


def _boundaries(values: list[float]) -> list[float]:
    """Distinct positions, near ones merged (their mean)."""
    out: list[list[float]] = []
    for value in sorted(values):
        if out and value - out[-1][-1] <= BOUNDARY_TOLERANCE:
            out[-1].append(value)
        else:
            out.append([value])
    return [sum(group) / len(group) for group in out]


def _index(boundaries: list[float], value: float) -> int:
    """The index of the boundary nearest ``value``."""
    i = bisect.bisect_left(boundaries, value)
    if i == len(boundaries) or (i > 0 and value - boundaries[i - 1] < boundaries[i] - value):
        return i - 1
    return i

"""Ruled tables of a level page image: ruling lines → a grid of cells, merged cells resolved.

1. Ruling lines are ink runs far longer than any character stroke in one
   direction and one pixel thin in the other: a morphological opening with a
   long horizontal (vertical) kernel keeps them and drops the text. The runs
   are looked for in the ink mask and, when the grey page is given, the
   horizontal ones also among the pixels clearly darker than the paper just
   above or below: a thin ruling blurred at low resolution is only a pale
   grey, which the ink threshold drops where text beside it darkens the
   neighbourhood (the label rows of a table then run into one cell).
2. A line only counts when it has room beside it (no characters on both
   sides along most of its length) and both its ends meet a line of the other direction
   (a table ruling always does; strokes of characters set in a row that pass
   for a line end inside a cell).
3. Lines that meet form a table: the distinct y of its horizontal lines and x
   of its vertical lines (with the table's outer edges) are the grid.
4. Between two neighbouring grid cells a ruling line is drawn or not: where it
   is missing the two are one merged cell (rowspan/colspan). A merged cell is
   given at its top-left grid position, the positions it covers stay empty
   (as the HTML and DOCX readers give them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from gip_data.readers.ocr.geometry import paint

# Lengths in inches (converted with the page's dpi).
MIN_HLINE_IN = 0.40  # shorter than a narrow number column, longer than any stroke of body text
MIN_VLINE_IN = 0.14  # shorter than the lowest table row, longer than a digit of body text
LINE_GAP_IN = 0.012  # noise may break a scanned line; gaps this small are closed (not the space between characters)
RULE_IN = 0.025  # the thickest scanned ruling (a 1 pt line, blurred)
ANCHOR_IN = 0.07  # how far a ruling's end may fall from the line it meets
# Above this share of its length with ink on both sides, a "line" is joined-up text strokes.
CROWDED_V = 0.35
CROWDED_H = 0.5
# A thin ruling is this much darker than the paper beside it (grey levels; paper ≈ 250, a
# 1 px line blurred at 150 dpi ≈ 180, JPEG ringing and paper grain stay under 20).
THIN_CONTRAST = 35
CLUSTER_IN = 0.05  # lines closer than this are one ruling
MIN_CELL_IN = 0.08
PRESENT = 0.6  # share of a cell edge the ruling must cover to separate two cells


@dataclass(frozen=True, slots=True)
class Cell:
    """One (possibly merged) cell: its top-left grid position, its span and its inner box in pixels."""

    row: int
    column: int
    rows: int
    columns: int
    box: tuple[int, int, int, int]  # x0, top, x1, bottom inside the ruling lines


@dataclass(slots=True)
class Grid:
    """One ruled table: grid lines and cells (top-left first)."""

    xs: list[int]
    ys: list[int]
    cells: list[Cell] = field(default_factory=list)

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The table's outer box in pixels."""
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the grid."""
        return len(self.ys) - 1, len(self.xs) - 1


@dataclass(slots=True)
class Rulings:
    """The horizontal and vertical ruling-line masks of a page (255 = line)."""

    horizontal: np.ndarray
    vertical: np.ndarray

    @property
    def both(self) -> np.ndarray:
        """Every ruling pixel."""
        return cv2.bitwise_or(self.horizontal, self.vertical)


def find_rulings(mask: np.ndarray, dpi: float, grey: np.ndarray | None = None) -> Rulings:
    """The ruling lines of an ink mask, each kept only where it meets one of the other direction.

    With ``grey`` (the page the mask was made from) pale thin horizontal lines count too (module docstring).
    """
    gap = max(1, int(dpi * LINE_GAP_IN))
    h_len, v_len = max(10, int(dpi * MIN_HLINE_IN)), max(8, int(dpi * MIN_VLINE_IN))
    h_ink = mask if grey is None else cv2.bitwise_or(mask, thin_horizontal(grey, dpi))
    closed_h = cv2.morphologyEx(h_ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    horizontal = cv2.morphologyEx(closed_h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    # Vertical lines are looked for with the horizontal ones taken out: text set tight under a
    # ruling would otherwise join it (through the gap closing) and pass for a vertical line.
    # Real vertical lines, cut where they cross, are joined again by the closing.
    without_h = cv2.subtract(mask, cv2.dilate(horizontal, np.ones((3, 1), np.uint8)))
    rejoin = gap + max(4, int(dpi * RULE_IN)) + 2  # a crossing cut out: the line's thickness and the dilation
    closed_v = cv2.morphologyEx(without_h, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, rejoin)))
    vertical = cv2.morphologyEx(closed_v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    reach = max(4, int(dpi * ANCHOR_IN))
    horizontal = _alone(horizontal, mask, reach, across=False, limit=CROWDED_H)
    vertical = _alone(vertical, mask, reach, across=True, limit=CROWDED_V)
    # Each direction is checked against every candidate of the other (not the filtered set:
    # one wrongly dropped line must not take its crossing lines with it).
    return Rulings(_anchored(horizontal, vertical, reach, across=False), _anchored(vertical, horizontal, reach, across=True))


def thin_horizontal(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Pixels darker by :data:`THIN_CONTRAST` than the brightest pixel within a ruling's width above or below.

    That brightest pixel stands for the paper: on one side of a ruling at least
    there is cell padding, so blurred text set tight against the other side
    does not hide the line (the ink threshold, which weighs the whole
    neighbourhood, does). Only for horizontal lines: vertical ones are found
    across a crossing by a closing that, on this looser mask, joins characters
    stacked in a narrow column into false lines.
    """
    across = 2 * max(2, int(round(dpi * RULE_IN))) + 1
    contrast = cv2.subtract(cv2.dilate(grey, cv2.getStructuringElement(cv2.MORPH_RECT, (1, across))), grey)
    return np.where(contrast >= THIN_CONTRAST, np.uint8(255), np.uint8(0))


def _alone(lines: np.ndarray, ink: np.ndarray, reach: int, across: bool, limit: float) -> np.ndarray:
    """The pieces of ``lines`` with room beside them: not ink on both sides along most of their length.

    A ruling has cell padding on at least one side almost everywhere; strokes of
    wrapped text lines that a closing joined into a "line" have characters on
    both sides.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    keep = np.zeros(count, dtype=np.uint8)
    near, far = 2, 2 + reach
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if across:
            before = ink[y : y + h, max(0, x - far) : max(0, x - near)].any(axis=1)
            after = ink[y : y + h, x + w + near : x + w + far].any(axis=1)
        else:
            before = ink[max(0, y - far) : max(0, y - near), x : x + w].any(axis=0)
            after = ink[y + h + near : y + h + far, x : x + w].any(axis=0)
        crowded = float(np.mean(before & after)) if before.size and before.shape == after.shape else 0.0
        keep[i] = 255 if crowded <= limit else 0
    return paint(keep, labels)


def _anchored(lines: np.ndarray, other: np.ndarray, reach: int, across: bool) -> np.ndarray:
    """The pieces of ``lines`` whose both ends meet a line of the other direction.

    A ruling ends at the table's border or at a crossing ruling; a run of text
    strokes that passed for a line (characters set tight in a row) ends inside
    a cell. ``across`` is True for vertical lines (ends at top and bottom).
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    keep = np.zeros(count, dtype=np.uint8)
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        # A long line may overshoot its last crossing (noise, a footer joined to it): look further in.
        inner = max(reach, int(0.1 * (h if across else w)))
        if across:
            cols = slice(max(0, x - reach), x + w + reach)
            ends = (other[max(0, y - reach) : y + inner, cols], other[max(0, y + h - inner) : y + h + reach, cols])
        else:
            rows = slice(max(0, y - reach), y + h + reach)  # the crossing line was cut out where this one runs
            ends = (other[rows, max(0, x - reach) : x + inner], other[rows, max(0, x + w - inner) : x + w + reach])
        keep[i] = 255 if all(e.size and e.any() for e in ends) else 0
    return paint(keep, labels)


def find_grids(rulings: Rulings, dpi: float) -> list[Grid]:
    """Every ruled table of the page, top to bottom (module docstring)."""
    both = rulings.both
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.dilate(both, np.ones((3, 3), np.uint8)), connectivity=8
    )
    grids: list[Grid] = []
    min_side = int(dpi * 0.3)
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label, :4])
        if w < min_side or h < min_side:
            continue
        region = labels[y : y + h, x : x + w] == label
        grid = _grid(rulings, region, (x, y), dpi)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _grid(rulings: Rulings, region: np.ndarray, origin: tuple[int, int], dpi: float) -> Grid | None:
    """The grid of one connected set of rulings, or None when it is not a table (fewer than 2×2 cells)."""
    x, y = origin
    h, w = region.shape
    hor = (rulings.horizontal[y : y + h, x : x + w] > 0) & region
    ver = (rulings.vertical[y : y + h, x : x + w] > 0) & region
    tolerance = max(3, int(dpi * CLUSTER_IN))
    ys = _positions(hor.sum(axis=1), w * 0.02, tolerance, h)
    xs = _positions(ver.sum(axis=0), h * 0.01, tolerance, w)
    min_cell = int(dpi * MIN_CELL_IN)
    ys, xs = _spaced(ys, min_cell), _spaced(xs, min_cell)
    if len(ys) < 3 or len(xs) < 3:
        return None
    pad = max(2, int(dpi * 0.012))
    grid = Grid([x + v for v in xs], [y + v for v in ys])
    right = _edges(ver, xs, ys, pad, vertical=True)
    below = _edges(hor, xs, ys, pad, vertical=False)
    grid.cells = _merge(grid, right, below, pad)
    return grid


def _positions(profile: np.ndarray, floor: float, tolerance: int, size: int) -> list[int]:
    """Centres of the runs where the line profile exceeds ``floor``, plus the region's outer edges."""
    hits = np.flatnonzero(profile > floor)
    found: list[int] = []
    if hits.size:
        runs = np.split(hits, np.flatnonzero(np.diff(hits) > tolerance) + 1)
        found = [int(round(float(np.average(run, weights=profile[run])))) for run in runs]
    if not found or found[0] > tolerance:
        found.insert(0, 0)
    if found[-1] < size - 1 - tolerance:
        found.append(size - 1)
    return found


def _spaced(positions: list[int], minimum: int) -> list[int]:
    """Drop positions closer than ``minimum`` to the previous one (a doubled or thick line)."""
    out: list[int] = []
    for p in positions:
        if not out or p - out[-1] >= minimum:
            out.append(p)
    return out


def _edges(lines: np.ndarray, xs: list[int], ys: list[int], pad: int, vertical: bool) -> np.ndarray:
    """For every grid cell, whether a ruling closes it on the right (vertical) or below (horizontal)."""
    rows, cols = len(ys) - 1, len(xs) - 1
    out = np.zeros((rows, cols), dtype=bool)
    for r in range(rows):
        for c in range(cols):
            if vertical and c + 1 < cols:
                band = lines[ys[r] + pad : ys[r + 1] - pad, max(0, xs[c + 1] - 2 * pad) : xs[c + 1] + 2 * pad + 1]
                out[r, c] = band.size > 0 and band.any(axis=1).mean() >= PRESENT
            elif not vertical and r + 1 < rows:
                band = lines[max(0, ys[r + 1] - 2 * pad) : ys[r + 1] + 2 * pad + 1, xs[c] + pad : xs[c + 1] - pad]
                out[r, c] = band.size > 0 and band.any(axis=0).mean() >= PRESENT
    return out


def _merge(grid: Grid, right: np.ndarray, below: np.ndarray, pad: int) -> list[Cell]:
    """Join grid cells not separated by a ruling into rectangular merged cells (union-find)."""
    rows, cols = grid.shape
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not right[r, c]:
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not below[r, c]:
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        box = (grid.xs[c0] + pad, grid.ys[r0] + pad, grid.xs[c1 + 1] - pad, grid.ys[r1 + 1] - pad)
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box))
    return sorted(cells, key=lambda cell: (cell.row, cell.column))

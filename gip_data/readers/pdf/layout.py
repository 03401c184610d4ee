"""One page's characters and grids → blocks in reading order, each cell with its Origin.

- Characters inside a drawn cell of a ruled table belong to that cell, whatever
  line they sit on: a label wrapped inside a narrow cell, or a merged label drawn
  one character per line down a tall cell (三、本年度办理结果), becomes one
  string. The table is emitted as a :class:`Table` grid in the HTML/DOCX
  convention: a merged cell's text stands in its top-left slot and the slots it
  covers are "", so every row has one string per grid column.
- Other characters are grouped into visual rows by their vertical centres (not
  by the order the file draws them in, which WPS interleaves) and split into
  cells at gaps wider than about one character (``pdftotext -layout`` style, for
  unruled tables); each row is a :class:`Line`.

Short lines in the top or bottom margin (page numbers, running heads) are
marked as page furniture, so a table continued on the next page can be joined
across them (:mod:`gip_data.readers.pdf.pages`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gip_data.readers.document import Block, Line, Origin, Table
from gip_data.readers.pdf.grid import Grid, to_grid
from gip_data.readers.pdf.model import Box, Char, Frame, PageContent, union

# A gap wider than this many character heights separates two cells of a free line.
CELL_GAP = 1.0
# A gap wider than this many character heights is a word space.
WORD_GAP = 0.25
# A character whose centre is lower than the row's first by more than this many heights starts a new row.
ROW_TOLERANCE = 0.5
# A grid with fewer columns is a frame around text (a boxed paragraph), not a table.
MIN_COLUMNS = 2
# Page furniture: a line this short lying in the top or bottom margin share of the page.
FURNITURE_CHARS = 20
MARGIN_SHARE = 0.1


@dataclass(slots=True)
class Placed:
    """A block with its vertical extent on the page (reading frame) and whether it is page furniture."""

    block: Block
    top: float
    bottom: float
    furniture: bool = False
    grid: Grid | None = None


def layout_page(page: PageContent, groups: list[list[Box]]) -> list[Placed]:
    """The page's blocks, top to bottom: ruled tables as grids, the rest as lines."""
    frame = page.frame or Frame(0, page.width, page.height)
    grids = [grid for grid in map(to_grid, groups) if grid.columns >= MIN_COLUMNS and grid.cells]
    held: list[list[list[Char]]] = [[[] for _ in grid.cells] for grid in grids]
    free: list[Char] = []
    for char in page.chars:
        x, y = char.mid_x, char.mid_y
        for grid, cells in zip(grids, held, strict=True):
            index = grid.cell_at(x, y)
            if index >= 0:
                cells[index].append(char)
                break
        else:
            free.append(char)
    tables = [_table(page.number, frame, grid, cells) for grid, cells in zip(grids, held, strict=True)]
    placed = [p for p in tables if p is not None]
    placed += [_line(page, row) for row in visual_rows(free)]
    placed.sort(key=lambda p: p.top)
    return placed


def visual_rows(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into rows by vertical centre (top first), each row sorted by x."""
    rows: list[list[Char]] = []
    anchor: Char | None = None
    for char in sorted(chars, key=lambda c: (c.mid_y, c.x0)):
        if anchor is None or char.mid_y - anchor.mid_y > ROW_TOLERANCE * max(anchor.size, char.size):
            rows.append([])
            anchor = char
        rows[-1].append(char)
    for row in rows:
        row.sort(key=lambda c: c.x0)
    return rows


def split_row(row: list[Char], cut: bool) -> list[tuple[str, list[Char]]]:
    """A row's text pieces: one piece, or (``cut``) cells split at wide gaps; fake bold dropped."""
    pieces: list[tuple[list[str], list[Char]]] = []
    previous: Char | None = None
    for char in row:
        size = max(char.size, previous.size) if previous else char.size
        if previous is not None and char.text == previous.text and abs(char.x0 - previous.x0) < 0.3 * size:
            continue  # fake bold: the same glyph drawn twice, slightly offset
        gap = char.x0 - previous.x1 if previous else 0.0
        if previous is None or (cut and gap > CELL_GAP * size):
            pieces.append(([char.text], [char]))
        else:
            pieces[-1][0].append((" " if gap > WORD_GAP * size else "") + char.text)
            pieces[-1][1].append(char)
        previous = char
    return [("".join(parts).strip(), chars) for parts, chars in pieces]


def cell_text(chars: list[Char]) -> str:
    """The text of one table cell: its rows joined (no space between CJK, one between other words)."""
    out = ""
    for row in visual_rows(chars):
        text = " ".join(piece for piece, _ in split_row(row, cut=False))
        if out and text and out[-1].isascii() and out[-1].isalnum() and text[0].isascii() and text[0].isalnum():
            out += " "
        out += text
    return out


def _line(page: PageContent, row: list[Char]) -> Placed:
    pieces = split_row(row, cut=True)
    origins = [Origin(page=page.number, bbox=_rounded(union([c.box for c in chars]))) for _, chars in pieces]
    line = Line([text for text, _ in pieces], page=page.number, origins=origins)
    top, bottom = min(c.top for c in row), max(c.bottom for c in row)
    margin = MARGIN_SHARE * page.height
    furniture = len(line.text) <= FURNITURE_CHARS and (top < margin or bottom > page.height - margin)
    return Placed(line, top, bottom, furniture)


def _table(number: int, frame: Frame, grid: Grid, held: list[list[Char]]) -> Placed | None:
    """The grid as a Table: one string per slot, each with its Origin; rows with no text dropped."""
    rows = [[""] * grid.columns for _ in range(grid.rows)]
    origins = [
        [Origin(page=number, bbox=_rounded(frame.to_display((x0, y0, x1, y1)))) for x0, x1 in _pairs(grid.xs)]
        for y0, y1 in _pairs(grid.ys)
    ]
    for cell, chars in zip(grid.cells, held, strict=True):
        if not chars:
            continue
        rows[cell.row][cell.column] = cell_text(chars)
        origins[cell.row][cell.column] = Origin(page=number, bbox=_rounded(union([c.box for c in chars])))
    kept = [i for i, row in enumerate(rows) if any(row)]
    if not kept:
        return None
    table = Table([rows[i] for i in kept], page=number, exact_columns=True, origins=[origins[i] for i in kept])
    return Placed(table, grid.ys[0], grid.ys[-1], grid=grid)


def _pairs(values: list[float]) -> list[tuple[float, float]]:
    return list(zip(values, values[1:], strict=False))


def _rounded(box: Box) -> Box:
    x0, top, x1, bottom = box
    return round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)

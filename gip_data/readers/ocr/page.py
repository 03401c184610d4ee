"""One page image → blocks: ruled tables as :class:`Table` grids, other text as :class:`Line`\\ s.

The page is turned level (:mod:`~gip_data.readers.ocr.geometry`) and upright:
the line classifier votes on the widest text lines, and a page most of whose
lines read upside down is turned by 180°. Ruled tables give their cell grid
(:mod:`~gip_data.readers.ocr.grid`) and their cells are read from their own
pixels (:mod:`~gip_data.readers.ocr.cells`); the text outside the tables is
found by the detector and read line by line. Every cell and line keeps an
:class:`Origin`: its page, its box in PDF points from the scanned page's
top-left corner (mapped back through the deskew and the turn), and the OCR
confidence of its least sure character.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gip_data.readers.document import Block, Line, Origin, Table
from gip_data.readers.ocr.cells import CellText, read_cells
from gip_data.readers.ocr.engine import Engine, Reading
from gip_data.readers.ocr.geometry import Upright, despeckle, ink, make_upright, skew_angle, text_grey
from gip_data.readers.ocr.grid import Cell, Grid, Rulings, find_grids, find_rulings

# Lines the orientation vote looks at, widest first.
VOTE_LINES = 12
UPSIDE_DOWN_SHARE = 0.6
MIN_LINE_CONFIDENCE = 0.2
# Text lines are found on a copy at this resolution (body text stays over 15 pixels high).
DETECT_DPI = 120.0


@dataclass(slots=True)
class PageImage:
    """A page as pixels: 1-based page number, BGR or grey image, and its resolution."""

    number: int
    image: np.ndarray
    dpi: float


@dataclass(slots=True)
class _Level:
    """A page turned level and upright, with its ink, rulings and tables."""

    upright: Upright
    ink: np.ndarray
    rulings: Rulings
    grids: list[Grid]
    # The plain luminance, turned the same way: text outside the tables is read from it,
    # so a red title (红头) stays as dark as print, where the tables' grey fades red seals.
    luma: np.ndarray | None = None


def level_page(page: PageImage) -> tuple[np.ndarray, float]:
    """The page's reading grey and its skew angle (cheap: no OCR)."""
    grey = text_grey(page.image)
    return grey, skew_angle(despeckle(ink(grey, page.dpi), page.dpi))


def find_tables(grey: np.ndarray, angle: float, dpi: float, turned: bool = False) -> _Level:
    """Level (and maybe turn) the grey page and find its ruled tables."""
    upright = make_upright(grey, angle, turned)
    mask = ink(upright.image, dpi)
    rulings = find_rulings(mask, dpi, upright.image)
    return _Level(upright, mask, rulings, find_grids(rulings, dpi))


def read_page(engine: Engine, page: PageImage) -> list[Block]:
    """Every block of one page, top to bottom (module docstring)."""
    grey, angle = level_page(page)
    luma = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY) if page.image.ndim == 3 else page.image
    level = find_tables(grey, angle, page.dpi)
    level.luma = make_upright(luma, angle, False).image
    boxes = _text_boxes(engine, level, page.dpi)
    if _upside_down(engine, level, boxes):
        level = find_tables(grey, angle, page.dpi, turned=True)
        level.luma = make_upright(luma, angle, True).image
        boxes = _text_boxes(engine, level, page.dpi)
    placed: list[tuple[float, Block]] = []
    for grid in level.grids:
        placed.append((grid.ys[0], _table(engine, level, grid, page)))
    placed.extend(_lines(engine, level, boxes, page))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def _text_boxes(engine: Engine, level: _Level, dpi: float) -> list[tuple[int, int, int, int]]:
    """Axis-aligned boxes of the detected text lines outside the tables (found on a smaller copy)."""
    image = _text_image(level).copy()
    for grid in level.grids:
        x0, y0, x1, y1 = grid.box
        image[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 255
    scale = min(1.0, DETECT_DPI / dpi)
    if scale < 1.0:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    boxes = []
    for quad in engine.detect(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)):
        x0, y0 = np.floor(quad.min(axis=0) / scale).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0) / scale).astype(int)
        if x1 - x0 >= 4 and y1 - y0 >= 4:
            boxes.append((max(0, int(x0)), max(0, int(y0)), int(x1), int(y1)))
    return boxes


def _text_image(level: _Level) -> np.ndarray:
    """The upright page for text outside tables (luminance when known)."""
    return level.luma if level.luma is not None else level.upright.image


def _crop(grey: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return cv2.cvtColor(grey[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR)


def _upside_down(engine: Engine, level: _Level, boxes: list[tuple[int, int, int, int]]) -> bool:
    """True when most of the widest text lines (outside or inside tables) read turned by 180°."""
    candidates = list(boxes)
    for grid in level.grids:
        candidates.extend(cell.box for cell in grid.cells if cell.box[2] - cell.box[0] > 3 * (cell.box[3] - cell.box[1]))
    wide = sorted(candidates, key=lambda b: (b[2] - b[0]) / max(1, b[3] - b[1]), reverse=True)[:VOTE_LINES]
    wide = [b for b in wide if b[2] - b[0] > 2 * (b[3] - b[1])]
    return engine.upside_down([_crop(_text_image(level), b) for b in wide]) >= UPSIDE_DOWN_SHARE


def _origin(level: _Level, page: PageImage, box: tuple[int, int, int, int], confidence: float, **grid: int) -> Origin:
    """Where ``box`` (upright pixels) stands on the scanned page, in PDF points."""
    scale = 72.0 / page.dpi
    x0, y0, x1, y1 = level.upright.scan_box(box)
    bbox = (round(x0 * scale, 2), round(y0 * scale, 2), round(x1 * scale, 2), round(y1 * scale, 2))
    return Origin(page=page.number, bbox=bbox, confidence=round(confidence, 4), **grid)


def _table(engine: Engine, level: _Level, grid: Grid, page: PageImage) -> Table:
    """The grid as rows of cell strings; a merged cell's text at its top-left position."""
    # The rulings, grown by their blurred edges, are taken out of the ink: a remnant reads as 一.
    grow = max(3, int(page.dpi * 0.02) | 1)
    without_rules = cv2.subtract(level.ink, cv2.dilate(level.rulings.both, np.ones((grow, grow), np.uint8)))
    touching = cv2.subtract(level.ink, level.rulings.both)
    texts = read_cells(engine, level.upright.image, without_rules, grid.cells, page.dpi, touching)
    rows_n, cols_n = grid.shape
    rows = [["" for _ in range(cols_n)] for _ in range(rows_n)]
    origins: list[list[Origin]] = [[Origin(page=page.number) for _ in range(cols_n)] for _ in range(rows_n)]
    for cell, text in zip(grid.cells, texts, strict=True):
        _place(rows, origins, cell, text, level, page)
    return Table(rows=rows, page=page.number, exact_columns=True, origins=origins)


def _place(
    rows: list[list[str]], origins: list[list[Origin]], cell: Cell, text: CellText, level: _Level, page: PageImage
) -> None:
    """A cell's text at its top-left grid position; its origin on every position it covers."""
    rows[cell.row][cell.column] = text.text
    for r in range(cell.row, cell.row + cell.rows):
        for c in range(cell.column, cell.column + cell.columns):
            origins[r][c] = _origin(level, page, cell.box, text.confidence, row=r, column=c)


def _lines(
    engine: Engine, level: _Level, boxes: list[tuple[int, int, int, int]], page: PageImage
) -> list[tuple[float, Block]]:
    """Detected text outside tables, read and grouped into visual rows (cells split at wide gaps)."""
    readings = engine.recognize([_crop(_text_image(level), b) for b in boxes]) if boxes else []
    found = [(b, r) for b, r in zip(boxes, readings, strict=True) if r.text.strip() and r.confidence >= MIN_LINE_CONFIDENCE]
    found.sort(key=lambda item: (item[0][1] + item[0][3]) / 2)
    rows: list[list[tuple[tuple[int, int, int, int], Reading]]] = []
    for box, reading in found:
        middle = (box[1] + box[3]) / 2
        if rows and abs(middle - sum((b[1] + b[3]) / 2 for b, _ in rows[-1]) / len(rows[-1])) < 0.5 * (box[3] - box[1]):
            rows[-1].append((box, reading))
        else:
            rows.append([(box, reading)])
    out: list[tuple[float, Block]] = []
    for row in rows:
        row.sort(key=lambda item: item[0][0])
        cells = [r.text.strip() for _, r in row]
        origins = [_origin(level, page, b, r.confidence) for b, r in row]
        out.append((min(b[1] for b, _ in row), Line(cells, page=page.number, origins=origins)))
    return out

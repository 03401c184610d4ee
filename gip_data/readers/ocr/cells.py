"""Text of the cells of a ruled table: each cell's ink cut into text lines, each line recognised.

Cells are read from their own pixels, not from a page-wide text detector: a
lone thin "1" in a wide cell is easily missed by a detector, never by a cell
crop. Inside a cell the ink (ruling lines and speckle removed) is cut into text
lines where its row profile has gaps, joined again while a line stays no taller
than one line of the table's text (a character like 三 has gaps between its
strokes; a vertical label drawn one character per line is one line per
character, read top to bottom).

Numbers are where OCR must never guess. A cell whose text is a number (no
Chinese, digits or digit look-alikes) keeps a digit only when the recogniser
is sure of it; an unsure digit, or a letter where a digit must stand (``I`` for
``1``), becomes U+FFFD, the Unicode replacement character, so the extractor
takes the cell as unknown (the rules may fill it) instead of reading a wrong
number. Stray specks read as ``.`` or ``'`` at a number's edge are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from gip_data.readers.ocr.engine import Engine, Reading
from gip_data.readers.ocr.geometry import paint
from gip_data.readers.ocr.grid import Cell

UNREADABLE = "\ufffd"
# A digit read with less probability than this is unknown.
DIGIT_SURE = 0.85
# A non-Chinese character read with less than this at a label's end is a speck.
LABEL_EDGE_SURE = 0.9
# Punctuation read with less than this at a number's edge is a speck.
SPECK_SURE = 0.95
_CJK = re.compile(r"[\u3400-\u9fff]")
_ITEM_WITHOUT_POINT = re.compile(r"^(\d{1,2})\s*[\u3400-\u9fff]")
_EDGE_SPECK = set(".,'`·:;‘’\"_~-•。、，")
MAX_NUMBER_CHARS = 12
_PLACEHOLDERS = {"-", "--", "—", "——", "–", "－", "/", "／", "\\", "*", "x", "X", "…", "..."}
# Blobs no larger than this (inches) are scanner specks unless they sit between two glyphs.
SPECK_IN = 0.035


@dataclass(slots=True)
class CellText:
    """What a cell holds: text, its least sure character's probability, and the box of its ink."""

    text: str
    confidence: float
    ink_box: tuple[int, int, int, int] | None


@dataclass(slots=True)
class _Line:
    cell: int
    box: tuple[int, int, int, int]


def read_cells(
    engine: Engine, grey: np.ndarray, ink_mask: np.ndarray, cells: list[Cell], dpi: float, touching: np.ndarray
) -> list[CellText]:
    """The text of every cell (module docstring).

    ``ink_mask`` has the ruling lines (grown by their blurred edges) removed: it
    finds the text. ``touching`` is the ink without the bare rulings: it gives
    back the strokes of characters set tight against a ruling, which the grown
    removal cut off (the top of a 0 under a line would read as °).
    """
    masks = [clean_ink(ink_mask[y0:y1, x0:x1], dpi) for x0, y0, x1, y1 in (c.box for c in cells)]
    reach = max(2, int(dpi * 0.015))
    runs = [_row_runs(mask) for mask in masks]
    line_height = _line_height(runs, dpi)
    lines: list[_Line] = []
    images: list[np.ndarray] = []
    for index, (cell, mask, cell_runs) in enumerate(zip(cells, masks, runs, strict=True)):
        for top, bottom in _join_runs(cell_runs, line_height):
            box = _ink_columns(mask, top, bottom)
            if box is not None:
                x0, y0, x1, y1 = cell.box
                lines.append(_Line(index, (x0 + box[0], y0 + box[1], x0 + box[2], y0 + box[3])))
                images.append(_line_image(grey[y0:y1, x0:x1], mask, touching[y0:y1, x0:x1], box, reach))
    readings = engine.recognize(images) if images else []
    per_cell: list[list[tuple[_Line, Reading]]] = [[] for _ in cells]
    for line, reading in zip(lines, readings, strict=True):
        per_cell[line.cell].append((line, reading))
    return [_cell_text(found) for found in per_cell]


def clean_ink(mask: np.ndarray, dpi: float) -> np.ndarray:
    """A cell's ink without specks: small blobs are kept only between two glyphs (a decimal point)."""
    if mask.size == 0:
        return mask
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    speck = max(2, int(round(dpi * SPECK_IN)))
    big = [i for i in range(1, count) if max(stats[i, 2], stats[i, 3]) > speck]
    keep = np.zeros(count, dtype=np.uint8)
    keep[big] = 255
    reach = 3 * speck
    for i in range(1, count):
        if keep[i]:
            continue
        x, y, w, h = (int(v) for v in stats[i, :4])
        middle = y + h / 2
        near = [j for j in big if stats[j, 1] - speck <= middle <= stats[j, 1] + stats[j, 3] + speck]
        left = any(0 <= x - (stats[j, 0] + stats[j, 2]) <= reach for j in near)
        right = any(0 <= stats[j, 0] - (x + w) <= reach for j in near)
        if left and right:
            keep[i] = 255
    return paint(keep, labels)


def _row_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(top, bottom) rows of the ink runs of a cell mask."""
    if mask.size == 0:
        return []
    rows = np.flatnonzero((mask > 0).any(axis=1))
    if rows.size == 0:
        return []
    parts = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)
    return [(int(p[0]), int(p[-1]) + 1) for p in parts]


def _line_height(runs: list[list[tuple[int, int]]], dpi: float) -> float:
    """The height of one line of Chinese text in this table, from the cells holding a single ink run.

    Most such cells hold numbers, whose digits are lower than Chinese characters;
    the upper part of the distribution is the height of a line of characters.
    """
    singles = [r[0][1] - r[0][0] for r in runs if len(r) == 1 and r[0][1] - r[0][0] > dpi * 0.04]
    return float(np.percentile(singles, 80)) if singles else dpi * 0.16


def _join_runs(runs: list[tuple[int, int]], line_height: float) -> list[tuple[int, int]]:
    """Group ink runs into text lines no taller than about one line (strokes of one character join)."""
    limit = 1.45 * line_height
    lines: list[tuple[int, int]] = []
    for top, bottom in runs:
        if lines and bottom - lines[-1][0] <= limit:
            lines[-1] = (lines[-1][0], bottom)
        else:
            lines.append((top, bottom))
    # A line much lower than a text line is a stroke fragment left alone.
    return [line for line in lines if line[1] - line[0] >= 0.25 * line_height]


def _ink_columns(mask: np.ndarray, top: int, bottom: int) -> tuple[int, int, int, int] | None:
    """The ink box of one text line inside a cell mask."""
    cols = np.flatnonzero((mask[top:bottom] > 0).any(axis=0))
    if cols.size == 0:
        return None
    return int(cols[0]), top, int(cols[-1]) + 1, bottom


def _line_image(
    grey: np.ndarray, mask: np.ndarray, touching: np.ndarray, box: tuple[int, int, int, int], reach: int
) -> np.ndarray:
    """A BGR crop of one text line, white outside its ink, with a white margin.

    The crop reaches ``reach`` pixels above and below the line's clean ink, where
    the strokes that touched a ruling are taken from ``touching``.
    """
    x0, y0, x1, y1 = box
    top, bottom = max(0, y0 - reach), min(grey.shape[0], y1 + reach)
    crop = grey[top:bottom, x0:x1].copy()
    allowed = cv2.dilate(mask[top:bottom, x0:x1], np.ones((3, 3), np.uint8))
    edges = touching[top:bottom, x0:x1].copy()
    edges[y0 - top : y1 - top] = 0  # inside the line the clean ink decides (no specks back)
    crop[(allowed == 0) & (edges == 0)] = 255
    margin = max(3, (y1 - y0) // 4)
    padded = cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(padded, cv2.COLOR_GRAY2BGR)


def _cell_text(found: list[tuple[_Line, Reading]]) -> CellText:
    if not found:
        return CellText("", 1.0, None)
    text = "".join(r.text for _, r in found).strip()
    probs = tuple(p for _, r in found for p in r.probs)
    boxes = [line.box for line, _ in found]
    ink_box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    if looks_numeric(text) or _number_with_noise(text, probs):
        text, probs = number_text(text, probs)
    elif _CJK.search(text):
        text, probs = label_text(text, probs)
    return CellText(text, min(probs, default=1.0), ink_box)


def _number_with_noise(text: str, probs: tuple[float, ...]) -> bool:
    """Digits with Chinese characters the recogniser was unsure of, or 一 (a ruling's remnant, a dash)."""
    if not any(ch.isdigit() for ch in text) or len(text.replace(" ", "")) > MAX_NUMBER_CHARS:
        return False
    cjk = [(ch, p) for ch, p in zip(text, probs, strict=False) if _CJK.match(ch)]
    return bool(cjk) and all(ch == "一" or p < LABEL_EDGE_SURE for ch, p in cjk)


def label_text(text: str, probs: tuple[float, ...]) -> tuple[str, tuple[float, ...]]:
    """A label cell without unsure non-Chinese characters at its ends (specks read as ``14`` or ``==``).

    A label that starts with a one- or two-digit item number glued to Chinese
    (``7属于…``) lost its list point, a speck-sized mark: it is given back, so
    the item number is not taken for a count.
    """
    chars = list(zip(text, probs, strict=False))
    while chars and not _CJK.match(chars[-1][0]) and (chars[-1][1] < LABEL_EDGE_SURE or chars[-1][0] in " -."):
        chars.pop()
    while chars and not _CJK.match(chars[0][0]) and (chars[0][1] < LABEL_EDGE_SURE or chars[0][0] == " "):
        chars.pop(0)
    out = "".join(ch for ch, _ in chars)
    item = _ITEM_WITHOUT_POINT.match(out)
    if item:
        digits = len(item.group(1))
        out = out[:digits] + "." + out[digits:]
        chars.insert(digits, (".", 1.0))
    return out, tuple(p for _, p in chars)


def looks_numeric(text: str) -> bool:
    """A short cell without Chinese that holds a digit, or a few Latin letters or signs alone."""
    compact = text.replace(" ", "")
    if not compact or len(compact) > MAX_NUMBER_CHARS or _CJK.search(compact):
        return False
    if compact in _PLACEHOLDERS:
        return False  # a printed dash or slash: the extractor's unknown/blank, kept as printed
    if any(ch.isdigit() for ch in compact):
        return True
    # A few Latin letters or signs alone in a cell are a misread number (``a`` for ``0``), never a label.
    return len(compact) <= 3 and all(ch.isascii() and ch.isprintable() for ch in compact)


def number_text(text: str, probs: tuple[float, ...]) -> tuple[str, tuple[float, ...]]:
    """A number cell's text with unsure digits and look-alikes as U+FFFD (module docstring)."""
    chars = [(ch, p) for ch, p in zip(text, probs, strict=False) if ch != " "]
    while chars and chars[0][0] in _EDGE_SPECK and chars[0][1] < SPECK_SURE:
        chars.pop(0)
    while chars and chars[-1][0] in _EDGE_SPECK and chars[-1][1] < SPECK_SURE:
        chars.pop()
    out: list[str] = []
    for index, (ch, prob) in enumerate(chars):
        inner = 0 < index < len(chars) - 1
        if ch.isdigit() and prob >= DIGIT_SURE:
            out.append(ch)
        elif ch in ",." and inner and prob >= SPECK_SURE and chars[index - 1][0].isdigit():
            out.append(ch)  # thousands separator or decimal point between digits
        elif ch in "+-" and index == 0 and len(chars) > 1 and prob >= SPECK_SURE:
            out.append(ch)  # the sign of a change (table 2's 本年增/减)
        else:
            out.append(UNREADABLE)
    return "".join(out), tuple(p for _, p in chars)

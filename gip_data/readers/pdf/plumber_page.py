"""The reading of record's view of a page: characters, lines, rects and curves through pdfplumber.

pdfplumber (over pdfminer.six, ``laparams`` off: no layout analysis) already
measures in the display frame with ``/Rotate`` applied. Each page is parsed
once (characters and graphics come from the same pass) and closed before the
next, so memory stays flat on long files. Rules are filtered as in the fast
reading: a filled rectangle that is not thin is a background, not a rule.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Iterator

import pdfplumber

from gip_data.readers.pdf.model import Char, PageContent, Rule, upright_text
from gip_data.readers.pdf.pdfium_page import STRAIGHT, THIN

# pdfminer logs every font it cannot fully describe (a missing FontBBox) at WARNING;
# such fonts still read, and the log would otherwise fill a user's terminal.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# One command of a pdfplumber curve's path: "m"/"l" and a point, "c" and three, "h" alone.
PathCommand = tuple[str, *tuple[tuple[float, float], ...]]
_UNDECODABLE = re.compile(r"^\(cid:\d+\)$|[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")


def plumber_pages(data: bytes) -> Iterator[PageContent]:
    """Every page's characters and rules, one page parsed at a time."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            try:
                yield _content(page)
            finally:
                page.close()


def _content(page: pdfplumber.page.Page) -> PageContent:
    content = PageContent(page.page_number, float(page.width), float(page.height))
    for obj in page.chars:
        text = upright_text(obj["text"])
        if text.isspace():
            continue
        if _UNDECODABLE.search(text):
            content.undecodable += 1
            continue
        box = (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))
        a, b = obj["matrix"][0], obj["matrix"][1]
        turns = round(math.atan2(b, a) / (math.pi / 2)) % 4
        content.chars.append(Char(text, *box, box=box, turns=turns))
    content.rules = list(_rules(page))
    return content


def _rules(page: pdfplumber.page.Page) -> Iterator[Rule]:
    for line in page.lines:
        if line.get("stroke", True):
            yield from _segments(line["pts"])
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        if min(x1 - x0, bottom - top) <= THIN < max(x1 - x0, bottom - top):
            yield Rule(x0, top, x1, bottom)  # a thin filled or stroked rectangle
        elif rect.get("stroke"):
            yield from _segments([(x0, top), (x1, top), (x1, bottom), (x0, bottom), (x0, top)])
    for curve in page.curves:
        xs, ys = [p[0] for p in curve["pts"]], [p[1] for p in curve["pts"]]
        if min(max(xs) - min(xs), max(ys) - min(ys)) <= THIN < max(max(xs) - min(xs), max(ys) - min(ys)):
            yield Rule(min(xs), min(ys), max(xs), max(ys))
        elif curve.get("stroke"):
            yield from _path_segments(curve.get("path") or [])


def _segments(points: list[tuple[float, float]]) -> Iterator[Rule]:
    """The horizontal and vertical straight segments of a polyline."""
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        if (abs(ax - bx) <= STRAIGHT or abs(ay - by) <= STRAIGHT) and (ax, ay) != (bx, by):
            yield Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _path_segments(path: list[PathCommand]) -> Iterator[Rule]:
    """Straight segments of a path given as pdfplumber's (command, points…) list; curves skipped."""
    start = previous = None
    for command, *points in path:
        if not points:  # "h": close the subpath
            if previous and start:
                yield from _segments([previous, start])
            previous = start
            continue
        point = (float(points[-1][0]), float(points[-1][1]))
        if command == "l" and previous is not None:
            yield from _segments([previous, point])
        if command == "m":
            start = point
        previous = point

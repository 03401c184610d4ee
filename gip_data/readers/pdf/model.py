"""What both PDF readings see on a page: characters and ruling segments, in one frame.

Coordinates are PDF points from the top-left corner of the page *as displayed*
(``/Rotate`` applied), as pdfplumber measures: ``(x0, top, x1, bottom)``.
A page whose text runs sideways (a landscape table typeset with a rotated text
matrix) is read in a *reading frame*: the display frame turned by whole quarter
turns until the text is upright. Layout works in the reading frame; every
:class:`Char` keeps its display box, and :class:`Frame` maps boxes back, so
provenance is always given in display coordinates.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Char:
    """One visible character: its box in the reading frame and in the display frame."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    box: Box  # display frame, for provenance
    turns: int = 0  # quarter turns (counter-clockwise) of the baseline on the displayed page

    @property
    def size(self) -> float:
        """The character's height in the reading frame (the font size, roughly)."""
        return max(self.bottom - self.top, 1.0)

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Rule:
    """A horizontal or vertical ruling segment (a stroked line, a thin filled rectangle)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def vertical(self) -> bool:
        return self.bottom - self.top > self.x1 - self.x0


@dataclass(slots=True)
class PageContent:
    """One page as a reading saw it, before layout (1-based ``number``)."""

    number: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    undecodable: int = 0  # characters without a Unicode value (private use, "(cid:12)")
    text_runs: int = 0  # text objects drawn (counted by the fast reading)
    blank_runs: int = 0  # text objects whose glyphs map to no text at all
    frame: Frame | None = None  # set by :func:`to_reading_frame`


# CJK Radicals Supplement characters that fonts map their ideographs to (pdfium maps them back;
# pdfminer does not). The Kangxi Radicals block has compatibility mappings and goes through NFKC.
_RADICAL_LOOKALIKES = str.maketrans(
    "⺟⺠⺩⻁⻄⻅⻆⻉⻋⻓⻔⻗⻘⻙⻚⻛⻜⻝⻡⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻰⻳",
    "母民王虎西见角贝车长门雨青韦页风飞食首马骨鬼鱼鸟卤麦黄齐齿龙龟",
)


def upright_text(text: str) -> str:
    """A character as its ideograph: radical look-alikes mapped back (what pdfium already does)."""
    if text and "\u2e80" <= text[0] <= "\u2fdf":
        return unicodedata.normalize("NFKC", text).translate(_RADICAL_LOOKALIKES)
    return text


def turn_box(box: Box, turns: int, width: float, height: float) -> Box:
    """``box`` after turning a ``width`` × ``height`` page clockwise by ``turns`` quarter turns."""
    x0, top, x1, bottom = box
    turns %= 4
    if turns == 1:
        return height - bottom, x0, height - top, x1
    if turns == 2:
        return width - x1, height - bottom, width - x0, height - top
    if turns == 3:
        return top, width - x1, bottom, width - x0
    return box


@dataclass(frozen=True, slots=True)
class Frame:
    """The quarter turns from the display frame to the reading frame of one page."""

    turns: int
    width: float  # of the display frame
    height: float

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the reading frame."""
        return (self.height, self.width) if self.turns % 2 else (self.width, self.height)

    def to_reading(self, box: Box) -> Box:
        return turn_box(box, self.turns, self.width, self.height)

    def to_display(self, box: Box) -> Box:
        width, height = self.size
        return turn_box(box, 4 - self.turns, width, height)


def to_reading_frame(page: PageContent) -> PageContent:
    """Turn the page so that most of its text is upright (characters and rules move together)."""
    counts = Counter(c.turns % 4 for c in page.chars)
    turns = counts.most_common(1)[0][0] if counts else 0
    frame = Frame(turns, page.width, page.height)
    page.frame = frame
    if turns == 0:
        return page
    for char in page.chars:
        char.x0, char.top, char.x1, char.bottom = frame.to_reading(char.box)
    page.rules = [Rule(*frame.to_reading((r.x0, r.top, r.x1, r.bottom))) for r in page.rules]
    page.width, page.height = frame.size
    return page


def union(boxes: list[Box]) -> Box:
    """The smallest box holding every box of the list (non-empty)."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )

"""TXT reader: decoded text → one :class:`Line` per non-blank text line.

Plain-text reports come from copy-paste, Word "save as text" and
``pdftotext -layout``. Their table rows keep whatever separated the cells, so a
line is split on the first separator kind it has, in this order:

- pipes (``a | b | c |``): the cells as printed, stripped; trailing empty cells
  (the padding of ``| |||``) are dropped, interior and leading ones kept because
  they hold a column position;
- tabs (Word's text export): same rule, except that a lone cell indented by
  tabs loses its indentation;
- runs of two or more spaces (``pdftotext -layout`` columns);
- otherwise the whole line is one cell.

Only whitespace is normalised (NBSP and ideographic space become a plain
space); label normalisation belongs to the extractor.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gip_data.readers._encoding import bytes_to_text
from gip_data.readers.document import Document, Line

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

_SPACES = str.maketrans({"\u00a0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u200b": ""})
_LAYOUT_GAP = re.compile(r" {2,}")
# Word's "save as text" leaves bookmark markers such as "[bookmark: _GoBack]".
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def read_txt(data: bytes, source: str, limits: ReadLimits) -> Document:
    """Decode ``data`` and split every non-blank line into cells."""
    text, _encoding = bytes_to_text(data, source)
    return Document(format="txt", blocks=text_to_lines(text))


def text_to_lines(text: str) -> list[Line]:
    """Each non-blank line of ``text`` as a Line of cells (see module doc)."""
    lines: list[Line] = []
    for raw in text.splitlines():
        cells = line_to_cells(raw)
        if cells:
            lines.append(Line(cells))
    return lines


def line_to_cells(raw: str) -> list[str]:
    """One text line split on its separators; [] for a blank or rule line."""
    line = _BOOKMARK.sub("", raw.translate(_SPACES)).rstrip()
    if not line.strip() or _MARKDOWN_RULE.match(line.strip()):
        return []
    if "|" in line:
        stripped = line.strip()
        # A leading pipe is markdown framing, not an empty first column.
        parts = stripped[1:].split("|") if stripped.startswith("|") else stripped.split("|")
        return _trimmed([p.strip() for p in parts])
    if "\t" in line:
        return _trimmed([p.strip() for p in line.split("\t")])
    return _trimmed(_LAYOUT_GAP.split(line.strip()))


def _trimmed(cells: list[str]) -> list[str]:
    """Drop trailing empty cells, and leading ones when a single cell remains."""
    while cells and not cells[-1]:
        cells.pop()
    if sum(1 for c in cells if c) == 1:
        return [c for c in cells if c]
    return cells

"""The one intermediate form every reader produces and the extractor consumes.

A reader turns bytes into a :class:`Document`: an ordered list of blocks, each a
paragraph of text or a table given as rows of cell strings. Merged cells are
resolved by repeating nothing: a cell covered by a rowspan/colspan is the empty
string, so the grid is rectangular per row but carries no duplicated labels.
Text-only sources emit one :class:`Line` per text line, keeping the separators
the line had (pipes, tabs) as cells, or one cell for a plain line.

Nothing after this point knows which file type the document came from, except
``Document.format``, which is kept for provenance only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

DocumentFormat = Literal["txt", "html", "docx", "pdf"]


@dataclass(slots=True)
class Line:
    """One line of text. ``cells`` holds its parts when it had separators."""

    cells: list[str]
    page: int | None = None

    @property
    def text(self) -> str:
        """The line with its cells joined by a space."""
        return " ".join(self.cells)


@dataclass(slots=True)
class Table:
    """A real cell grid (HTML, DOCX, a ruled PDF table): rows of cell strings.

    ``exact_columns`` is True when every position is a cell the page draws (PDF
    rows cut at ruling lines): an empty column at the right edge is then a
    blank column of the table, not padding a markup grid may carry.
    """

    rows: list[list[str]]
    page: int | None = None
    exact_columns: bool = False


Block = Union[Line, Table]


@dataclass(slots=True)
class Document:
    """What a reader saw in a file: a title (when the format has one) and blocks."""

    format: DocumentFormat
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    pages: int | None = None

    def text(self) -> str:
        """All text in reading order, one line per Line and per table row."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Line):
                out.append(block.text)
            else:
                out.extend(" ".join(c for c in row if c) for row in block.rows)
        return "\n".join(out)

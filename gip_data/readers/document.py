"""The one intermediate form every reader produces and the extractor consumes.

A reader turns bytes into a :class:`Document`: an ordered list of blocks, each a
paragraph of text or a table given as rows of cell strings. Merged cells are
resolved by repeating nothing: a cell covered by a rowspan/colspan is the empty
string, so the grid is rectangular per row but carries no duplicated labels.
Text-only sources emit one :class:`Line` per text line, keeping the separators
the line had (pipes, tabs) as cells, or one cell for a plain line.

Nothing after this point knows which file type the document came from, except
``Document.format``, which is kept for provenance only.

Provenance starts here: a reader that knows where a cell stands in the file
gives it an :class:`Origin` (``Line.origins``, ``Table.origins``, parallel to
the cells). Tokens carry it on, and every number of the record keeps it
(:class:`gip_data.schema.record.CellSource`), so a doubted number can be shown
in its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DocumentFormat = Literal["txt", "html", "docx", "pdf", "doc", "wps", "image"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a piece of text stands in the source file; each reader sets what it knows.

    - PDF and images: ``page`` (1-based) and ``bbox`` = (x0, top, x1, bottom) in
      PDF points from the page's top-left corner, as pdfplumber measures (image
      pixels are converted at the rendering resolution); OCR adds ``confidence``
      in [0, 1].
    - Text (TXT, markdown): ``line`` (1-based line of the decoded text) and the
      character span ``start:end`` inside that line.
    - HTML and DOCX: ``table`` (0-based index of the grid in the document),
      ``row`` and ``column`` (grid positions after rowspan/colspan); paragraphs
      give ``line`` (1-based index of the text line the reader emitted).
    """

    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    confidence: float | None = None


@dataclass(slots=True)
class Line:
    """One line of text. ``cells`` holds its parts when it had separators.

    ``origins`` (when the reader knows them) has one :class:`Origin` per cell.
    """

    cells: list[str]
    page: int | None = None
    origins: list[Origin] | None = None

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
    origins: list[list[Origin]] | None = None  # one per cell, parallel to ``rows``


Block = Line | Table


@dataclass(slots=True)
class Document:
    """What a reader saw in a file (one reading of it): a title when the format has one, and blocks."""

    format: DocumentFormat
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    pages: int | None = None
    # Which way of reading the file produced these blocks ("" for a format's only
    # reading); the parse keeps the reading the arithmetic rules like best.
    reading: str = ""
    # The body the page says published it (an HTML page's ContentSource meta), when it says so.
    publisher: str | None = None

    def text(self) -> str:
        """All text in reading order, one line per Line and per table row."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Line):
                out.append(block.text)
            else:
                out.extend(" ".join(c for c in row if c) for row in block.rows)
        return "\n".join(out)

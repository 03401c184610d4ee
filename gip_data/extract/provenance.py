"""Where each cell of tables 3 and 4 was printed: tokens' origins → :class:`CellSource`.

A decoded row knows, for each cell, which of its chunk's tokens carried the
digits and which characters of them (:data:`~gip_data.extract.candidates.CellSpan`).
The cell's source is the origin of those tokens: page and box for PDF, line and
the character span of the cell's own digits for text (so a cell decoded from a
shared digit run points at its digits only), table/row/column for HTML and DOCX.
``text`` is the printed token whole; a scan's cell keeps its OCR ``confidence``
(the least of its tokens'). A cell the print lost or left blank has no printed
source and gets none; a cell printed with digits OCR could not read keeps its
source (its text holds U+FFFD) when the rules filled it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import TypeAdapter

from gip_data.extract.candidates import Candidate, CellSpan
from gip_data.extract.tokens import Token
from gip_data.readers.document import Origin
from gip_data.schema.record import CellSource, TableNumber

Address = Callable[[int], tuple[str, str]]  # cell index → (row key or block, column or outcome)
Fields = dict[str, Any]
# One validation call for a whole table's sources (in pydantic's compiled core: the cheapest way).
_SOURCES = TypeAdapter(list[CellSource])


def row_sources(table: TableNumber, chunk: Sequence[Token], chosen: Candidate, address: Address) -> list[Fields]:
    """The sources of one decoded row's printed cells, as fields (see :func:`as_sources`)."""
    out: list[Fields] = []
    for index, span in enumerate(chosen.spans):
        if span is None:
            continue
        source = span_source(chunk, span)
        if source is not None:
            row, column = address(index)
            out.append({"table": table, "row": row, "column": column, "source": source})
    return out


def as_sources(fields: list[Fields]) -> list[CellSource]:
    """The records' CellSource objects for the fields gathered from every row."""
    return _SOURCES.validate_python(fields)


def span_source(chunk: Sequence[Token], span: CellSpan) -> Fields | None:
    """The printed place of the characters ``span`` covers (None when the reader gave no origin)."""
    first, start, last, end = span
    tokens = chunk[first : last + 1]
    head = tokens[0].origin
    text = " ".join(t.text for t in tokens)
    if head is None or not text:
        return None
    tail = tokens[-1].origin or head
    if head.line is not None and head.start is not None:
        return _text_source(head, tail, start, end, text)
    if head.bbox is not None:
        return _span(page=head.page, bbox=_union(head, tail), text=text, confidence=_confidence(tokens))
    if head.table is not None:
        return _span(grid_table=head.table, grid_row=head.row, grid_column=head.column, text=text)
    return _span(page=head.page, line=head.line, text=text)


def _text_source(head: Origin, tail: Origin, start: int, end: int, text: str) -> Fields:
    begin = (head.start or 0) + start
    if tail.line == head.line and tail.start is not None:
        finish = tail.start + end
    else:
        finish = head.end if head.end is not None else begin
    return _span(page=head.page, line=head.line, start=begin, end=finish, text=text)


def _span(**fields: Any) -> Fields:
    """The fields of a SourceSpan (validated with the whole table's sources)."""
    return {k: v for k, v in fields.items() if v is not None}


def _confidence(tokens: Sequence[Token]) -> float | None:
    """The OCR confidence of a cell read from several tokens: the least sure of them."""
    known = [t.origin.confidence for t in tokens if t.origin is not None and t.origin.confidence is not None]
    return min(known) if known else None


def _union(head: Origin, tail: Origin) -> tuple[float, float, float, float] | None:
    if head.bbox is None:
        return None
    if tail.bbox is None or tail.page != head.page:
        return head.bbox
    a, b = head.bbox, tail.bbox
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))

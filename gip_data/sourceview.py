"""Show where a number came from: the page image with its box, or the line or table row with its digits.

A cell's :class:`~gip_data.schema.record.SourceSpan` says where it was
printed. For a PDF (and a scan), :func:`page_image` renders the page with
pypdfium2 (the PDF library the reader already uses) and caches the PNG on disk
per file and page (every version stored from the same file shares it), and
:func:`highlight` draws the cell's box on it; :func:`crop_around` gives the
strip of the page around the box. For text, HTML and DOCX,
:func:`text_snippet` reads the original bytes again through the reader and
returns the lines (or table rows) around the number with its characters
marked; :func:`snippet_html` writes that as escaped HTML. The readers run on
untrusted bytes, so the app calls the rendering and the re-reading through
:func:`gip_data.isolated.run_isolated`.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from gip_data.errors import CorruptFileError
from gip_data.readers.document import Document, Line, Origin, Table
from gip_data.schema.record import SourceSpan

RENDER_SCALE = 2.0  # image pixels per PDF point (144 dpi): digits stay sharp in the crop
CONTEXT_LINES = 3  # lines (or table rows) shown before and after the number's
CROP_MARGIN_PT = 54.0  # the strip around a box: about four lines of body text above and below
HIGHLIGHT_OUTLINE = (211, 47, 47, 255)
HIGHLIGHT_FILL = (255, 214, 0, 90)
PAGED_FORMATS = ("pdf",)


# -- pages ------------------------------------------------------------------------------------------------------


def render_page(data: bytes, page: int, scale: float = RENDER_SCALE) -> bytes:
    """One page (1-based) of a PDF as PNG bytes, as pdfium draws it (the page's own rotation applied)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"PDF cannot be opened: {exc}") from exc
    try:
        if not 1 <= page <= len(pdf):
            raise CorruptFileError(f"page {page} of {len(pdf)}")
        image = pdf[page - 1].render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        pdf.close()


def page_count(data: bytes) -> int:
    """How many pages a PDF has."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"PDF cannot be opened: {exc}") from exc
    try:
        return len(pdf)
    finally:
        pdf.close()


def text_chars(data: bytes, max_pages: int = 50) -> int:
    """How many characters the text layer of a PDF's first ``max_pages`` pages holds (0 for a scan)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"PDF cannot be opened: {exc}") from exc
    try:
        total = 0
        for index in range(min(len(pdf), max_pages)):
            text = pdf[index].get_textpage()
            total += text.count_chars()
            text.close()
        return total
    finally:
        pdf.close()


def cache_path(folder: Path, sha256: str, page: int, scale: float) -> Path:
    """Where the image of one page of one file is kept."""
    return folder / sha256[:2] / sha256 / f"p{page}@{scale:g}.png"


def page_image(
    sha256: str,
    page: int,
    load: Callable[[], bytes],
    render: Callable[[bytes, int, float], bytes] = render_page,
    *,
    folder: Path,
    scale: float = RENDER_SCALE,
) -> bytes:
    """The PNG of one page, rendered once per file and page and then read from ``folder``.

    ``load`` gives the file's bytes (only on a cache miss); ``render`` draws
    the page (the app passes one that runs in a limited worker). The file is
    written under a temporary name and renamed, so a reader never sees half of it.
    """
    path = cache_path(folder, sha256, page, scale)
    if path.is_file():
        return path.read_bytes()
    png = render(load(), page, scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(png)
    partial.replace(path)
    return png


def _pixels(bbox: tuple[float, float, float, float], scale: float) -> tuple[int, int, int, int]:
    x0, top, x1, bottom = bbox
    return int(x0 * scale), int(top * scale), int(round(x1 * scale)), int(round(bottom * scale))


def highlight(png: bytes, bbox: tuple[float, float, float, float], scale: float = RENDER_SCALE) -> bytes:
    """The page with the box (PDF points from the top-left) filled in yellow and outlined in red."""
    from PIL import Image, ImageDraw

    page = Image.open(io.BytesIO(png)).convert("RGBA")
    overlay = Image.new("RGBA", page.size, (0, 0, 0, 0))
    x0, y0, x1, y1 = _pixels(bbox, scale)
    pad = max(2, int(scale * 2))
    box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    ImageDraw.Draw(overlay).rectangle(box, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_OUTLINE, width=max(2, int(scale * 1.5)))
    out = io.BytesIO()
    Image.alpha_composite(page, overlay).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def crop_around(
    png: bytes, bbox: tuple[float, float, float, float], scale: float = RENDER_SCALE, margin: float = CROP_MARGIN_PT
) -> bytes:
    """The full-width strip of the page from ``margin`` points above the box to ``margin`` below it."""
    from PIL import Image

    page = Image.open(io.BytesIO(png))
    _, y0, _, y1 = _pixels(bbox, scale)
    top, bottom = max(0, y0 - int(margin * scale)), min(page.height, y1 + int(margin * scale))
    out = io.BytesIO()
    page.crop((0, top, page.width, max(bottom, top + 1))).save(out, format="PNG")
    return out.getvalue()


# -- text, HTML and DOCX ----------------------------------------------------------------------------------------


class SnippetPart(BaseModel):
    """A piece of a line or cell; ``mark`` for the number's own characters."""

    text: str
    mark: bool = False


class SnippetRow(BaseModel):
    """One line (one cell) or one table row (its cells) of the snippet; ``number`` is its line number."""

    number: int | None = None
    cells: list[list[SnippetPart]]
    target: bool = False


class SourceSnippet(BaseModel):
    """The lines or table rows around a number, its characters marked; ``found`` False when it was not found."""

    kind: Literal["lines", "grid"]
    rows: list[SnippetRow]
    found: bool = True


def _marked(text: str, start: int | None, end: int | None) -> list[SnippetPart]:
    """``text`` split into before / the marked span / after (all of it marked when there is no span)."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return [SnippetPart(text=text, mark=True)]
    parts = [SnippetPart(text=text[:start]), SnippetPart(text=text[start:end], mark=True), SnippetPart(text=text[end:])]
    return [p for p in parts if p.text]


def _raw_lines(data: bytes, file_name: str, span: SourceSpan) -> SourceSnippet:
    """A text file: the decoded lines around the span's (1-based) line, its characters marked."""
    from gip_data.readers._encoding import bytes_to_text

    text, _encoding = bytes_to_text(data, file_name)
    lines = text.splitlines()
    target = (span.line or 0) - 1
    if not 0 <= target < len(lines):
        return SourceSnippet(kind="lines", rows=[], found=False)
    rows = []
    for i in range(max(0, target - CONTEXT_LINES), min(len(lines), target + CONTEXT_LINES + 1)):
        parts = _marked(lines[i], span.start, span.end) if i == target else [SnippetPart(text=lines[i])]
        rows.append(SnippetRow(number=i + 1, cells=[parts], target=i == target))
    return SourceSnippet(kind="lines", rows=rows)


def _choose(documents: list[Document], reading: str | None) -> Document | None:
    return next((d for d in documents if d.reading == reading), documents[0] if documents else None)


def _grid_rows(document: Document, span: SourceSpan) -> SourceSnippet:
    """The table row holding the span's grid cell, with the rows around it; that cell marked."""
    for block in document.blocks:
        if not isinstance(block, Table) or block.origins is None:
            continue
        for r, origins in enumerate(block.origins):
            for c, origin in enumerate(origins):
                if (origin.table, origin.row, origin.column) == (span.grid_table, span.grid_row, span.grid_column):
                    return SourceSnippet(kind="grid", rows=_table_rows(block, r, c))
    return SourceSnippet(kind="grid", rows=[], found=False)


def _table_rows(table: Table, r: int, c: int) -> list[SnippetRow]:
    rows = []
    for i in range(max(0, r - CONTEXT_LINES), min(len(table.rows), r + CONTEXT_LINES + 1)):
        cells = [[SnippetPart(text=text, mark=i == r and j == c)] for j, text in enumerate(table.rows[i])]
        rows.append(SnippetRow(cells=cells, target=i == r))
    return rows


def _line_of(origins: list[Origin] | None, line: int | None) -> bool:
    return bool(origins) and any(o.line == line for o in origins or [])


def _document_lines(document: Document, span: SourceSpan) -> SourceSnippet:
    """A reader's text lines (HTML paragraphs, DOCX paragraphs): the line holding the span, the lines around it."""
    lines = [b for b in document.blocks if isinstance(b, Line)]
    at = next((i for i, b in enumerate(lines) if _line_of(b.origins, span.line)), None)
    if at is None:
        return SourceSnippet(kind="lines", rows=[], found=False)
    rows = []
    for i in range(max(0, at - CONTEXT_LINES), min(len(lines), at + CONTEXT_LINES + 1)):
        block = lines[i]
        origins = block.origins or [Origin()] * len(block.cells)
        cells = []
        for text, origin in zip(block.cells, origins, strict=True):
            inside = (i == at and origin.start is not None and span.start is not None
                      and origin.start <= span.start < (origin.end or origin.start))
            if inside:
                offset = origin.start or 0
                cells.append(_marked(text, (span.start or 0) - offset, (span.end or 0) - offset))
            else:
                cells.append([SnippetPart(text=text)])
        rows.append(SnippetRow(number=origins[0].line, cells=cells, target=i == at))
    return SourceSnippet(kind="lines", rows=rows)


def text_snippet(data: bytes, file_name: str, file_format: str, span: SourceSpan, reading: str | None) -> SourceSnippet:
    """Where a span stands in a text, HTML or DOCX file, read again from its bytes (see the module docstring).

    A text file's lines are the decoded file's; HTML and DOCX are read again by
    their reader in the reading the parse chose (``reading``), and the span is
    looked up by the origins that reader gives its lines and grid cells.
    """
    if file_format == "txt" and span.line is not None:
        return _raw_lines(data, file_name, span)
    from gip_data.readers.registry import read_readings

    documents = list(read_readings(data, file_name))
    document = _choose(documents, reading)
    if document is None:
        return SourceSnippet(kind="lines", rows=[], found=False)
    if span.grid_table is not None:
        return _grid_rows(document, span)
    return _document_lines(document, span)


def _parts_html(parts: list[SnippetPart]) -> str:
    return "".join(
        f'<mark class="gip-src">{html.escape(p.text)}</mark>' if p.mark else html.escape(p.text) for p in parts
    )


_STYLE = (
    "<style>.gip-snippet{font-family:monospace;font-size:0.9rem;border-collapse:collapse}"
    ".gip-snippet td{border:1px solid #ddd;padding:2px 6px;white-space:pre-wrap}"
    ".gip-snippet tr.gip-target td{background:#fffde7}"
    "mark.gip-src{background:#ffd600;outline:2px solid #d32f2f;padding:0 1px}"
    ".gip-snippet td.gip-no{color:#888;text-align:right}</style>"
)


def snippet_html(snippet: SourceSnippet) -> str:
    """The snippet as a small HTML table (every text escaped); line numbers in the first column for lines."""
    rows = []
    for row in snippet.rows:
        css = ' class="gip-target"' if row.target else ""
        number = f'<td class="gip-no">{row.number}</td>' if snippet.kind == "lines" else ""
        if snippet.kind == "lines":
            cells = f"<td>{' │ '.join(_parts_html(parts) for parts in row.cells)}</td>"
        else:
            cells = "".join(f"<td>{_parts_html(parts)}</td>" for parts in row.cells)
        rows.append(f"<tr{css}>{number}{cells}</tr>")
    return f'{_STYLE}<table class="gip-snippet">{"".join(rows)}</table>'


def describe(span: SourceSpan, file_format: str) -> str:
    """Where a number stands, in words (第2页 / 第41行第12–14个字符 / 第1个表格第5行第3列)."""
    parts = []
    if span.page is not None:
        parts.append(f"第{span.page}页")
    if span.grid_table is not None:
        parts.append(f"第{span.grid_table + 1}个表格第{(span.grid_row or 0) + 1}行第{(span.grid_column or 0) + 1}列")
    elif span.line is not None:
        where = "行" if file_format == "txt" else "段"
        chars = f"第{span.start + 1}–{span.end}个字符" if span.start is not None and span.end else ""
        parts.append(f"第{span.line}{where}{chars}")
    if span.text:
        parts.append(f"原文“{span.text}”")
    if span.confidence is not None:
        parts.append(f"OCR 置信度 {span.confidence:.0%}")
    return "，".join(parts) or "位置未知"

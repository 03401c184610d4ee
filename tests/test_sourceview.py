"""The source of a number: page images with the cell's box, the source line or table row with its digits marked."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image

from gip_data.errors import CorruptFileError, NotAReportError, ParseTimeoutError
from gip_data.isolated import run_isolated
from gip_data.readers.document import Document, Line, Origin, Table
from gip_data.readers.registry import read_readings
from gip_data.schema.record import SourceSpan
from gip_data.sourceview import (
    RENDER_SCALE,
    _document_lines,
    _grid_rows,
    cache_path,
    crop_around,
    describe,
    highlight,
    page_image,
    render_page,
    snippet_html,
    text_snippet,
)
from tests.paths import FIXTURES, TRACE

PDF = FIXTURES / "seed_003.pdf"


def _number_origins(data: bytes, name: str) -> list[tuple[str, Origin]]:
    """(text, origin) of every number cell the PDF reader placed on a page."""
    document = next(read_readings(data, name))
    found = []
    for block in document.blocks:
        if isinstance(block, Table) and block.origins:
            for row, origins in zip(block.rows, block.origins, strict=True):
                found += [(t, o) for t, o in zip(row, origins, strict=True) if t.strip().isdigit() and o.bbox]
    return found


def _ink(png: bytes, box: tuple[int, int, int, int]) -> int:
    """Dark pixels inside a pixel box."""
    image = Image.open(io.BytesIO(png)).convert("L").crop(box)
    return sum(1 for p in image.getdata() if p < 100)


def test_a_boxed_number_is_where_the_page_image_has_its_ink() -> None:
    data = PDF.read_bytes()
    text, origin = next((t, o) for t, o in _number_origins(data, PDF.name) if int(t) > 0)
    assert origin.page is not None and origin.bbox is not None
    page = render_page(data, origin.page)
    x0, top, x1, bottom = (int(v * RENDER_SCALE) for v in origin.bbox)
    assert _ink(page, (x0, top, x1 + 1, bottom + 1)) > 5  # the digits are drawn inside the box
    assert _ink(page, (x1 + 40, top, x1 + 60, bottom + 1)) == 0  # and not in the blank beside them
    marked = highlight(page, origin.bbox)
    before = Image.open(io.BytesIO(page)).convert("RGB")
    after = Image.open(io.BytesIO(marked)).convert("RGB")
    assert after.size == before.size
    outline = after.getpixel((x0 - 4, (top + bottom) // 2))
    assert outline[0] > 180 and outline[1] < 90  # the red outline just left of the box
    far = (5, 5)
    assert after.getpixel(far) == before.getpixel(far)  # the rest of the page is untouched
    strip = Image.open(io.BytesIO(crop_around(marked, origin.bbox)))
    assert strip.width == after.width and bottom - top < strip.height < after.height


def test_page_images_are_rendered_once_per_file_and_page(tmp_path: Path) -> None:
    data = PDF.read_bytes()
    calls: list[int] = []

    def render(raw: bytes, page: int, scale: float) -> bytes:
        calls.append(page)
        return render_page(raw, page, scale)

    first = page_image("abc123", 2, lambda: data, render, folder=tmp_path)
    again = page_image("abc123", 2, lambda: pytest.fail("the cached image needs no bytes"), render, folder=tmp_path)
    assert first == again and calls == [2]
    assert cache_path(tmp_path, "abc123", 2, RENDER_SCALE).is_file()
    with pytest.raises(CorruptFileError):
        render_page(data, 99)


def test_a_text_span_is_shown_in_its_line() -> None:
    data = (TRACE / "marks.txt").read_bytes()
    lines = data.decode("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("（四）无法提供"))
    start = lines[number - 1].index("| 11 |") + 2
    span = SourceSpan(line=number, start=start, end=start + 2, text="11")
    snippet = text_snippet(data, "marks.txt", "txt", span, "lines")
    target = next(r for r in snippet.rows if r.target)
    assert target.number == number and [p.text for p in target.cells[0] if p.mark] == ["11"]
    assert len(snippet.rows) == 7  # three lines before and after
    html = snippet_html(snippet)
    assert '<mark class="gip-src">11</mark>' in html and "（四）无法提供" in html
    missing = text_snippet(data, "marks.txt", "txt", SourceSpan(line=10_000, start=0, end=1), None)
    assert not missing.found


def test_grid_and_paragraph_spans_are_found_by_their_readers_origins() -> None:
    grid = Table(
        rows=[["项目", "自然人"], ["（一）予以公开", "8"], ["（二）部分公开", "2"]],
        origins=[[Origin(table=1, row=r, column=c) for c in range(2)] for r in (0, 2, 3)],  # row 1 was empty
    )
    lines = [Line(["本年共收到申请", "24件"], origins=[Origin(line=7, start=0, end=7), Origin(line=7, start=8, end=11)])]
    document = Document(format="html", blocks=[*lines, grid])
    found = _grid_rows(document, SourceSpan(grid_table=1, grid_row=2, grid_column=1, text="8"))
    target = next(r for r in found.rows if r.target)
    assert [[p.text for p in cell] for cell in target.cells] == [["（一）予以公开"], ["8"]]
    assert [p.mark for cell in target.cells for p in cell] == [False, True]
    said = _document_lines(document, SourceSpan(line=7, start=8, end=10, text="24"))
    assert [p.text for p in said.rows[0].cells[1] if p.mark] == ["24"]
    assert not _grid_rows(document, SourceSpan(grid_table=2, grid_row=0, grid_column=0)).found


def test_evil_text_is_escaped() -> None:
    data = "标题\n<script>alert(1)</script> 12\n".encode()
    snippet = text_snippet(data, "x.txt", "txt", SourceSpan(line=2, start=26, end=28), None)
    html = snippet_html(snippet)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_spans_in_words() -> None:
    assert describe(SourceSpan(page=2, bbox=(1, 2, 3, 4), text="14"), "pdf") == "第2页，原文“14”"
    assert describe(SourceSpan(line=41, start=11, end=13), "txt") == "第41行第12–13个字符"
    assert describe(SourceSpan(grid_table=0, grid_row=4, grid_column=2), "docx") == "第1个表格第5行第3列"
    assert describe(SourceSpan(page=1, bbox=(0, 0, 1, 1), confidence=0.42), "pdf") == "第1页，OCR 置信度 42%"


# -- the limited worker ----------------------------------------------------------------------------------------


def _refuses(data: bytes, _name: str) -> None:
    raise NotAReportError("nothing here", source="x.txt")


def _crashes(data: bytes) -> None:
    raise RuntimeError("library bug")


def _hangs(data: bytes) -> None:
    time.sleep(60)


def test_isolated_work_returns_results_or_typed_errors() -> None:
    data = PDF.read_bytes()
    assert run_isolated(render_page, data, 1, 1.0, source=PDF.name) == render_page(data, 1, 1.0)
    with pytest.raises(NotAReportError):
        run_isolated(_refuses, b"x", "x.txt")
    with pytest.raises(CorruptFileError):
        run_isolated(_crashes, b"x")
    with pytest.raises(ParseTimeoutError):
        run_isolated(_hangs, b"x", timeout_s=1.0)


@pytest.mark.parametrize("name", ["seed_003.html", "seed_003.docx", "003"])
def test_a_parsed_numbers_source_is_found_in_its_file(name: str) -> None:
    """The span the parser records for a number leads back to that number in the file's own text or grid."""
    from gip_data.layout import cell_value
    from gip_data.parse import parse_file
    from tests.paths import SEEDS

    path = next(SEEDS.glob(f"{name}_*.txt")) if name.isdigit() else FIXTURES / name
    record = parse_file(path)
    assert record.provenance and record.source is not None
    data = path.read_bytes()
    checked = 0
    for cell in record.provenance:
        value = cell_value(record, (cell.table, cell.row, cell.column))
        if not value or value < 10 or cell.source.page is not None:
            continue
        snippet = text_snippet(data, path.name, record.source.format, cell.source, record.source.reading)
        marked = "".join(p.text for row in snippet.rows for parts in row.cells for p in parts if p.mark)
        assert snippet.found and str(value) in marked.replace(" ", ""), (cell, snippet)
        checked += 1
    assert checked > 0

"""PDF reader: WPS-made files, both readings, provenance, page breaks, rotation, needs-OCR errors.

Fixtures in tests/data/wps/ are written by make_wps_fixtures.py from the seeds'
numbers with the features of real WPS PDFs (never copies of one); the real WPS
report and its scan are in tests/data/real/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from gip_data.errors import NotAReportError, NoTextLayerError, UnmappedFontError
from gip_data.extract.tables import extract_tables
from gip_data.parse import parse_file
from gip_data.readers.document import Document, Line, Table
from gip_data.readers.pdf import pdfium_page
from gip_data.readers.pdf.model import upright_text
from gip_data.readers.pdf.plumber_page import plumber_pages
from gip_data.readers.registry import ReadLimits, read_readings
from tests.conftest import DATA, FIXTURES

WPS = DATA / "wps"
REAL_PDF = DATA / "real" / "huaian-city-2024.pdf"
SCAN_PDF = DATA / "real" / "huaian-city-2024.scan.pdf"
WPS_REPORTS = sorted(p for p in WPS.glob("*.pdf") if "error" not in json.loads(p.with_suffix(".truth.json").read_text()))
NO_OCR = ReadLimits(allow_ocr=False)  # as the sandbox's first, text-budget pass reads a file
TRUTH_KEYS = ("applications", "review", "litigation_direct", "litigation_after_review", "year", "template")
ALL_PDFS = [*WPS_REPORTS, REAL_PDF, *sorted(FIXTURES.glob("seed_*.pdf")), *sorted((DATA / "corpus").glob("*.pdf"))]


def _truth(path: Path) -> dict:  # type: ignore[type-arg]
    name = path.name.removesuffix(".pdf") + ".truth.json"
    return json.loads(path.with_name(name).read_text(encoding="utf-8"))


def _readings(path: Path) -> list[Document]:
    return list(read_readings(path.read_bytes(), path.name))


def _tables(document: Document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("path", [*WPS_REPORTS, REAL_PDF], ids=lambda p: p.name)
def test_wps_pdf_parses_to_its_truth(path: Path) -> None:
    truth = _truth(path)
    record = parse_file(path).model_dump(mode="json")
    assert {k: record[k] for k in TRUTH_KEYS} == {k: truth[k] for k in TRUTH_KEYS}
    assert record["agency"] == truth["agency"]
    assert record["source"]["reading"] == "pdfium", "the fast reading is clean, so pdfplumber is never made"


@pytest.mark.parametrize("path", [*WPS_REPORTS, REAL_PDF], ids=lambda p: p.name)
def test_each_reading_alone_gives_the_truth(path: Path) -> None:
    """The fast path may only stand in for pdfplumber because both read these files right."""
    truth = _truth(path)
    documents = _readings(path)
    assert [d.reading for d in documents] == ["pdfium", "pdfplumber"]
    for document in documents:
        tables = extract_tables(document)
        assert tables.applications == truth["applications"], document.reading
        assert tables.review is not None and tables.review.model_dump() == truth["review"], document.reading


def test_real_wps_lines_are_not_interleaved() -> None:
    """Each body line sits on its own filled rectangle; those are not rules and rows follow the drawn glyphs."""
    for document in _readings(REAL_PDF):
        lines = [_flat(b.text) for b in document.blocks if isinstance(b, Line)]
        assert any(line.startswith("本报告由淮安市人民政府办公室") for line in lines), document.reading
        labels = [row[0] for t in _tables(document) for row in t.rows]
        assert "三、本年度办理结果" in labels, "the label drawn one character per line is one cell"


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_background_rectangles_are_not_rules(source: str) -> None:
    """Page 1 of a WPS file draws a filled rectangle behind every line and no table: no rule at all."""
    data = (WPS / "wps_split_repeated_header.pdf").read_bytes()
    if source == "pdfium":
        pdf = pdfium.PdfDocument(data)
        pages = [pdfium_page.page_content(pdf, i) for i in range(len(pdf))]
        pdf.close()
    else:
        pages = list(plumber_pages(data))
    assert pages[0].rules == []
    assert len(pages[1].rules) > 100, "the thin filled rectangles ruling table 3 are rules"


@pytest.mark.parametrize("name", ["wps_split_repeated_header", "wps_split_no_header", "wps_rotated_pages"])
def test_table_broken_by_a_page_is_one_table(name: str) -> None:
    """Table 3 continues on the next page (header repeated or not): one grid, its header once, the footer after it."""
    for document in _readings(WPS / f"{name}.pdf"):
        (table3,) = [t for t in _tables(document) if any("申请人情况" in c for c in t.rows[0])]
        cells = [_flat(c) for row in table3.rows for c in row]
        assert cells.count("申请人情况") == 1
        assert sum(1 for c in cells if c.startswith("四、结转下年度")) == 1
        assert len({o.page for row in table3.origins for o in row}) == 2, "rows from both pages"
        after = document.blocks[document.blocks.index(table3) + 1]
        assert isinstance(after, Line) and re.fullmatch(r"-\d+-", _flat(after.text)), "the page footer follows the table"


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_origins_box_the_characters_of_each_cell(path: Path) -> None:
    """Every non-empty cell's Origin box holds exactly that cell's characters, as pdfplumber sees the page."""
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf:
        chars = {page.page_number: page.chars for page in pdf.pages}
    for document in _readings(path):
        checked = 0
        for block in document.blocks:
            rows = [block.cells] if isinstance(block, Line) else block.rows
            origins = [block.origins] if isinstance(block, Line) else block.origins
            for row, row_origins in zip(rows, origins or [], strict=True):
                for text, origin in zip(row, row_origins, strict=True):
                    if not text or origin.bbox is None:
                        continue
                    x0, top, x1, bottom = origin.bbox
                    inside = [
                        upright_text(c["text"]) for c in chars[origin.page]
                        if x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5 and top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= bottom + 0.5
                    ]
                    assert sorted(_flat("".join(inside))) == sorted(_flat(text)), (document.reading, text, origin)
                    checked += 1
        assert checked > 100, (document.reading, len(data))


def test_a_known_number_is_boxed_on_its_page() -> None:
    """The 新收 total of the real report (3119) is on page 4, in the right-hand column of its row."""
    for document in _readings(REAL_PDF):
        table = next(t for t in _tables(document) if any(r[0].startswith("一、本年新收") for r in t.rows))
        index = next(i for i, r in enumerate(table.rows) if r[0].startswith("一、本年新收"))
        origin = table.origins[index][-1]
        assert table.rows[index][-1] == "3119"
        assert origin.page == 4
        x0, top, x1, bottom = origin.bbox
        assert 486 < x0 < x1 < 522 and 456 < top < bottom < 481, origin.bbox


def test_sideways_page_is_read_upright_with_display_boxes() -> None:
    """Text printed sideways (rotated text matrices, no /Rotate) is remapped; boxes stay on the portrait page."""
    path = WPS / "wps_sideways_text.pdf"
    for document in _readings(path):
        table = next(t for t in _tables(document) if any(r[0].startswith("一、本年新收") for r in t.rows))
        row = next(i for i, r in enumerate(table.rows) if r[0].startswith("一、本年新收"))
        first, last = table.origins[row][3].bbox, table.origins[row][-1].bbox
        assert first[1] > last[3], "reading left to right goes up the displayed page"
        assert max(first[2], last[2]) <= 595 and max(first[3], last[3]) <= 842


def test_font_without_unicode_map_needs_ocr() -> None:
    with pytest.raises(UnmappedFontError) as caught:
        parse_file(WPS / "wps_unmapped_font.pdf", NO_OCR)
    assert isinstance(caught.value, NoTextLayerError) and caught.value.needs_ocr
    assert "OCR" in caught.value.message_zh
    # With OCR on the file goes to OCR; this fixture's font is not embedded and its bare glyph ids
    # draw nothing, so OCR finds no table (tests/test_ocr_scans.py reads one whose glyphs are drawn).
    with pytest.raises(NotAReportError):
        parse_file(WPS / "wps_unmapped_font.pdf")


def test_scan_needs_ocr() -> None:
    with pytest.raises(NoTextLayerError) as caught:
        parse_file(SCAN_PDF, NO_OCR)
    assert type(caught.value) is NoTextLayerError and caught.value.needs_ocr


def test_parse_falls_back_to_pdfplumber_when_the_fast_reading_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast reading the rules reject (here: pdfium sees no rules and no text on the table pages) is replaced."""
    real = pdfium_page.page_content

    def blind(pdf: pdfium.PdfDocument, index: int):  # type: ignore[no-untyped-def]
        content = real(pdf, index)
        if index in (3, 4):
            content.chars, content.rules = [], []
        return content

    monkeypatch.setattr("gip_data.readers.pdf.page_content", blind)
    with pytest.raises(NotAReportError):
        extract_tables(next(read_readings(REAL_PDF.read_bytes(), REAL_PDF.name)))
    record = parse_file(REAL_PDF)
    assert record.source.reading == "pdfplumber"
    assert record.model_dump(mode="json")["applications"] == _truth(REAL_PDF)["applications"]

"""Readers: every seed in every format, encodings, merged cells and hostile inputs.

Edge-case inputs live in tests/data/readers/ and are rebuilt by its
make_fixtures.py; the seed reports are the copies in tests/data/seeds and tests/data/fixtures.
"""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gip_data.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    GipDataError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from gip_data.readers.document import Document, Line, Table
from gip_data.readers.docx import W
from gip_data.readers.registry import READERS, ReadLimits, read_document, supported_suffixes
from gip_data.readers.txt import line_to_cells, text_to_lines
from tests.conftest import DATA, FIXTURES, SEEDS
from tests.data.readers.make_fixtures import GBK_AS_UTF8_HTML, TABLE3_SNIPPET

READERS_DATA = DATA / "readers"
NUMBER = re.compile(r"^[+-]?\d+$")


def read(path: Path, limits: ReadLimits | None = None) -> Document:
    """Read a file through the public entry point."""
    return read_document(path.read_bytes(), path.name, limits)


def cells_in_order(document: Document) -> list[str]:
    """Every cell of every Line and Table row, in reading order."""
    out: list[str] = []
    for block in document.blocks:
        rows = [block.cells] if isinstance(block, Line) else block.rows
        for row in rows:
            out.extend(row)
    return out


def numbers_after(document: Document, label: str, count: int) -> list[int]:
    """The first ``count`` integer cells after the first cell containing ``label``."""
    cells = [re.sub(r"\s", "", c) for c in cells_in_order(document)]
    start = next(i for i, c in enumerate(cells) if label in c)
    return [int(c) for c in cells[start + 1 :] if NUMBER.match(c)][:count]


def seed_cases() -> list[pytest.param]:
    """(file, expected.json) for the 5 seeds as TXT, HTML, DOCX and PDF."""
    cases = []
    for expected in sorted(SEEDS.glob("*.expected.json")):
        number = expected.name[:3]
        files = [expected.with_name(expected.name.replace(".expected.json", ".txt"))]
        files += [FIXTURES / f"seed_{number}.{ext}" for ext in ("html", "docx", "pdf")]
        cases += [pytest.param(f, expected, id=f.name) for f in files]
    return cases


@pytest.mark.parametrize(("path", "expected_path"), seed_cases())
def test_seed_reads_into_table3_labels_and_numbers(path: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    document = read(path)
    assert document.format == path.suffix.lstrip(".")
    flat = re.sub(r"\s", "", document.text())
    for label in ("本年新收政府信息公开申请数", "上年结转政府信息公开申请数", "予以公开", "行政复议"):
        assert label in flat
    applications = expected["applications"]
    assert numbers_after(document, "本年新收政府信息公开申请数", 7) == applications["new_received"]
    if path.suffix != ".txt":  # the typeset fixtures; seed texts may be damaged (003 lost a cell)
        assert numbers_after(document, "予以公开", 7) == applications["granted"]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_grid_formats_give_the_table3_grid(fmt: str) -> None:
    document = read(FIXTURES / f"seed_000.{fmt}")
    tables = [b for b in document.blocks if isinstance(b, Table)]
    table3 = next(t for t in tables if any("申请人情况" in c for c in t.rows[0]))
    assert table3.rows[3] == ["一、本年新收政府信息公开申请数量", "", "", "9", "0", "0", "0", "0", "0", "9"]
    assert table3.rows[1][:4] == ["", "", "", "自然人"]
    assert {len(row) for row in table3.rows} == {10}
    assert document.title == "郑州高新区沟赵办事处2020年政府信息公开工作年度报告"


def test_pdf_ruled_cells_hold_whole_labels_with_their_pages() -> None:
    """A label wrapped inside its cell is one string; each row's cells know their page."""
    document = read(FIXTURES / "seed_000.pdf")
    assert document.pages == 3
    assert {line.page for line in document.blocks if isinstance(line, Line)} == {1, 2, 3}
    grids = [b for b in document.blocks if isinstance(b, Table)]
    assert grids and all(g.exact_columns for g in grids)
    rows = [(origins[0].page, [c for c in row if c]) for g in grids for row, origins in zip(g.rows, g.origins, strict=True)]
    page, row = next((p, r) for p, r in rows if r and r[0].startswith("一、本年新收"))
    assert row == ["一、本年新收政府信息公开申请数量", "9", "0", "0", "0", "0", "0", "9"]
    assert page == 2
    assert next(p for p, r in rows if r[:2] == ["行政复议", "行政诉讼"]) == 3


def test_pdf_blank_ruled_cells_keep_their_columns() -> None:
    """A blank cell between ruling lines is an empty string, so the column count holds."""
    document = read(DATA / "corpus" / "c36_district_pdf_blanks.pdf")
    grids = [b for b in document.blocks if isinstance(b, Table)]
    numbers = [row for g in grids for row in g.rows if "21" in row and "4" in row and "2" in row]
    assert numbers[0][-7:] == ["21", "4", "2", "", "", "", ""]  # 3.危及“三安全一稳定”: blanks and a blank 总计


# --- TXT -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cells"),
    [
        pytest.param("规章 | 0 | 0 | 0 |", ["规章", "0", "0", "0"], id="trailing-pipe"),
        pytest.param("第二十条第(一)项 | |||", ["第二十条第(一)项"], id="padding-pipes"),
        pytest.param("| a | | b |", ["a", "", "b"], id="markdown-row-keeps-inner-empty"),
        pytest.param("|---|:---:|", [], id="markdown-rule"),
        pytest.param(
            "\t自然人\t法人或其他组织\t\t", ["", "自然人", "法人或其他组织"], id="tab-leading-empty"
        ),
        pytest.param("\t\t规章", ["规章"], id="tab-indented-single-cell"),
        pytest.param("\t[bookmark: _GoBack]0", ["0"], id="word-bookmark"),
        pytest.param("行政许可      750     -257", ["行政许可", "750", "-257"], id="layout-spaces"),
        pytest.param("沟赵 办事处\u3000政务公开", ["沟赵 办事处 政务公开"], id="single-spaces-kept"),
        pytest.param("总\u00a0\u00a0计  9", ["总", "计", "9"], id="nbsp-run-is-a-gap"),
        pytest.param("   \u3000 ", [], id="blank"),
    ],
)
def test_line_to_cells(raw: str, cells: list[str]) -> None:
    assert line_to_cells(raw) == cells


@pytest.mark.parametrize(
    ("name", "snippet"),
    [
        ("utf8_bom.txt", TABLE3_SNIPPET),
        ("gbk.txt", TABLE3_SNIPPET),
        ("gb2312.txt", TABLE3_SNIPPET.replace("(", "（").replace(")", "）")),
        ("utf16le_bom.txt", TABLE3_SNIPPET),
        ("utf16be_nobom.txt", TABLE3_SNIPPET),
    ],
)
def test_text_encodings_decode_to_the_same_lines(name: str, snippet: str) -> None:
    document = read(READERS_DATA / name)
    assert [b.cells for b in document.blocks] == [line.cells for line in text_to_lines(snippet)]
    assert document.blocks[1].cells[-1] == "16"


def test_layout_text_splits_on_space_runs() -> None:
    document = read(READERS_DATA / "layout.txt")
    assert [b.cells for b in document.blocks] == [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["2", "0", "0", "0", "2"],
        ["一、本年新收政府信息公开申请数量", "9", "0", "0", "0", "0", "0", "9"],
    ]


# --- HTML ------------------------------------------------------------------


def test_html_rowspan_colspan_grid() -> None:
    document = read(READERS_DATA / "spans.html")
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert tables[0].rows == [
        ["申请人情况", "", "法人或其他组织", "", "总计"],
        ["", "", "商业企业", "", ""],
        ["三、本年度办理结果", "（一）予以公开", "1", "2", "3"],
        ["（七）总计", "", "1", "2", "3"],
    ]
    text = document.text()
    assert "正文直接写在 div 里" in text  # text directly in a <div>
    assert "不是单元格" not in text and "首页" not in text  # script and nav dropped
    assert document.blocks[-1].cells == ["表后", "说明"]  # &nbsp; run as a column gap
    assert document.title == "跨行跨列"


def test_html_layout_table_is_read_as_content() -> None:
    document = read(READERS_DATA / "nested_layout.html")
    assert [type(b).__name__ for b in document.blocks] == ["Line", "Table", "Line"]
    assert document.blocks[1].rows == [["行政许可", "39732"]]
    assert document.title == "某县人民政府2021年政府信息公开工作年度报告"


def test_gbk_page_declared_utf8_still_decodes() -> None:
    document = read(READERS_DATA / "gbk_declared_utf8.html")
    assert document.blocks[0].rows == [["一、本年新收政府信息公开申请数量", "16"]]
    assert document.title == "政府信息公开工作年度报告"


def test_html_declared_gb2312_with_gbk_only_character() -> None:
    page = "<meta http-equiv='Content-Type' content='text/html; charset=gb2312'><p>镕基 申请</p>"
    document = read_document(page.encode("gbk"), "page.htm")
    assert document.blocks[0].cells == ["镕基 申请"]


def test_html_is_sniffed_without_suffix() -> None:
    document = read_document(GBK_AS_UTF8_HTML.encode("utf-8"), "download")
    assert document.format == "html"


# --- DOCX ------------------------------------------------------------------


def test_docx_merged_cells_resolve_to_a_grid() -> None:
    document = read(READERS_DATA / "merged_cells.docx")
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert tables[0].rows == [
        ["行政复议", "行政诉讼", "", ""],
        ["", "维持", "纠正", "总计"],
        ["2", "0", "0", "2"],
    ]
    assert document.blocks[-1].cells == ["表后段落", "第二列"]
    assert document.title == "某办事处2020年政府信息公开工作年度报告"


def test_docx_zip_bomb_is_refused_before_it_is_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    # Refused from the zip's directory alone: the 120 MB member is never opened (its time: bench/limits.py).
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *args: object, **kwargs: object) -> object:
        opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return real_open(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(FileTooLargeError):
        read(READERS_DATA / "zip_bomb.docx")
    with pytest.raises(FileTooLargeError, match="compresses"):
        read(READERS_DATA / "zip_bomb.docx", ReadLimits(max_docx_uncompressed=10**10))
    assert opened and "word/document.xml" not in opened


def test_docx_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>A&x;B</w:t></w:r></w:p></w:body></w:document>'
    ).encode()
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml})
    try:
        document = read_document(data, "xxe.docx")
    except GipDataError:
        return
    assert "TOP-SECRET-VALUE" not in document.text()


def test_macro_enabled_word_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError):
        read(READERS_DATA / "macro_enabled.docm")
    clean = (READERS_DATA / "merged_cells.docx").read_bytes()
    with pytest.raises(UnsupportedFormatError):
        read_document(clean, "report.docm")


def _zip(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old.doc", CorruptFileError, id="ole-doc-cut"
        ),
        pytest.param(_zip({"xl/workbook.xml": b"<x/>"}), "book.xlsx", UnsupportedFormatError, id="other-zip"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.png", CorruptFileError, id="broken-png"),
        pytest.param(
            _zip({"word/document.xml": b"<not xml"}), "bad.docx", CorruptFileError, id="broken-docx"
        ),
        pytest.param(b"PK\x03\x04garbage", "cut.docx", CorruptFileError, id="truncated-zip"),
        pytest.param(b"just some words", "report.pdf", CorruptFileError, id="pdf-suffix-text-content"),
        pytest.param(b"", "empty.docx", EmptyFileError, id="zero-bytes"),
    ],
)
def test_refused_inputs(data: bytes, name: str, error: type[GipDataError]) -> None:
    with pytest.raises(error) as caught:
        read_document(data, name)
    assert caught.value.source == name


# --- PDF -------------------------------------------------------------------


def test_scanned_pdf_needs_ocr() -> None:
    with pytest.raises(NoTextLayerError, match="需要OCR"):
        read(READERS_DATA / "scanned_no_text.pdf", ReadLimits(allow_ocr=False))
    assert read(READERS_DATA / "scanned_no_text.pdf").reading == "ocr"  # by default it goes to OCR


def test_encrypted_pdf() -> None:
    path = READERS_DATA / "encrypted_user_password.pdf"
    assert len(pdfium.PdfDocument(path.read_bytes(), password="secret")) == 1  # a valid file
    with pytest.raises(EncryptedFileError) as caught:
        read(path)
    assert caught.value.source == path.name


def test_pdf_page_limit() -> None:
    with pytest.raises(FileTooLargeError, match="3 pages"):
        read(FIXTURES / "seed_000.pdf", ReadLimits(max_pdf_pages=2))


def test_pdf_cells_split_at_a_rule_of_a_one_path_grid() -> None:
    document = read(READERS_DATA / "ruled_grid_one_path.pdf")
    cells = [b.cells if isinstance(b, Line) else b.rows[0] for b in document.blocks]
    assert cells == [["NO RULE"], ["LEFT", "RIGHT"]]


def test_truncated_pdf_is_corrupt() -> None:
    with pytest.raises(CorruptFileError):
        read(READERS_DATA / "truncated.pdf")


# --- common ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("empty.txt", EmptyFileError),
        ("whitespace_only.txt", EmptyFileError),
        ("nul_garbage.txt", CorruptFileError),
    ],
)
def test_empty_and_garbage_text(name: str, error: type[GipDataError]) -> None:
    with pytest.raises(error) as caught:
        read(READERS_DATA / name)
    assert caught.value.source == name


def test_size_limit_is_checked_before_reading() -> None:
    with pytest.raises(FileTooLargeError):
        read_document(b"x" * 2048, "big.txt", ReadLimits(max_bytes=1024))


def test_registry_lists_every_format() -> None:
    assert set(READERS) == {"txt", "html", "docx", "pdf", "doc", "wps", "image"}
    assert {".pdf", ".docx", ".doc", ".wps", ".html", ".htm", ".txt", ".png", ".jpg", ".tif"} <= set(supported_suffixes())

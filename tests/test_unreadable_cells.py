"""Digits OCR could not read (U+FFFD): unknown cells that are never assumed zero.

The documents are seed 000's DOCX reading with every grid cell given a scan's
origin (page, box, OCR confidence), so the record's provenance can be checked
as it would be for a scan; some cells are replaced by what OCR writes for an
unsure digit.
"""

from __future__ import annotations

from gip_data.extract.decode import fits_printed
from gip_data.extract.tables import extract_tables
from gip_data.readers.document import Document, Origin, Table
from gip_data.readers.registry import read_document
from tests.paths import FIXTURES

U = "\ufffd"
SURE, UNSURE = 0.98, 0.41


def _scan_like(table3: dict[tuple[str, int], str] = {}, table4: dict[int, str] = {}) -> Document:  # noqa: B006
    """Seed 000 with scan origins; ``table3`` replaces (row label, value column) cells, ``table4`` cells by index."""
    document = read_document((FIXTURES / "seed_000.docx").read_bytes(), "seed_000.docx")
    for number, block in enumerate(b for b in document.blocks if isinstance(b, Table)):
        block.origins = [
            [Origin(page=number + 1, bbox=(10.0 * c, 20.0 * r, 10.0 * c + 9, 20.0 * r + 18), confidence=SURE)
             for c in range(len(row))]
            for r, row in enumerate(block.rows)
        ]
    grids = [b for b in document.blocks if isinstance(b, Table)]
    for (label, column), text in table3.items():
        grid = next(g for g in grids if any("自然人" in c for r in g.rows for c in r))
        _replace(grid, next(i for i, row in enumerate(grid.rows) if any(label in c for c in row)), column - 7, text)
    for index, text in table4.items():
        grid = next(g for g in grids if any("结果维持" in c for r in g.rows for c in r))
        _replace(grid, len(grid.rows) - 1, index - 15, text)
    return document


def _replace(grid: Table, row: int, column: int, text: str) -> None:
    """Cell ``column`` (counted from the row's end: the value cells are the last ones) becomes ``text``."""
    column += len(grid.rows[row])
    grid.rows[row][column] = text
    assert grid.origins is not None
    grid.origins[row][column] = Origin(page=9, bbox=(1.0, 2.0, 3.0, 4.0), confidence=UNSURE)


def test_an_unreadable_cell_the_rules_fill_is_a_repair_naming_ocr_and_keeps_its_ocr_source() -> None:
    before = extract_tables(_scan_like())
    tables = extract_tables(_scan_like({("本年新收", 0): U}))
    assert tables.applications == before.applications and not tables.warnings
    (repair,) = tables.repairs
    assert (repair.row, repair.column, repair.value) == ("new_received", "natural_person", 9)
    assert "OCR" in repair.reason
    source = next(s.source for s in tables.provenance if (s.row, s.column) == ("new_received", "natural_person"))
    assert (source.page, source.bbox, source.confidence, source.text) == (9, (1.0, 2.0, 3.0, 4.0), UNSURE, U)
    sources = {(s.table, s.row, s.column) for s in tables.provenance}
    assert sources == {(s.table, s.row, s.column) for s in before.provenance}
    assert all(s.source.page and s.source.bbox and s.source.confidence for s in tables.provenance)


def test_a_value_the_readable_digits_contradict_is_never_presented() -> None:
    # The rules give 9, but OCR saw two characters, the first a 1: something else is misread.
    tables = extract_tables(_scan_like({("本年新收", 0): f"1{U}"}))
    assert tables.applications["new_received"] is None
    assert any("本年新收" in w and "无法识别" in w for w in tables.warnings), tables.warnings
    assert not any(r.row == "new_received" for r in tables.repairs)
    assert not any(s.row == "new_received" for s in tables.provenance)


def test_an_unsettled_table4_cell_leaves_only_its_block_null() -> None:
    # 行政复议 结果维持 and 总计 unreadable: one block sum, two unknowns.
    tables = extract_tables(_scan_like(table4={0: U, 4: U}))
    assert tables.review is None
    assert tables.litigation_direct is not None and tables.litigation_after_review is not None
    assert tables.litigation_after_review.total == 1
    assert any("行政复议" in w and "无法识别" in w for w in tables.warnings)
    assert not any(c.row == "review" for c in tables.assumed_zero)
    assert not any(r.row == "review" for r in tables.repairs)
    assert not any(s.row == "review" for s in tables.provenance)
    assert {s.row for s in tables.provenance if s.table == 4} == {"litigation_direct", "litigation_after_review"}


def test_printed_blanks_the_rules_do_not_settle_are_still_assumed_zero() -> None:
    # The same two cells printed as dashes: blank means none, as before (listed, not nulled).
    tables = extract_tables(_scan_like(table4={0: "—", 4: "—"}))
    assert tables.review is not None
    assert {(c.row, c.column) for c in tables.assumed_zero} == {("review", "upheld"), ("review", "total")}


def test_readable_digits_bound_the_value() -> None:
    assert fits_printed(3401, f"3{U}01") and fits_printed(7, U) and fits_printed(1234, f"1,{U}34")
    assert not fits_printed(3401, f"3{U}02") and not fits_printed(12, U) and not fits_printed(9, f"1{U}")
    # A speck read as an unsure character stands for no digit: the readable digits in order still bound the value.
    assert fits_printed(3119, f"31{U}19") and fits_printed(34, f"34{U}") and fits_printed(11, f"1{U}1")
    assert not fits_printed(3129, f"31{U}19") and not fits_printed(4, f"34{U}")

"""Where each number came from: every printed cell of tables 3 and 4 points at its source.

Text: the line and the character span of the cell's own digits (a cell decoded
from a shared digit run gets only its digits). HTML and DOCX: the grid, row and
column. PDF: the reader's page and box, passed through unchanged.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from gip_data.extract.tables import extract_tables
from gip_data.parse import parse_file
from gip_data.readers.document import Document, Line, Origin, Table
from gip_data.readers.registry import read_readings
from gip_data.schema.record import AnnualReport, CellSource
from gip_data.schema.template import APPLICANT_COLUMNS, CASE_BLOCKS, OUTCOMES
from tests.data.layouts.make_layouts import A19, LABELS_HEAD, LABELS_TAIL
from tests.paths import DATA, FIXTURES, REAL, SEEDS, TEXT_LAYOUTS

TEXTS = [
    *sorted(TEXT_LAYOUTS.glob("*.txt")),
    *sorted(TEXT_LAYOUTS.glob("*.md")),
    *sorted(p for p in REAL.iterdir() if p.suffix in {".txt", ".md"} and p.name != "README.md"),
    DATA / "layouts" / "concatenated_digits.txt",
]


def cell_value(record: AnnualReport, source: CellSource) -> int:
    if source.table == 3:
        row = record.applications[source.row]
        assert row is not None
        return row[APPLICANT_COLUMNS.index(source.column)]
    return int(getattr(getattr(record, source.row), source.column))


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_text_spans_hold_exactly_the_cells_digits(path: Path) -> None:
    record = parse_file(path)
    lines = path.read_bytes().decode("utf-8").splitlines()
    assert record.provenance, "a text report gets provenance"
    for cell in record.provenance:
        span = cell.source
        assert span.line is not None and span.start is not None and span.end is not None
        printed = unicodedata.normalize("NFKC", lines[span.line - 1][span.start : span.end])
        assert printed == str(cell_value(record, cell)), (cell.row, cell.column, printed)
        assert printed in unicodedata.normalize("NFKC", span.text).replace(" ", "")


def test_a_shared_digit_run_gives_each_cell_its_own_digits() -> None:
    record = parse_file(DATA / "layouts" / "concatenated_digits.txt")
    sources = {(c.row, c.column): c.source for c in record.provenance}
    first, second = sources[("new_received", "natural_person")], sources[("new_received", "business")]
    assert first.line == second.line and first.text == second.text == "".join(map(str, A19["new_received"]))
    assert (first.end - first.start, second.start) == (len(str(A19["new_received"][0])), first.end)


def test_every_printed_cell_of_a_plain_report_has_a_source() -> None:
    record = parse_file(next(SEEDS.glob("000_*.txt")))
    rows = [k for k, v in record.applications.items() if v is not None]
    assert len([c for c in record.provenance if c.table == 3]) == 7 * len(rows)
    assert {(c.row, c.column) for c in record.provenance if c.table == 4} == {
        (b, o) for b in CASE_BLOCKS for o in OUTCOMES
    }


@pytest.mark.parametrize("suffix", ["html", "docx"])
def test_grid_sources_name_the_cell_that_printed_the_number(suffix: str) -> None:
    path = FIXTURES / f"seed_000.{suffix}"
    record = parse_file(path)
    document = next(read_readings(path.read_bytes(), path.name))
    printed = _grid_cells(document)
    grid = [c for c in record.provenance if c.source.grid_table is not None]
    assert len(grid) >= 150
    for cell in grid:
        where = (cell.source.grid_table, cell.source.grid_row, cell.source.grid_column)
        assert printed[where].strip() == str(cell_value(record, cell))


def _grid_cells(document: Document) -> dict[tuple[int | None, int | None, int | None], str]:
    cells = {}
    for block in document.blocks:
        if isinstance(block, Table) and block.origins:
            for row, origins in zip(block.rows, block.origins, strict=True):
                for text, origin in zip(row, origins, strict=True):
                    cells[(origin.table, origin.row, origin.column)] = text
    return cells


def test_pdf_origins_pass_through_unchanged() -> None:
    """The PDF reader's page and box reach the record as they were given."""
    blocks = [Line(["三、收到和处理政府信息公开申请情况"])]
    for n, (key, label) in enumerate(LABELS_HEAD + [("other", "（六）其他处理")] + LABELS_TAIL):
        cells = [label, *map(str, A19[key])]
        origins = [Origin(page=2 + n // 12, bbox=(50.0 + 40 * c, 100.0 + 14 * n, 80.0 + 40 * c, 112.0 + 14 * n))
                   for c in range(len(cells))]
        blocks.append(Line(cells, origins=origins))
    tables = extract_tables(Document(format="pdf", blocks=blocks))
    source = {(c.row, c.column): c.source for c in tables.provenance}
    granted = source[("granted", "total")]
    assert granted.page == 2 and granted.bbox == (50.0 + 40 * 7, 100.0 + 14 * 2, 80.0 + 40 * 7, 112.0 + 14 * 2)
    assert granted.line is None and granted.grid_table is None
    assert source[("carried_forward", "natural_person")].page == 3


def test_the_record_carries_the_extractors_provenance() -> None:
    path = TEXT_LAYOUTS / "crawler_run_2021.txt"
    record = parse_file(path)
    tables = extract_tables(next(read_readings(path.read_bytes(), path.name)))
    assert record.provenance == tables.provenance
    assert AnnualReport.model_validate_json(record.model_dump_json()).provenance == record.provenance

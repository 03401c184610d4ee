"""Scanned reports parse to the truth of their source: every cell, the body, the year, the edition.

The scans are made here from the seed fixtures and the real WPS PDF
(:mod:`tests.data.ocr.scans`): 150, 200 and 300 dpi, turned up to ±2°, specks
and blur, grey and colour with a red seal, one page upside down, as image-only
PDF, PNG and JPEG long images and a multi-page TIFF. The committed real scan
(180 dpi, 0.8°, speckled) is read too, and its every cell keeps page, box and
OCR confidence. Each scan runs the real OCR engine (several seconds a report),
so the module is marked ``slow``; CI runs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gip_data.errors import NotAReportError, UnmappedFontError
from gip_data.parse import parse_bytes
from gip_data.readers.document import Table
from gip_data.readers.registry import read_document
from gip_data.schema.template import APPLICANT_COLUMNS, CASE_BLOCKS, OUTCOMES
from tests.data.ocr.scans import ScanSpec, make_scan
from tests.paths import FIXTURES, REAL, SEEDS

pytestmark = pytest.mark.slow

REAL_PDF = REAL / "huaian-city-2024.pdf"
REAL_TRUTH = REAL / "huaian-city-2024.truth.json"
SCANS: list[tuple[Path, ScanSpec]] = [
    (FIXTURES / "seed_000.pdf", ScanSpec(dpi=200, angle=1.5, noise=0.002, blur=0.8, fmt="pdf", seed=1)),
    (FIXTURES / "seed_001.pdf", ScanSpec(dpi=150, angle=-2.0, noise=0.001, grey=False, stamp=True, fmt="png", seed=2)),
    (FIXTURES / "seed_002.pdf", ScanSpec(dpi=200, angle=0.7, blur=1.0, grey=False, fmt="jpeg", seed=3)),
    (FIXTURES / "seed_003.pdf", ScanSpec(dpi=300, angle=-1.2, noise=0.002, upside_down=(1,), fmt="pdf", seed=4)),
    (FIXTURES / "seed_004.pdf", ScanSpec(dpi=300, angle=2.0, blur=0.6, fmt="tiff", seed=5)),
    (REAL_PDF, ScanSpec(dpi=150, angle=-1.8, noise=0.002, blur=0.7, fmt="pdf", seed=6)),
    (REAL_PDF, ScanSpec(dpi=200, angle=1.0, noise=0.001, grey=False, stamp=True, fmt="jpeg", pages=(0, 3, 4), seed=7)),
]


def _truth(source: Path) -> dict:
    """The expected record of a scan's source: the seed's expected JSON, or the real report's truth."""
    if source.parent == REAL:
        path = REAL / source.name.replace(".pdf", ".truth.json")
    else:
        number = source.stem.removeprefix("seed_")
        path = next(SEEDS.glob(f"{number}_*.expected.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def _compare(record: dict, truth: dict) -> list[str]:
    """Every field and cell of the truth the record does not match (the real truth's level may be a list)."""
    wrong = []
    for key, want in truth.items():
        if key == "notes":
            continue
        got = record.get(key)
        if key == "applications":
            wrong += [f"{row}: {got.get(row)} != {cells}" for row, cells in want.items() if got.get(row) != cells]
        elif key == "level" and isinstance(want, list):
            wrong += [] if got in want else [f"level: {got}"]
        elif got != want:
            wrong.append(f"{key}: {got!r} != {want!r}")
    return wrong


@pytest.mark.parametrize(("source", "spec"), SCANS, ids=[f"{s.stem}-{spec.label()}" for s, spec in SCANS])
def test_scan_parses_to_the_truth_of_its_source(source: Path, spec: ScanSpec) -> None:
    data = make_scan(source.read_bytes(), spec)
    record = parse_bytes(data, f"{source.stem}{spec.suffix}").model_dump(mode="json")
    assert _compare(record, _truth(source)) == []
    assert record["source"]["format"] == ("pdf" if spec.fmt == "pdf" else "image")
    assert record["source"]["reading"] in ("ocr", "ocr-all-pages")


def truth_rows(record: dict) -> list[str]:
    """The table-3 rows of a record (those it has values for)."""
    return [row for row, values in record["applications"].items() if values is not None]


def test_committed_real_scan_every_cell_with_provenance() -> None:
    scan = REAL / "huaian-city-2024.scan.pdf"
    data = scan.read_bytes()
    record = parse_bytes(data, scan.name).model_dump(mode="json")
    assert _compare(record, json.loads(REAL_TRUTH.read_text(encoding="utf-8"))) == []
    cells = [(3, row, column) for row in truth_rows(record) for column in APPLICANT_COLUMNS]
    cells += [(4, block, outcome) for block in CASE_BLOCKS for outcome in OUTCOMES]
    sources = {(p["table"], p["row"], p["column"]): p["source"] for p in record["provenance"]}
    assert sorted(sources) == sorted(cells)
    for source in sources.values():
        assert source["page"] in (4, 5) and source["bbox"] is not None and source["text"]
        assert source["confidence"] is not None and 0.0 < source["confidence"] <= 1.0
    document = read_document(data, scan.name)
    grids = [b for b in document.blocks if isinstance(b, Table)]
    assert grids and all(b.origins is not None for b in grids)
    for grid in grids:
        for row, origins in zip(grid.rows, grid.origins or [], strict=True):
            for text, origin in zip(row, origins, strict=True):
                assert origin.page == grid.page and origin.bbox is not None
                x0, top, x1, bottom = origin.bbox
                assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842  # A4 in points
                if text:
                    assert origin.confidence is not None and 0.0 <= origin.confidence <= 1.0


def test_scan_of_a_page_without_the_tables_is_not_a_report() -> None:
    page_one = make_scan(REAL_PDF.read_bytes(), ScanSpec(dpi=200, angle=0.5, noise=0.001, fmt="png", pages=(0,)))
    with pytest.raises(NotAReportError) as caught:
        parse_bytes(page_one, "first-page.png")
    assert caught.value.code == "not-a-report"


def test_a_pdf_whose_fonts_have_no_unicode_map_is_read_by_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF whose text layer cannot be trusted (glyphs drawn, no Unicode map) goes to OCR like a scan.

    The needs-OCR verdict is forced on a seed PDF: its glyphs are drawn, so OCR reads its pages
    (rendered without any image in them) to the seed's truth.
    """

    def unmapped(*_args: object) -> None:
        raise UnmappedFontError("forced by the test")

    monkeypatch.setattr("gip_data.readers.pdf._check_text_layer", unmapped)
    source = FIXTURES / "seed_002.pdf"
    record = parse_bytes(source.read_bytes(), source.name).model_dump(mode="json")
    assert _compare(record, _truth(source)) == []
    assert record["source"]["format"] == "pdf" and record["source"]["reading"] in ("ocr", "ocr-all-pages")

"""The parts of the OCR reader one by one: grids, page geometry, number cells, routing, the extractor hook.

Fast: drawn images and real documents with one cell changed; the engine itself
is exercised with a few line images (and with the network blocked, to show the
models come from the installed package), whole scans in ``test_ocr_scans``.
"""

from __future__ import annotations

import io
import socket

import cv2
import numpy as np
import pytest
from PIL import Image

from gip_data.errors import CorruptFileError, NoTextLayerError, UnsupportedFormatError
from gip_data.extract.tables import extract_tables
from gip_data.readers.document import Document, Table
from gip_data.readers.ocr import engine as ocr_engine
from gip_data.readers.ocr.cells import UNREADABLE, clean_ink, label_text, looks_numeric, number_text
from gip_data.readers.ocr.geometry import make_upright
from gip_data.readers.ocr.page import PageImage, find_tables, level_page
from gip_data.readers.ocr.source import image_source
from gip_data.readers.registry import ReadLimits, read_document, read_readings, supported_suffixes
from gip_data.readers.sniff import sniff_format
from tests.data.ocr.scans import ScanSpec, make_scan
from tests.paths import FIXTURES, REAL

DPI = 200.0


def _table_image(angle: float = 0.0) -> np.ndarray:
    """A white A5-ish page with one ruled table: 4 rows × 5 columns, a rowspan and a colspan cell."""
    page = np.full((1200, 1400, 3), 255, np.uint8)
    xs, ys = [100, 400, 600, 800, 1000, 1200], [200, 300, 400, 500, 600]
    black = (0, 0, 0)
    for y in (ys[0], ys[-1]):
        cv2.line(page, (xs[0], y), (xs[-1], y), black, 2)
    for y in ys[1:-1]:  # the first column is one merged cell over rows 1-3: no line through it
        cv2.line(page, (xs[1], y), (xs[-1], y), black, 2)
    cv2.line(page, (xs[0], ys[1]), (xs[1], ys[1]), black, 2)
    for x in (xs[0], xs[-1]):
        cv2.line(page, (x, ys[0]), (x, ys[-1]), black, 2)
    for x in xs[1:-1]:
        top = ys[1] if x in (xs[3], xs[4]) else ys[0]  # columns 2-4 of the header row are one cell
        cv2.line(page, (x, top), (x, ys[-1]), black, 2)
    for i, x in enumerate(xs[1:-1]):
        cv2.putText(page, str(10 * i + 3), (x + 40, ys[2] + 65), cv2.FONT_HERSHEY_SIMPLEX, 1.2, black, 3)
    if angle:
        h, w = page.shape[:2]
        page = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h), borderValue=(255, 255, 255))
    return page


@pytest.mark.parametrize("angle", [0.0, 2.0, -2.5])
def test_ruled_grid_with_merged_cells_is_found_on_a_skewed_page(angle: float) -> None:
    page = PageImage(1, _table_image(angle), DPI)
    grey, found_angle = level_page(page)
    assert found_angle == pytest.approx(-angle, abs=0.15)
    (grid,) = find_tables(grey, found_angle, DPI).grids
    assert grid.shape == (4, 5)
    spans = {(c.row, c.column): (c.rows, c.columns) for c in grid.cells}
    assert spans[(1, 0)] == (3, 1)  # the rowspan
    assert spans[(0, 2)] == (1, 3)  # the colspan
    assert len(grid.cells) == 4 * 5 - 2 - 2


def _grid_rows(scan: bytes) -> list[tuple[tuple[int, int], list[tuple[int, int, int]]]]:
    """Each grid of a one-image scan: its shape and its cells spanning several rows (row, column, rows)."""
    source = image_source(scan, "scan", ReadLimits())
    page = source.page(0)
    grey, angle = level_page(page)
    grids = find_tables(grey, angle, page.dpi).grids
    return [(g.shape, [(c.row, c.column, c.rows) for c in g.cells if c.rows > 1]) for g in grids]


@pytest.mark.parametrize(("seed", "blur"), [("seed_003", 1.2), ("seed_000", 1.5)])
def test_thin_rulings_blurred_at_150_dpi_keep_every_row(seed: str, blur: float) -> None:
    # A 1 px ruling blurred at 150 dpi is a pale grey; where label text is set tight against it
    # the ink threshold loses it, and the label cells of several rows ran into one.
    pdf = (FIXTURES / f"{seed}.pdf").read_bytes()
    sharp = _grid_rows(make_scan(pdf, ScanSpec(dpi=150, angle=0.4, fmt="png", seed=9)))
    blurred = _grid_rows(make_scan(pdf, ScanSpec(dpi=150, angle=0.4, blur=blur, fmt="jpeg", seed=9)))
    assert len(sharp) >= 4  # tables 2, 3 (over a page break) and 4
    assert blurred == sharp


def test_boxes_map_back_through_deskew_and_turn() -> None:
    image = np.full((400, 300), 255, np.uint8)
    upright = make_upright(image, 0.0, turned=True)
    assert upright.scan_box((10, 20, 30, 40)) == pytest.approx((270, 360, 290, 380), abs=1.0)


@pytest.mark.parametrize(
    ("text", "probs", "expected"),
    [
        ("3001", (0.99, 0.99, 0.98, 0.99), "3001"),
        ("3001", (0.99, 0.40, 0.98, 0.99), f"3{UNREADABLE}01"),  # one unsure digit
        ("I", (0.63,), UNREADABLE),  # a letter where a digit must stand
        (".0", (0.40, 0.99), "0"),  # a speck read as a point
        ("12'", (0.99, 0.99, 0.30), "12"),
        ("96171.6", (0.99,) * 7, "96171.6"),  # a printed decimal point stays
    ],
)
def test_number_cells_never_guess_a_digit(text: str, probs: tuple[float, ...], expected: str) -> None:
    assert looks_numeric(text)
    assert number_text(text, probs)[0] == expected


def test_label_cells_lose_unsure_specks_at_their_ends_only() -> None:
    text = "4.保护第三方合法权益14"
    probs = (0.99, 0.99) + (0.99,) * 9 + (0.4, 0.5)
    assert label_text(text, probs)[0] == "4.保护第三方合法权益"
    assert not looks_numeric("行政许可") and not looks_numeric("第711号")


def test_specks_go_decimal_points_stay() -> None:
    mask = np.zeros((40, 120), np.uint8)
    cv2.rectangle(mask, (10, 10), (25, 30), 255, -1)  # a digit
    cv2.rectangle(mask, (34, 10), (49, 30), 255, -1)  # a digit
    cv2.rectangle(mask, (29, 27), (30, 28), 255, -1)  # a point between them
    cv2.rectangle(mask, (100, 5), (101, 6), 255, -1)  # a speck on its own
    clean = clean_ink(mask, DPI)
    assert clean[27, 29] and clean[15, 15] and not clean[5, 100]


def _png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def test_images_are_sniffed_by_content_and_listed_by_the_registry() -> None:
    assert sniff_format(_png(), "photo.dat") == "image"
    assert sniff_format(b"\xff\xd8\xff\xe0" + b"\0" * 16, "x") == "image"
    assert sniff_format(b"II*\x00" + b"\0" * 16, "x") == "image"
    assert {".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= set(supported_suffixes())
    with pytest.raises(UnsupportedFormatError):
        read_document(b"GIF89a" + b"\0" * 32, "anim.gif")
    with pytest.raises(CorruptFileError):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "cut.png")


def test_without_ocr_a_scan_says_it_needs_ocr() -> None:
    no_ocr = ReadLimits(allow_ocr=False)
    with pytest.raises(NoTextLayerError):
        next(read_readings(_png(), "page.png", no_ocr))
    with pytest.raises(NoTextLayerError):
        next(read_readings((REAL / "huaian-city-2024.scan.pdf").read_bytes(), "scan.pdf", no_ocr))


def _seed_document(cells: dict[tuple[int, int], str]) -> Document:
    """Seed 000's DOCX reading (9 new applications, 9 answered) with some table-3 cells replaced."""
    document = read_document((FIXTURES / "seed_000.docx").read_bytes(), "seed_000.docx")
    grid = next(b for b in document.blocks if isinstance(b, Table) and any("自然人" in c for r in b.rows for c in r))
    start = next(i for i, row in enumerate(grid.rows) if any("本年新收" in c for c in row))
    columns = {row: [i for i, c in enumerate(grid.rows[start + row]) if c.strip().isdigit()] for row, _ in cells}
    for (row, column), text in cells.items():
        grid.rows[start + row][columns[row][column]] = text
    return document


def test_an_unreadable_digit_the_rules_settle_is_filled_as_a_repair() -> None:
    before = extract_tables(_seed_document({})).applications["new_received"]
    tables = extract_tables(_seed_document({(0, 0): UNREADABLE}))
    assert tables.applications["new_received"] == before
    assert any(r.row == "new_received" and r.column == "natural_person" for r in tables.repairs)


def test_unreadable_digits_the_rules_cannot_settle_leave_the_row_null_with_a_warning() -> None:
    # A 2×2 block unreadable (新收 and 结转, 自然人 and 总计): the rules only give its sums, and
    # 9 applications can be split between the two rows in ten ways.
    block = {(0, 0): f"{UNREADABLE}", (0, 6): UNREADABLE, (1, 0): UNREADABLE, (1, 6): UNREADABLE}
    tables = extract_tables(_seed_document(block))
    unsettled = [key for key in ("new_received", "carried_over") if tables.applications[key] is None]
    assert unsettled == ["new_received", "carried_over"], tables.applications
    assert any("无法识别" in w for w in tables.warnings)
    assert not any(a.row in unsettled for a in tables.assumed_zero)


def test_models_come_from_the_installed_package_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    files = ocr_engine.model_files()
    assert all(path.is_file() and path.stat().st_size > 100_000 for path in files.values())
    engine = ocr_engine.Engine(files, threads=1)
    line = np.full((60, 220, 3), 255, np.uint8)
    cv2.putText(line, "3119", (20, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (0, 0, 0), 3)
    (reading,) = engine.recognize([line])
    assert reading.text == "3119" and reading.confidence > 0.5
    assert engine.upside_down([cv2.rotate(line, cv2.ROTATE_180)] * 3) >= engine.upside_down([line] * 3)

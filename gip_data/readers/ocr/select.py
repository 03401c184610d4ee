"""Which pages to OCR in full: found cheaply, from the ruling lines of a low-resolution copy.

Tables 3 and 4 are the report's wide ruled grids: table 3 has nine or ten
columns (labels, seven applicant columns), table 4 fifteen; table 2 has four,
the prose none. Each page is rendered at :data:`~gip_data.readers.ocr.source.LOW_DPI`,
levelled, and its grids found without any OCR (a few hundredths of the cost of
reading it); pages holding a grid at least :data:`WIDE_COLUMNS` wide are read in
full, and so is the first page, which names the body and the year.
"""

from __future__ import annotations

from dataclasses import dataclass

from gip_data.readers.ocr.page import find_tables, level_page
from gip_data.readers.ocr.source import LOW_DPI, PageSource

WIDE_COLUMNS = 7


@dataclass(frozen=True, slots=True)
class Selection:
    """The 0-based pages to read in full, and how many pages hold a wide grid."""

    pages: tuple[int, ...]
    table_pages: int


def select_pages(pages: PageSource) -> Selection:
    """The first page and every page with a wide ruled grid (module docstring)."""
    wide = [index for index in range(pages.count) if _widest_grid(pages, index) >= WIDE_COLUMNS]
    chosen = sorted({0, *wide}) if pages.count else []
    return Selection(tuple(chosen), len(wide))


def _widest_grid(pages: PageSource, index: int) -> int:
    """Columns of the widest ruled grid on page ``index`` at low resolution."""
    page = pages.page(index, LOW_DPI)
    grey, angle = level_page(page)
    level = find_tables(grey, angle, page.dpi)
    return max((grid.shape[1] for grid in level.grids), default=0)

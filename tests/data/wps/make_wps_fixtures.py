"""Write the WPS-style PDF fixtures and their truth (tests/data/wps/).

Each fixture typesets one seed report's numbers (``tests/data/seeds/*.expected.json``)
the way WPS-made government PDFs draw them (see :mod:`tests.data.pdf_wps`): a filled
background behind every body line, tables ruled with thin filled rectangles,
the merged group label 三、本年度办理结果 drawn one character per line, labels
wrapped inside narrow cells, a page footer ``- n -`` under every page (so it falls
inside a table broken by the page), table 3 broken across pages with or without
its header repeated, a merged label split by the break, and pages turned
(``/Rotate 90``) or printed sideways (rotated text matrices). One fixture has a
CJK font without a Unicode map. The truth is the seed's own numbers, written in
the same step; nothing here runs the parser.

Run: ``.venv/bin/python tests/data/wps/make_wps_fixtures.py``
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
from gip_data.schema.template import (  # noqa: E402
    APPLICANT_COLUMN_LABELS,
    CASE_BLOCK_LABELS,
    OUTCOME_LABELS,
    OUTCOMES,
    ROW_BY_KEY,
)
from tests.data.pdf_wps import Canvas, text_width, write_pdf  # noqa: E402

SEEDS = HERE.parent / "seeds"
BODY, TABLE, TITLE = 16.0, 10.5, 20.0
LINE = 28.0  # body line pitch; WPS's background rectangle is as tall
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 74.0, 80.0, 62.0
GROUP = "三、本年度办理结果"
TRUTH_KEYS = ("agency", "year", "template", "applications", "review", "litigation_direct", "litigation_after_review")


@dataclass
class Cell:
    text: str
    column: int
    span: int = 1
    rows: int = 1
    vertical: bool = False
    shaded: bool = False


class Flow:
    """Pages filled top to bottom; every page gets its footer when it is closed."""

    def __init__(self, placement: str) -> None:
        self.placement = placement
        self.pages: list[Canvas] = []
        self.new_page()

    @property
    def page(self) -> Canvas:
        return self.pages[-1]

    @property
    def width(self) -> float:
        return self.page.size[0]

    @property
    def bottom(self) -> float:
        return self.page.size[1] - MARGIN_BOTTOM

    def new_page(self, placement: str | None = None) -> None:
        self.placement = placement or self.placement
        self.pages.append(Canvas(self.placement))
        self.y = MARGIN_TOP

    def finish(self) -> list[Canvas]:
        for number, page in enumerate(self.pages, start=1):
            footer = f"- {number} -"
            page.text((page.size[0] - text_width(footer, 12)) / 2, page.size[1] - 36, footer, 12)
        return self.pages

    def paragraph(self, text: str, indent: bool = True, size: float = BODY, center: bool = False) -> None:
        """Wrapped body text, each line drawn over its own white background rectangle."""
        width = self.width - 2 * MARGIN_X
        for line in _wrap(("\u3000\u3000" if indent else "") + text, width, size):
            if self.y + LINE > self.bottom:
                self.new_page()
            x = (self.width - text_width(line, size)) / 2 if center else MARGIN_X
            self.page.fill(MARGIN_X, self.y, width, LINE, (1, 1, 1))
            self.page.text(x, self.y + LINE * 0.72, line.replace("\u3000", "  "), size)
            self.y += LINE

    def table(self, widths: list[float], header: list[list[Cell]], body: list[list[Cell]], repeat: bool) -> None:
        """A ruled table; rows that do not fit go to the next page (header repeated when ``repeat``)."""
        xs = [MARGIN_X - 3]
        for w in widths:
            xs.append(xs[-1] + w)
        rows = header + body
        heights = [_row_height(row, xs) for row in rows]
        tops = [sum(heights[:i]) for i in range(len(rows) + 1)]
        start, count = 0, len(header)
        while start < len(rows):
            head = tops[count] if start and repeat else 0.0
            stop = start
            while stop < len(rows) and tops[stop + 1] - tops[start] <= self.bottom - self.y - head:
                stop += 1
            if stop <= max(start, count):  # a part carries at least one body row under its header
                if self.y == MARGIN_TOP:
                    raise ValueError("a table row is taller than a page")
                self.new_page()
                continue
            for a, b in ([(0, count)] if head else []) + [(start, stop)]:
                _draw_rows(self.page, rows, xs, tops, a, b, self.y - tops[a])
                self.y += tops[b] - tops[a]
            start = stop
            if start < len(rows):
                self.new_page()
        self.y += LINE / 2


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, current = [], ""
    for char in text:
        if current and text_width(current + char, size) > width:
            lines.append(current)
            current = ""
        current += char
    return lines + ([current] if current else [])


def _cell_lines(cell: Cell, xs: list[float]) -> list[str]:
    if cell.vertical:
        return list(cell.text)
    return _wrap(cell.text, xs[cell.column + cell.span] - xs[cell.column] - 6, TABLE)


def _row_height(row: list[Cell], xs: list[float]) -> float:
    single = [len(_cell_lines(c, xs)) for c in row if c.rows == 1] or [1]
    return max(max(single) * TABLE * 1.3 + 8, 22.0)


def _draw_rows(page: Canvas, rows: list[list[Cell]], xs: list[float], tops: list[float], a: int, b: int, offset: float) -> None:
    """Rows a…b-1 with every cell that reaches into them, clipped; a cell's text line goes where it falls."""
    for index, row in enumerate(rows):
        for cell in row:
            end = index + cell.rows
            if end <= a or index >= b:
                continue
            x0, x1 = xs[cell.column], xs[cell.column + cell.span]
            top, bottom = tops[max(index, a)] + offset, tops[min(end, b)] + offset
            if cell.shaded:
                page.fill(x0, top, x1 - x0, bottom - top, (0.776, 0.851, 0.945))
            for x in (x0, x1):
                page.vrule(x, top, bottom)
            for y in (top, bottom):
                page.hrule(x0, x1, y)
            lines = _cell_lines(cell, xs)
            pitch = TABLE * 1.3
            first = (tops[index] + tops[end]) / 2 - pitch * len(lines) / 2  # centred in the whole cell
            for i, line in enumerate(lines):
                y = first + pitch * (i + 0.8)
                if tops[max(index, a)] <= y - TABLE / 2 < tops[min(end, b)]:
                    page.text((x0 + x1 - text_width(line, TABLE)) / 2, y + offset, line, TABLE)


def table3(applications: dict[str, list[int]]) -> tuple[list[float], list[list[Cell]], list[list[Cell]]]:
    """Table 3 as WPS draws it: three header rows, label columns for group, sub-group and leaf."""
    org = [APPLICANT_COLUMN_LABELS[k] for k in ("business", "research", "public_interest", "legal_service", "other_org")]
    header = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 3, 3), Cell("申请人情况", 3, 7, shaded=True)],
        [Cell("自然人", 3, rows=2), Cell("法人或其他组织", 4, 5), Cell("总计", 9, rows=2)],
        [Cell(label, 4 + i) for i, label in enumerate(org)],
    ]
    keys = list(applications)
    body: list[list[Cell]] = []
    for i, key in enumerate(keys):
        row, cells = ROW_BY_KEY[key], []
        if row.group is None:
            cells.append(Cell(row.label, 0, 3))
        else:
            if i == 0 or ROW_BY_KEY[keys[i - 1]].group is None:
                span = sum(1 for k in keys[i:] if ROW_BY_KEY[k].group is not None)
                cells.append(Cell(GROUP, 0, rows=span, vertical=True))
            if row.group == GROUP:
                cells.append(Cell(row.label, 1, 2))
            else:
                if ROW_BY_KEY[keys[i - 1]].group != row.group:
                    span = sum(1 for k in keys[i:] if ROW_BY_KEY[k].group == row.group)
                    cells.append(Cell(row.group, 1, rows=span))
                cells.append(Cell(row.label, 2))
        cells += [Cell(str(v), 3 + j) for j, v in enumerate(applications[key])]
        body.append(cells)
    return [24, 42, 113] + [38.5] * 7, header, body


def table4(expected: dict) -> tuple[list[float], list[list[Cell]], list[list[Cell]]]:  # type: ignore[type-arg]
    outcomes = [OUTCOME_LABELS[k] for k in OUTCOMES]
    header = [
        [Cell(CASE_BLOCK_LABELS["review"], 0, 5, shaded=True), Cell("行政诉讼", 5, 10, shaded=True)],
        [Cell(t, i, rows=2) for i, t in enumerate(outcomes)]
        + [Cell(CASE_BLOCK_LABELS["litigation_direct"], 5, 5), Cell(CASE_BLOCK_LABELS["litigation_after_review"], 10, 5)],
        [Cell(t, 5 + i) for i, t in enumerate(outcomes * 2)],
    ]
    values = [expected[block][k] for block in ("review", "litigation_direct", "litigation_after_review") for k in OUTCOMES]
    return [30.0] * 15, header, [[Cell(str(v), i) for i, v in enumerate(values)]]


def report(expected: dict, table_placement: str, repeat: bool, lead_lines: int) -> list[Canvas]:  # type: ignore[type-arg]
    """The whole report: title, prose, table 3 and table 4 on ``table_placement`` pages, closing prose."""
    agency, year = expected["agency"], expected["year"]
    flow = Flow("upright")
    flow.paragraph(f"{agency}{year}年政府信息公开工作年度报告", indent=False, size=TITLE, center=True)
    flow.paragraph(
        f"本报告由{agency}根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关要求编制。"
        f"报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"
    )
    flow.paragraph("一、总体情况", indent=False)
    for _ in range(lead_lines):
        flow.paragraph("本年度坚持以公开为常态、不公开为例外，持续深化政务公开，依法规范办理政府信息公开申请。")
    if table_placement != "upright":
        flow.new_page(table_placement)
    flow.paragraph("三、收到和处理政府信息公开申请情况", indent=False)
    flow.table(*table3(expected["applications"]), repeat=repeat)
    flow.paragraph("四、政府信息公开行政复议、行政诉讼情况", indent=False)
    flow.table(*table4(expected), repeat=repeat)
    if table_placement != "upright":
        flow.new_page("upright")
    flow.paragraph("五、存在的主要问题及改进情况", indent=False)
    flow.paragraph("政策解读的针对性仍需提升，下一步将加强业务培训，提高答复质量。")
    flow.paragraph("六、其他需要报告的事项", indent=False)
    flow.paragraph("本年度未收取信息处理费。")
    return flow.finish()


FIXTURES = {
    # name: (seed number, table pages, header repeated after a page break, body lines before table 3, unmapped font)
    "wps_split_repeated_header": ("000", "upright", True, 8, False),
    "wps_split_no_header": ("001", "upright", False, 12, False),
    "wps_rotated_pages": ("002", "rotate90", True, 2, False),
    "wps_sideways_text": ("003", "sideways", False, 2, False),
    "wps_unmapped_font": ("004", "upright", True, 4, True),
}


def main() -> None:
    for name, (seed, placement, repeat, lead, unmapped) in FIXTURES.items():
        expected = json.loads(next(SEEDS.glob(f"{seed}_*.expected.json")).read_text(encoding="utf-8"))
        pages = report(expected, placement, repeat, lead)
        title = f"{expected['agency']}{expected['year']}年政府信息公开工作年度报告"
        (HERE / f"{name}.pdf").write_bytes(write_pdf(pages, title=title, unmapped=unmapped))
        truth = {"error": "unmapped-font"} if unmapped else {k: expected[k] for k in TRUTH_KEYS}
        truth["pages"] = len(pages)
        text = json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
        (HERE / f"{name}.truth.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Print any consistent table 3/4 the way crawlers, PDF tools and converters print text.

Used by the property tests (tests/test_properties.py): each renderer takes the
rows of one edition, their values and table 4's 15 cells, plus the random
choices of the layout (drawn by Hypothesis), and returns the report's text.
The layouts are those of make_text_layouts.py: irregular merging spaces,
column layout with blank cells and wrapped labels, converter markdown with
table 3 split into blocks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from tests.data.textlayouts.make_text_layouts import CASE_HEADER, GROUP, GROUP_PIECES, HEADER

Rows = list[tuple[str, str]]  # (key, label) in print order
Table = dict[str, list[int]]
TOP = "某某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n全年共收到申请若干件。\n"
HEAD3 = "三、收到和处理政府信息公开申请情况"
HEAD4 = "四、政府信息公开行政复议、行政诉讼情况"
END = "五、存在的主要问题及改进情况\n无。\n"


def spaced(values: list[int], gaps: list[bool]) -> str:
    """Cells written side by side; a space follows cell i only where gaps[i] (the others run together)."""
    return "".join(str(v) + (" " if i < len(gaps) and gaps[i] else "") for i, v in enumerate(values)).strip()


@dataclass
class Spacing:
    """A crawler's choices: per row which cell borders keep their space, rows printed short or empty."""

    gaps: dict[str, list[bool]] = field(default_factory=dict)
    lost_cell: str | None = None  # an all-zero row printed with one zero missing
    unprinted: set[str] = field(default_factory=set)  # all-zero rows printed with no values at all
    case_gaps: list[bool] = field(default_factory=list)


def crawler_text(rows: Rows, table: Table, cases: list[int], spacing: Spacing) -> str:
    """The report on a few long lines, cells merged by irregular spaces (module docstring)."""
    parts = []
    for key, label in rows:
        values = table[key]
        if key in spacing.unprinted:
            text = ""
        elif key == spacing.lost_cell:
            text = "0 " + "0" * (len(values) - 2)
        else:
            text = spaced(values, spacing.gaps.get(key, [True] * 6))
        parts.append(f"{GROUP.get(key, '')}{label}{text}")
    cases_text = spaced(cases, spacing.case_gaps or [True] * 14)
    return TOP + HEAD3 + HEADER + "".join(parts) + "\n" + HEAD4 + CASE_HEADER + cases_text + "\n" + END


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _wrap(label: str, size: int) -> list[str]:
    return [label[i : i + size] for i in range(0, len(label), size)] or [label]


def columns_text(rows: Rows, table: Table, cases: list[int], carriers: dict[str, int], cells: bool) -> str:
    """pdftotext -layout (``cells`` False) or a viewer's copy (True): blank zeros, wrapped labels.

    ``carriers[key]`` picks the piece of a wrapped label that carries the row's numbers.
    """
    def pad(text: str, width: int) -> str:
        return text + " " * max(1, width - (_width(text) if cells else len(text)))

    def centre(text: str, width: int) -> str:
        used = _width(text) if cells else len(text)
        left = (width - used) // 2
        return " " * left + text + " " * max(0, width - used - left)

    header = [
        pad("", 10) + pad("（本列数据的勾稽关系为：第一项加", 34) + "申请人情况",
        pad("", 10) + pad("第二项之和，等于第三项加第四项之和）", 34)
        + "".join(centre(c, 8) for c in ["自然人", "法人或其他组织", "", "", "", "", "总计"]).rstrip(),
        pad("", 44) + "".join(centre(c, 8) for c in ["", "商业企业", "科研机构", "社会公益", "法律服务", "其他", ""]),
    ]
    lines = [HEAD3, *header]
    group: list[str] = []
    for key, label in rows:
        if key in GROUP_PIECES:
            group = list(GROUP_PIECES[key])
        pieces = _wrap(label, 11)
        carrier = min(carriers.get(key, 0), len(pieces) - 1)
        for n, piece in enumerate(pieces):
            text = pad(group.pop(0) if group else "", 10) + pad(piece, 34)
            if n == carrier:
                text += "".join(("" if v == 0 else str(v)).center(8) for v in table[key])
            lines.append(text.rstrip())
    lines += [HEAD4, "行政复议  行政诉讼", "  ".join(map(str, cases)), END]
    return TOP + "\n".join(lines)


@dataclass
class Blocks:
    """A converter's choices: where table 3 is cut into blocks, which rows lose their label."""

    cuts: list[int] = field(default_factory=list)  # row indices that start a new block
    pushed: set[str] = field(default_factory=set)  # rows whose label is printed outside the table


def markdown_text(rows: Rows, table: Table, cases: list[int], blocks: Blocks) -> str:
    """Converter markdown: per-block tables with generic headers, pushed labels, junk between blocks."""
    out = ["正文", "# 某某县人民政府2022年政府信息公开工作年度报告", "全年共收到申请若干件。", "", f"# {HEAD3}"]
    generic = "| " + " | ".join(f"数据{i}" for i in range(1, 8)) + " |\n|---|---|---|---|---|---|---|"
    bounds = [0, *sorted(set(blocks.cuts)), len(rows)]
    for n, (start, stop) in enumerate(zip(bounds, bounds[1:], strict=False)):
        block = rows[start:stop]
        if not block:
            continue
        out += [""] + [label for key, label in block if key in blocks.pushed] + [""]
        if n % 3 == 1:
            out += ["— 5 —", "", "| 业 | 构 | 益组织 | 务机构 |  |  |  |", "|---|---|---|---|---|---|---|"]
        elif n % 3 == 2:
            out += ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|", "", generic]
        else:
            out.append(generic)
        for key, label in block:
            cells = [str(v) for v in table[key]]
            out.append("| " + " | ".join(([] if key in blocks.pushed else [label]) + cells) + " |")
    out += ["", f"# {HEAD4}", "| " + " | ".join(map(str, cases)) + " |", "", "# " + END]
    return "\n".join(out) + "\n"

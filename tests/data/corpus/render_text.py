"""Plain-text renderings of a corpus report: pipes, tabs, one cell per line, layout, run-together.

Each ``table3_*`` / ``table4_*`` function turns the printed grid of a
:class:`~make_corpus.Report` into the lines a real publisher's export produces
(FORMATS.md, "Layouts seen in real published reports").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from make_corpus import Report

HEADER3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ORG = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
OUTCOME_WORDS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def prose(report: Report) -> list[str]:
    """Title, opening, section 一 and the heading of section 二."""
    h = report.headings
    return [report.title, *report.opening, h[0], *report.overview, h[1]]


def closing(report: Report) -> list[str]:
    """Sections 五 and 六."""
    h = report.headings
    return [h[4], "一是公开内容的全面性有待加强。二是解读形式较为单一。", h[5], *report.section6]


def table2_lines(report: Report, sep: str) -> list[str]:
    """Table 2 with a separator string between cells (pipes or tabs)."""
    out = []
    for item, columns, rows in report.table2:
        out.append(item + sep)
        out.append(sep.join(["信息内容", *columns]) + sep)
        out.extend(sep.join([label, *cells]) + sep for label, cells in rows)
    return out


def table3_pipes(report: Report) -> list[str]:
    """Pipe rows with uneven trailing pipes and cut header cells (copy-paste from a web page)."""
    out = [
        HEADER3_NOTE + " | 申请人情况 | " + "|" * report.rng.randint(2, 6),
        "自然人 | 法人或其他组织 | 总计 |" + "|" * report.rng.randint(0, 5),
        "商业企 | 科研机 | 社会公益 | 法律服 | 其他 |",
    ]
    for group, label, cells in report.grid():
        lead = f"{group} | " if group else ""
        trail = " |" * report.rng.randint(0, 2)
        out.append(lead + label + " | " + " | ".join(cells) + " |" + trail)
    return out


def table3_tabs(report: Report) -> list[str]:
    """Word "save as text": tab-separated, the group column left empty under its first row."""
    out = [
        HEADER3_NOTE + "\t申请人情况\t\t\t\t\t\t",
        "\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t" + "\t".join(ORG) + "\t",
    ]
    for group, label, cells in report.grid():
        out.append(f"{group or ''}\t{label}\t" + "\t".join(cells) + "\t")
    return out


def table3_cells(report: Report) -> list[str]:
    """One cell per line with tab indentation and blank lines between rows (Word export)."""
    out = [f"\t{HEADER3_NOTE}", "\t申请人情况", "", "\t自然人", "\t法人或其他组织", "\t总计", ""]
    out += [f"\t{w}" for w in ORG] + [""]
    for group, label, cells in report.grid():
        if group:
            out.append(f"\t{group}")
        out.append(f"\t{label}")
        out += [f"\t {c}" if c else "\t" for c in cells]
        out.append("")
    return out


def table3_run(report: Report) -> list[str]:
    """Separators lost: each label followed by its cells run together; sub-items on one line."""
    out, line = [], ""
    for group, label, cells in report.grid():
        if group and line:
            out.append(line)
            line = ""
        line += (group or "") + label + "".join(cells)
        if not label[:1].isdigit():
            out.append(line)
            line = ""
    return out + ([line] if line else [])


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _wrap_group(group: str) -> list[str]:
    """A merged group cell two characters wide: its marker ("（三）", "三、") first, then pairs."""
    marker = re.match(r"^(（.）|.、)", group)
    head = [marker.group()] if marker else []
    return head + _wrap(group[len(head[0]) if head else 0 :], 2)


def table3_layout(report: Report, footer_after: int, footer: str) -> list[str]:
    """``pdftotext -layout``: aligned columns, labels wrapped over 2–3 lines, a page break inside."""
    head = [
        "（本列数据的勾稽关系为：第一项加                 申请人情况",
        "第二项之和，等于第三项加第四项之和）      自然人      法人或其他组织                                总计",
        "                                                  商业企业  科研机构  社会公益组织  法律服务机构  其他",
    ]
    out = list(head)
    group_text: list[str] = []
    for index, (group, label, cells) in enumerate(report.grid()):
        if group:
            group_text = _wrap_group(group)
        pieces = _wrap(label, 11)
        at = len(pieces) // 2 if len(pieces) > 2 else 0
        if report.numbers_first and len(pieces) > 1:
            pieces, at = ["", *pieces], 0  # pdfplumber: the number line comes before its label
        for i, piece in enumerate(pieces):
            left = (group_text.pop(0) if group_text else "").ljust(4, "\u3000")
            numbers = "".join(c.rjust(8) for c in cells) if i == at else ""
            out.append(f"{left}  {piece.ljust(12, chr(0x3000))}{numbers}".rstrip())
        if index == footer_after:
            out += ["", footer, "\f", *(head if report.repeat_header else [])]
    return out


def table4_lines(report: Report, mode: str) -> list[str]:
    """Table 4 header and values: pipes, tabs, two rows, one number per line, or run together."""
    values = report.case_cells()
    sep = {"pipes": " | ", "tabs": "\t"}.get(mode, "  ")
    header = [
        sep.join(["行政复议", "", "", "", "", "行政诉讼"]),
        sep.join([*OUTCOME_WORDS, "未经复议直接起诉", "复议后起诉"]),
        sep.join(["", "", "", "", "", *OUTCOME_WORDS, *OUTCOME_WORDS]),
    ]
    if mode == "run":
        return ["行政复议行政诉讼" + "".join(OUTCOME_WORDS) + "未经复议直接起诉复议后起诉" + "".join(values)]
    if mode == "two_rows":
        return [*header, "  ".join(values[:5]), "  ".join(values[5:])]
    if mode == "one_per_line":
        return [
            "行政复议",
            "行政诉讼",
            *OUTCOME_WORDS,
            "未经复议直接起诉",
            "复议后起诉",
            *OUTCOME_WORDS * 2,
            *values,
        ]
    return [*header, sep.join(values) + (" |" if mode == "pipes" else "")]

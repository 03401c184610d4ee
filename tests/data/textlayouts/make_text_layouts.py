"""Write the text-layout fixtures of this folder and their expected JSON.

Each fixture prints a report the way real published text does (FORMATS.md,
"Layouts seen in real published reports"), with the *features* of the real
development set but none of its text or numbers:

- ``crawler_spaces_2019.txt``: a crawler's page text, the report on a few long
  lines, table-3 cells separated by irregular spaces that merge neighbours
  (``2 00 00 0 2``), a row that lost a cell, ideographic spaces in table 2;
- ``crawler_run_2021.txt``: every cell run together, a row whose two splits
  both add up (only the column totals decide), two sub-rows printed with no
  values at all, two-digit table-4 cells, prose before the table that names
  row keywords (予以公开, 部分公开) in a sentence;
- ``layout_blanks.txt``: ``pdftotext -layout`` text, blank cells leave no
  token, wrapped labels carry their numbers on the first or a middle line,
  group labels cut into pieces, a page footer and a repeated header inside
  the table;
- ``viewer_copy.txt``: a PDF viewer's copy aligned in display cells (a CJK
  character two wide), blank cells;
- ``converter_split.md``: converter markdown, table 3 split into blocks with
  generic headers (数据1 …), value rows with their labels pushed out of the
  table or carrying none, a wrong header row and collapsed header cells
  between blocks, ``# `` headings, a page footer ``— 5 —`` and a stray
  number inside the table, a blank 总计 cell.

The tables are written below by hand; nothing here calls the parser. ``reading``
in the expected JSON names the reading that must win (None: more than one reads
the report right).
Run: ``.venv/bin/python tests/data/textlayouts/make_text_layouts.py``.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
Z = [0] * 7

HEAD = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "1.属于国家秘密"),
    ("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("withheld_safety_stability", "3.危及“三安全一稳定”"),
    ("withheld_third_party", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", "5.属于三类内部事务信息"),
    ("withheld_process_info", "6.属于四类过程性信息"),
    ("withheld_enforcement_file", "7.属于行政执法案卷"),
    ("withheld_administrative_query", "8.属于行政查询事项"),
    ("unable_not_held", "1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "3.补正后申请内容仍不明确"),
    ("not_processed_petition", "1.信访举报投诉类申请"),
    ("not_processed_duplicate", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"),
    ("not_processed_massive", "4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
]
OTHER = [("other", "（六）其他处理")]
SPLIT = [
    ("other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
]
TAIL = [("total", "（七）总计"), ("carried_forward", "四、结转下年度继续办理")]
GROUP = {
    "granted": "三、本年度办理结果",
    "withheld_state_secret": "（三）不予公开",
    "unable_not_held": "（四）无法提供",
    "not_processed_petition": "（五）不予处理",
    "other_overdue_correction": "（六）其他处理",
}
HEADER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
CASE_HEADER = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"


def row(*cells: int) -> list[int]:
    """A table-3 row from its six applicant cells; the 总计 is their sum."""
    return [*cells, sum(cells)]


def table(edition: int, rows: dict[str, list[int]], carried: list[int], forward: list[int]) -> dict[str, list[int]]:
    """Table 3 of one edition: the given disposition rows, (七) their sum, 一 what balances."""
    keys = [k for k, _ in HEAD[2:] + (SPLIT if edition == 2021 else OTHER)]
    leaves = {k: rows.get(k, Z) for k in keys}
    total = [sum(v[i] for v in leaves.values()) for i in range(7)]
    new = [total[i] + forward[i] - carried[i] for i in range(7)]
    assert all(n >= 0 for n in new)
    return {"new_received": new, "carried_over": carried, **leaves, "total": total, "carried_forward": forward}


def cases(*blocks: tuple[int, int, int, int]) -> dict[str, dict[str, int]]:
    names = ("review", "litigation_direct", "litigation_after_review")
    return {
        name: dict(zip(("upheld", "corrected", "other", "pending", "total"), [*b, sum(b)], strict=True))
        for name, b in zip(names, blocks, strict=True)
    }


def case_values(found: dict[str, dict[str, int]]) -> list[int]:
    return [v for block in found.values() for v in block.values()]


def labels(edition: int) -> list[tuple[str, str]]:
    return HEAD + (SPLIT if edition == 2021 else OTHER) + TAIL


def write(name: str, text: str, truth: dict) -> None:  # type: ignore[type-arg]
    (HERE / name).write_text(text, encoding="utf-8")
    stem = name.rsplit(".", 1)[0]
    (HERE / f"{stem}.expected.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- crawler text with irregular spaces (2019) -----------------------------------------------

T19 = table(
    2019,
    {"granted": row(3, 0, 0, 1, 0, 0), "unable_not_held": row(2, 1, 0, 0, 0, 0), "other": row(0, 0, 0, 0, 0, 1)},
    carried=row(1, 0, 0, 0, 0, 0),
    forward=Z,
)
C19 = cases((1, 0, 0, 0), (0, 0, 0, 0), (0, 0, 1, 0))
# How each row's seven digits are spaced: a space stands after the cell index listed
# (cells without one run into the next), so "2 00 00 0 2" = spaces after cells 0, 2, 4, 5.
SPACING = [(0, 2, 4, 5), (0, 1, 3, 5), (1, 3, 4), (0, 2, 3, 4, 5), (2, 4), (0, 1, 2, 3, 4, 5)]


def spaced(values: list[int], after: tuple[int, ...]) -> str:
    return "".join(str(v) + (" " if i in after else "") for i, v in enumerate(values)).strip()


def crawler_spaces() -> None:
    """A crawler page: header block, the report on few lines, cells merged by irregular spaces."""
    cells = []
    for n, (key, label) in enumerate(labels(2019)):
        values = T19[key]
        text = spaced(values, SPACING[n % len(SPACING)])
        if key == "carried_forward":
            text = "0 00000"  # this row lost a cell: six zeros for seven columns
        prefix = GROUP.get(key, "")
        cells.append(f"{prefix}{label}{' ' if n % 3 == 0 else ''}{text}")
    table2 = (
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量"
        "规章0 0\u30000规范性文件2 1\u30009第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量"
        "行政许可7 0 7第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购3 12000"
    )
    body = (
        "标题: 关于报送某某新区某某片区管理局2019年度政府信息公开工作年度报告的函\n"
        "发布时间: 2020-01-20 10:00\n发布机构: 某某新区管委会办公室\n"
        "==================== 正文 ====================\n"
        "某某新区某某片区管理局2019年度政府信息公开工作年度报告。一、总体情况 2019年，我局共受理"
        "政府信息公开申请4件，予以公开3件，无法提供3件，其他处理1件。" + table2 + "\n"
        "三、收到和处理政府信息公开申请情况" + HEADER + "".join(cells) + "\n"
        "四、政府信息公开行政复议、行政诉讼情况" + CASE_HEADER + spaced(case_values(C19), (0, 2, 3, 6, 7, 9, 11, 12)) +
        "五、存在的主要问题及改进情况 无。六、其他需要报告的事项 无。\n"
    )
    truth = {"template": 2019, "applications": T19, **C19, "reading": "lines"}
    write("crawler_spaces_2019.txt", body, truth)


# --- fully run-together crawler text (2021) ---------------------------------------------------

T21 = table(
    2021,
    {
        "granted": row(15, 1, 0, 0, 0, 0),  # "151000016": also 1/5/10/0/0/0/16, the columns decide
        "partially_granted": row(4, 0, 0, 0, 0, 0),
        "withheld_third_party": row(2, 0, 0, 0, 0, 0),
        "unable_not_held": row(11, 0, 0, 0, 0, 2),  # "110000213": also 1/10/0/0/0/2/13
        "not_processed_duplicate": row(1, 0, 0, 0, 0, 0),
        "other_overdue_correction": row(3, 0, 0, 0, 0, 0),
    },
    carried=row(2, 0, 0, 0, 0, 0),
    forward=row(1, 0, 0, 0, 0, 0),
)
C21 = cases((12, 3, 0, 1), (0, 0, 0, 0), (2, 0, 0, 0))


def crawler_run() -> None:
    """Every cell run together; (六)2 and (六)3 print no values; decoy prose before the table."""
    parts = []
    for key, label in labels(2021):
        prefix = GROUP.get(key, "")
        values = "" if key in ("other_unpaid_fee", "other_misc") else "".join(str(v) for v in T21[key])
        parts.append(f"{prefix}{label}{values}")
    prose = (
        "一、总体情况（一）主动公开方面全年主动公开政府信息2300条。（二）依申请公开方面全年收到申请36件，"
        "其中予以公开及部分公开19件，占52.78%；无法提供13件；不予处理1件；其他处理3件。"
    )
    table2 = (
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
        "行政规范性文件5288第二十条第（五）项信息内容本年处理决定数量行政许可1207"
    )
    body = (
        "标题: 某某综合实验区某某局2022年度政府信息公开工作年度报告\n"
        "==================== 正文 ====================\n"
        "本报告由某某局办公室编制。" + prose + table2 + "三、收到和处理政府信息公开申请情况" + HEADER + "".join(parts)
        + "四、政府信息公开行政复议、行政诉讼情况" + CASE_HEADER + "".join(str(v) for v in case_values(C21))
        + "五、存在的主要问题及改进情况无。六、其他需要报告的事项无。\n"
    )
    truth = {"template": 2021, "applications": T21, **C21, "reading": "lines"}
    write("crawler_run_2021.txt", body, truth)


# --- column layout (pdftotext -layout and a viewer's copy) -------------------------------------

TL = table(
    2021,
    {
        "granted": row(28, 5, 0, 3, 0, 5),
        "partially_granted": row(4, 0, 1, 0, 0, 0),
        "withheld_third_party": row(0, 7, 0, 0, 0, 2),
        "withheld_enforcement_file": row(14, 0, 0, 0, 0, 0),
        "unable_not_held": row(33, 0, 0, 2, 0, 0),
        "unable_needs_creation": row(0, 0, 0, 0, 6, 0),
        "not_processed_duplicate": row(6, 9, 2, 0, 2, 0),
        "other_overdue_correction": row(0, 8, 0, 1, 0, 1),
        "other_misc": row(0, 0, 3, 0, 1, 0),
    },
    carried=row(0, 0, 1, 0, 1, 0),
    forward=row(0, 0, 1, 1, 0, 0),
)
CL = cases((4, 4, 0, 0), (3, 1, 1, 0), (3, 0, 1, 4))
# Labels wrapped in a narrow column: (pieces, index of the piece that carries the numbers).
WRAPS = {
    "new_received": (["一、本年新收政府信息公", "开申请数量"], 0),
    "carried_over": (["二、上年结转政府信息公", "开申请数量"], 0),
    "partially_granted": (["（二）部分公开（区分处", "理的，只计这一情形，不", "计其他情形）"], 1),
    "withheld_prohibited_by_law": (["2.其他法律行政法规禁", "止公开"], 0),
    "withheld_internal_affairs": (["5.属于三类内部事务信", "息"], 0),
    "unable_not_held": (["1.本机关不掌握相关政", "府信息"], 0),
    "unable_needs_creation": (["2.没有现成信息需要另", "行制作"], 0),
    "unable_unclear": (["3.补正后申请内容仍不", "明确"], 0),
    "not_processed_massive": (["4.无正当理由大量反复", "申请"], 0),
    "not_processed_confirmation": (["5.要求行政机关确认或", "重新出具已获取信息"], 0),
    "other_overdue_correction": (["1.申请人无正当理由逾", "期不补正、行政机关不再", "处理其政府信息公开申请"], 1),
    "other_unpaid_fee": (["2.申请人逾期未按收费", "通知要求缴纳费用、行政", "机关不再处理其政府信息", "公开申请"], 2),
}
# The group column, cut into pieces on the lines of the rows beside it.
GROUP_PIECES = {
    "granted": ["三、", "本年", "度办", "理结", "果"],
    "withheld_state_secret": ["（三）", "不予", "公开"],
    "unable_not_held": ["（四）", "无法", "提供"],
    "not_processed_petition": ["（五）", "不予", "处理"],
    "other_overdue_correction": ["（六）", "其他", "处理"],
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, cells: bool) -> str:
    """Pad to ``width`` characters (pdftotext) or display cells (a viewer)."""
    used = _width(text) if cells else len(text)
    return text + " " * max(1, width - used)


def _number_cells(values: list[int], blank_zero: bool) -> list[str]:
    return ["" if blank_zero and v == 0 else str(v) for v in values]


def _columns(cells: list[str], width: int) -> str:
    return "".join(c.center(width) for c in cells).rstrip()


def column_text(cells_measure: bool, page_break_before: str) -> list[str]:
    """Table 3 in fixed columns: group column, label column, seven value columns; zeros blank."""
    lines = [
        _pad("", 10, cells_measure) + _pad("（本列数据的勾稽关系为：第一项加", 34, cells_measure) + "申请人情况",
        _pad("", 10, cells_measure) + _pad("第二项之和，等于第三项加第四项之和）", 34, cells_measure)
        + _columns(["自然人", "法人或其他组织", "", "", "", "", "总计"], 8),
        _pad("", 44, cells_measure) + _columns(["", "商业企业", "科研机构", "社会公益", "法律服务", "其他", ""], 8),
    ]
    header = list(lines)
    group: list[str] = []
    for key, label in labels(2021):
        if key in GROUP_PIECES:
            group = list(GROUP_PIECES[key])
        if key == page_break_before:
            lines += ["", "                              - 4 -", ""] + header
        pieces, carrier = WRAPS.get(key, ([label], 0))
        for n, piece in enumerate(pieces):
            left = group.pop(0) if group else ""
            text = _pad(left, 10, cells_measure) + _pad(piece, 34, cells_measure)
            if n == carrier:
                text += _columns(_number_cells(TL[key], blank_zero=True), 8)
            lines.append(text.rstrip())
        lines += [_pad(group.pop(0), 10, cells_measure).rstrip() for _ in range(len(group)) if key == "carried_forward"]
    return lines


def layout_text(name: str, cells_measure: bool) -> None:
    head = [
        "某某市某某区人民政府2023年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        "  2023年，区政府共收到政府信息公开申请157件。",
        "二、主动公开政府信息情况",
        "  第二十条第（一）项",
        "  信息内容        本年制发件数    本年废止件数    现行有效件数",
        "  规章                 0               0               0",
        "  行政规范性文件       6               2               41",
        "三、收到和处理政府信息公开申请情况",
    ]
    tail = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议                                  行政诉讼",
        "结果维持  结果纠正  其他结果  尚未审结  总计  未经复议直接起诉  复议后起诉",
        "          结果维持  结果纠正  其他结果  尚未审结  总计  结果维持  结果纠正  其他结果  尚未审结  总计",
        "  ".join(str(v) for v in case_values(CL)),
        "五、存在的主要问题及改进情况",
        "  无。",
    ]
    text = "\n".join(head + column_text(cells_measure, "unable_not_held") + tail) + "\n"
    truth = {"template": 2021, "applications": TL, **CL, "reading": "columns"}
    write(name, text, truth)


# --- converter markdown with split tables ------------------------------------------------------

TM = table(
    2021,
    {
        "granted": row(7, 1, 0, 0, 0, 0),
        "withheld_state_secret": row(1, 0, 0, 0, 0, 0),
        "withheld_internal_affairs": row(2, 0, 0, 0, 0, 0),
        "unable_not_held": row(5, 0, 0, 0, 0, 0),
        "unable_needs_creation": row(3, 0, 0, 0, 0, 0),
        "other_overdue_correction": row(6, 1, 0, 0, 0, 0),
        "other_misc": row(2, 0, 0, 0, 0, 0),
    },
    carried=row(1, 0, 0, 0, 0, 0),
    forward=row(2, 0, 0, 0, 0, 0),
)
CM = cases((2, 0, 0, 1), (0, 0, 0, 0), (0, 0, 0, 0))
GENERIC = "| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |\n|---|---|---|---|---|---|---|"
# Rows whose label the converter pushed out of the table (printed as text before the block).
PUSHED = {
    "partially_granted",
    "withheld_prohibited_by_law",
    "withheld_process_info",
    "unable_needs_creation",
    "unable_unclear",
    "not_processed_massive",
    "not_processed_confirmation",
    "other_overdue_correction",
    "other_unpaid_fee",
}
BLOCKS = [
    ("new_received", "withheld_state_secret"),
    ("withheld_prohibited_by_law", "unable_unclear"),
    ("not_processed_petition", "carried_forward"),
]


def _md_row(key: str, label: str | None, blank_total: bool = False) -> str:
    cells = [str(v) for v in TM[key]]
    if blank_total:
        cells[-1] = " "
    return "| " + " | ".join(([label] if label else []) + cells) + " |"


def converter_markdown() -> None:
    """Table 3 as per-block markdown tables with generic headers; labels pushed out; junk between blocks."""
    keys = [k for k, _ in labels(2021)]
    label_of = dict(labels(2021))
    out = [
        "正文",
        "# 某某市某某委员会2024年政府信息公开工作年度报告",
        "根据《中华人民共和国政府信息公开条例》的要求，编制本",
        "报告。本报告中所列数据的统计期限自2024年1月1日起至",
        "2024年12月31日止。",
        "",
        "# 三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "（本列数据的勾稽关系为：第一项加第二项法人或其他组织",
        "之和，等于第三项加第四项之和）",
        "自然人总计",
        "商业企科研机社会公法律服",
    ]
    for n, (first, last) in enumerate(BLOCKS):
        block = keys[keys.index(first) : keys.index(last) + 1]
        pushed = [label_of[k] for k in block if k in PUSHED]
        out += [""] + [p[: len(p) // 2 + 1] for p in pushed] + [p[len(p) // 2 + 1 :] for p in pushed[:1]]
        if n == 1:
            out += ["", "— 5 —", "", "| 业 | 构 | 益组织 | 务机构 |  |  |  |", "|---|---|---|---|---|---|---|"]
        else:
            out += ["", GENERIC]
        for key in block:
            group = GROUP.get(key, "")
            label = None if key in PUSHED else (f"{group} | {label_of[key]}" if group and n == 0 else label_of[key])
            out.append(_md_row(key, label, blank_total=key == "carried_forward"))
            if key == "other_overdue_correction":
                out += ["", "1", ""]  # a stray number the converter left between rows
        if n == 0:
            out += ["", "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|"]
    out += [
        "",
        "# 四、政府信息公开行政复议、行政诉讼情况",
        "行政复议行政诉讼",
        "| 维持 | 纠正 | 结果 | 审结 | 结果 | 结果 | 其他 | 尚未 |",
        "|---|---|---|---|---|---|---|---|",
        "| " + " | ".join(str(v) for v in case_values(CM)) + " |",
        "",
        "# 五、存在的主要问题及改进情况",
        "无。",
    ]
    truth = {"template": 2021, "applications": TM, **CM, "reading": None}  # lines and table rows both read it
    write("converter_split.md", "\n".join(out) + "\n", truth)


def main() -> None:
    crawler_spaces()
    crawler_run()
    layout_text("layout_blanks.txt", cells_measure=False)
    layout_text("viewer_copy.txt", cells_measure=True)
    converter_markdown()


if __name__ == "__main__":
    main()

"""Write the layout fixtures of this folder and their expected JSON.

Each fixture prints the same kind of report in one layout seen in real
published reports (FORMATS.md, "Layouts seen in real published reports"). The
expected values are the tables written below by hand; nothing here calls the
parser. Run: ``.venv/bin/python tests/data/layouts/make_layouts.py``.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
Z = [0] * 7

LABELS_HEAD = [
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
LABEL_OTHER = [("other", "（六）其他处理")]
LABELS_SPLIT = [
    ("other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
]
LABELS_TAIL = [("total", "（七）总计"), ("carried_forward", "四、结转下年度继续办理")]
GROUP = {
    "granted": "三、本年度办理结果",
    "withheld_state_secret": "（三）不予公开",
    "unable_not_held": "（四）无法提供",
    "not_processed_petition": "（五）不予处理",
    "other_overdue_correction": "（六）其他处理",
}

# A consistent 2019 table, written by hand (rules 1–3 hold).
A19: dict[str, list[int]] = {
    "new_received": [21, 1, 0, 0, 1, 1, 24],
    "carried_over": [3, 0, 0, 0, 0, 0, 3],
    "granted": [8, 1, 0, 0, 0, 0, 9],
    "partially_granted": [2, 0, 0, 0, 0, 0, 2],
    "withheld_state_secret": Z,
    "withheld_prohibited_by_law": Z,
    "withheld_safety_stability": Z,
    "withheld_third_party": [1, 0, 0, 0, 0, 0, 1],
    "withheld_internal_affairs": Z,
    "withheld_process_info": Z,
    "withheld_enforcement_file": Z,
    "withheld_administrative_query": Z,
    "unable_not_held": [11, 0, 0, 0, 0, 1, 12],
    "unable_needs_creation": [0, 0, 0, 0, 1, 0, 1],
    "unable_unclear": Z,
    "not_processed_petition": Z,
    "not_processed_duplicate": [1, 0, 0, 0, 0, 0, 1],
    "not_processed_publication": Z,
    "not_processed_massive": Z,
    "not_processed_confirmation": Z,
    "other": Z,
    "total": [23, 1, 0, 0, 1, 1, 26],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}
# The same report in the 2021 edition: （六） split, 3 cases in (六)1 and 1 in (六)3.
A21: dict[str, list[int]] = {k: v for k, v in A19.items() if k not in ("other", "total", "carried_forward")}
A21 |= {
    "other_overdue_correction": [3, 0, 0, 0, 0, 0, 3],
    "other_unpaid_fee": Z,
    "other_misc": [1, 0, 0, 0, 0, 0, 1],
    "total": [27, 1, 0, 0, 1, 1, 30],
    "carried_forward": [0, 0, 0, 0, 0, 0, 0],
}
A21["new_received"] = [24, 1, 0, 0, 1, 1, 27]
# Table 4 for both.
CASES = {
    "review": {"upheld": 12, "corrected": 3, "other": 0, "pending": 1, "total": 16},
    "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    "litigation_after_review": {"upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2},
}
CASE_VALUES = [v for block in CASES.values() for v in block.values()]

PROSE_19 = "某某县某某局2020年政府信息公开工作年度报告\n一、总体情况\n2020年，我局共受理申请24件。\n"
TABLE2_19 = """二、主动公开政府信息情况
第二十条第（一）项 | | |
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量
规章 | 0 | 0 | 0
规范性文件 | 3 | 3 | 12
第二十条第（九）项 | | |
信息内容 | 采购项目数量 | 采购总金额 |
政府集中采购 | 4 | 251000元 |
"""
TABLE2_21 = """二、主动公开政府信息情况
第二十条第（一）项
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数
规章 | 0 | 0 | 0
行政规范性文件 | 2 | 1 | 20
第二十条第（八）项
信息内容 | 本年收费金额（单位：万元）
行政事业性收费 | 96171.6
"""
HEAD3 = "三、收到和处理政府信息公开申请情况\n"
HEAD4 = "四、政府信息公开行政复议、行政诉讼情况\n"
TAIL = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
HEADER_PIPES = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | | | | | | |\n"
    "自然人 | 法人或其他组织 | | | | | 总计 |\n"
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
)
CASE_HEADER_PIPES = (
    "行政复议 | | | | | 行政诉讼 |\n"
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
)


def labels(split: bool) -> list[tuple[str, str]]:
    return LABELS_HEAD + (LABELS_SPLIT if split else LABEL_OTHER) + LABELS_TAIL


def pipe_rows(table: dict[str, list[int]], split: bool, fmt=str) -> str:  # type: ignore[no-untyped-def]
    out = []
    for key, label in labels(split):
        group = GROUP.get(key)
        cells = ([group] if group else []) + [label] + [fmt(v) for v in table[key]]
        out.append(" | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def expected(table: dict[str, list[int]], template: int, cases=CASES, **extra) -> dict:  # type: ignore[no-untyped-def]
    data = {"template": template, "applications": table, **cases, **extra}
    return data


def write(name: str, text: str, truth: dict) -> None:  # type: ignore[type-arg]
    (HERE / name).write_text(text, encoding="utf-8")
    stem = name.rsplit(".", 1)[0]
    (HERE / f"{stem}.expected.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def concatenated() -> None:
    """Cells run together with no separators; a sub-item number runs into "2."."""

    def run(key: str) -> str:
        return "".join(str(v) for v in A19[key])

    lines = [
        f"一、本年新收政府信息公开申请数量{run('new_received')}",
        f"二、上年结转政府信息公开申请数量{run('carried_over')}",
        f"三、本年度办理结果（一）予以公开{run('granted')}",
        f"（二）部分公开（区分处理的，只计这一情形，不计其他情形）{run('partially_granted')}",
        "（三）不予公开" + "".join(f"{lab}{run(k)}" for k, lab in LABELS_HEAD[4:12]),
        "（四）无法提供" + "".join(f"{lab}{run(k)}" for k, lab in LABELS_HEAD[12:15]),
        "（五）不予处理" + "".join(f"{lab}{run(k)}" for k, lab in LABELS_HEAD[15:20]),
        f"（六）其他处理{run('other')}",
        f"（七）总计{run('total')}",
        f"四、结转下年度继续办理{run('carried_forward')}",
    ]
    cases = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉" + "".join(
        str(v) for v in CASE_VALUES
    )
    text = PROSE_19 + TABLE2_19 + HEAD3 + "\n".join(lines) + "\n" + HEAD4 + cases + "\n" + TAIL
    write("concatenated_digits.txt", text, expected(A19, 2019))


def pdf_text() -> None:
    """pdfplumber extract_text style: one character per line, number line before label, wraps."""
    n = {k: " ".join(str(v) for v in A19[k]) for k in A19}
    body = f"""（本列数据的勾稽关系为：第一项加 申请人情况
第二项之和，等于第三项加第四项之和） 法人或其他组织 总计
自然人 商业 科研 社会公益 法律服务 其他
企业 机构 组织 机构
一、本年新收政府信息公开申请 {n['new_received']}
数量
{n['carried_over']}
二、上年结转政府信息公开申请数量
三 （一）予以公开 {n['granted']}
本 （二）部分公开（区分处理
年 的，只计这一情形，不计其 {n['partially_granted']}
度 他情形）
办 （三） 1.属于国家秘密 {n['withheld_state_secret']}
理 不予 2.其他法律行政法规禁止 {n['withheld_prohibited_by_law']}
结 公开 公开
果 3.危及“三安全一稳定” {n['withheld_safety_stability']}
4.保护第三方合法权益 {n['withheld_third_party']}
5.属于三类内部事务信息 {n['withheld_internal_affairs']}
6.属于四类过程性信息 {n['withheld_process_info']}
- 3 -
7.属于行政执法案卷 {n['withheld_enforcement_file']}
8.属于行政查询事项 {n['withheld_administrative_query']}
（四） 1.本机关不掌握相关政府 {n['unable_not_held']}
无法 信息
提供 2.没有现成信息需要另行 {n['unable_needs_creation']}
制作
3.补正后申请内容仍不明确 {n['unable_unclear']}
（五） 1.信访举报投诉类申请 {n['not_processed_petition']}
不予 2.重复申请 {n['not_processed_duplicate']}
处理 3.要求提供公开出版物 {n['not_processed_publication']}
4.无正当理由大量反复申请 {n['not_processed_massive']}
5.要求行政机关确认或重新 {n['not_processed_confirmation']}
出具已获取信息
（六）其他处理 {n['other']}
（七）总计 {n['total']}
四、结转下年度继续办理 {n['carried_forward']}
"""
    cases = (
        "行政复议 行政诉讼\n结 果 维 持 结果 其他 尚未 总 未经复议直接起诉 复议后起诉\n"
        "纠正 结果 审结 计 结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计\n"
        "维持 纠正 结果 审结 维持 纠正 结果 审结\n" + " ".join(str(v) for v in CASE_VALUES) + "\n"
    )
    write("pdf_text.txt", PROSE_19 + HEAD3 + body + HEAD4 + cases + TAIL, expected(A19, 2019))


def page_footers() -> None:
    """Footers ("- 3 -", "第4页") printed inside table 3 and table 4."""
    rows = pipe_rows(A19, False).splitlines()
    rows.insert(9, "- 3 -")
    rows.insert(18, "第4页")
    text = PROSE_19 + HEAD3 + HEADER_PIPES + "\n".join(rows) + "\n" + HEAD4 + CASE_HEADER_PIPES
    text += "— 5 —\n" + " | ".join(str(v) for v in CASE_VALUES) + " |\n" + TAIL
    write("page_footers.txt", text, expected(A19, 2019))


def pipes_truncated() -> None:
    """Cut header cells, uneven trailing pipes and blank-line separators."""
    header = "（本列数据的勾稽关系为 | 申请人 |\n自然人 | 法人或其 | 总计 | | | |\n\n商业企 | 科研机 | 社会公 | 法律服 | 其他 | |\n"
    rows = []
    for i, line in enumerate(pipe_rows(A19, False).splitlines()):
        rows.append(line + " |" * (i % 3))
        if i % 5 == 4:
            rows.append("")
    text = PROSE_19 + TABLE2_19.replace("本年新制作数量", "本年新").replace("本年新公开数量", "本年新")
    text += HEAD3 + header + "\n".join(rows) + "\n" + HEAD4 + CASE_HEADER_PIPES
    text += " | ".join(str(v) for v in CASE_VALUES) + " | | |\n" + TAIL
    write("pipes_truncated.txt", text, expected(A19, 2019))


def edition_2021() -> None:
    """2021 edition with the three （六） rows, tabs as separators."""
    rows = pipe_rows(A21, True).replace(" | ", "\t").replace(" |", "")
    text = PROSE_19 + TABLE2_21 + HEAD3 + HEADER_PIPES + rows + HEAD4 + CASE_HEADER_PIPES
    text += "\t".join(str(v) for v in CASE_VALUES) + "\n" + TAIL
    truth = {k: A21[k] for k, _ in labels(True)}
    write("edition2021_split.txt", text, expected(truth, 2021))


def edition_2021_single() -> None:
    """A 2021 report (2021 table 2) that still prints （六） as one row → ``other``."""
    table = dict(A19)
    text = PROSE_19 + TABLE2_21 + HEAD3 + HEADER_PIPES + pipe_rows(table, False) + HEAD4 + CASE_HEADER_PIPES
    text += " | ".join(str(v) for v in CASE_VALUES) + "\n" + TAIL
    write("edition2021_single_other.txt", text, expected(table, 2021))


def full_width() -> None:
    """Full-width digits and brackets everywhere."""
    wide = str.maketrans("0123456789()", "０１２３４５６７８９（）")
    text = PROSE_19 + HEAD3 + HEADER_PIPES + pipe_rows(A19, False).translate(wide) + HEAD4 + CASE_HEADER_PIPES
    text += " | ".join(str(v) for v in CASE_VALUES).translate(wide) + "\n" + TAIL
    write("full_width.txt", text, expected(A19, 2019))


def placeholders() -> None:
    """'—', '-', '/', '无' for unknown cells: fixed by the rules, else assumed 0."""
    marks = itertools.cycle(["—", "-", "/", "无"])

    def cell(value: int, key: str, index: int) -> str:
        if value == 0 and key.startswith(("withheld", "not_processed_p", "not_processed_m", "other")):
            return next(marks)
        if key == "granted" and index == 6:
            return "—"  # the row total is fixed by the row's cells
        return str(value)

    rows = []
    for key, label in labels(False):
        group = GROUP.get(key)
        cells = ([group] if group else []) + [label] + [cell(v, key, i) for i, v in enumerate(A19[key])]
        rows.append(" | ".join(cells))
    text = PROSE_19 + HEAD3 + HEADER_PIPES + "\n".join(rows) + "\n" + HEAD4 + CASE_HEADER_PIPES
    text += "12 | 3 | 无 | 1 | 16 | — | — | — | — | — | 2 | 0 | 0 | 0 | 2\n" + TAIL
    write("placeholders.txt", text, expected(A19, 2019))


def wrapped_one_cell_per_line() -> None:
    """One cell per line (Word save-as-text) with labels wrapped over 2–3 lines."""
    out = []
    wraps = {
        "new_received": ["一、本年新收政府信息", "公开申请数量"],
        "partially_granted": ["（二）部分公开（区分处理的，", "只计这一情形，不计", "其他情形）"],
        "not_processed_confirmation": ["5.要求行政机关确认", "或重新出具已获取信息"],
        "withheld_prohibited_by_law": ["2.其他法律行政法规", "禁止公开"],
    }
    for key, label in labels(False):
        if GROUP.get(key):
            out.append(GROUP[key])
        out.extend(wraps.get(key, [label]))
        out.extend(str(v) for v in A19[key])
    text = PROSE_19 + HEAD3 + "\n".join(HEADER_PIPES.replace(" | ", "\n").replace(" |", "").split("\n"))
    text += "\n".join(out) + "\n" + HEAD4 + "\n".join(str(v) for v in CASE_VALUES) + "\n" + TAIL
    text = text.replace("\n\n", "\n")
    write("wrapped_labels.txt", text, expected(A19, 2019))


def split_table() -> None:
    """Table 3 broken across pages: the header is repeated before the second part."""
    rows = pipe_rows(A19, False).splitlines()
    text = PROSE_19 + HEAD3 + HEADER_PIPES + "\n".join(rows[:16]) + "\n第 3 页\n" + HEADER_PIPES
    text += "\n".join(rows[16:]) + "\n" + HEAD4 + CASE_HEADER_PIPES + " | ".join(str(v) for v in CASE_VALUES) + "\n"
    write("split_table.txt", text + TAIL, expected(A19, 2019))


def source_errors() -> None:
    """Printed numbers that break rules: kept as printed, the checks fail."""
    table = dict(A19)
    table["granted"] = [10, 1, 0, 0, 0, 0, 11]  # dispositions now exceed （七） by 2
    cases = {
        "review": {"upheld": 2, "corrected": 1, "other": 0, "pending": 0, "total": 0},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    }
    values = [v for block in cases.values() for v in block.values()]
    text = PROSE_19 + HEAD3 + HEADER_PIPES + pipe_rows(table, False) + HEAD4 + CASE_HEADER_PIPES
    text += " | ".join(str(v) for v in values) + "\n" + TAIL
    failed = [
        ["disposition-total", "total", "natural_person"],
        ["disposition-total", "total", "total"],
        ["review-total", "review", "total"],
    ]
    write("source_errors.txt", text, expected(table, 2019, cases=cases, failed_checks=failed))


HTML_HEAD = """<html><head><meta charset="utf-8"><title>某某县某某局2020年政府信息公开工作年度报告</title></head><body>
<p>一、总体情况</p><p>2020年，我局共受理申请24件。</p>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1">
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
"""


def html_blank_total() -> None:
    """HTML: 总计 left blank on disposition rows, &nbsp; for zero."""
    rows = []
    spans = {"granted": 20, "withheld_state_secret": 8, "unable_not_held": 3, "not_processed_petition": 5}
    for key, label in labels(False):
        cells = []
        if key in ("new_received", "carried_over", "carried_forward"):
            cells.append(f'<td colspan="3">{label}</td>')
        elif key in spans and key != "granted":
            cells.append(f'<td rowspan="{spans[key]}">{GROUP[key]}</td><td>{label}</td>')
        elif key == "granted":
            cells.append(f'<td rowspan="{spans[key]}">{GROUP[key]}</td><td colspan="2">{label}</td>')
        elif key in ("partially_granted", "other", "total"):
            cells.append(f'<td colspan="2">{label}</td>')
        else:
            cells.append(f"<td>{label}</td>")
        values = A19[key]
        blank_total = key not in ("new_received", "carried_over", "total", "carried_forward")
        for i, v in enumerate(values):
            shown = "" if (i == 6 and blank_total) else ("&nbsp;" if v == 0 else str(v))
            cells.append(f"<td>{shown}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cases = "".join(f"<td>{'&nbsp;' if v == 0 else v}</td>" for v in CASE_VALUES)
    text = HTML_HEAD + "\n".join(rows) + "\n</table>\n<p>四、政府信息公开行政复议、行政诉讼情况</p>\n<table border='1'>"
    text += "<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
    text += "<tr><td rowspan='2'>结果维持</td><td rowspan='2'>结果纠正</td><td rowspan='2'>其他结果</td>"
    text += "<td rowspan='2'>尚未审结</td><td rowspan='2'>总计</td><td colspan='5'>未经复议直接起诉</td>"
    text += "<td colspan='5'>复议后起诉</td></tr><tr>"
    text += "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2
    text += "</tr>\n<tr>" + cases + "</tr></table>\n"
    text += "<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>\n"
    write("html_blank_total.html", text, expected(A19, 2019))


if __name__ == "__main__":
    for make in (
        concatenated,
        pdf_text,
        page_footers,
        pipes_truncated,
        edition_2021,
        edition_2021_single,
        full_width,
        placeholders,
        wrapped_one_cell_per_line,
        split_table,
        source_errors,
        html_blank_total,
    ):
        make()

"""HTML, DOCX and PDF renderings of a corpus report.

- HTML: a government web page (navigation, breadcrumbs, scripts, a layout table
  around the article, footer), table 3 with rowspan/colspan, optional GBK.
- DOCX: python-docx tables with merged cells; table 3 split in two (a page
  break in Word, sometimes a repeated header).
- PDF: the HTML printed by headless Chromium with narrow label columns, so
  labels wrap inside cells and table 3 breaks across pages.
"""

from __future__ import annotations

import html
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from render_text import HEADER3_NOTE, ORG, OUTCOME_WORDS, closing, prose

if TYPE_CHECKING:
    from make_corpus import Report

CHROMIUM = "/usr/bin/chromium"
PAGE_HEAD = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}</title><script type="text/javascript">var _hmt = _hmt || []; (function() {{ var n = 2024; }})();
document.write("<span>访问量 123456</span>");</script><style>{style}</style></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/bsfw">办事服务</a> <a href="/hdjl">互动交流</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政府信息公开</a> &gt; 政府信息公开年报</div>
<table class="frame" width="100%"><tr><td class="side" width="180"><ul><li>机构职能</li><li>政策文件</li>
<li>2023年度报告</li></ul></td><td class="main">"""
PAGE_TAIL = """</td></tr></table><div class="footer"><p>主办单位：{site} 网站标识码：3201000012
备案号：苏ICP备05001234号-1 公安机关备案号 32010202010001</p><p>联系电话：025-12345678</p></div>
<script>function share(){{return 0;}}</script></body></html>"""
SCREEN_STYLE = "table{border-collapse:collapse} td{border:1px solid #999}"
PRINT_STYLE = (
    "@media print{} body{font-family:'Noto Sans CJK SC';font-size:13px} .nav,.crumb,.side,.footer{display:none}"
    " table.grid{border-collapse:collapse;width:100%} table.grid td{border:1px solid #000;padding:3px 2px;"
    "text-align:center;font-size:12px} td.lab{width:90px;text-align:left} td.grp{width:34px}"
    " thead{display:table-header-group} tr{break-inside:avoid}"
    " .runfoot{position:fixed;bottom:0;left:0;right:0;text-align:center;font-size:11px}"
)


def _td(text: str, **attrs: int | str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<td{extra}>{html.escape(text) if text else '&nbsp;'}</td>"


def table3_html(report: Report) -> str:
    """Table 3 with the official spans; groups as rowspan cells."""
    head = (
        f"<tr>{_td(HEADER3_NOTE, colspan=3, rowspan=3, **{'class': 'lab'})}{_td('申请人情况', colspan=7)}</tr>"
        f"<tr>{_td('自然人', rowspan=2)}{_td('法人或其他组织', colspan=5)}{_td('总计', rowspan=2)}</tr>"
        f"<tr>{''.join(_td(w) for w in ORG)}</tr>"
    )
    grid = report.grid()
    spans = _group_spans([key for key, _ in report.grid_keys()])
    body = []
    for (key, _), (group, label, cells) in zip(report.grid_keys(), grid, strict=True):
        lead = ""
        if key == "granted":
            lead += _td("三、本年度办理结果", rowspan=spans["granted"], **{"class": "grp"})
        if group and key != "granted":
            lead += _td(group, rowspan=spans[key], **{"class": "grp"})
        width = (
            3 if key in ("new_received", "carried_over", "carried_forward") else (1 if _in_group(key) else 2)
        )
        values = "".join(_td(c) for c in cells)
        body.append(f"<tr>{lead}{_td(label, colspan=width, **{'class': 'lab'})}{values}</tr>")
    return f'<table class="grid" border="1"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'


def _in_group(key: str) -> bool:
    return key.startswith(("withheld_", "unable_", "not_processed_", "other_"))


def _group_spans(keys: list[str]) -> dict[str, int]:
    """rowspan of each group's first row, and of 三、本年度办理结果 (keyed by its first row)."""
    out = {}
    for first, prefix in (
        ("withheld_state_secret", "withheld_"),
        ("unable_not_held", "unable_"),
        ("not_processed_petition", "not_processed_"),
        ("other_overdue_correction", "other_"),
    ):
        if first in keys:
            out[first] = sum(1 for k in keys if k.startswith(prefix))
    out["granted"] = keys.index("total") - keys.index("granted") + 1
    return out  # fmt: skip


def table4_html(report: Report) -> str:
    """Table 4 with its two header rows of spans and one row of 15 cells."""
    values = report.case_cells()
    return (
        '<table class="grid" border="1">'
        f"<tr>{_td('行政复议', colspan=5)}{_td('行政诉讼', colspan=10)}</tr>"
        f"<tr>{''.join(_td(w, rowspan=2) for w in OUTCOME_WORDS)}{_td('未经复议直接起诉', colspan=5)}"
        f"{_td('复议后起诉', colspan=5)}</tr><tr>{''.join(_td(w) for w in OUTCOME_WORDS * 2)}</tr>"
        f"<tr>{''.join(_td(v) for v in values)}</tr></table>"
    )


def table2_html(report: Report) -> str:
    """Table 2 as one grid of item rows, header rows and value rows."""
    rows = []
    for item, columns, items in report.table2:
        rows.append(f"<tr>{_td(item, colspan=4)}</tr>")
        rows.append(f"<tr>{''.join(_td(c) for c in ['信息内容', *columns])}</tr>")
        rows += [f"<tr>{''.join(_td(c) for c in [label, *cells])}</tr>" for label, cells in items]
    return f'<table class="grid" border="1">{"".join(rows)}</table>'


def report_html(report: Report, charset: str, style: str) -> str:
    """The whole web page."""
    h = report.headings
    paragraphs = [f"<p>{html.escape(p)}</p>" for p in prose(report)[1:]]
    article = (
        f"<h1>{html.escape(report.title)}</h1><p>发布日期：{report.year + 1}-01-20 浏览次数：2381</p>"
        + "".join(paragraphs)
        + table2_html(report)
        + f"<p>{h[2]}</p>"
        + table3_html(report)
        + f"<p>{h[3]}</p>"
        + table4_html(report)
        + "".join(f"<p>{html.escape(p)}</p>" for p in closing(report))
    )
    title = f"{report.title}_{report.site}"
    if report.running_footer and "print" in style:
        article += f'<div class="runfoot">{html.escape(report.running_footer)}</div>'
    return (
        PAGE_HEAD.format(charset=charset, title=title, style=style)
        + article
        + PAGE_TAIL.format(site=report.site)
    )


def write_html(report: Report, path: Path) -> None:
    """Write the web page in the report's charset."""
    charset = report.charset
    text = report_html(report, charset, SCREEN_STYLE)
    path.write_bytes(text.encode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset))


def write_pdf(report: Report, path: Path) -> None:
    """Print the page with Chromium (narrow columns, header repeated on each page)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(report_html(report, "utf-8", PRINT_STYLE), encoding="utf-8")
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--print-to-pdf={path}", source.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def write_docx(report: Report, path: Path) -> None:
    """Word document: paragraphs, table 2, table 3 in two parts with merged cells, table 4."""
    import docx

    document = docx.Document()
    for text in prose(report):
        document.add_paragraph(text)
    _docx_table2(document, report)
    document.add_paragraph(report.headings[2])
    grid = report.grid()
    cut = report.docx_cut
    _docx_table3(document, report, 0, cut, header=True)
    document.add_paragraph("")
    _docx_table3(document, report, cut, len(grid), header=report.repeat_header)
    document.add_paragraph(report.headings[3])
    _docx_table4(document, report)
    for text in closing(report):
        document.add_paragraph(text)
    document.core_properties.title = ""
    document.core_properties.created = document.core_properties.modified = report.created
    document.save(str(path))


def _docx_table2(document, report: Report) -> None:  # type: ignore[no-untyped-def]
    rows = [[item] for item, _, _ in report.table2]
    table = document.add_table(rows=0, cols=4)
    for item, columns, items in report.table2:
        cells = table.add_row().cells
        cells[0].text = item
        cells[0].merge(cells[3])
        for row in (["信息内容", *columns], *([label, *values] for label, values in items)):
            cells = table.add_row().cells
            for i, text in enumerate(row):
                cells[i].text = text
    del rows


def _docx_table3(document, report: Report, start: int, stop: int, header: bool) -> None:  # type: ignore[no-untyped-def]
    keys = [k for k, _ in report.grid_keys()][start:stop]
    grid = report.grid()[start:stop]
    table = document.add_table(rows=(3 if header else 0) + len(keys), cols=10)
    table.style = "Table Grid"
    offset = 0
    if header:
        _docx_header3(table)
        offset = 3
    for r, (key, (group, label, cells)) in enumerate(zip(keys, grid, strict=True)):
        row = table.rows[offset + r].cells
        if key in ("new_received", "carried_over", "carried_forward"):
            row[0].text = label
            row[0].merge(row[2])
        elif _in_group(key):
            row[1].text = group or ""
            row[2].text = label
        else:
            row[1].text = label
            row[1].merge(row[2])
        if key == "granted":
            row[0].text = "三、本年度办理结果"
        for i, value in enumerate(cells):
            row[3 + i].text = value
    _docx_merge_groups(table, keys, offset)


def _docx_header3(table) -> None:  # type: ignore[no-untyped-def]
    rows = table.rows
    rows[0].cells[0].text = HEADER3_NOTE
    rows[0].cells[0].merge(rows[2].cells[2])
    rows[0].cells[3].text = "申请人情况"
    rows[0].cells[3].merge(rows[0].cells[9])
    rows[1].cells[3].text = "自然人"
    rows[1].cells[3].merge(rows[2].cells[3])
    rows[1].cells[4].text = "法人或其他组织"
    rows[1].cells[4].merge(rows[1].cells[8])
    rows[1].cells[9].text = "总计"
    rows[1].cells[9].merge(rows[2].cells[9])
    for i, word in enumerate(ORG):
        rows[2].cells[4 + i].text = word


def _docx_merge_groups(table, keys: list[str], offset: int) -> None:  # type: ignore[no-untyped-def]
    """Merge each group cell down over its rows, and 三、本年度办理结果 over the dispositions."""
    first = {}
    for r, key in enumerate(keys):
        prefix = key.split("_")[0] if _in_group(key) else None
        if prefix:
            first.setdefault(prefix, r)
            if r != first[prefix]:
                text = table.rows[offset + first[prefix]].cells[1].text
                table.rows[offset + r].cells[1].text = ""
                table.rows[offset + first[prefix]].cells[1].merge(table.rows[offset + r].cells[1])
                table.rows[offset + first[prefix]].cells[1].text = text


def _docx_table4(document, report: Report) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=4, cols=15)
    table.style = "Table Grid"
    rows = table.rows
    rows[0].cells[0].text = "行政复议"
    rows[0].cells[0].merge(rows[0].cells[4])
    rows[0].cells[5].text = "行政诉讼"
    rows[0].cells[5].merge(rows[0].cells[14])
    for i, word in enumerate(OUTCOME_WORDS):
        rows[1].cells[i].text = word
        rows[1].cells[i].merge(rows[2].cells[i])
    rows[1].cells[5].text = "未经复议直接起诉"
    rows[1].cells[5].merge(rows[1].cells[9])
    rows[1].cells[10].text = "复议后起诉"
    rows[1].cells[10].merge(rows[1].cells[14])
    for i, word in enumerate(OUTCOME_WORDS * 2):
        rows[2].cells[5 + i].text = word
    for i, value in enumerate(report.case_cells()):
        rows[3].cells[i].text = value

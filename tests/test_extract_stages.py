"""One stage at a time: normalisation, tokens, label matching, decoding, errors."""

from __future__ import annotations

import pytest

from gip_data.errors import NotAReportError, UnreadableTableError
from gip_data.extract.candidates import split_runs
from gip_data.extract.labels import fuzzy_contains, match_application_rows
from gip_data.extract.normalize import enumerator, label_core, parse_number
from gip_data.extract.tables import extract_tables
from gip_data.extract.tokens import cell_to_tokens, document_to_tokens, is_footer
from gip_data.readers.document import Document, Line
from gip_data.schema.template import APPLICATION_ROW_SUMS, application_rows


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
        ("(三)不予 公开", "不予公开"),
        ("1、属于國家秘密", "属于国家秘密"),
        ("（1）本机关不掌握相关政府信息", "本机关不掌握相关政府信息"),
        ("计这一情形，不计其他情形）", ""),  # the wrapped tail of a note
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
    ],
)
def test_label_core(text: str, core: str) -> None:
    assert label_core(text) == core


@pytest.mark.parametrize(
    ("text", "value"),
    [("１２３", 123), ("1,234", 1234), ("+164", 164), ("-257", -257), ("16359.26412(万元)", 16359.26412),
     ("251000元", 251000), ("—", None), ("无", None)],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_enumerators_are_unified() -> None:
    assert enumerator("1、重复申请") == enumerator("1.重复申请") == enumerator("（1）重复申请") == "1."
    assert enumerator("（三）不予公开") == "(三)" and enumerator("三、本年度办理结果") == "三、"


def test_a_run_into_the_next_sub_item_keeps_its_enumerator() -> None:
    tokens = cell_to_tokens("1.本机关不掌握相关政府信息1100001122.没有现成信息需要另行制作", 0)
    assert [(t.kind, t.text) for t in tokens] == [
        ("label", "1.本机关不掌握相关政府信息"),
        ("number", "110000112"),
        ("label", "2.没有现成信息需要另行制作"),
    ]


def test_prose_numbers_are_not_cells() -> None:
    assert [t.kind for t in cell_to_tokens("2020年，共受理16件", 0)] == ["label"]


@pytest.mark.parametrize(("text", "footer"), [("- 3 -", True), ("— 12 —", True), ("第3页", True), ("3/12", True),
                                              ("3", False), ("0 0 0", False)])
def test_footers(text: str, footer: bool) -> None:
    assert is_footer(text) is footer


def test_split_runs_respects_the_row_total() -> None:
    assert list(split_runs(["211001023"], 7, APPLICATION_ROW_SUMS)) == [[21, 1, 0, 0, 1, 0, 23]]


def test_a_typo_label_still_matches_in_order() -> None:
    assert fuzzy_contains("其他法律行政法规禁公开", label_core("2.其他法律行政法规禁止公开"))
    lines = [Line([label, "0"]) for _, label in _labels()]
    lines[5] = Line(["2.其他法律行政法规禁公开", "0"])  # a dropped character
    matches = match_application_rows(document_to_tokens(Document("txt", lines)))
    assert [m.key for m in matches] == [k for k, _ in _labels()]
    assert matches[5].how == "fuzzy"


def _labels() -> list[tuple[str, str]]:
    return [(r.key, r.label) for r in application_rows(False)]


def _pipes(table: dict[str, list[int] | str]) -> Document:
    lines = [Line(["三、收到和处理政府信息公开申请情况"])]
    for key, label in _labels():
        value = table.get(key, [0] * 7)
        cells = value.split() if isinstance(value, str) else [str(v) for v in value]
        lines.append(Line([label, *cells]))
    return Document("txt", lines)


def test_a_lost_cell_whose_place_is_not_determined_stays_null() -> None:
    # Two rows lost a zero each; 1 0 0 0 0 1 fits [1,0,…] and [0,1,…] alike, and
    # the column sums only fix the pair, not which row is which.
    doc = _pipes(
        {
            "new_received": [2, 1, 0, 0, 0, 0, 3],
            "granted": [1, 0, 0, 0, 0, 0, 1],
            "withheld_third_party": "1 0 0 0 0 1",
            "not_processed_duplicate": "1 0 0 0 0 1",
            "total": [2, 1, 0, 0, 0, 0, 3],
        }
    )
    tables = extract_tables(doc)
    assert tables.applications["withheld_third_party"] is None
    assert tables.applications["not_processed_duplicate"] is None
    assert any("多种读法" in w for w in tables.warnings)
    assert tables.applications["granted"] == [1, 0, 0, 0, 0, 0, 1]


def test_a_lost_cell_fixed_by_the_columns_is_a_repair() -> None:
    doc = _pipes(
        {
            "new_received": [2, 1, 0, 0, 0, 0, 3],
            "granted": [2, 0, 0, 0, 0, 0, 2],
            "not_processed_duplicate": "1 0 0 0 0 1",
            "total": [2, 1, 0, 0, 0, 0, 3],
        }
    )
    tables = extract_tables(doc)
    assert tables.applications["not_processed_duplicate"] == [0, 1, 0, 0, 0, 0, 1]
    assert [(r.row, r.column, r.value) for r in tables.repairs] == [("not_processed_duplicate", "natural_person", 0)]


def test_prose_is_not_a_report() -> None:
    with pytest.raises(NotAReportError):
        extract_tables(Document("txt", [Line(["关于召开会议的通知"]), Line(["请各单位于2021年3月5日参加。"])]))


def test_labels_without_numbers_are_unreadable() -> None:
    doc = Document("txt", [Line([label]) for _, label in _labels()])
    with pytest.raises(UnreadableTableError):
        extract_tables(doc)

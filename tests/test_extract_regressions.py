"""One named test per extractor bug the adversarial corpus (tests/data/corpus) or the property tests found."""

from __future__ import annotations

import pytest

from gip_data.extract.candidates import Candidate
from gip_data.extract.decode import decode_rows
from gip_data.extract.labels import SPLIT_KEYS, match_application_rows
from gip_data.extract.proactive import extract_proactive
from gip_data.extract.tables import ExtractedTables, extract_tables
from gip_data.extract.tokens import document_to_tokens, row_to_tokens
from gip_data.readers.document import Document, Line, Table
from gip_data.readers.registry import read_document
from gip_data.schema.template import application_rows
from gip_data.validate.constraints import Constraint
from tests.data.layouts.make_layouts import A21, LABELS_HEAD, LABELS_SPLIT, LABELS_TAIL
from tests.data.textlayouts.render import Blocks, markdown_text


def test_placeholder_only_grid_row_keeps_seven_unknown_cells() -> None:
    """c14: a grid row holding only '/' and blanks is a row of unknowns, not a header."""
    tokens = row_to_tokens(["", "", "7.属于行政执法案卷", "", "", "", "/", "", "", ""], 0, grid=True)
    assert [t.kind for t in tokens] == ["label"] + ["unknown"] * 7


OTHER_UNPAID = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"


@pytest.mark.parametrize(
    "other_rows",
    [
        [  # c07, pdftotext -layout: "其他" beside the first sub-row's wrapped label
            ["（六）", "1.申请人无正当理由逾"],
            ["其他", "期不补正、行政机关不再", *"3000003"],
            ["处理", "处理其政府信息公开申请"],
            [OTHER_UNPAID, *"0000000"],
        ],
        [  # c20, Chromium PDF: "其他处" between the pieces of the second sub-row
            ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", *"3000003"],
            ["（六）"],
            [OTHER_UNPAID[:7]],
            ["其他处"],
            [OTHER_UNPAID[7:15], *"0000000"],
            ["理"],
            [OTHER_UNPAID[15:]],
        ],
    ],
    ids=["beside-first-sub-row", "inside-second-sub-row"],
)
def test_group_cell_piece_is_not_the_other_sub_row(other_rows: list[list[str]]) -> None:
    """A piece of the merged （六）其他处理 cell never stands for "3.其他" (nor skips a row to it)."""
    lines = [[label, *(str(v) for v in A21[key])] for key, label in LABELS_HEAD]
    lines += [*other_rows, ["3.其他", *"1000001"]]
    lines += [[label, *(str(v) for v in A21[key])] for key, label in LABELS_TAIL]
    doc = Document(format="txt", blocks=[Line(cells) for cells in lines])
    matches = match_application_rows(document_to_tokens(doc))
    assert [m.text for m in matches if m.key == "other_misc"] == ["3.其他"]
    assert extract_tables(doc).applications == A21


def test_number_line_before_the_first_label_is_kept() -> None:
    """c34: pdfplumber puts a wrapped row's numbers above its label, even for 一、本年新收."""
    first = LABELS_HEAD[0][1]
    blocks = [Line(["三、收到和处理政府信息公开申请情况"]), Line([str(v) for v in A21["new_received"]])]
    blocks += [Line([first[:12]]), Line([first[12:]])]
    for key, label in LABELS_HEAD[1:] + LABELS_SPLIT + LABELS_TAIL:
        blocks.append(Line([label, *(str(v) for v in A21[key])]))
    tables = extract_tables(Document(format="txt", blocks=blocks))
    assert tables.applications == A21
    assert not tables.repairs, "read as printed, not rebuilt from the balance"


def test_readings_that_fill_to_the_same_row_are_one_answer() -> None:
    """c33: a lost cell placed before or after a '/' fills to the same row: decided, not ambiguous."""
    rule = Constraint("sum", 3, "r", "total", (("r", "total"),), (("r", "a"), ("r", "b"), ("r", "c")))
    fixed = Constraint("pin", 3, "r", "b", (("r", "b"),), (("p", "b"),))
    rows = {
        "r": [Candidate((5, None, None, 5), "inserted"), Candidate((5, None, 0, None), "inserted")],
        "p": [Candidate((0, 0, 0, 0), "printed")],
    }
    columns = {"a": 0, "b": 1, "c": 2, "total": 3}
    decoded = decode_rows(rows, [rule, fixed], lambda cell: (cell[0], columns[cell[1]]))
    assert decoded.values["r"] == [5, 0, 0, 5]
    assert not decoded.warnings


def test_table2_edition_read_past_a_spanned_item_row() -> None:
    """c08: an HTML item row "第二十条第（一）项" spans 4 columns; its blank cells hide the 2021 header."""
    grid = Table(
        [
            ["第二十条第（一）项", "", "", ""],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "0"],
            ["行政规范性文件", "3", "1", "20"],
        ]
    )
    tokens = document_to_tokens(Document(format="html", blocks=[grid]))
    assert extract_proactive(tokens, len(tokens)).edition == 2021


def _converted(split: bool, table: dict[str, list[int]], pushed: set[str]) -> ExtractedTables:
    """Converter markdown of ``table`` with the labels of ``pushed`` printed before the table."""
    rows = [(r.key, r.label) for r in application_rows(split) if r.key in table]
    text = markdown_text(rows, table, [0] * 15, Blocks(pushed=pushed))
    return extract_tables(read_document(text.encode("utf-8"), "converted.md"))


def _zeros(split: bool) -> dict[str, list[int]]:
    return {r.key: [0] * 7 for r in application_rows(split)}


def test_three_unlabeled_value_rows_in_place_of_the_other_row_are_the_2021_sub_rows() -> None:
    """Hypothesis (converter markdown): the labels of both layouts tie, the three value rows decide."""
    tables = _converted(True, _zeros(True), set(SPLIT_KEYS))
    assert tables.template == 2021 and tables.applications == _zeros(True)
    assert not tables.warnings


def test_one_unlabeled_value_row_in_place_of_the_other_row_is_the_2019_row() -> None:
    table = _zeros(False)
    table["other"] = [2, 0, 0, 0, 0, 0, 2]
    table["total"] = table["new_received"] = [2, 0, 0, 0, 0, 0, 2]
    tables = _converted(False, table, {"other"})
    assert tables.template == 2019 and tables.applications == table


def test_fewer_unlabeled_value_rows_than_unlabeled_rows_are_never_placed_by_guess() -> None:
    """Two value rows where three sub-rows have no label: which two printed is unknown."""
    table = _zeros(True)
    table["other_overdue_correction"] = [1, 0, 0, 0, 0, 0, 1]
    table["total"] = table["new_received"] = [1, 0, 0, 0, 0, 0, 1]
    del table["other_misc"]  # not printed at all
    tables = _converted(True, table, set(SPLIT_KEYS))
    assert all(tables.applications[key] is None for key in SPLIT_KEYS)
    assert sum("无法确定属于哪一行" in w for w in tables.warnings) == 3
    assert all(tables.applications[k] == v for k, v in table.items() if k not in SPLIT_KEYS)


@pytest.mark.parametrize("group_on_its_own_line", [True, False])
def test_the_group_label_alone_over_three_value_rows_is_not_the_2019_row(group_on_its_own_line: bool) -> None:
    """（六）其他处理 printed (the 2019 row's label, the 2021 group's) but no sub-row label: the values decide."""
    table = _zeros(True)
    table["other_overdue_correction"] = [3, 0, 0, 0, 0, 0, 3]
    table["other_misc"] = [1, 0, 0, 0, 0, 0, 1]
    table["total"] = table["new_received"] = [4, 0, 0, 0, 0, 0, 4]
    lines = ["# 三、收到和处理政府信息公开申请情况", "", "| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |", "|---|---|---|---|---|---|---|"]
    for row in application_rows(True):
        cells = [str(v) for v in table[row.key]]
        if row.key == "other_overdue_correction":
            lines += ["| （六）其他处理 |" + " |" * 7] if group_on_its_own_line else []
            cells = cells if group_on_its_own_line else ["（六）其他处理", *cells]
        elif row.key not in SPLIT_KEYS:
            cells = [row.label, *cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "# 四、政府信息公开行政复议、行政诉讼情况", "| " + " | ".join(["0"] * 15) + " |", "", "# 五、存在的主要问题"]
    tables = extract_tables(read_document("\n".join(lines).encode("utf-8"), "converted.md"))
    assert tables.template == 2021 and tables.applications == table

"""One named test per extractor bug the adversarial corpus found (tests/data/corpus)."""

from __future__ import annotations

import pytest

from gip_data.extract.candidates import Candidate
from gip_data.extract.decode import decode_rows
from gip_data.extract.labels import match_application_rows
from gip_data.extract.proactive import extract_proactive
from gip_data.extract.tables import extract_tables
from gip_data.extract.tokens import document_to_tokens, row_to_tokens
from gip_data.readers.document import Document, Line, Table
from gip_data.validate.constraints import Constraint
from tests.data.layouts.make_layouts import A21, LABELS_HEAD, LABELS_SPLIT, LABELS_TAIL


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

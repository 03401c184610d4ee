"""Decoding a table jointly: spaces as hints, lost cells, splits only the totals decide, bounds.

Readings of one row (candidates) carry a cost; the decoder keeps the cheapest
readings that make the whole table consistent, over rows, columns and totals
at once. Real ambiguity leaves a row null with a warning, and so does a search
that hits its bound; a printed number is never changed.
"""

from __future__ import annotations

import pytest

from gip_data.errors import NotAReportError
from gip_data.extract import candidates, joint
from gip_data.extract.candidates import row_readings
from gip_data.extract.labels import match_application_rows
from gip_data.extract.tables import extract_tables
from gip_data.extract.tokens import cell_to_tokens, document_to_tokens, row_to_tokens, split_enumerated
from gip_data.readers.document import Document, Line
from gip_data.schema.template import APPLICATION_ROW_SUMS, CASE_ROW_SUMS
from gip_data.validate.rules import check_tables
from tests.data.layouts.make_layouts import A21, LABELS_HEAD, LABELS_SPLIT, LABELS_TAIL

ROWS = LABELS_HEAD + LABELS_SPLIT + LABELS_TAIL


def readings(text: str, width: int = 7) -> list[tuple[tuple[int | None, ...], str, float]]:
    sums = APPLICATION_ROW_SUMS if width == 7 else CASE_ROW_SUMS
    found = row_readings([t for t in cell_to_tokens(text, 0) if t.kind != "label"], width, sums)
    assert found.complete
    return [(c.values, c.kind, c.cost) for c in found.candidates]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("10 0 0 012", (1, 0, 0, 0, 0, 1, 2)),  # spaces are hints: "10" and "012" are cut
        ("2 00 00 0 2", (2, 0, 0, 0, 0, 0, 2)),  # "00" is never one number
        ("473267185172381701305", (473, 267, 185, 172, 38, 170, 1305)),
    ],
)
def test_digits_are_cut_where_the_row_sum_says(text: str, values: tuple[int, ...]) -> None:
    assert readings(text)[0][:2] == (values, "split")


def test_a_row_short_of_a_cell_restores_it_at_a_cost() -> None:
    assert readings("0 00000") == [((0,) * 7, "inserted", candidates.LOST_COST)]


def test_a_row_with_more_tokens_than_cells_reads_across_a_space() -> None:
    assert ((12, 0, 0, 0, 0, 0, 12), "split", 2 * candidates.CROSS_COST) in readings("1 2 0 0 0 0 0 1 2")


def test_a_row_printed_with_its_cells_is_read_as_printed() -> None:
    assert readings("13 6 2 0 4 0 25") == [((13, 6, 2, 0, 4, 0, 25), "printed", 0.0)]


def test_table4_blocks_prune_the_cuts() -> None:
    assert readings("0 0 00 0 0 00 0 00 0 0 00", 15) == [((0,) * 15, "split", 0.0)]
    assert readings("1200112405", 15) == []  # ten digits cannot make fifteen cells
    assert readings("12301160000020002", 15)[0][0] == (12, 3, 0, 1, 16, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2)


def test_a_row_of_as_many_digits_as_cells_is_kept_as_printed_when_its_sum_breaks() -> None:
    """"3000000": the reporter filled 自然人 and left 总计 0. No cut fits the row sum, but one digit per cell is
    the only reading with every cell present, so it stands as printed (the checks flag the sum), never null."""
    assert readings("3000000") == [((3, 0, 0, 0, 0, 0, 0), "split", 0.0)]
    assert readings("3 000000") == [((3, 0, 0, 0, 0, 0, 0), "split", 0.0)]
    assert readings("30000000") == []  # eight digits for seven cells: which two belong together is unknown


def test_a_table_whose_printed_total_breaks_keeps_its_numbers_and_fails_its_check() -> None:
    table = {k: list(v) for k, v in A21.items()}
    table["granted"] = [9, 1, 0, 0, 0, 0, 9]  # printed 9100009: one more 自然人 case, 总计 not updated
    tables = extract_tables(_document(_printed(table)))
    assert tables.applications["granted"] == [9, 1, 0, 0, 0, 0, 9]
    assert not [w for w in tables.warnings if w.startswith("（一）予以公开")]
    failed = [c for c in check_tables(tables) if not c.holds]
    assert any(c.code == "row-total" and c.row == "granted" for c in failed)


def _document(printed: dict[str, str]) -> Document:
    lines = [Line(["三、收到和处理政府信息公开申请情况"])]
    for key, label in ROWS:
        lines.append(Line([label + printed.get(key, "".join(map(str, A21[key])))]))
    return Document(format="txt", blocks=lines)


def _with_leaves(changes: dict[str, list[int]]) -> dict[str, list[int]]:
    """A21 with some disposition rows changed; (七) and 一 follow so every rule still holds."""
    table = {k: list(v) for k, v in A21.items()}
    for key, values in changes.items():
        delta = [a - b for a, b in zip(values, table[key], strict=True)]
        table[key] = values
        for row in ("total", "new_received"):
            table[row] = [a + d for a, d in zip(table[row], delta, strict=True)]
    return table


def _printed(table: dict[str, list[int]]) -> dict[str, str]:
    return {k: "".join(map(str, v)) for k, v in table.items()}


def test_two_rows_each_with_two_splits_are_settled_by_the_column_totals() -> None:
    """"191000020" also reads 1/9/10/0/0/0/20 and "110000112" 1/10/0/0/0/1/12: the columns decide both."""
    table = _with_leaves({"granted": [19, 1, 0, 0, 0, 0, 20], "unable_not_held": [11, 0, 0, 0, 0, 1, 12]})
    tables = extract_tables(_document(_printed(table)))
    assert tables.applications == table
    assert not [w for w in tables.warnings if not w.startswith("未找到表四")]


def test_splits_that_swap_between_rows_are_left_null() -> None:
    """Two rows that could trade their readings and keep every sum: undecidable, never a guess."""
    table = _with_leaves({"withheld_third_party": [1, 9, 10, 0, 0, 0, 20], "not_processed_duplicate": [19, 1, 0, 0, 0, 0, 20]})
    tables = extract_tables(_document(_printed(table)))
    assert tables.applications["withheld_third_party"] is None
    assert tables.applications["not_processed_duplicate"] is None
    assert any(w.startswith("4.保护第三方合法权益") and "无法确定" in w for w in tables.warnings)
    assert tables.applications["granted"] == A21["granted"]


def test_a_search_that_hits_its_bound_leaves_the_rows_null(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(joint, "MAX_EDGES", 0)
    tables = extract_tables(_document({"withheld_third_party": " 1 0 0 0 0 1"}))  # lost a cell: several readings
    assert tables.applications["withheld_third_party"] is None
    assert any("超出搜索上限" in w for w in tables.warnings)


def test_a_row_whose_readings_exceed_the_bound_is_null(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "MAX_NODES", 5)
    tables = extract_tables(_document({"granted": "1234567891011121314"}))
    assert tables.applications["granted"] is None
    assert any(w.startswith("（一）予以公开") for w in tables.warnings)


def test_a_generic_header_row_is_not_numbers() -> None:
    tokens = row_to_tokens(["数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "数据7"], 0, grid=False)
    assert [t.kind for t in tokens] == ["label"] * 7 and all(t.header for t in tokens)


def test_labels_run_together_are_cut_at_their_list_markers() -> None:
    assert split_enumerated("三、本年度办理结果(一)予以公开") == ["三、本年度办理结果", "(一)予以公开"]
    assert split_enumerated("第二十条第(一)项") == ["第二十条第(一)项"]
    texts = [t.text for t in cell_to_tokens("缴纳费用、行政机关不再处理其政府信息公开申请3.其他（七）总计5000005", 0)]
    assert texts == ["缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "(七)总计", "5000005"]


def test_prose_that_names_a_row_is_not_its_label() -> None:
    """A sentence before the table that mentions 部分公开 does not capture the row."""
    prose = "（二）依申请公开方面全年收到申请12件，其中予以公开及部分公开9件，不予公开1件，无法提供2件。" * 3
    lines = [Line([prose]), Line(["三、收到和处理政府信息公开申请情况"])]
    lines += [Line([label, *map(str, A21[key])]) for key, label in ROWS]
    matches = match_application_rows(document_to_tokens(Document(format="txt", blocks=lines)))
    assert [m.key for m in matches] == [k for k, _ in ROWS]
    assert matches[3].text.startswith("(二)部分公开")


def test_a_short_table_under_its_heading_is_still_a_table() -> None:
    """With table 3's heading, a few recognised rows are enough; without it, list items in prose are not."""
    rows = [Line([label, *map(str, A21[key])]) for key, label in ROWS[:4]]
    heading = Line(["三、收到和处理政府信息公开申请情况"])
    tables = extract_tables(Document(format="txt", blocks=[heading, *rows]))
    assert tables.applications["granted"] == A21["granted"]
    guide = Line(["根据下列情形分别作出答复：1.予以公开；2.部分公开；3.不予公开；4.本机关不掌握相关政府信息的，告知申请人。"])
    with pytest.raises(NotAReportError):
        extract_tables(Document(format="txt", blocks=[guide, Line(["予以公开", "免费", "0"])]))

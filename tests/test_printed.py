"""The printed layout (row tree from the template), the marks of each cell, the rules in words, the grids."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

from gip_data.corrections import apply_cells
from gip_data.frames import records_to_wide
from gip_data.layout import (
    cell_label,
    cell_values,
    group_parents,
    parse_address,
    table3_layout,
    table4_layout,
)
from gip_data.parse import parse_file
from gip_data.review import problems
from gip_data.review_queue import review_queue, staff_work
from gip_data.schema.record import CellRef, Repair
from gip_data.schema.template import ALL_APPLICATION_ROWS, OTHER_SPLIT_ROWS, application_rows
from gip_data.ui.printed import (
    MARK_STYLES,
    Mark,
    cell_views,
    display_grid,
    editor_grid,
    failing_rules,
    proactive_frames,
    styled,
    values_of,
)
from tests.paths import SEEDS, TRACE
from tests.strategies import make_report, with_provenance


def test_groups_nest_by_print_order() -> None:
    for split in (False, True):
        parents = group_parents(application_rows(split))
        results = application_rows(split)[2].group  # （一）予以公开's group: 三、本年度办理结果
        assert results is not None
        nested = {row.group for row in application_rows(split) if row.group and row.group != results}
        assert nested and all(parents[g] == results for g in nested)
        assert results not in parents
    rows = table3_layout(True)
    assert [r.key for r in rows] == [r.key for r in application_rows(True)]
    first = next(r for r in rows if r.key == OTHER_SPLIT_ROWS[0].key)
    assert first.path == (results, OTHER_SPLIT_ROWS[0].group) and first.opens == (False, True)
    assert [(r.label, r.path) for r in table4_layout()][1:] == [("未经复议直接起诉", ("行政诉讼",)), ("复议后起诉", ("行政诉讼",))]


def test_cell_addresses_and_labels() -> None:
    assert parse_address("3:granted:total") == (3, "granted", "total")
    assert parse_address("4:review:upheld") == (4, "review", "upheld")
    for wrong in ("3:granted", "5:granted:total", "3:nope:total", "4:review:natural_person", "", "3::"):
        assert parse_address(wrong) is None
    assert cell_label((3, "withheld_state_secret", "business")) == "表三·（三）不予公开1.属于国家秘密·商业企业"
    assert cell_label((4, "litigation_direct", "pending")) == "表四·未经复议直接起诉·尚未审结"


@pytest.fixture(scope="module")
def marked():  # noqa: ANN201 - the record of the marks fixture
    return parse_file(TRACE / "marks.txt")


def test_every_cell_is_marked(marked) -> None:  # noqa: ANN001
    views = cell_views(marked)
    assert set(views) == set(cell_values(marked))
    assert Mark.REPAIRED in views[(3, "granted", "total")].marks
    assert views[(3, "granted", "total")].notes == ("按规则补全：由行合计、办理结果合计确定（原件此处空白或缺失）",)
    assert views[(4, "litigation_direct", "total")].marks == (Mark.ASSUMED,)
    assert views[(4, "review", "total")].marks[0] is Mark.FAILING  # the most urgent first
    assert views[(3, "new_received", "natural_person")].marks == (Mark.PRINTED,)
    for mark in Mark:  # every mark reads without colour: a symbol (the printed number needs none) and a name
        style = MARK_STYLES[mark]
        assert style.label and (style.symbol or mark is Mark.PRINTED)
    assert len({s.symbol for s in MARK_STYLES.values()}) == len(Mark)


def test_unknown_corrected_and_unsure_marks() -> None:
    record = with_provenance(make_report(seed=2), "pdf")
    first = record.provenance[0]
    unsure = first.model_copy(update={"source": first.source.model_copy(update={"confidence": 0.3})})
    record = record.model_copy(update={"provenance": [unsure, *record.provenance[1:]]})
    values = cell_values(record)
    fixed = apply_cells(record, {**values, (3, "granted", "business"): values[(3, "granted", "business")] + 1})
    fixed = fixed.model_copy(update={"applications": {**fixed.applications, "unable_unclear": None}})
    views = cell_views(fixed)
    assert Mark.UNSURE in views[(first.table, first.row, first.column)].marks
    corrected = views[(3, "granted", "business")]
    assert Mark.CORRECTED in corrected.marks and "✎" in corrected.text and "解析值" in corrected.notes[-1]
    unknown = views[(3, "unable_unclear", "total")]
    assert unknown.value is None and unknown.text.startswith("？") and Mark.UNKNOWN in unknown.marks


def test_grids_are_laid_out_as_printed_with_symbols_and_colours(marked) -> None:  # noqa: ANN001
    views = cell_views(marked)
    grid = display_grid(marked, 3, views)
    assert list(grid.frame.columns) == ["栏目", "分项", "项目", "自然人", "商业企业", "科研机构", "社会公益组织",
                                        "法律服务机构", "其他", "总计"]
    labels = grid.frame[["栏目", "分项", "项目"]].to_numpy().tolist()
    assert labels[2] == ["三、本年度办理结果", "（一）予以公开", ""]  # the group label where the group opens
    assert labels[3][0] == "" and labels[4] == ["", "（三）不予公开", "1.属于国家秘密"] and labels[5][:2] == ["", ""]
    assert grid.cell_at(2, "总计") == (3, "granted", "total") and grid.cell_at(2, "分项") is None
    assert grid.position_of((3, "granted", "total")) == (2, "总计")
    html = styled(grid, views).to_html()
    assert MARK_STYLES[Mark.REPAIRED].background in html
    table4 = display_grid(marked, 4, views).frame
    assert table4.iloc[1]["类别"] == "行政诉讼" and table4.iloc[2]["类别"] == "" and table4.iloc[2]["项目"] == "复议后起诉"


def test_editor_grid_round_trip() -> None:
    record = make_report(seed=4)
    grid = editor_grid(record, 3)
    assert values_of(grid, grid.frame) == {k: v for k, v in cell_values(record).items() if k[0] == 3}
    edited = grid.frame.copy()
    edited.loc[0, "自然人"] = pd.NA
    assert values_of(grid, edited)[(3, "new_received", "natural_person")] is None


def test_failing_rules_in_words(marked) -> None:  # noqa: ANN001
    [sentence] = failing_rules(marked)
    assert sentence.title == "行政复议合计不成立 · 行政复议"
    assert sentence.detail == "总计 应等于 结果维持＋结果纠正＋其他结果＋尚未审结。各项之和为 16，表中总计为 15，相差 −1。"
    assert (4, "review", "total") in sentence.cells
    record = make_report(seed=5)
    values = cell_values(record)
    broken = apply_cells(record, {**values, (3, "carried_over", "research"): values[(3, "carried_over", "research")] + 2})
    words = {s.title: s.detail for s in failing_rules(broken)}
    assert words["收支平衡不成立 · 科研机构列"].startswith("一＋二 应等于 （七）＋四。（七）＋四为")
    assert "相差 +2" in words["收支平衡不成立 · 科研机构列"]
    row = "行合计不成立 · 二、上年结转政府信息公开申请数量"
    assert words[row].startswith("总计 应等于 自然人至其他 共6项之和。各项之和为")
    missing = broken.model_copy(update={"applications": {**broken.applications, "granted": None}})
    missing = apply_cells(missing, cell_values(missing))
    assert any("未读出" in s.detail for s in failing_rules(missing))


def test_table_2_as_printed_blocks() -> None:
    record = parse_file(sorted(SEEDS.glob("*.txt"))[3])  # a 2021 report with table 2
    frames = proactive_frames(record)
    assert [item for item, _ in frames] == list(dict.fromkeys(p.item for p in record.proactive))
    item, frame = frames[0]
    assert list(frame.columns) == ["信息内容", *record.proactive[0].columns]
    assert frame.iloc[0]["信息内容"] == record.proactive[0].label
    values = [str(v) for v in frame.drop(columns="信息内容").to_numpy().ravel()]
    assert values and not any("、" in v for v in values)  # one number per cell, never "0、0、0"


def test_problems_point_at_a_cell_and_the_queue_lists_them(marked) -> None:  # noqa: ANN001
    found = problems(marked)
    assert [p.kind for p in found] == ["failed"] and found[0].cell == (4, "review", "total")
    clean = make_report(seed=6)
    blank = clean.model_copy(update={
        "applications": {**clean.applications, "unable_unclear": None},
        "assumed_zero": [CellRef(table=3, row="granted", column="business")],
        "repairs": [Repair(table=3, row="granted", column="total", value=1, reason="row-total")],
    })
    blank = apply_cells(blank, cell_values(blank))
    kinds = {p.kind: p for p in problems(blank)}
    assert kinds["unknown"].cell == (3, "unable_unclear", "natural_person") and kinds["unknown"].count == 7
    wide = records_to_wide([clean, marked, blank]).with_columns(narrative_fail=pl.col("report_id") == 1)
    listed = review_queue(wide.lazy())
    assert listed["report_id"].to_list() == [3, 2, 1]  # most failed rules first; 1 only for its narrative
    assert listed.filter(listed["report_id"] == 1)["problems"].to_list() == ["正文所述件数与表格不符"]
    assert review_queue(wide.lazy(), reviewed=[1, 2, 3])["report_id"].to_list() == []
    assert review_queue(wide.lazy(), reviewed=[2, 3])["report_id"].to_list() == [1]
    assert review_queue(wide.lazy(), reviewed=[2], include_reviewed=True)["reviewed"].to_list() == [False, True, False]
    assert review_queue(wide.lazy(), kind="narrative")["report_id"].to_list() == [1]
    assert review_queue(wide.lazy(), limit=2)["report_id"].to_list() == [3, 2]
    assert review_queue(wide.lazy(), kind="unknown")["report_id"].to_list() == [3]
    assert listed["corrected_cells"].to_list() == [0, 0, 0] and staff_work(wide.lazy()) == {"corrected": 0, "manual": 0}
    fixed = apply_cells(clean, {**cell_values(clean), (3, "granted", "business"): 99})
    assert staff_work(records_to_wide([fixed, clean]).lazy()) == {"corrected": 1, "manual": 0}


def test_every_template_row_has_a_place() -> None:
    placed = {r.key for split in (False, True) for r in table3_layout(split)}
    assert placed == {r.key for r in ALL_APPLICATION_ROWS}


def test_a_narrative_number_the_table_contradicts_is_a_problem() -> None:
    from gip_data.review_queue import narrative_contradictions
    from gip_data.schema.facts import ReportFacts, StatedNumber

    record = make_report(seed=7)
    received = record.applications["new_received"]
    assert received is not None
    said = StatedNumber(kind="received", value=received[-1], sentence=f"本年共收到申请{received[-1]}件。")
    assert narrative_contradictions(record.model_copy(update={"facts": ReportFacts(stated=[said])})) == []
    wrong = said.model_copy(update={"value": received[-1] + 7, "sentence": f"本年共收到申请{received[-1] + 7}件。"})
    [text] = narrative_contradictions(record.model_copy(update={"facts": ReportFacts(stated=[wrong])}))
    assert str(received[-1] + 7) in text and str(received[-1]) in text and "不一致" in text
    assert narrative_contradictions(record) == []  # no facts recorded: nothing to compare

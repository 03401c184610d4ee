"""Random consistent reports, printed in several text layouts, parse back exactly.

Hypothesis draws a consistent table 3 (either edition) and table 4, prints it
as pipes, tabs, one cell per line or space-aligned columns, and optionally runs
the digits of up to two rows together (one disposition row, and 一 or （七）,
which the column rules then pin down uniquely). Parsing must give back every
number.

The layouts real crawlers, PDF tools and converters write are drawn too
(tests/data/textlayouts/render.py): cells merged by irregular spaces with a row
that lost a cell and rows printed with no values; column layout with blank
cells and wrapped labels (characters or display cells); converter markdown with
table 3 split into blocks and labels pushed out of the table. And wherever
digits run together with numbers of any size, the decoder may leave a row null
(with a warning) but never gives a wrong number.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gip_data.extract.tables import ExtractedTables, extract_tables
from gip_data.readers.registry import read_document
from gip_data.schema.template import CASE_BLOCKS, DISPOSITION_LEAVES, OUTCOMES, application_rows
from tests.data.corpus.labels import GROUPS  # the group headings printed before a row's own label
from tests.data.textlayouts.render import Blocks, Spacing, columns_text, crawler_text, markdown_text

LAYOUTS = ("pipes", "tabs", "cell_per_line", "spaces")
HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人",
          "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
CASE_HEADER = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
               "未经复议直接起诉", "复议后起诉"]

small = st.one_of(st.just(0), st.just(0), st.integers(0, 9), st.integers(0, 250))


@st.composite
def reports(draw: st.DrawFn, leaf: st.SearchStrategy[int] = small, outcome: st.SearchStrategy[int] = small) -> dict:  # type: ignore[type-arg]
    split = draw(st.booleans())
    rows = application_rows(split)
    table: dict[str, list[int]] = {}
    for row in rows:
        if row.key in DISPOSITION_LEAVES:
            cells = [draw(leaf) for _ in range(6)]
            table[row.key] = cells + [sum(cells)]
    leaves = [r.key for r in rows if r.key in DISPOSITION_LEAVES]
    total = [sum(table[k][c] for k in leaves) for c in range(7)]
    forward = [draw(small) for _ in range(6)]
    carried = [draw(st.integers(0, total[c] + forward[c])) for c in range(6)]
    new = [total[c] + forward[c] - carried[c] for c in range(6)]
    for key, cells in (("new_received", new), ("carried_over", carried), ("carried_forward", forward)):
        table[key] = cells + [sum(cells)]
    table["total"] = total
    cases = []
    for _ in CASE_BLOCKS:
        outcomes = [draw(outcome) for _ in range(4)]
        cases += outcomes + [sum(outcomes)]
    run_leaf = draw(st.one_of(st.none(), st.sampled_from(leaves)))
    run_head = draw(st.sampled_from([None, "new_received", "total"]))
    run = {k for k in (run_leaf, run_head) if k}
    return {"split": split, "rows": [(r.key, r.label) for r in rows], "table": table, "cases": cases, "run": run}


def render(report: dict, layout: str) -> str:  # type: ignore[type-arg]
    lines = ["某某县人民政府2021年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    lines += _layout_row(HEADER, [], layout)
    for key, label in report["rows"]:
        labels = [GROUPS[key], label] if key in GROUPS else [label]
        values = report["table"][key]
        if key in report["run"]:
            labels[-1] += "".join(str(v) for v in values)
            values = []
        lines += _layout_row(labels, values, layout)
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += _layout_row(CASE_HEADER, [], layout)
    lines += _layout_row([], report["cases"], layout)
    lines.append("五、存在的主要问题及改进情况")
    return "\n".join(lines) + "\n"


def _layout_row(labels: list[str], values: list[int], layout: str) -> list[str]:
    cells = labels + [str(v) for v in values]
    if layout == "pipes":
        return [" | ".join(cells) + " |"]
    if layout == "tabs":
        return ["\t".join(cells)]
    if layout == "cell_per_line":
        return cells
    return ["    ".join(cells)]


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports())
def test_random_report_parses_back(layout: str, report: dict) -> None:  # type: ignore[type-arg]
    text = render(report, layout)
    tables = extract_tables(read_document(text.encode("utf-8"), "report.txt"))
    assert tables.template == (2021 if report["split"] else 2019)
    assert tables.applications == report["table"]
    cells = [getattr(getattr(tables, block), outcome) for block in CASE_BLOCKS for outcome in OUTCOMES]
    assert cells == report["cases"]
    assert not tables.assumed_zero


def _parsed(text: str, name: str) -> ExtractedTables:
    return extract_tables(_best(text.encode("utf-8"), name))


def _best(data: bytes, name: str):  # type: ignore[no-untyped-def]
    """The document of the reading the parse keeps (the rules choose among the readings)."""
    from gip_data.parse import best_reading

    return best_reading(data, name, None).document


def _case_cells(tables: ExtractedTables) -> list[int] | None:
    if tables.review is None:
        return None
    return [getattr(getattr(tables, block), outcome) for block in CASE_BLOCKS for outcome in OUTCOMES]


def _zero_leaves(report: dict) -> list[str]:  # type: ignore[type-arg]
    return [k for k, v in report["table"].items() if k in DISPOSITION_LEAVES and not any(v)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_irregular_merging_spaces_parse_back(data: st.DataObject) -> None:
    """Cells merged by irregular spaces ("2 00 00 0 2"), one row short a cell, rows printed empty."""
    report = data.draw(reports(leaf=st.integers(0, 1), outcome=st.integers(0, 2)))
    gaps = st.lists(st.booleans(), min_size=6, max_size=6)
    spacing = Spacing(gaps={k: data.draw(gaps) for k in report["table"] if k in DISPOSITION_LEAVES})
    zeros = _zero_leaves(report)
    if zeros:
        spacing.lost_cell = data.draw(st.sampled_from(zeros))
        spacing.unprinted = set(data.draw(st.lists(st.sampled_from(zeros), max_size=2))) - {spacing.lost_cell}
    spacing.case_gaps = data.draw(st.lists(st.booleans(), min_size=14, max_size=14))
    text = crawler_text(report["rows"], report["table"], report["cases"], spacing)
    tables = _parsed(text, "crawler.txt")
    assert tables.applications == report["table"]
    assert _case_cells(tables) == report["cases"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_column_layout_with_blank_cells_parses_back(data: st.DataObject) -> None:
    """pdftotext -layout or a viewer's copy: zeros left blank, labels wrapped, numbers on any piece."""
    report = data.draw(reports())
    assume(any(any(values) for values in report["table"].values()))  # an all-blank table prints no number
    carriers = {k: data.draw(st.integers(0, 2)) for k in report["table"]}
    cells = data.draw(st.booleans())
    text = columns_text(report["rows"], report["table"], report["cases"], carriers, cells)
    tables = _parsed(text, "layout.txt")
    assert tables.applications == report["table"]
    assert _case_cells(tables) == report["cases"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_converter_markdown_with_split_tables_parses_back(data: st.DataObject) -> None:
    """Table 3 cut into per-block tables with generic headers; labels pushed out of the table."""
    report = data.draw(reports())
    keys = [k for k, _ in report["rows"]]
    inner = keys[1:-1]  # the first and last rows keep their labels: they anchor the table
    blocks = Blocks(
        cuts=data.draw(st.lists(st.integers(1, len(keys) - 1), max_size=3)),
        pushed=set(data.draw(st.lists(st.sampled_from(inner), max_size=8))),
    )
    text = markdown_text(report["rows"], report["table"], report["cases"], blocks)
    tables = _parsed(text, "converted.md")
    assert tables.applications == report["table"]
    assert _case_cells(tables) == report["cases"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_run_together_digits_are_never_a_guess(data: st.DataObject) -> None:
    """Numbers of any size run together: a row comes back right, or null with a warning naming it."""
    report = data.draw(reports(leaf=st.one_of(st.just(0), st.integers(0, 40))))
    gaps = st.lists(st.booleans(), min_size=6, max_size=6)
    spacing = Spacing(gaps={k: data.draw(gaps) for k in report["table"] if k in DISPOSITION_LEAVES})
    text = crawler_text(report["rows"], report["table"], report["cases"], spacing)
    tables = _parsed(text, "crawler.txt")
    labels = dict(report["rows"])
    for key, values in report["table"].items():
        got = tables.applications[key]
        assert got is None or got == values, key
        if got is None:
            assert any(w.startswith(labels[key]) for w in tables.warnings), key

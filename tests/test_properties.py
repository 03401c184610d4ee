"""Random consistent reports, printed in several text layouts, parse back exactly.

Hypothesis draws a consistent table 3 (either edition) and table 4, prints it
as pipes, tabs, one cell per line or space-aligned columns, and optionally runs
the digits of up to two rows together (one disposition row, and 一 or （七）,
which the column rules then pin down uniquely). Parsing must give back every
number.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gip_data.extract.tables import extract_tables
from gip_data.readers.registry import read_document
from gip_data.schema.template import CASE_BLOCKS, DISPOSITION_LEAVES, OUTCOMES, application_rows
from tests.data.corpus.labels import GROUPS  # the group headings printed before a row's own label

LAYOUTS = ("pipes", "tabs", "cell_per_line", "spaces")
HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人",
          "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
CASE_HEADER = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
               "未经复议直接起诉", "复议后起诉"]

small = st.one_of(st.just(0), st.just(0), st.integers(0, 9), st.integers(0, 250))


@st.composite
def reports(draw: st.DrawFn) -> dict:  # type: ignore[type-arg]
    split = draw(st.booleans())
    rows = application_rows(split)
    table: dict[str, list[int]] = {}
    for row in rows:
        if row.key in DISPOSITION_LEAVES:
            cells = [draw(small) for _ in range(6)]
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
        outcomes = [draw(small) for _ in range(4)]
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

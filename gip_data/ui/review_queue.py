"""The review queue of the 数据质量 page: what needs a person, one click from the report at the problem.

The queue (:func:`gip_data.review_queue.review_queue`) filters the view's
reports on the review counts stored with each report and on the 年报质量
scorecard's narrative check (a column of the prepared data); versions a person
marked as reviewed leave it.
Selecting a report opens 报告详情 at its first problem cell (``c`` in the link).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from gip_data.errors import GipDataError
from gip_data.layout import format_address
from gip_data.review import PROBLEM_LABELS, problems
from gip_data.review_queue import review_queue, staff_work
from gip_data.ui import data, widgets
from gip_data.ui.nav import PAGE_BY_FILE

QUEUE_LIMIT = 200
KINDS: tuple[str, ...] = ("all", *PROBLEM_LABELS)
COLUMNS = {
    "report_id": "编号", "agency": "机关", "year": "年度", "level": "层级", "problems": "需要核对",
    "failed_checks": "不成立的规则", "unknown_cells": "未读出", "assumed_in_total": "合计不为0的按0",
    "low_confidence_cells": "OCR存疑", "narrative": "正文不符", "corrected_cells": "人工更正", "manual_entry": "人工录入",
    "reviewed": "已复核",
}


@st.cache_data(max_entries=64, show_spinner=False)
def queue(version: int, filters_json: str, kind: str, include_reviewed: bool, reviewed: frozenset[int]) -> pl.DataFrame:
    """The queue of one view (cached per data version, filters, choice and the set of reviewed versions)."""
    from gip_data.filters import FilterState

    rows = data.prepared(version).rows(FilterState.model_validate_json(filters_json))
    return review_queue(rows, reviewed=reviewed, kind=kind, include_reviewed=include_reviewed, limit=QUEUE_LIMIT)


def _open_at_problem(view: data.View, report_id: int) -> None:
    """Switch to 报告详情 at the report's first problem cell (the filters travel along)."""
    query = {**view.filters.to_query(), "id": str(report_id)}
    try:
        found = problems(data.get_store().get_report(report_id).record)
    except GipDataError:
        found = []
    cell = next((p.cell for p in found if p.cell is not None), None)
    if cell is not None:
        query["c"] = format_address(cell)
    st.switch_page(PAGE_BY_FILE["report_detail.py"].path, query_params=query)


def kind_label(kind: str) -> str:
    """A problem kind of the queue's filter in words."""
    return "全部" if kind == "all" else PROBLEM_LABELS[kind]


def review_queue_section(view: data.View, kind: str) -> None:
    """The 待人工核对 list of one kind of problem (or all); a selected row opens the report at the problem."""
    work = staff_work(view.rows)
    if work["corrected"] or work["manual"]:
        st.caption(f"当前视图中有 {work['corrected']} 份报告含人工更正的数字、{work['manual']} 份由人工录入；"
                   "各页的统计均按更正后的数字计算。")
    include = st.toggle("包含已复核的报告", key="queue_reviewed")
    reviewed = frozenset(data.get_store().reviewed_ids())
    found = queue(view.version, view.filters.model_dump_json(), kind, include, reviewed)
    if found.height == 0:
        st.success("当前视图中没有需要人工核对的报告。")
        return
    more = f"（仅显示前 {QUEUE_LIMIT} 份）" if found.height >= QUEUE_LIMIT else ""
    st.caption(f"共 {found.height} 份{more}。")
    picked = st.dataframe(found, hide_index=True, on_select="rerun", selection_mode="single-row", key="review_pick",
                          column_config=COLUMNS)
    rows = picked.selection.rows if picked else []
    if rows:
        _open_at_problem(view, int(found["report_id"][rows[0]]))
    widgets.download_buttons(found.rename(COLUMNS), "review_queue", "review_queue")

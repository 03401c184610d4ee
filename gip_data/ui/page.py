"""What every page starts with: its title, the current view and the notes about what a total uses."""

from __future__ import annotations

import streamlit as st

from gip_data.filters import SCOPE_LABELS, FilterState
from gip_data.readers.registry import supported_formats
from gip_data.ui import data


def start(title: str) -> data.View:
    """Title the page and return the current view (filters chosen in the sidebar)."""
    st.title(title)
    filters: FilterState = st.session_state.get("_gip_filters", FilterState())
    view = data.current_view(filters)
    notes = [f"统计口径：{SCOPE_LABELS[filters.scope]}（与辖区汇总报告不相加）"]
    if view.synthetic_only:
        notes.append("数据库中只有模拟数据，以下数字均为模拟数据")
    elif filters.synthetic:
        notes.append("包含模拟数据")
    st.caption("；".join(notes) + "。")
    return view


def no_data(view: data.View) -> bool:
    """Say so and return True when the view holds no report."""
    if view.reports == 0:
        if view.stored_reports == 0:
            st.info(f"数据库中还没有报告。请在“上传”页面上传年度报告（{'、'.join(supported_formats())}）。")
        else:
            st.info("当前筛选条件下没有报告，请放宽左侧的筛选条件。")
        return True
    return False

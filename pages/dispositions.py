"""办理结果: disposition mix by year and level (counts or shares), reasons as a sunburst."""

import streamlit as st

from gip_data import charts
from gip_data.metrics import CubeDim
from gip_data.ui import page, widgets
from gip_data.views import DISPOSITION_MIX, REASON_BREAKDOWN

view = page.start("办理结果")
if not page.no_data(view):
    c0, c1 = st.columns(2)
    with c0:
        chosen = widgets.page_control("by", st.segmented_control, "分组", ["year", "level"], "year",
                                      format_func={"year": "按年度", "level": "按层级"}.get)
    with c1:
        norm = widgets.page_control("nm", st.segmented_control, "显示", ["pct", "cnt"], "pct",
                                    format_func={"pct": "占比", "cnt": "件数"}.get)
    by: CubeDim = chosen or "year"
    norm = norm or "pct"
    mix = view.get(DISPOSITION_MIX, by)
    title = "办理结果构成（分母：六类办理结果之和，即办结总计）"
    fig = charts.stacked_bars(mix, by, "share" if norm == "pct" else "count", "label", title,
                              percent=norm == "pct", x_title="年度" if by == "year" else "机关层级")
    widgets.chart(fig, mix, f"dispositions_by_{by}", "mix")
    st.subheader("不予公开、无法提供、不予处理、其他处理的具体原因")
    reasons = view.get(REASON_BREAKDOWN)
    widgets.chart(charts.reasons_sunburst(reasons, "原因构成（内圈：类别；外圈：具体原因）"), reasons, "reasons", "reasons")

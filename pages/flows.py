"""申请流向: applications received → the six dispositions → review and litigation outcomes (Sankey)."""

import streamlit as st

from gip_data import views
from gip_data.briefing_content import briefing_for
from gip_data.charts_flow import NO_FLOWS, flow_sankey
from gip_data.ui import page, quality, share, state, widgets

view = page.start("申请流向")
if not page.no_data(view):
    links = view.get(views.FLOWS)
    fig = flow_sankey(links)
    st.caption("宽度表示件数：本年新收与上年结转合为受理，分为六类办理结果与结转下年度；"
               "六类办理结果合为办结，再分出被申请行政复议、被提起行政诉讼的件数及其结果。")
    widgets.chart(fig, links, "flows", "flows", empty=NO_FLOWS)
    quality.briefing_button(
        lambda: briefing_for(view.filters, share.full_link("flows", state.current_query(view.filters)),
                             *quality.kpis_and_summary(view),
                             [("申请流向", fig)] if fig is not None else []),
        "申请流向简报.pdf", key="flows_briefing")

"""申请情况: volumes by year and level, applicant mix, flows, top bodies, volume per body by level."""

import streamlit as st

from gip_data import charts
from gip_data.ui import page, widgets
from gip_data.views import APPLICANT_MIX, FLOWS_BY_YEAR, TOP_BODIES, VOLUME_BY, VOLUME_DISTRIBUTION

view = page.start("申请情况")
if not page.no_data(view):
    by_level = view.get(VOLUME_BY, ("year", "level")).drop_nulls(["year", "level"])
    st.subheader("各年度受理量（按机关层级堆叠）")
    widgets.chart(charts.stacked_bars(by_level, "year", "recv", "level", "受理总量（新收+上年结转）", x_title="年度"),
                  by_level, "volume_year_level", "vyl")
    left, right = st.columns(2)
    with left:
        mix = view.get(APPLICANT_MIX, "year")
        widgets.chart(charts.stacked_bars(mix, "year", "share", "label", "新收申请的申请人结构", percent=True, x_title="年度"),
                      mix, "applicant_mix", "mix")
    with right:
        flows = view.get(FLOWS_BY_YEAR)
        widgets.chart(charts.stacked_bars(flows.filter(flows["flow"] != "carried_forward"), "year", "count", "label",
                                          "本年新收与上年结转（结转下年度见数据）", x_title="年度"),
                      flows, "flows", "flows")
    st.subheader("受理量最多的机关")
    top_n = widgets.page_control("top", st.selectbox, "显示前", [10, 20, 50], 20, parse=int,
                                 format_func=lambda n: f"{n} 个机关")
    top = view.get(TOP_BODIES, top_n)
    st.dataframe(top, hide_index=True, column_config={"agency_key": None, "agency": "机关", "level": "层级",
                                                      "province": "省份", "reports": "报告数", "recv": "受理总量"})
    widgets.download_buttons(top, "top_bodies", "top")
    st.subheader("各层级单个机关的受理量分布")
    dist = view.get(VOLUME_DISTRIBUTION, "level")
    widgets.chart(charts.box_from_quantiles(dist, "level", "每份报告的受理量（箱体：四分位；须：最小值–P90）", "受理量（件）"),
                  dist, "volume_distribution", "dist")

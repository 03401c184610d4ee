"""地图: a metric by province on a tile grid of China's provinces; pick a province to see its cities."""

import polars as pl
import streamlit as st

from gip_data import geo, views
from gip_data.briefing_content import briefing_for
from gip_data.charts import PLOTLY_CONFIG
from gip_data.filters import SCOPE_LABELS
from gip_data.metrics import METRICS
from gip_data.summary import kpi_summary
from gip_data.ui import page, quality, share, state, widgets

MAP_METRICS = ("recv", "apps", "open", "wh", "un", "bl", "rv", "lt", "rvc", "pass")

view = page.start("地图")
if not page.no_data(view):
    code = widgets.page_control("m", st.selectbox, "指标", list(MAP_METRICS), "recv", format_func=lambda c: METRICS[c].label)
    metric = METRICS[code]
    st.caption("每个省份一个方块（大致按地理位置排列，不画边界线）；灰色为当前视图没有报告的省份。"
               f"{metric.label}：{metric.note or '合计'}。")
    by_province = view.get(views.METRIC_BY, ("province",), code)
    fig = geo.province_grid(by_province, f"{metric.label}（按省份）", metric.kind)
    picked = st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key="province_tiles", on_select="rerun",
                             selection_mode="points")
    widgets.download_buttons(by_province, f"map_{code}", "map")
    provinces = sorted(p for p in by_province["province"].to_list() if p)
    clicked = geo.clicked_name(picked)
    default = view.filters.province or (clicked if clicked in provinces else None)
    province = widgets.page_control("mp", st.selectbox, "查看省份下的城市", [None, *provinces], default,
                                    format_func=lambda p: "请选择（或点击上图的省份）" if p is None else p)
    if province:
        by_city = view.get(views.METRIC_BY, ("province", "city"), code).filter(pl.col("province") == province)
        st.plotly_chart(geo.city_grid(province, by_city, f"{province}：{metric.label}（按城市）", metric.kind),
                        width="stretch", config=PLOTLY_CONFIG, key="city_tiles")
        widgets.download_buttons(by_city, f"map_{code}_{province}", "map_city")
    kpis = view.get(views.KPI_TABLE)
    quality.briefing_button(
        lambda: briefing_for(view.filters, share.full_link("map", state.current_query(view.filters)), kpis,
                             kpi_summary(kpis, SCOPE_LABELS[view.filters.scope]),
                             [(f"{metric.label}（按省份）", fig)]),
        "地图简报.pdf", key="map_briefing")

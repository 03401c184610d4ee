"""对比: a metric by a chosen dimension, small multiples over years, one body against its peers."""

import streamlit as st

from gip_data import charts
from gip_data.metrics import DIMENSIONS, METRICS
from gip_data.ui import page, quality, widgets
from gip_data.views import BODY_ANOMALIES, BODY_HISTORY, BODY_METRIC, METRIC_BY, PEER_COMPARISON, TOP_BODIES

view = page.start("对比")
if not page.no_data(view):
    c0, c1 = st.columns(2)
    with c0:
        dim = widgets.page_control("dim", st.selectbox, "对比维度", list(DIMENSIONS), "level", format_func=DIMENSIONS.get)
    with c1:
        code = widgets.page_control("m", st.selectbox, "指标", list(METRICS), "open",
                                    format_func=lambda c: METRICS[c].label)
    st.caption(f"{METRICS[code].label}：{METRICS[code].note or '合计'}（各组为比值之和的比，不是比率的平均）")
    side = view.get(BODY_METRIC, code, 30) if dim == "agency" else view.get(METRIC_BY, (dim,), code)
    label_col = "agency" if dim == "agency" else dim
    widgets.chart(charts.bars(side, label_col, code, f"{METRICS[code].label}（按{DIMENSIONS[dim]}）",
                              horizontal=dim in ("agency", "province")), side, f"compare_{dim}_{code}", "side")
    if dim != "year":
        multi = (view.get(BODY_HISTORY, tuple(side["agency_key"].head(12).to_list()), code) if dim == "agency"
                 else view.get(METRIC_BY, (dim, "year"), code))
        widgets.chart(charts.small_multiples(multi, label_col, code, f"{METRICS[code].label}：各{DIMENSIONS[dim]}逐年"),
                      multi, f"compare_{dim}_{code}_by_year", "multi")
    st.subheader("单个机关与同级同省机关对比")
    bodies = view.get(TOP_BODIES, 50)["agency_key"].to_list()
    org = widgets.page_control("org", st.selectbox, "机关（受理量前50；可先用左侧“机关名称包含”缩小范围）",
                               [None, *bodies], None, format_func=lambda a: a or "请选择")
    if org:
        years = view.get(BODY_HISTORY, (org,), "recv")["year"].unique().sort().to_list()
        year = widgets.page_control("py", st.selectbox, "年度", years, years[-1], parse=int) if years else None
        if year:
            peers = view.get(PEER_COMPARISON, org, year)
            widgets.chart(charts.peer_chart(peers, org, f"{year}年：与同级同省机关的四分位区间和中位数比较"), peers,
                          f"peers_{year}", "peers")
            st.markdown("**异常提示**")
            quality.anomaly_list(view.get(BODY_ANOMALIES, org, year), "该机关本年度没有同比突变或同级为零的异常。")

"""地图: a metric or the 年报质量 score by province on a tile grid of China's provinces; pick a province for its cities."""

import polars as pl
import streamlit as st

from gip_data import geo, views
from gip_data.briefing_content import briefing_for
from gip_data.charts import PLOTLY_CONFIG
from gip_data.metrics import METRICS
from gip_data.ui import page, quality, share, state, widgets

MAP_METRICS = ("recv", "apps", "open", "wh", "un", "bl", "rv", "lt", "rvc", "pass")
QUALITY = "quality"  # the 年报质量 score (passed checks ÷ known checks), from the quality roll-up
LABELS = {**{c: METRICS[c].label for c in MAP_METRICS}, QUALITY: "年报质量得分"}
NOTES = {**{c: METRICS[c].note or "合计" for c in MAP_METRICS}, QUALITY: "通过的检查项 ÷ 可判断的检查项（见“年报质量”页）"}

view = page.start("地图")
if not page.no_data(view):
    code = widgets.page_control("m", st.selectbox, "指标", [*MAP_METRICS, QUALITY], "recv", format_func=LABELS.get)
    kind = "rate" if code == QUALITY else METRICS[code].kind

    def values_by(dims: tuple[str, ...]) -> pl.DataFrame:
        """The chosen figure per region (a ``value`` column), from the declared views."""
        if code == QUALITY:
            return view.get(views.QUALITY_BY, dims).with_columns(pl.col("score").alias("value"))
        return view.get(views.METRIC_BY, dims, code)

    st.caption("每个省份一个方块（大致按地理位置排列，不画边界线）；灰色为当前视图没有报告的省份。"
               f"{LABELS[code]}：{NOTES[code]}。")
    by_province = values_by(("province",))
    fig = geo.province_grid(by_province, f"{LABELS[code]}（按省份）", kind)
    picked = st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key="province_tiles", on_select="rerun",
                             selection_mode="points")
    widgets.download_buttons(by_province, f"map_{code}", "map")
    provinces = sorted(p for p in by_province["province"].to_list() if p)
    clicked = geo.clicked_name(picked)
    default = view.filters.province or (clicked if clicked in provinces else None)
    province = widgets.page_control("mp", st.selectbox, "查看省份下的城市", [None, *provinces], default,
                                    format_func=lambda p: "请选择（或点击上图的省份）" if p is None else p)
    if province:
        by_city = values_by(("province", "city")).filter(pl.col("province") == province)
        st.plotly_chart(geo.city_grid(province, by_city, f"{province}：{LABELS[code]}（按城市）", kind),
                        width="stretch", config=PLOTLY_CONFIG, key="city_tiles")
        widgets.download_buttons(by_city, f"map_{code}_{province}", "map_city")
    quality.briefing_button(
        lambda: briefing_for(view.filters, share.full_link("map", state.current_query(view.filters)),
                             *quality.kpis_and_summary(view),
                             [(f"{LABELS[code]}（按省份）", fig)]),
        "地图简报.pdf", key="map_briefing")

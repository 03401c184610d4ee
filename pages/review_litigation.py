"""复议诉讼: review and litigation outcomes, correction rates, direct vs after-review, cases per 100."""

import streamlit as st

from gip_data import charts
from gip_data.metrics import METRICS, CubeDim
from gip_data.ui import page, widgets
from gip_data.views import CASE_OUTCOMES, CASE_RATES

view = page.start("复议诉讼")
if not page.no_data(view):
    by: CubeDim = widgets.page_control("by", st.segmented_control, "分组", ["year", "level"], "year",
                                       format_func={"year": "按年度", "level": "按层级"}.get) or "year"
    outcomes = view.get(CASE_OUTCOMES, by)
    rates = view.get(CASE_RATES, by)
    x_title = "年度" if by == "year" else "机关层级"
    cols = st.columns(3)
    for col, block in zip(cols, ["review", "litigation_direct", "litigation_after_review"], strict=True):
        part = outcomes.filter(outcomes["block"] == block)
        with col:
            widgets.chart(charts.stacked_bars(part, by, "count", "outcome_label", part["block_label"][0] if part.height else block,
                                              x_title=x_title), part, f"cases_{block}_{by}", f"c_{block}")
    st.subheader("纠错率与每百件办结申请的复议、诉讼数")
    st.caption("纠错率两种分母：已审结（不含尚未审结）与全部（含尚未审结）。")
    shown = rates.rename({c: METRICS[c].label for c in ("rvn", "ltn", "rv", "lt", "rvc", "rvca", "ltc", "ltca", "cc")}
                         | {"litigation_direct_total": "直接起诉（件）", "litigation_after_review_total": "复议后起诉（件）"})
    st.dataframe(shown, hide_index=True)
    widgets.download_buttons(rates, f"case_rates_{by}", "rates")
    if by == "year":
        widgets.chart(charts.trend_line(rates, ["rvc", "ltc", "cc"], "纠错率（分母：已审结）"), rates, "correction_trend", "ct",
                      empty=charts.TREND_NEEDS_TWO_YEARS)

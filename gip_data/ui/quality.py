"""Streamlit pieces of the 质量 views: findings with their evidence, the body ranking, coverage, the briefing button.

Inputs are the library's frames (:mod:`gip_data.quality`) and records; every
text that comes from a report is escaped before it reaches Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from gip_data.briefing import Briefing, BriefingError, find_cjk_font, render_pdf
from gip_data.filters import SCOPE_LABELS
from gip_data.quality.explain import Finding
from gip_data.quality.rollup import SMALL_N_APPLICATIONS
from gip_data.summary import kpi_summary
from gip_data.ui.data import View
from gip_data.ui.escape import md
from gip_data.views import KPI_TABLE

STATUS_ICONS = {"pass": "✅ 通过", "fail": "❌ 未通过", "unknown": "❔ 无法判断", "na": "➖ 不适用"}
SMALL_N_NOTE = (f"小样本规则：受理申请（新收+上年结转）少于{SMALL_N_APPLICATIONS}件的机关按质量得分排名，"
                "但不参与公开率等比率的排名（“比率排名”为空）。")
RANKING_COLUMNS = {
    "rank": "名次", "agency": "机关", "level": "层级", "province": "省份", "score": "质量得分", "passes": "通过项",
    "fails": "未通过项", "known": "可判断项", "reports": "报告数", "recv": "受理申请", "open_rate": "公开率",
    "rate_rank": "比率排名", "latest_report": "最新报告",
}


def findings_table(findings: list[Finding]) -> None:
    """Every check of one report: status and evidence (failed checks first)."""
    order = {"fail": 0, "unknown": 1, "pass": 2, "na": 3}
    rows = sorted(findings, key=lambda f: order[f.status])
    st.dataframe(
        pl.DataFrame({"检查项": [f.name for f in rows], "结果": [STATUS_ICONS[f.status] for f in rows],
                      "依据": [f.evidence for f in rows]}),
        hide_index=True, width="stretch",
    )


def failed_list(findings: list[Finding]) -> None:
    """The failed checks of one report as a short list (nothing when all pass)."""
    failed = [f for f in findings if f.status == "fail"]
    if not failed:
        st.success("已能判断的检查项全部通过。")
        return
    st.markdown("\n".join(f"- **{md(f.name)}**：{md(f.evidence)}" for f in failed))


def ranking_table(ranked: pl.DataFrame, report_url: Callable[[int], str], key: str) -> pl.DataFrame:
    """The body ranking with a link to each body's latest report in the view; returns the shown frame."""
    shown = ranked.with_columns(
        pl.col("latest_report").map_elements(report_url, return_dtype=pl.String).alias("latest_report"),
    ).select(list(RANKING_COLUMNS))
    st.dataframe(
        shown, hide_index=True, key=key, width="stretch",
        column_config={
            **{c: label for c, label in RANKING_COLUMNS.items()},
            "score": st.column_config.ProgressColumn("质量得分", format="percent", min_value=0, max_value=1),
            "open_rate": st.column_config.NumberColumn("公开率", format="percent"),
            "latest_report": st.column_config.LinkColumn("最新报告", display_text="打开报告"),
        },
    )
    st.caption(SMALL_N_NOTE)
    return shown


def kpis_and_summary(view: View) -> tuple[pl.DataFrame, str]:
    """The view's KPI table and its summary paragraph, for a briefing: called when the briefing is asked for,
    so a page that shows no KPIs does not compute them on every run."""
    kpis = view.get(KPI_TABLE)
    return kpis, kpi_summary(kpis, SCOPE_LABELS[view.filters.scope])


def briefing_button(make: Callable[[], Briefing], file_name: str, key: str) -> None:
    """A button that writes the briefing PDF when clicked (not before); explains when the server cannot."""
    try:
        find_cjk_font()
    except BriefingError as exc:
        st.warning(exc.message_zh)
        return

    def pdf() -> bytes:
        return render_pdf(make()).data

    st.download_button("生成简报（PDF）", data=pdf, file_name=file_name, mime="application/pdf", key=key,
                       icon=":material/picture_as_pdf:", on_click="ignore")


def anomaly_list(found: pl.DataFrame, empty: str) -> None:
    """Anomalies with the figures that make them unusual (or ``empty`` when there is none)."""
    if found.height == 0:
        st.caption(empty)
        return
    st.dataframe(found.select(pl.col("agency").alias("机关"), pl.col("year").alias("年度"), pl.col("kind").alias("类型"),
                              pl.col("evidence").alias("依据")), hide_index=True, width="stretch")

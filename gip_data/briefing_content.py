"""What a briefing says about a view: the filter in words, the KPI rows, the quality findings.

Pure functions from the dashboard's own values (:class:`gip_data.filters.FilterState`,
:func:`gip_data.metrics.kpi_table`, the quality roll-ups), so the document says
exactly what the page shows; :func:`gip_data.briefing.render_pdf` lays it out.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from gip_data.briefing import Briefing
from gip_data.filters import BODY_BY_CODE, LEVEL_BY_CODE, SCOPE_LABELS, FilterState
from gip_data.quality.explain import findings_text

EDITION_LABELS = {"2019": "2019版格式", "2021": "2021版格式"}


def filter_in_words(state: FilterState) -> str:
    """The filters of a view as one Chinese phrase (全部年度；全部层级；…)."""
    if state.year_from and state.year_to:
        years = f"{state.year_from}年" if state.year_from == state.year_to else f"{state.year_from}–{state.year_to}年"
    elif state.year_from or state.year_to:
        years = f"{state.year_from}年起" if state.year_from else f"截至{state.year_to}年"
    else:
        years = "全部年度"
    parts = [
        years,
        "、".join(LEVEL_BY_CODE[c] for c in state.levels) if state.levels else "全部层级",
        BODY_BY_CODE[state.body] if state.body != "all" else "政府和部门",
        (state.province + (state.city if state.city and state.city != state.province else "")) or "全国",
    ]
    if state.search:
        parts.append(f"名称含“{state.search}”")
    if state.edition != "all":
        parts.append(f"仅{EDITION_LABELS[state.edition]}")
    parts.append(SCOPE_LABELS[state.scope])
    if state.synthetic:
        parts.append("含合成数据")
    return "；".join(parts)


def _value(kind: str, value: float | None) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "per100":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _change(kind: str, change: float | None) -> str:
    if change is None:
        return "—"
    if kind == "count":
        return f"{change:+.1%}"
    return f"{change * 100:+.1f}个百分点" if kind == "rate" else f"{change:+.2f}"


def kpi_rows(kpis: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(指标, 数值, 同比) texts for each row of :func:`gip_data.metrics.kpi_table`."""
    return [(r["label"], _value(r["kind"], r["value"]), _change(r["kind"], r["change"])) for r in kpis.iter_rows(named=True)]


def briefing_for(
    state: FilterState,
    share_link: str | None,
    kpis: pl.DataFrame,
    summary: str,
    figures: list[tuple[str, go.Figure]],
    quality: pl.DataFrame | None = None,
    worst: pl.DataFrame | None = None,
    title: str = "政务公开年报简报",
) -> Briefing:
    """The briefing of a view: its filter, link, KPIs, summary, charts and — when given — quality findings."""
    findings = findings_text(quality, worst) if quality is not None else []
    return Briefing(title=title, filter_text=filter_in_words(state), share_link=share_link, kpis=kpi_rows(kpis),
                    summary=summary, figures=figures, findings=findings)

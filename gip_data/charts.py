"""Plotly figure builders: small metric frames in, ``go.Figure`` out; no Streamlit.

Labels are Chinese, category orders are fixed (template order), and every text
that comes from a report (agency names) is HTML-escaped, because Plotly renders
a subset of HTML in labels and hover text.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
import polars as pl

from gip_data.metrics import METRICS

TREND_NEEDS_TWO_YEARS = "趋势图需要至少两年的数据；当前视图只有一年。"
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
DISPOSITION_COLORS = {
    "予以公开": "#2e7d32",
    "部分公开": "#81c784",
    "不予公开": "#c62828",
    "无法提供": "#ef6c00",
    "不予处理": "#6d4c41",
    "其他处理": "#9e9e9e",
}
PLOTLY_CONFIG = {"displaylogo": False, "showSendToCloud": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def escape_text(value: object) -> str:
    """Text from a report, safe for Plotly labels and hover (``<img …>`` shows literally)."""
    return html.escape("" if value is None else str(value), quote=False)


def _layout(fig: go.Figure, title: str, **kw: object) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        font={"family": FONT},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        **kw,
    )
    return fig


def _value_format(code: str) -> tuple[str, str]:
    """(axis tickformat, hover format) for a metric's kind."""
    kind = METRICS[code].kind
    if kind == "rate":
        return ".0%", ".1%"
    if kind == "per100":
        return ".1f", ".2f"
    return ",d", ",d"


def has_trend(df: pl.DataFrame, year: str = "year") -> bool:
    """A trend needs at least two distinct years."""
    return df.height > 0 and df[year].n_unique() >= 2


def trend_line(yearly: pl.DataFrame, codes: list[str], title: str) -> go.Figure | None:
    """One line per metric over the years; None when there are fewer than two years."""
    if not has_trend(yearly):
        return None
    fig = go.Figure()
    years = [str(y) for y in yearly["year"].to_list()]
    for code in codes:
        tick, hover = _value_format(code)
        fig.add_trace(
            go.Scatter(
                x=years,
                y=yearly[code].to_list(),
                mode="lines+markers",
                name=METRICS[code].label,
                hovertemplate=f"%{{x}}年 %{{y:{hover}}}<extra>{METRICS[code].label}</extra>",
            )
        )
    tick, _ = _value_format(codes[0])
    fig.update_yaxes(tickformat=tick, rangemode="tozero")
    fig.update_xaxes(type="category", title="年度")
    return _layout(fig, title)


def stacked_bars(
    df: pl.DataFrame, x: str, y: str, color: str, title: str, *, percent: bool = False, x_title: str = ""
) -> go.Figure:
    """Stacked bars of ``y`` by ``x`` and ``color`` (labels already Chinese); 100% when ``percent``."""
    fig = go.Figure()
    xs = [escape_text(v) for v in df[x].unique(maintain_order=True).to_list()]
    for name in df[color].unique(maintain_order=True).to_list():
        part = df.filter(pl.col(color) == name)
        values = part[y].to_list()
        fig.add_trace(
            go.Bar(
                x=[escape_text(v) for v in part[x].to_list()],
                y=values,
                name=escape_text(name),
                marker_color=DISPOSITION_COLORS.get(str(name)),
                hovertemplate="%{x} %{y:" + (".1%" if percent else ",d") + "}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=xs, title=x_title)
    if percent:
        fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return _layout(fig, title)


def reasons_sunburst(reasons: pl.DataFrame, title: str) -> go.Figure:
    """Reasons inside 不予公开/无法提供/不予处理/其他处理 as a sunburst (zero reasons left out)."""
    df = reasons.filter(pl.col("count") > 0)
    groups = df.group_by("group_label", maintain_order=True).agg(pl.col("count").sum())
    ids = groups["group_label"].to_list() + [f"{g}/{r}" for g, r in zip(df["group_label"], df["label"], strict=True)]
    labels = groups["group_label"].to_list() + df["label"].to_list()
    parents = [""] * groups.height + df["group_label"].to_list()
    values = groups["count"].to_list() + df["count"].to_list()
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            hovertemplate="%{label}: %{value:,d} 件（占上级 %{percentParent:.1%}）<extra></extra>",
        )
    )
    if not values:
        fig.add_annotation(text="当前视图没有不予公开、无法提供、不予处理或其他处理的案件", showarrow=False)
    return _layout(fig, title)


def box_from_quantiles(dist: pl.DataFrame, by: str, title: str, y_title: str) -> go.Figure:
    """Distribution per group drawn from precomputed quartiles (box: q1–q3, whiskers min–p90)."""
    fig = go.Figure(
        go.Box(
            x=[escape_text(v) for v in dist[by].to_list()],
            q1=dist["q1"].to_list(),
            median=dist["median"].to_list(),
            q3=dist["q3"].to_list(),
            lowerfence=dist["min"].to_list(),
            upperfence=dist["p90"].to_list(),
            mean=dist["mean"].to_list(),
            name=y_title,
            boxpoints=False,
        )
    )
    fig.update_yaxes(title=y_title, rangemode="tozero")
    fig.update_xaxes(type="category")
    return _layout(fig, title, showlegend=False)


def bars(df: pl.DataFrame, x: str, code: str, title: str, *, horizontal: bool = False) -> go.Figure:
    """Plain bars of one metric (column ``value``) by one dimension."""
    tick, hover = _value_format(code)
    cats = [escape_text(v) for v in df[x].to_list()]
    vals = df["value"].to_list()
    trace = go.Bar(
        x=vals if horizontal else cats,
        y=cats if horizontal else vals,
        orientation="h" if horizontal else "v",
        hovertemplate=("%{y} %{x:" if horizontal else "%{x} %{y:") + hover + "}<extra></extra>",
        marker_color="#1565c0",
    )
    fig = go.Figure(trace)
    value_axis = fig.update_xaxes if horizontal else fig.update_yaxes
    value_axis(tickformat=tick, title=METRICS[code].label)
    (fig.update_yaxes if horizontal else fig.update_xaxes)(type="category", categoryorder="array", categoryarray=cats)
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, showlegend=False)


def small_multiples(df: pl.DataFrame, facet: str, code: str, title: str, max_panels: int = 12) -> go.Figure:
    """One small bar chart per facet value, metric by year, sharing the value axis."""
    from plotly.subplots import make_subplots

    names = df[facet].unique(maintain_order=True).to_list()[:max_panels]
    cols = min(4, max(1, len(names)))
    rows = max(1, -(-len(names) // cols))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[escape_text(n) for n in names], shared_yaxes=True)
    tick, hover = _value_format(code)
    for i, name in enumerate(names):
        part = df.filter(pl.col(facet) == name)
        fig.add_trace(
            go.Bar(x=[str(y) for y in part["year"].to_list()], y=part["value"].to_list(), marker_color="#1565c0",
                   hovertemplate="%{x}年 %{y:" + hover + "}<extra></extra>", showlegend=False),
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_yaxes(tickformat=tick)
    fig.update_xaxes(type="category")
    return _layout(fig, title, height=max(300, 220 * rows))


def peer_chart(peers: pl.DataFrame, agency: str, title: str) -> go.Figure:
    """A body's value per rate metric against its peers' quartile range and median."""
    rates = [c for c in peers["metric"].to_list() if METRICS[c].kind == "rate"]
    df = peers.filter(pl.col("metric").is_in(rates))
    labels = df["label"].to_list()
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=[(q3 or 0) - (q1 or 0) for q1, q3 in zip(df["q1"], df["q3"], strict=True)],
                         base=[q1 or 0 for q1 in df["q1"]], orientation="h", name="同级同省机关 四分位区间",
                         marker_color="rgba(21,101,192,0.25)", hoverinfo="skip"))
    fig.add_trace(go.Scatter(y=labels, x=df["median"].to_list(), mode="markers", name="中位数",
                             marker={"symbol": "line-ns-open", "size": 18, "color": "#1565c0"}))
    fig.add_trace(go.Scatter(y=labels, x=df["value"].to_list(), mode="markers", name=escape_text(agency),
                             marker={"size": 12, "color": "#c62828"}))
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, title)

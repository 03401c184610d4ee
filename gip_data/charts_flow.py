"""Where applications go: a Plotly Sankey from applications received to dispositions, review and litigation.

Stages, left to right: 本年新收 and 上年结转 flow into 受理; 受理 splits into the
six dispositions and 结转下年度; the six dispositions join again in 办结, which
splits into 行政复议, 行政诉讼 and the rest; review and litigation split into
their outcomes. Review and litigation come from table 4: they count cases of
the year, not necessarily about this year's applications, so their share of
办结 is shown as such and never forced to fit (when they exceed 办结, the rest
is 0 and the figure says so).

:func:`flow_links` is the pure part (a sums row in, links out); :func:`flow_sankey`
draws them. The sums are those of :func:`gip_data.metrics.totals` (one row of
bases), so the figure works on the cube or on any filtered frame.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl

from gip_data.charts import DISPOSITION_COLORS, FONT
from gip_data.schema.template import DISPOSITION_GROUP_LABELS, OUTCOME_LABELS

OUTCOMES = ("upheld", "corrected", "other", "pending")
_LITIGATION = ("litigation_direct", "litigation_after_review")
NODE_COLORS = {
    "本年新收": "#1565c0", "上年结转": "#64b5f6", "受理": "#0d47a1", "结转下年度": "#90a4ae", "办结": "#37474f",
    "行政复议": "#8e24aa", "行政诉讼": "#5e35b1", "未被复议或起诉": "#b0bec5",
    **DISPOSITION_COLORS,
}
OUTCOME_COLORS = {"upheld": "#78909c", "corrected": "#d81b60", "other": "#a1887f", "pending": "#ffb300"}
NO_FLOWS = "当前视图没有申请数据，无法绘制流向图。"
EXCESS_NOTE = "注：表四的复议、诉讼件数多于本年办结件数（含往年申请引起的案件），“未被复议或起诉”记为0。"


def _value(sums: Mapping[str, object], key: str) -> int:
    return int(sums.get(key) or 0)  # type: ignore[call-overload]


def flow_links(sums: Mapping[str, object]) -> pl.DataFrame:
    """The Sankey links (source, target, value) for one row of base sums; zero links left out."""
    links: list[tuple[str, str, int]] = [
        ("本年新收", "受理", _value(sums, "new")),
        ("上年结转", "受理", _value(sums, "carried_over")),
    ]
    for group, label in DISPOSITION_GROUP_LABELS.items():
        links.append(("受理", label, _value(sums, group)))
        links.append((label, "办结", _value(sums, group)))
    links.append(("受理", "结转下年度", _value(sums, "carried_forward")))
    closed = sum(_value(sums, g) for g in DISPOSITION_GROUP_LABELS)
    review = _value(sums, "review_total")
    litigation = sum(_value(sums, f"{b}_total") for b in _LITIGATION)
    links += [("办结", "行政复议", review), ("办结", "行政诉讼", litigation),
              ("办结", "未被复议或起诉", max(closed - review - litigation, 0))]
    for outcome in OUTCOMES:
        label = OUTCOME_LABELS[outcome]
        links.append(("行政复议", f"复议·{label}", _value(sums, f"review_{outcome}")))
        links.append(("行政诉讼", f"诉讼·{label}", sum(_value(sums, f"{b}_{outcome}") for b in _LITIGATION)))
    return pl.DataFrame([link for link in links if link[2] > 0], orient="row",
                        schema={"source": pl.String, "target": pl.String, "value": pl.Int64})


def _stage(name: str) -> float:
    """The column of a node (0 = applications … 1 = outcomes)."""
    if name in ("本年新收", "上年结转"):
        return 0.001
    if name == "受理":
        return 0.2
    if name in DISPOSITION_GROUP_LABELS.values() or name == "结转下年度":
        return 0.42
    if name == "办结":
        return 0.62
    return 0.999 if "·" in name else 0.8


def _positions(nodes: list[str], links: pl.DataFrame) -> tuple[list[float], list[float]]:
    """x by stage; y stacks each stage's nodes in order, each given room in proportion to its flow."""
    size = {n: max(links.filter(pl.col("target") == n)["value"].sum(), links.filter(pl.col("source") == n)["value"].sum())
            for n in nodes}
    xs = [_stage(n) for n in nodes]
    ys = []
    for i, x in enumerate(xs):
        column = [nodes[j] for j, other in enumerate(xs) if other == x]
        total = sum(size[n] for n in column) or 1
        before = sum(size[n] for n in column[: column.index(nodes[i])])
        ys.append(min(max(0.04 + 0.92 * (before + size[nodes[i]] / 2) / total, 0.001), 0.999))
    return xs, ys


def _node_color(name: str) -> str:
    if "·" in name:
        label = name.split("·", 1)[1]
        outcome = next(o for o in OUTCOMES if OUTCOME_LABELS[o] == label)
        return OUTCOME_COLORS[outcome]
    return NODE_COLORS.get(name, "#9e9e9e")


def flow_sankey(totals: pl.DataFrame, title: str = "申请流向：受理 → 办理结果 → 复议诉讼") -> go.Figure | None:
    """The Sankey of a one-row totals frame (:func:`gip_data.metrics.totals`); None when nothing flows."""
    if totals.height == 0:
        return None
    sums = totals.row(0, named=True)
    links = flow_links(sums)
    if not links.filter(pl.col("target") == "受理")["value"].sum():
        return None
    nodes = list(dict.fromkeys([*links["source"].to_list(), *links["target"].to_list()]))
    index = {name: i for i, name in enumerate(nodes)}
    xs, ys = _positions(nodes, links)
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": nodes, "color": [_node_color(n) for n in nodes], "pad": 14, "thickness": 14, "x": xs, "y": ys,
              "hovertemplate": "%{label}：%{value:,d}件<extra></extra>"},
        link={"source": [index[s] for s in links["source"]], "target": [index[t] for t in links["target"]],
              "value": links["value"].to_list(), "hovertemplate": "%{source.label} → %{target.label}：%{value:,d}件<extra></extra>"},
    ))
    closed = sum(_value(sums, g) for g in DISPOSITION_GROUP_LABELS)
    cases = _value(sums, "review_total") + sum(_value(sums, f"{b}_total") for b in _LITIGATION)
    note = EXCESS_NOTE if cases > closed else "复议、诉讼件数取自表四（当年发生的案件）。"
    fig.update_layout(title={"text": title, "x": 0.01}, font={"family": FONT}, margin={"l": 10, "r": 10, "t": 50, "b": 40},
                      annotations=[{"text": note, "x": 0, "y": -0.08, "xref": "paper", "yref": "paper",
                                    "showarrow": False, "font": {"size": 11}}])
    return fig

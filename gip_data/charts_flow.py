"""The flow Sankey: applications received → the six dispositions → review and litigation outcomes.

The links come from :func:`gip_data.flows.flow_links` (the view ``FLOWS``);
this module places the nodes by stage and draws them with Plotly.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from gip_data.charts import DISPOSITION_COLORS, FONT
from gip_data.flows import OUTCOMES
from gip_data.schema.template import DISPOSITION_GROUP_LABELS, OUTCOME_LABELS

NODE_COLORS = {
    "本年新收": "#1565c0", "上年结转": "#64b5f6", "受理": "#0d47a1", "结转下年度": "#90a4ae", "办结": "#37474f",
    "行政复议": "#8e24aa", "行政诉讼": "#5e35b1", "未被复议或起诉": "#b0bec5",
    **DISPOSITION_COLORS,
}
OUTCOME_COLORS = {"upheld": "#78909c", "corrected": "#d81b60", "other": "#a1887f", "pending": "#ffb300"}
NO_FLOWS = "当前视图没有申请数据，无法绘制流向图。"
EXCESS_NOTE = "注：表四的复议、诉讼件数多于本年办结件数（含往年申请引起的案件），“未被复议或起诉”记为0。"


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
    size = {n: max(int(links.filter(pl.col("target") == n)["value"].sum()),
                   int(links.filter(pl.col("source") == n)["value"].sum()))
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


def _into(links: pl.DataFrame, node: str, source: str | None = None) -> int:
    """The flow into ``node`` (from ``source`` only, when given)."""
    hit = pl.col("target") == node
    return int(links.filter(hit if source is None else hit & (pl.col("source") == source))["value"].sum())


def flow_sankey(links: pl.DataFrame, title: str = "申请流向：受理 → 办理结果 → 复议诉讼") -> go.Figure | None:
    """The Sankey of the view's flow links (:func:`gip_data.flows.flow_links`); None when nothing flows."""
    if links.height == 0 or not _into(links, "受理"):
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
    cases = _into(links, "行政复议", "办结") + _into(links, "行政诉讼", "办结")
    note = EXCESS_NOTE if cases > _into(links, "办结") else "复议、诉讼件数取自表四（当年发生的案件）。"
    fig.update_layout(title={"text": title, "x": 0.01}, font={"family": FONT}, margin={"l": 10, "r": 10, "t": 50, "b": 40},
                      annotations=[{"text": note, "x": 0, "y": -0.08, "xref": "paper", "yref": "paper",
                                    "showarrow": False, "font": {"size": 11}}])
    return fig

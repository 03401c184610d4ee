"""Chart builders: Chinese labels, fixed orders, escaping, and no lonely-point trends."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import polars as pl
import pytest

from gip_data import charts, metrics
from gip_data.filters import FilterState, apply_filters

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def rows(seeds_wide: pl.DataFrame) -> pl.LazyFrame:
    return apply_filters(metrics.add_year_links(seeds_wide), FilterState())


def test_trend_needs_two_years(rows: pl.LazyFrame) -> None:
    yearly = metrics.yearly_totals(rows)
    fig = charts.trend_line(yearly, ["recv", "open"], "趋势")
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["受理总量（新收+上年结转）", "公开率"]
    assert list(fig.data[0].x) == ["2020", "2021"] and list(fig.data[0].y) == [36, 14]
    assert charts.trend_line(yearly.filter(pl.col("year") == 2020), ["recv"], "趋势") is None


def test_disposition_bars_keep_template_order_and_percent_axis(rows: pl.LazyFrame) -> None:
    mix = metrics.disposition_mix(rows, "year")
    fig = charts.stacked_bars(mix, "year", "share", "label", "构成", percent=True)
    assert [t.name for t in fig.data] == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert fig.layout.barmode == "stack" and tuple(fig.layout.yaxis.range) == (0, 1)
    assert fig.data[0].marker.color == charts.DISPOSITION_COLORS["予以公开"]


def test_sunburst_omits_zero_reasons(rows: pl.LazyFrame) -> None:
    fig = charts.reasons_sunburst(metrics.reason_breakdown(rows), "原因")
    trace = fig.data[0]
    assert set(trace.parents) == {"", "无法提供", "其他处理"}
    assert dict(zip(trace.ids, trace.values, strict=True))["无法提供/本机关不掌握相关政府信息"] == 12


def test_report_text_is_escaped_in_labels() -> None:
    df = pl.DataFrame({"agency": [EVIL, "甲局"], "value": [0.5, 0.25]})
    fig = charts.bars(df, "agency", "open", "公开率", horizontal=True)
    assert fig.data[0].y[0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert EVIL not in json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    peers = pl.DataFrame({"metric": ["open"], "label": ["公开率"], "value": [0.5], "q1": [0.2], "median": [0.4],
                          "q3": [0.6], "peers": [3]})
    assert charts.peer_chart(peers, EVIL, "对比").data[2].name.startswith("&lt;img")


def test_box_from_quantiles(rows: pl.LazyFrame) -> None:
    dist = metrics.volume_distribution(rows)
    fig = charts.box_from_quantiles(dist, "level", "分布", "受理量")
    assert list(fig.data[0].x) == ["县级", "乡镇街道"] and list(fig.data[0].median) == [20.0, 1.0]


def test_small_multiples_one_panel_per_value(rows: pl.LazyFrame) -> None:
    df = metrics.metric_by(rows, ["level", "year"], "recv")
    fig = charts.small_multiples(df, "level", "recv", "逐年")
    assert [a.text for a in fig.layout.annotations] == ["县级", "乡镇街道"]
    assert len(fig.data) == 2


def test_plotly_config_never_sends_to_cloud() -> None:
    assert charts.PLOTLY_CONFIG["showSendToCloud"] is False and charts.PLOTLY_CONFIG["displaylogo"] is False

"""The flow Sankey: links conserve the applications, zero links are left out, outcomes follow table 4."""

from __future__ import annotations

import polars as pl

from gip_data.charts_flow import EXCESS_NOTE, flow_sankey
from gip_data.flows import flow_links, flows
from gip_data.frames import records_to_wide
from gip_data.metrics import totals
from tests.conftest import seed_reports


def _sums() -> dict[str, object]:
    return totals(records_to_wide([r for _, r in seed_reports()]).lazy()).row(0, named=True)


def test_links_conserve_applications() -> None:
    sums = _sums()
    links = flow_links(sums)
    into = links.filter(pl.col("target") == "受理")["value"].sum()
    out = links.filter(pl.col("source") == "受理")["value"].sum()
    assert into == sums["new"] + sums["carried_over"] == out  # the seeds satisfy the balance rule
    closed = links.filter(pl.col("target") == "办结")["value"].sum()
    assert closed == sums["closed"]
    assert links.filter(pl.col("source") == "办结")["value"].sum() == closed
    assert (links["value"] > 0).all()
    review = links.filter(pl.col("source") == "行政复议")
    assert review["value"].sum() == sums["review_total"]


def test_cases_beyond_closed_are_noted_not_forced() -> None:
    sums = {"new": 2, "granted": 2, "review_total": 3, "review_upheld": 3}
    links = flow_links(sums)
    assert links.filter(pl.col("target") == "未被复议或起诉").height == 0
    fig = flow_sankey(links)
    assert fig is not None and fig.layout.annotations[0].text == EXCESS_NOTE


def test_no_applications_no_figure() -> None:
    assert flow_sankey(flow_links({"new": 0, "carried_over": 0})) is None
    assert flow_sankey(flows(records_to_wide([]).lazy())) is None
    fig = flow_sankey(flows(records_to_wide([r for _, r in seed_reports()]).lazy()))
    assert fig is not None and fig.data[0].type == "sankey"

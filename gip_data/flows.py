"""Where applications go, as the links of a flow diagram: applications received → dispositions → review, litigation.

Stages, left to right: 本年新收 and 上年结转 flow into 受理; 受理 splits into the
six dispositions and 结转下年度; the six dispositions join again in 办结, which
splits into 行政复议, 行政诉讼 and the rest; review and litigation split into
their outcomes. Review and litigation come from table 4: they count cases of
the year, not necessarily about this year's applications, so their share of
办结 is shown as such and never forced to fit (when they exceed 办结, the rest
is 0).

:func:`flow_links` turns one row of base sums into links; :func:`flows` is the
view's definition over reports (additive: the same on the cube). The drawing
is :mod:`gip_data.charts_flow`.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from gip_data.metrics import totals_query
from gip_data.schema.template import CASE_BLOCKS, DISPOSITION_GROUP_LABELS, OUTCOME_LABELS

OUTCOMES = ("upheld", "corrected", "other", "pending")
_LITIGATION = ("litigation_direct", "litigation_after_review")
# The bases the links read.
FLOW_BASES: tuple[str, ...] = (
    "new", "carried_over", *DISPOSITION_GROUP_LABELS, "carried_forward",
    *(f"{b}_{o}" for b in CASE_BLOCKS for o in (*OUTCOMES, "total")),
)
LINK_SCHEMA: dict[str, pl.DataType] = {"source": pl.String(), "target": pl.String(), "value": pl.Int64()}


def _value(sums: Mapping[str, int | None], key: str) -> int:
    return int(sums.get(key) or 0)


def flow_links(sums: Mapping[str, int | None]) -> pl.DataFrame:
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
    return pl.DataFrame([link for link in links if link[2] > 0], orient="row", schema=LINK_SCHEMA)




def flows(lf: pl.LazyFrame) -> pl.DataFrame:
    """The flow links of the view's applications (reports or cube rows): one row of sums, then :func:`flow_links`."""
    sums = totals_query(lf, (), (), FLOW_BASES).collect()
    return flow_links(sums.row(0, named=True) if sums.height else {})

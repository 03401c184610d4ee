"""A short Chinese paragraph describing the numbers of the current view (the overview's 摘要).

Built from :func:`gip_data.metrics.kpi_table` only, so the text and the KPI
cards can never disagree.
"""

from __future__ import annotations

from typing import cast

import polars as pl


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _count(value: float | None) -> str:
    return "—" if value is None else f"{int(value):,}"


def _yoy(row: dict[str, object]) -> str:
    """'同比增长x%' for counts; '' when the previous year is unknown."""
    if row["change"] is None:
        return ""
    change = float(cast(float, row["change"]))
    if row["kind"] == "count":
        word = "增长" if change >= 0 else "下降"
        return f"，同比{word}{abs(change) * 100:.1f}%"
    word = "上升" if change >= 0 else "下降"
    return f"（同比{word}{abs(change) * 100:.1f}个百分点）"


def kpi_summary(kpis: pl.DataFrame, scope_label: str) -> str:
    """The summary paragraph for a KPI table; says which reports the totals use."""
    if kpis.height == 0 or kpis["year"][0] is None:
        return "当前筛选条件下没有报告。"
    rows = {r["metric"]: r for r in kpis.iter_rows(named=True)}
    year, matched = kpis["year"][0], kpis["matched"][0]
    parts = [
        f"{year}年共有{_count(rows['reports']['value'])}份报告（{scope_label}），"
        f"受理政府信息公开申请{_count(rows['recv']['value'])}件（其中新收{_count(rows['apps']['value'])}件）"
        f"{_yoy(rows['recv'])}。",
        f"办结案件中，予以公开和部分公开占{_pct(rows['open']['value'])}{_yoy(rows['open'])}，"
        f"不予公开占{_pct(rows['wh']['value'])}，无法提供占{_pct(rows['un']['value'])}；"
        f"结转下年度继续办理{_count(rows['fwd']['value'])}件。",
        f"被申请行政复议{_count(rows['rvn']['value'])}件、提起行政诉讼{_count(rows['ltn']['value'])}件，"
        f"复议纠错率{_pct(rows['rvc']['value'])}，诉讼纠错率{_pct(rows['ltc']['value'])}（均以已审结案件为分母）。",
    ]
    if matched:
        parts.append(f"同比仅比较{year - 1}年和{year}年都有报告的{matched:,}个机关。")
    else:
        parts.append(f"没有机关同时有{year - 1}年和{year}年的报告，无法计算同比。")
    return "".join(parts)

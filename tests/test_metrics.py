"""Metric functions against values computed by hand from the five seed reports.

Seeds (总计 column): 2020 — 000 (乡镇街道: new 9, closed 9, granted 3, unable 4, other 2, review 2 upheld,
after-review suit 1 upheld), 001 (县级: new 26, closed 25, granted 12, partial 3, unable 10, carried forward 1;
new from natural persons 20, businesses 5), 002 (乡镇街道: all zero), 004 (乡镇街道: new 1, granted 1, direct
suit 1 upheld; 本机关不掌握 4 in 000 and 8 in 001); 2021 — 003 (县级: new 14, granted 14).
"""

from __future__ import annotations

import polars as pl
import pytest

from gip_data import metrics
from gip_data.filters import FilterState, apply_filters


@pytest.fixture(scope="module")
def wide(seeds_wide: pl.DataFrame) -> pl.DataFrame:
    return metrics.add_year_links(seeds_wide)


@pytest.fixture
def rows(wide: pl.DataFrame) -> pl.LazyFrame:
    return apply_filters(wide, FilterState())


def test_yearly_totals_are_ratios_of_sums(rows: pl.LazyFrame) -> None:
    y = metrics.yearly_totals(rows).row(0, named=True)
    assert (y["year"], y["reports"], y["new"], y["closed"], y["carried_forward"]) == (2020, 4, 36, 35, 1)
    assert y["open"] == pytest.approx((16 + 3) / 35)
    assert y["un"] == pytest.approx(14 / 35)
    assert y["oth"] == pytest.approx(2 / 35)
    assert y["bl"] == pytest.approx(1 / 36)
    assert y["rv"] == pytest.approx(2 / 35 * 100)
    assert y["lt"] == pytest.approx(2 / 35 * 100)
    assert y["rvc"] == 0.0 and y["ltc"] == 0.0
    y21 = metrics.yearly_totals(rows).row(1, named=True)
    assert (y21["year"], y21["open"], y21["rvc"]) == (2021, 1.0, None)  # no closed review: undefined, not 0


def test_mean_of_ratios_is_not_used(rows: pl.LazyFrame) -> None:
    # Mean of per-report 公开率 for 2020 would be (3/9 + 15/25 + 1/1) / 3 = 0.644…; ratio of sums is 19/35.
    value = metrics.metric_by(rows, ["year"], "open").filter(pl.col("year") == 2020)["value"][0]
    assert value == pytest.approx(19 / 35)


def test_applicant_mix(rows: pl.LazyFrame) -> None:
    mix = metrics.applicant_mix(rows).filter(pl.col("year") == 2020)
    natural = mix.filter(pl.col("applicant") == "natural_person").row(0, named=True)
    assert (natural["count"], natural["label"]) == (30, "自然人")
    assert natural["share"] == pytest.approx(30 / 36)
    assert mix["share"].sum() == pytest.approx(1.0)
    assert mix.filter(pl.col("applicant") == "business")["count"][0] == 5


def test_disposition_mix_by_level(rows: pl.LazyFrame) -> None:
    mix = metrics.disposition_mix(rows, "level")
    township = mix.filter(pl.col("level") == "乡镇街道")
    assert township["label"].to_list() == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert township["count"].to_list() == [4, 0, 0, 4, 0, 2]
    assert township["share"].sum() == pytest.approx(1.0)


def test_reason_breakdown(rows: pl.LazyFrame) -> None:
    reasons = metrics.reason_breakdown(rows)
    not_held = reasons.filter(pl.col("reason") == "unable_not_held").row(0, named=True)
    assert not_held["count"] == 4 + 8 and not_held["label"] == "本机关不掌握相关政府信息"
    assert reasons.filter(pl.col("group") == "unable")["count"].sum() == 14


def test_case_outcomes_and_rates(rows: pl.LazyFrame) -> None:
    out = metrics.case_outcomes(rows).filter(pl.col("year") == 2020)
    upheld = out.filter(pl.col("outcome") == "upheld")["count"].to_list()
    assert upheld == [2, 1, 1]  # review, direct suit, suit after review
    rates = metrics.case_rates(rows).row(0, named=True)
    assert (rates["rvn"], rates["ltn"], rates["litigation_direct_total"]) == (2, 2, 1)


def test_kpis_compare_only_bodies_present_in_both_years(wide: pl.DataFrame) -> None:
    body = wide.filter(pl.col("report_id") == 2)  # 001, 2020, new 26
    copy = body.with_columns(pl.lit(6, pl.Int64).alias("report_id"), pl.lit(2021, pl.Int32).alias("year"),
                             pl.lit(39, pl.Int32).alias("new_received__total"))
    lf = apply_filters(metrics.add_year_links(pl.concat([wide.drop('has_prev', 'has_next'), copy.drop('has_prev', 'has_next')])), FilterState())
    kpis = {r["metric"]: r for r in metrics.kpi_table(lf).iter_rows(named=True)}
    assert kpis["reports"]["value"] == 2 and kpis["recv"]["value"] == 14 + 39
    assert kpis["recv"]["previous"] == 26 and kpis["recv"]["current_matched"] == 39
    assert kpis["recv"]["change"] == pytest.approx(0.5)
    assert metrics.kpi_table(lf)["matched"][0] == 1


def test_kpis_without_previous_year(rows: pl.LazyFrame) -> None:
    kpis = metrics.kpi_table(rows)
    assert kpis["year"][0] == 2021 and kpis["matched"][0] == 0
    assert kpis["change"].null_count() == kpis.height


def test_distribution_and_top_bodies(rows: pl.LazyFrame) -> None:
    dist = metrics.volume_distribution(rows).filter(pl.col("level") == "乡镇街道").row(0, named=True)
    assert (dist["reports"], dist["min"], dist["median"], dist["max"]) == (3, 0, 1.0, 9)
    top = metrics.top_bodies(rows, 2)
    assert top["recv"].to_list() == [26, 14]


def test_peer_comparison(rows: pl.LazyFrame) -> None:
    peers = metrics.peer_comparison(rows, "郑州高新区沟赵办事处", 2020)
    recv = peers.filter(pl.col("metric") == "recv").row(0, named=True)
    # Peers: same level (乡镇街道) and province (none recorded) in 2020 — 002 (0) and 004 (1).
    assert (recv["value"], recv["median"], recv["peers"]) == (9, 0.5, 2)


def test_quality(wide: pl.DataFrame) -> None:
    flagged = wide.with_columns(pl.when(pl.col("report_id") == 4).then(2).otherwise(0).alias("failed_checks"))
    lf = apply_filters(flagged, FilterState())
    assert metrics.quality_overview(lf)["failing"][0] == 1
    assert metrics.quality_reports(lf)["report_id"].to_list() == [4]


def test_empty_view(wide: pl.DataFrame) -> None:
    lf = apply_filters(wide, FilterState(search="不存在的机关"))
    assert metrics.yearly_totals(lf).height == 0
    assert metrics.kpi_table(lf).height == 0
    assert metrics.quality_overview(lf)["reports"][0] == 0


def test_cube_gives_the_same_results_as_the_reports(wide: pl.DataFrame) -> None:
    from polars.testing import assert_frame_equal

    cube = metrics.build_cube(wide)
    assert cube["reports"].sum() == wide.height
    for fn in (metrics.yearly_totals, metrics.kpi_table, metrics.reason_breakdown, metrics.flows_by_year,
               lambda lf: metrics.disposition_mix(lf, "level"), lambda lf: metrics.applicant_mix(lf, "year"),
               lambda lf: metrics.case_rates(lf, "level"), lambda lf: metrics.metric_by(lf, ["level", "year"], "open")):
        assert_frame_equal(fn(cube.lazy()), fn(wide.lazy()), check_dtypes=False)

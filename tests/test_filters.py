"""FilterState: URL form (short keys, constant defaults, invalid values dropped) and the row predicate."""

from __future__ import annotations

import polars as pl
import pytest

from gip_data.filters import FilterState, apply_filters, filter_expr, state_from_query


@pytest.mark.parametrize(
    ("params", "expected", "dropped"),
    [
        pytest.param({}, FilterState(), [], id="empty"),
        pytest.param({"y0": ["2020"], "y1": ["2021"]}, FilterState(year_from=2020, year_to=2021), [], id="years"),
        pytest.param({"lv": ["city", "county", "city"]}, FilterState(levels=("city", "county")), [], id="levels-dedup"),
        pytest.param({"lv": ["city", "moon"]}, FilterState(), ["lv"], id="bad-level"),
        pytest.param({"y0": ["abc"]}, FilterState(), ["y0"], id="bad-year"),
        pytest.param({"y0": ["1800"]}, FilterState(), ["y0"], id="year-out-of-range"),
        pytest.param({"y0": ["2022"], "y1": ["2020"]}, FilterState(year_from=2022), ["y1"], id="reversed-range"),
        pytest.param({"bt": ["gov"], "ed": ["2019"]}, FilterState(body="gov", edition="2019"), [], id="codes"),
        pytest.param({"bt": ["政府"]}, FilterState(), ["bt"], id="label-not-code"),
        pytest.param({"syn": ["1"], "ag": ["sum"]}, FilterState(synthetic=True, scope="sum"), [], id="flags"),
        pytest.param({"syn": ["yes"]}, FilterState(), ["syn"], id="bad-flag"),
        pytest.param({"ct": ["郑州市"]}, FilterState(), ["ct"], id="city-without-province"),
        pytest.param({"pv": ["河南省"], "ct": ["郑州市"]}, FilterState(province="河南省", city="郑州市"), [], id="region"),
        pytest.param({"q": ["x" * 101]}, FilterState(), ["q"], id="search-too-long"),
    ],
)
def test_state_from_query(params: dict[str, list[str]], expected: FilterState, dropped: list[str]) -> None:
    assert state_from_query(params) == (expected, dropped)


def test_defaults_are_left_out_of_the_url() -> None:
    assert FilterState().to_query() == {}
    state = FilterState(year_from=2020, levels=("township",), synthetic=True, search="办事处")
    assert state.to_query() == {"y0": "2020", "lv": ["township"], "syn": "1", "q": "办事处"}


def test_query_round_trip() -> None:
    state = FilterState(year_from=2019, year_to=2021, levels=("city", "county"), body="dept", province="河南省",
                        city="郑州市", search="局", edition="2021", synthetic=True, scope="sum")
    query = {k: v if isinstance(v, list) else [v] for k, v in state.to_query().items()}
    assert state_from_query(query) == (state, [])
    assert all(k.isascii() and len(k) <= 3 for k in query)


@pytest.mark.parametrize(
    ("state", "n"),
    [
        (FilterState(), 5),
        (FilterState(levels=("township",)), 3),
        (FilterState(levels=("county",), year_from=2021), 1),
        (FilterState(year_to=2020), 4),
        (FilterState(search="办事处"), 2),
        (FilterState(edition="2021"), 1),
        (FilterState(scope="sum"), 0),
        (FilterState(search="<img"), 0),
    ],
)
def test_filter_expr(seeds_wide: pl.DataFrame, state: FilterState, n: int) -> None:
    assert seeds_wide.filter(filter_expr(state)).height == n


def test_synthetic_rows_hidden_unless_only_synthetic(seeds_wide: pl.DataFrame) -> None:
    mixed = seeds_wide.with_columns((pl.col("report_id") > 3).alias("synthetic"))
    assert apply_filters(mixed, FilterState()).collect().height == 3
    assert apply_filters(mixed, FilterState(synthetic=True)).collect().height == 5
    only = seeds_wide.with_columns(pl.lit(True).alias("synthetic"))
    assert apply_filters(only, FilterState()).collect().height == 5

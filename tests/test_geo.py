"""The province tile grid and the city drill-down."""

from __future__ import annotations

import polars as pl

from gip_data.extract.gazetteer import RANK_PROVINCE, load_gazetteer
from gip_data.geo import (
    PROVINCE_TILES,
    cities_of,
    city_grid,
    city_tiles,
    clicked_name,
    province_grid,
    short_name,
)


def test_every_province_of_the_gazetteer_has_one_tile() -> None:
    provinces = {d.name for d in load_gazetteer().divisions if d.rank == RANK_PROVINCE and d.name}
    assert provinces <= set(PROVINCE_TILES)
    assert len(set(PROVINCE_TILES.values())) == len(PROVINCE_TILES) == 34  # no two tiles on one square


def test_short_names() -> None:
    assert [short_name(n) for n in ("黑龙江省", "广西壮族自治区", "北京市", "香港特别行政区", "平顶山市")] == [
        "黑龙江", "广西", "北京", "香港", "平顶山"]


def test_province_grid_colours_the_provinces_with_data() -> None:
    fig = province_grid(pl.DataFrame({"province": ["河南省", "北京市"], "value": [120.0, 30.0]}), "受理申请")
    values = fig.data[1]
    r, c = PROVINCE_TILES["河南省"]
    left = min(col for _, col in PROVINCE_TILES.values())
    assert values.z[r][c - left] == 120.0 and values.customdata[r][c - left] == "河南省"
    assert "河南<br>120" in values.text[r][c - left]
    r, c = PROVINCE_TILES["江西省"]
    assert values.z[r][c - left] is None and values.text[r][c - left].endswith("无数据")


def test_city_drill_down() -> None:
    assert "平顶山市" in cities_of("河南省") and "" not in cities_of("河南省")
    tiles = city_tiles("河南省")
    assert len(set(tiles.values())) == len(tiles)
    fig = city_grid("河南省", pl.DataFrame({"city": ["郑州市", "某新区"], "value": [5.0, 2.0]}), "河南省")
    names = {n for row in fig.data[1].customdata for n in row if n}
    assert {"郑州市", "某新区"} <= names  # a city the gazetteer lacks is still shown


def test_clicked_name() -> None:
    assert clicked_name({"selection": {"points": [{"customdata": "河南省"}]}}) == "河南省"
    assert clicked_name({"selection": {"points": []}}) is None
    assert clicked_name(None) is None

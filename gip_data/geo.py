"""Regions on a map view: a tile grid of China's provinces, and a province's cities as tiles.

Why tiles and not a choropleth (README "地图"): every province gets one equal
square placed roughly where it lies, so 上海, 北京 and 天津 are as visible as 新疆;
there are no boundary lines to draw (a published map of China's borders needs
an approved 审图号, and a wrong line is a real problem), and no boundary data to
ship or download — the layout is 34 grid positions in this file. A province's
cities have no agreed tile layout: they are laid out in the gazetteer's order,
:data:`CITY_COLUMNS` per row.

The figures are Plotly heatmaps: a grey layer marks every tile, the value layer
colours the tiles with data, and each tile's full name is its ``customdata`` so a
page can drill down on a click (``st.plotly_chart(on_select=...)``).
"""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import polars as pl

from gip_data.charts import FONT, escape_text
from gip_data.extract.gazetteer import RANK_CITY, RANK_PROVINCE, load_gazetteer

# (row, column) of each province's tile, north at the top, west on the left.
PROVINCE_TILES: dict[str, tuple[int, int]] = {
    "黑龙江省": (0, 8),
    "内蒙古自治区": (1, 4), "北京市": (1, 6), "辽宁省": (1, 7), "吉林省": (1, 8),
    "新疆维吾尔自治区": (2, 1), "甘肃省": (2, 2), "宁夏回族自治区": (2, 3), "山西省": (2, 4), "河北省": (2, 5),
    "天津市": (2, 6),
    "西藏自治区": (3, 1), "青海省": (3, 2), "陕西省": (3, 3), "河南省": (3, 4), "山东省": (3, 5),
    "四川省": (4, 2), "重庆市": (4, 3), "湖北省": (4, 4), "安徽省": (4, 5), "江苏省": (4, 6), "上海市": (4, 7),
    "云南省": (5, 2), "贵州省": (5, 3), "湖南省": (5, 4), "江西省": (5, 5), "浙江省": (5, 6),
    "广西壮族自治区": (6, 3), "广东省": (6, 4), "福建省": (6, 5), "台湾省": (6, 6),
    "海南省": (7, 3), "澳门特别行政区": (7, 4), "香港特别行政区": (7, 5),
}
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
CITY_COLUMNS = 6
NO_DATA = "无数据"


def short_name(name: str) -> str:
    """黑龙江省 → 黑龙江, 广西壮族自治区 → 广西, 平顶山市 → 平顶山."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@functools.cache
def cities_of(province: str) -> tuple[str, ...]:
    """The prefecture-level cities of a province, in the gazetteer's order (a municipality has itself)."""
    gazetteer = load_gazetteer()
    parents = {d.index for d in gazetteer.divisions if d.rank == RANK_PROVINCE and d.name == province}
    return tuple(dict.fromkeys(d.name for d in gazetteer.divisions
                               if d.rank == RANK_CITY and d.name and d.parent in parents))


def city_tiles(province: str) -> dict[str, tuple[int, int]]:
    """Tile positions of a province's cities (gazetteer order, :data:`CITY_COLUMNS` per row)."""
    return {city: divmod(i, CITY_COLUMNS) for i, city in enumerate(cities_of(province))}


def _format(value: float | None, kind: str) -> str:
    if value is None:
        return NO_DATA
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "per100":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def tile_grid(tiles: dict[str, tuple[int, int]], values: dict[str, float | None], title: str,
              kind: str = "count") -> go.Figure:
    """A tile heatmap: one square per name at its (row, column), coloured by its value (grey without one)."""
    left = min((c for _, c in tiles.values()), default=0)
    tiles = {name: (r, c - left) for name, (r, c) in tiles.items()}
    rows = 1 + max((r for r, _ in tiles.values()), default=0)
    cols = 1 + max((c for _, c in tiles.values()), default=0)
    z: list[list[float | None]] = [[None] * cols for _ in range(rows)]
    shape: list[list[float | None]] = [[None] * cols for _ in range(rows)]
    text = [[""] * cols for _ in range(rows)]
    names = [[""] * cols for _ in range(rows)]
    for name, (r, c) in tiles.items():
        value = values.get(name)
        shape[r][c] = 0.0
        z[r][c] = value
        text[r][c] = f"{escape_text(short_name(name))}<br>{_format(value, kind)}"
        names[r][c] = name
    common = {"xgap": 3, "ygap": 3, "customdata": names, "text": text}
    fig = go.Figure([
        go.Heatmap(z=shape, colorscale=[[0, "#eceff1"], [1, "#eceff1"]], showscale=False, hoverinfo="skip", **common),
        go.Heatmap(z=z, colorscale="Blues", texttemplate="%{text}", hovertemplate="%{text}<extra></extra>",
                   colorbar={"thickness": 10, "tickformat": ".0%" if kind == "rate" else ",d" if kind == "count" else ""},
                   **common),
    ])
    fig.update_yaxes(autorange="reversed", visible=False, scaleanchor="x")
    fig.update_xaxes(visible=False)
    fig.update_layout(title={"text": title, "x": 0.01}, font={"family": FONT}, plot_bgcolor="white",
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def _values(frame: pl.DataFrame, key: str) -> dict[str, float | None]:
    return {k: v for k, v in frame.select(key, "value").iter_rows() if k is not None}


def province_grid(by_province: pl.DataFrame, title: str, kind: str = "count") -> go.Figure:
    """Provinces as tiles, coloured by ``value`` of a frame with columns ``province``, ``value``."""
    return tile_grid(PROVINCE_TILES, _values(by_province, "province"), title, kind)


def city_grid(province: str, by_city: pl.DataFrame, title: str, kind: str = "count") -> go.Figure:
    """One province's cities as tiles, coloured by ``value`` of a frame with columns ``city``, ``value``.

    Cities with data that the gazetteer does not list (renamed, zones) are added after the known ones.
    """
    tiles = city_tiles(province)
    extra = [c for c in by_city["city"].drop_nulls().to_list() if c not in tiles]
    for i, city in enumerate(extra, start=len(tiles)):
        tiles[city] = divmod(i, CITY_COLUMNS)
    return tile_grid(tiles, _values(by_city, "city"), title, kind)


def clicked_name(selection: object) -> str | None:
    """The tile name a ``st.plotly_chart(on_select=...)`` selection points at, if any."""
    points = getattr(getattr(selection, "selection", None), "points", None)
    if points is None and isinstance(selection, dict):
        points = selection.get("selection", {}).get("points")
    for point in points or []:
        name = point.get("customdata") if isinstance(point, dict) else None
        if name:
            return str(name)
    return None

"""Shared widgets: the sidebar filters (same on every page), page controls, exports, charts.

Widgets are not bound to the URL by Streamlit (a bound widget writes its
*label* into the URL); instead their values are seeded once from the link the
session was opened with and written back as ASCII codes by :mod:`state`.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from gip_data.charts import PLOTLY_CONFIG
from gip_data.export import export_frame, write_export
from gip_data.filters import BODY_BY_CODE, LEVEL_BY_CODE, SCOPE_LABELS, FilterState
from gip_data.frames import WIDE_SCHEMA
from gip_data.schema.meta import EDITABLE_FIELDS, META_COLUMNS, ColumnSpec, ReportMeta
from gip_data.schema.record import AnnualReport
from gip_data.schema.template import EDITIONS
from gip_data.ui import state
from gip_data.ui.state import StateKeys

_ALL = "全部"
_INVALID = object()  # a link value that did not parse (None may be a valid option)


def _seed(url_key: str, value: Any, valid: Sequence[Any] | None = None) -> None:
    """Give a widget its first value (from the link), dropping values that are not offered."""
    key = StateKeys.widget(url_key)
    if key in st.session_state:
        return
    if valid is not None and value not in valid:
        state.add_notice(f"链接参数 {url_key} 的值在当前数据中不存在，已忽略")
        value = None
    st.session_state[key] = value


def _seed_all(seed: FilterState, options: dict[str, Any]) -> None:
    years = [None, *options["years"]]
    _seed("y0", seed.year_from, years)
    _seed("y1", seed.year_to, years)
    _seed("lv", list(seed.levels))
    _seed("bt", seed.body)
    _seed("pv", seed.province or None, [None, *options["provinces"]])
    cities = options["cities"].get(seed.province, []) if seed.province else []
    _seed("ct", seed.city or None, [None, *cities])
    _seed("q", seed.search)
    _seed("ed", seed.edition)
    _seed("ag", seed.scope)
    _seed("syn", seed.synthetic)


def sidebar_filters(options: dict[str, Any], synthetic_only: bool) -> FilterState:
    """Render the shared filters in the sidebar and return their state."""
    _seed_all(state.seed_filters_from_url(), options)
    w = StateKeys.widget
    sb = st.sidebar
    sb.header("筛选条件")
    c0, c1 = sb.columns(2)
    years = [None, *options["years"]]
    fmt_year = lambda y: _ALL if y is None else f"{y}年"  # noqa: E731
    year_from = c0.selectbox("起始年度", years, key=w("y0"), format_func=fmt_year, placeholder=_ALL)
    year_to = c1.selectbox("截止年度", years, key=w("y1"), format_func=fmt_year, placeholder=_ALL)
    levels = sb.multiselect("机关层级", list(LEVEL_BY_CODE), key=w("lv"), format_func=LEVEL_BY_CODE.__getitem__,
                            placeholder="全部层级")
    body = sb.radio("机关类型", ["all", "gov", "dept"], key=w("bt"), horizontal=True,
                    format_func=lambda c: BODY_BY_CODE.get(c, _ALL))
    province = sb.selectbox("省份", [None, *options["provinces"]], key=w("pv"), format_func=lambda p: p or _ALL,
                            placeholder="全部省份")
    cities = options["cities"].get(province, []) if province else []
    if st.session_state.get(w("ct")) not in [None, *cities]:
        st.session_state[w("ct")] = None  # the city belongs to another province
    city = sb.selectbox("城市", [None, *cities], key=w("ct"), format_func=lambda c: c or _ALL, disabled=not province,
                        placeholder="全部城市")
    search = sb.text_input("机关名称包含", key=w("q"), max_chars=100)
    edition = sb.radio("模板版本", ["all", *map(str, EDITIONS)], key=w("ed"), horizontal=True,
                       format_func=lambda e: _ALL if e == "all" else f"{e}版")
    scope = sb.radio("统计口径", list(SCOPE_LABELS), key=w("ag"), format_func=SCOPE_LABELS.get,
                     help="辖区汇总报告与其下属机关的报告不相加，只能二选一。")
    synthetic = sb.toggle("包含模拟数据", key=w("syn"), disabled=synthetic_only,
                          help="数据库中只有模拟数据时总是显示。")
    if year_from and year_to and year_from > year_to:
        sb.warning("起始年度晚于截止年度，已忽略截止年度。")
        year_to = None
    # Widgets give plain strings: the model checks them against its codes.
    return FilterState.model_validate({
        "year_from": year_from, "year_to": year_to, "levels": tuple(levels), "body": body,
        "province": province or "", "city": city or "", "search": search.strip(), "edition": edition,
        "scope": scope, "synthetic": synthetic,
    })


def page_control(
    url_key: str,
    widget: Callable[..., Any],
    label: str,
    options: Sequence[Any],
    default: Any,
    *,
    format_func: Callable[[Any], object] = str,
    parse: Callable[[str], Any] = str,
    **kwargs: Any,
) -> Any:
    """A page-local choice mirrored in the URL under ``url_key`` (seeded from the link, or from an in-app link)."""
    key, keep = StateKeys.widget(url_key), StateKeys.shadow(url_key)
    _take_incoming(url_key, parse, lambda v: v in options)
    if key not in st.session_state:
        value = _first_value(url_key, parse, default, lambda v: v in options)
        st.session_state[key] = value if value in options else default
    value = widget(label, options, key=key, format_func=format_func, **kwargs)
    st.session_state[keep] = value
    if value != default:
        state.register_page_param(url_key, str(value))
    return value


def _first_value(url_key: str, parse: Callable[[str], Any], default: Any, valid: Callable[[Any], bool]) -> Any:
    """A control's value before its widget exists: the one kept from an earlier run, else the opening link's.

    A link value that does not parse or is not ``valid`` gives ``default`` and a notice.
    """
    keep = StateKeys.shadow(url_key)
    raw = state.link_value(url_key)
    if keep in st.session_state or not raw:
        return st.session_state.get(keep, default)
    try:
        value = parse(raw[-1])
    except ValueError:
        value = _INVALID
    if value is _INVALID or not valid(value):
        state.add_notice(f"链接参数 {url_key} 无效，已使用默认值")
        return default
    return value


def _take_incoming(url_key: str, parse: Callable[[str], Any], valid: Callable[[Any], bool]) -> None:
    """Adopt a value an in-app link put in the URL for this control (invalid values are reported and ignored)."""
    raw = state.incoming(url_key)
    if raw is None:
        return
    try:
        value = parse(raw[-1])
    except ValueError:
        value = None
    if value is None or len(raw) > 1 or not valid(value):
        state.add_notice(f"链接参数 {url_key} 无效，已忽略")
        return
    st.session_state[StateKeys.widget(url_key)] = value
    st.session_state[StateKeys.shadow(url_key)] = value


def decimal(text: str) -> int:
    """A link's integer written as plain ASCII digits (``int`` would also take ``３``, `` 3`` or ``1_0``)."""
    if not text.isascii() or not text.isdigit():
        raise ValueError(text)
    return int(text)


def number_control(url_key: str, label: str, default: int = 0, *, max_value: int, **kwargs: Any) -> int:
    """A page-local integer from 0 to ``max_value`` mirrored in the URL (e.g. a report id).

    A link value outside that range (negative, or larger than any stored id) is
    invalid like any other: the default is used and the user told.
    """
    key, keep = StateKeys.widget(url_key), StateKeys.shadow(url_key)
    in_range = lambda v: 0 <= v <= max_value  # noqa: E731
    _take_incoming(url_key, decimal, in_range)
    if key not in st.session_state:
        st.session_state[key] = int(_first_value(url_key, decimal, default, in_range))
    value = int(st.number_input(label, key=key, min_value=0, max_value=max_value, step=1, **kwargs))
    st.session_state[keep] = value
    if value != default:
        state.register_page_param(url_key, str(value))
    return value


def _xlsx(df: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    df.write_excel(buffer)
    return buffer.getvalue()


def download_buttons(df: pl.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX downloads of the exact frame behind a chart or table (built on click)."""
    c0, c1, _ = st.columns([1, 1, 4])
    c0.download_button("下载数据 CSV", data=lambda: df.write_csv().encode("utf-8-sig"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"dl_csv_{key}", on_click="ignore")
    c1.download_button("下载数据 XLSX", data=lambda: _xlsx(df), file_name=f"{name}.xlsx", key=f"dl_xlsx_{key}",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")


XLSX_MAX_ROWS = 100_000  # an XLSX sheet holds 1,048,576 rows, and writing 10⁵ wide rows already takes seconds
CSV_MAX_ROWS = 300_000  # ≈ 180 MB of text held in memory until downloaded; Parquet (compressed) has no limit


def export_bytes(rows: pl.LazyFrame, fmt: str, headers: str) -> bytes:
    """The filtered reports as ``gip export`` writes them (one row per report, every metadata column and cell).

    CSV and Parquet are streamed to a temporary file (the million-report frame
    is never copied in memory); XLSX, limited to :data:`XLSX_MAX_ROWS`, goes
    through :func:`gip_data.export.write_export`.
    """
    with tempfile.TemporaryDirectory(prefix="gip-export-") as folder:
        target = Path(folder) / f"reports.{fmt}"
        selected = rows.select(list(WIDE_SCHEMA))
        if fmt == "xlsx":
            write_export(selected.collect(), target, "xlsx", headers)  # type: ignore[arg-type]
        else:
            lazy = export_frame(selected, headers)  # type: ignore[arg-type]  # headers: a str from the widget
            if fmt == "csv":
                lazy.sink_csv(target, include_bom=True)  # the BOM lets Excel read Chinese text correctly
            else:
                lazy.sink_parquet(target)
        return target.read_bytes()


_MIME = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def dataset_exports(rows: pl.LazyFrame, n_reports: int) -> None:
    """The sidebar's export of the whole filtered dataset as CSV, XLSX and Parquet (built on click)."""
    box = st.sidebar.popover("⬇️ 导出当前筛选的数据", width="stretch")
    box.caption(f"共 {n_reports:,} 份报告，每份一行：全部元数据与表三、表四的每个单元格。")
    headers = box.radio("表头", ["zh", "en"], format_func={"zh": "中文", "en": "English"}.get, horizontal=True,
                        key="export_headers")
    limits = {"csv": CSV_MAX_ROWS, "parquet": None, "xlsx": XLSX_MAX_ROWS}
    for fmt, limit in limits.items():
        if limit is not None and n_reports > limit:
            box.caption(f"{fmt.upper()}：超过 {limit:,} 份报告时不在网页中提供，请用 Parquet、缩小筛选范围或命令行 gip export。")
            continue
        box.download_button(fmt.upper() if fmt != "parquet" else "Parquet",
                            data=partial(export_bytes, rows, fmt, headers), file_name=f"gip_reports.{fmt}",
                            mime=_MIME[fmt], key=f"export_{fmt}", on_click="ignore")


def chart(fig: go.Figure | None, df: pl.DataFrame, name: str, key: str, *, empty: str = "") -> None:
    """A Plotly chart with its data download; ``empty`` is said instead when there is no figure."""
    if fig is None:
        st.info(empty)
        return
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=f"chart_{key}")
    download_buttons(df, name, key)


def percent(value: float | None, digits: int = 1) -> str:
    """A share as text ("—" when undefined)."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def count(value: float | None) -> str:
    """A count as text with thousands separators."""
    return "—" if value is None else f"{int(value):,}"


_FORM_ROW = 4  # inputs per row of the correction form


def _bounds(name: str) -> tuple[int, int]:
    """The ``ge``/``le`` bounds pydantic enforces on an integer metadata field."""
    info = ReportMeta.model_fields[name]
    low = next(m.ge for m in info.metadata if hasattr(m, "ge"))
    high = next(m.le for m in info.metadata if hasattr(m, "le"))
    return int(low), int(high)


def _metadata_input(box: Any, spec: ColumnSpec, value: Any) -> Any:
    """One form input for a metadata field, chosen by its type; returns the value as the record holds it."""
    label = spec.facts.zh
    if spec.choices:
        options = [None, *spec.choices]
        return box.selectbox(label, options, index=options.index(value), format_func=lambda v: v or "未知")
    if spec.annotation is bool:
        return bool(box.checkbox(label, value=bool(value)))
    if spec.annotation is int:
        low, high = _bounds(spec.name)
        number = box.number_input(label, low, high, value=value, step=1)  # an unknown year stays unknown
        return None if number is None else int(number)
    text = box.text_input(label, value or "", max_chars=spec.facts.max_chars)
    return text.strip() or None


def metadata_fields(record: AnnualReport) -> dict[str, Any]:
    """The correctable metadata inputs, for use inside an ``st.form``; values as record fields.

    Shared by the upload preview and the report page so both correct the same
    fields with the same bounds: exactly the ``ReportMeta`` fields marked
    editable, labelled and bounded by their facts. Long text inputs are wider.
    """
    values: dict[str, Any] = {}
    for start in range(0, len(EDITABLE_FIELDS), _FORM_ROW):
        names = EDITABLE_FIELDS[start : start + _FORM_ROW]
        widths = [3 if (META_COLUMNS[n].facts.max_chars or 0) > 40 else 1 for n in names]
        for box, name in zip(st.columns(widths), names, strict=True):
            values[name] = _metadata_input(box, META_COLUMNS[name], getattr(record, name))
    return values

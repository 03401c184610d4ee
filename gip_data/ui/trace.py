"""The report as printed, every number one click from its source, and the grids staff type into.

Used by the report page and the upload preview:

- :func:`printed_report`: tables 3 and 4 laid out as the template prints them
  (:mod:`gip_data.ui.printed`), each cell marked by colour and symbol, the
  legend, the failing rules in words beside each table, table 2; selecting a
  number shows where it came from (:func:`source_panel`);
- :func:`source_panel`: the page image with the cell's box (PDF), or the line
  or table row with its digits marked (text, HTML, DOCX), read from the
  original file through :mod:`gip_data.sourceview` in a limited worker;
- :func:`cell_grids` and :func:`draft_checks`: the printed-layout grids as
  editors (correction, manual entry) and the rules re-checked on what was typed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import streamlit as st

from gip_data.errors import GipDataError
from gip_data.isolated import run_isolated
from gip_data.layout import CellKey, cell_label, parse_address, table_title
from gip_data.schema.record import AnnualReport, Check, SourceSpan
from gip_data.settings import page_image_dir
from gip_data.sourceview import (
    SourceSnippet,
    crop_around,
    describe,
    highlight,
    page_image,
    render_page,
    snippet_html,
    text_snippet,
)
from gip_data.ui import state
from gip_data.ui.escape import md
from gip_data.ui.printed import (
    MARK_STYLES,
    CellView,
    Grid,
    Mark,
    RuleSentence,
    cell_views,
    display_grid,
    failing_rules,
    legend,
    proactive_frames,
    styled,
    values_of,
)

if TYPE_CHECKING:  # streamlit exports the column configs, not their type
    from streamlit.elements.lib.column_types import ColumnConfig

ROW_PX = 35  # st.dataframe's row height: a grid tall enough to show every row without scrolling
# Label columns by depth (pixels): long labels are cut, shown whole on hover; they stay pinned on the left
# while a narrow screen scrolls the numbers (whose columns size to their headers).
LABEL_PX: dict[int, tuple[int, ...]] = {1: (220,), 2: (100, 140), 3: (120, 100, 150)}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The original file behind a record: its identity, format, the reading used, and how to get its bytes."""

    sha256: str
    file_name: str
    format: str
    reading: str | None
    load: Callable[[], bytes]


def linked_cell(key: str, cells: Collection[CellKey], url_key: str = "c") -> CellKey | None:
    """The cell a link names (``c=3:granted:total``), from the opening link or an in-app link.

    An in-app link's cell becomes the selected cell of the tables drawn under
    ``key``; a value that names no cell of ``cells`` (the report's) is dropped
    with a notice.
    """
    raw = state.incoming(url_key)
    fresh = raw is not None
    if raw is None:
        raw = state.link_value(url_key) if focus_key(key) not in st.session_state else None
    if not raw:
        return None
    cell = parse_address(raw[-1]) if len(raw) == 1 else None
    if cell is None or cell not in cells:
        state.add_notice(f"链接参数 {url_key} 无效，已忽略")
        return None
    if fresh:
        st.session_state[focus_key(key)] = cell
    return cell


def focus_key(key: str) -> str:
    """Where the selected cell of the tables drawn under ``key`` is kept."""
    return f"_gip_focus_{key}"


def _selected(key: str, table: int, grid: Grid, cells: list[tuple[int, str]]) -> None:
    """Make a newly selected number of one table the focus (a selection that did not change leaves it)."""
    seen = f"_gip_seen_{key}_t{table}"
    if cells and cells != st.session_state.get(seen):
        row, column = cells[0]
        cell = grid.cell_at(int(row), str(column))
        if cell is not None:
            st.session_state[focus_key(key)] = cell
    st.session_state[seen] = cells


def legend_html(marks: set[Mark]) -> str:
    """The legend of the marks in use (the printed mark always): colour chip, symbol, name, meaning."""
    chips = []
    for mark, style in legend(marks | {Mark.PRINTED}):
        sample = f"12 {style.symbol}" if style.symbol else "12"
        if mark is Mark.UNKNOWN:
            sample = style.symbol
        background = style.background or "#ffffff"
        chips.append(
            f'<span style="display:inline-block;margin:2px 10px 2px 0" title="{html.escape(style.meaning)}">'
            f'<span style="background:{background};border:1px solid #ccc;padding:0 6px;font-family:monospace">'
            f"{html.escape(sample)}</span> {html.escape(style.label)}</span>"
        )
    return '<div class="gip-legend">' + "".join(chips) + "</div>"


def _rules_panel(mine: list[RuleSentence]) -> None:
    st.markdown(f"**{len(mine)} 条勾稽关系不成立**")
    for sentence in mine:
        st.markdown(f"- **{md(sentence.title)}**：{md(sentence.detail)}")


def _height(grid: Grid) -> int:
    return (len(grid.frame) + 1) * ROW_PX + 3


def column_config(grid: Grid, *, editable: bool = False) -> dict[str, ColumnConfig]:
    """Fixed label widths, pinned on the left; numbers as integers in an editor."""
    widths = LABEL_PX[len(grid.label_columns)]
    config: dict[str, ColumnConfig] = {
        name: st.column_config.TextColumn(name, width=width, pinned=True)
        for name, width in zip(grid.label_columns, widths, strict=True)
    }
    for name in grid.frame.columns:
        if name in grid.label_columns:
            continue
        if editable:
            config[name] = st.column_config.NumberColumn(name, min_value=0, max_value=10**9, step=1, format="%d")
    return config


def printed_report(
    record: AnnualReport, *, key: str, source: SourceFile | None, focus: CellKey | None = None
) -> CellKey | None:
    """Tables 3, 4 and 2 as printed with marks, legend and failing rules; the selected cell's source under its table.

    ``focus`` is the cell to show first (from a link); a click on a number
    replaces it. Returns the cell whose source is shown.
    """
    views = cell_views(record)
    sentences = failing_rules(record)
    st.html(legend_html({m for v in views.values() for m in v.marks}))
    st.caption("点击表中任一数字，查看它在原件中的位置。")
    panels = {}
    for table in (3, 4):
        st.subheader(table_title(table))
        grid = display_grid(record, table, views)
        mine = [s for s in sentences if any(c[0] == table for c in s.cells)]
        if mine:  # the failing rules beside the table
            left, right = st.columns([3, 1])
        else:
            st.caption("本表勾稽关系全部成立。")
            left = right = st.container()
        event = left.dataframe(
            styled(grid, views), hide_index=True, key=f"{key}_t{table}", on_select="rerun",
            selection_mode="single-cell", height=_height(grid), column_config=column_config(grid),
        )
        _selected(key, table, grid, list(event.selection.cells))
        if mine:
            with right:
                _rules_panel(mine)
        panels[table] = st.container()  # filled once both tables' selections are known
    chosen: CellKey | None = st.session_state.get(focus_key(key), focus)
    if chosen is not None and chosen in views:
        with panels[chosen[0]]:
            source_panel(views[chosen], source, record)
    else:
        chosen = None
    _proactive(record)
    return chosen


def _proactive(record: AnnualReport) -> None:
    frames = proactive_frames(record)
    if not frames:
        return
    st.subheader(table_title(2))
    for item, frame in frames:
        st.caption(item)
        st.dataframe(frame, hide_index=True)
    soft = [c for c in record.checks if not c.holds and c.code.startswith("proactive")]
    for check in soft:
        st.caption(f"提示：{md(check.message)}")


def _why_no_source(view: CellView, record: AnnualReport) -> str:
    if Mark.REPAIRED in view.marks:
        return "原件此处空白或数字缺失，这个数由勾稽关系唯一确定，原件中没有它的位置。"
    if Mark.ASSUMED in view.marks:
        return "原件此处空白，按0处理。"
    if Mark.UNKNOWN in view.marks:
        return "原件中未能读出这个数。"
    if Mark.MANUAL in view.marks or record.manual_entry:
        return "这份报告的数字由工作人员对照原件录入，没有逐格的原文位置。"
    return "这份报告解析时没有记录这个数在原件中的位置（重新解析后可记录）。"


def source_panel(view: CellView, source: SourceFile | None, record: AnnualReport) -> None:
    """Where one cell's number came from, in words and as the page image or the source line."""
    with st.container(border=True):
        st.markdown(f"**来源：{md(cell_label(view.key))} = {md(view.text)}**")
        meanings = [MARK_STYLES[m].label for m in view.marks if m is not Mark.PRINTED] or ["原文数字"]
        st.caption("；".join([*meanings, *view.notes]))
        span = view.source
        if span is None:
            st.info(_why_no_source(view, record))
            return
        st.caption(f"原件位置：{md(describe(span, source.format if source else ''))}")
        if source is None:
            st.info("原件不可用。")
            return
        try:
            _show_source(span, source)
        except GipDataError as exc:
            st.warning(f"无法显示原件：{exc.message_zh}")


def _show_source(span: SourceSpan, source: SourceFile) -> None:
    if span.page is not None and span.bbox is not None and source.format == "pdf":
        marked, strip = boxed_page(source.sha256, span.page, span.bbox, _page=page_png(source, span.page))
        st.image(strip, caption=f"第{span.page}页（局部），红框为这个数", width="stretch")
        with st.expander(f"第{span.page}页全页"):
            st.image(marked, width="stretch")
        return
    snippet = cached_snippet(source.sha256, source.file_name, source.format, source.reading,
                             span.model_dump_json(), _load=source.load)
    if not snippet.found:
        st.info("按记录的位置在原件中没有找到这个数（原件读法可能已变，可重新解析）。")
        return
    st.html(snippet_html(snippet))


@st.cache_data(max_entries=64, show_spinner=False)
def boxed_page(sha256: str, page: int, bbox: tuple[float, float, float, float], _page: bytes) -> tuple[bytes, bytes]:
    """The page with the cell's box drawn, and the strip around it (cached per file, page and box)."""
    marked = highlight(_page, bbox)
    return marked, crop_around(marked, bbox)


def _render_isolated(name: str, data: bytes, page: int, scale: float) -> bytes:
    return run_isolated(render_page, data, page, scale, source=name)


def page_png(source: SourceFile, page: int) -> bytes:
    """One page of the source PDF as PNG, rendered once (limited worker) and cached on disk per file and page."""
    return page_image(source.sha256, page, source.load, partial(_render_isolated, source.file_name),
                      folder=page_image_dir())


@st.cache_data(max_entries=256, show_spinner="正在读取原件…")
def cached_snippet(
    sha256: str, file_name: str, file_format: str, reading: str | None, span_json: str, _load: Callable[[], bytes]
) -> SourceSnippet:
    """The source snippet of one span of one file, read again (cached per file and span).

    A text file is only decoded and split into lines, done here; HTML, DOCX and
    the converted Word formats go through their readers in a limited worker.
    """
    span = SourceSpan.model_validate_json(span_json)
    if file_format == "txt" and span.line is not None:
        return text_snippet(_load(), file_name, file_format, span, reading)
    return run_isolated(text_snippet, _load(), file_name, file_format, span, reading, source=file_name)


# -- editing grids ----------------------------------------------------------------------------------------------


def cell_grids(grids: Mapping[int, Grid], *, key: str, disabled: bool = False) -> dict[CellKey, int | None]:
    """Tables 3 and 4 as editable grids in the printed layout; the values as typed (blank → None)."""
    values: dict[CellKey, int | None] = {}
    for table, grid in grids.items():
        st.markdown(f"**{table_title(table)}**")
        edited = st.data_editor(
            grid.frame, key=f"{key}_edit{table}", hide_index=True, num_rows="fixed",
            column_config=column_config(grid, editable=True),
            disabled=True if disabled else list(grid.label_columns), height=_height(grid), placeholder="",
        )
        values.update(values_of(grid, edited))
    return values


def draft_checks(checks: list[Check], record: AnnualReport, *, title: str) -> None:
    """The rules on what was typed, before saving: the failing ones in words, or that all hold."""
    failing = failing_rules(record, checks)
    if not failing:
        st.success(f"{title}：勾稽关系全部成立。")
        return
    st.warning(f"{title}：{len(failing)} 条勾稽关系不成立（仍可保存，报告会标为勾稽不符）。")
    for sentence in failing:
        st.markdown(f"- **{md(sentence.title)}**：{md(sentence.detail)}")

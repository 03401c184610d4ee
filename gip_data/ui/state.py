"""Session-state keys and the URL ↔ state synchronisation of the dashboard.

Every filter and page control has a short ASCII URL key with a code value. The
URL is read once when a session starts (so a copied link reproduces the view),
then written after every run from the widgets' values (so the address bar always
holds the current view, also after a page switch). Values at their constant
default are left out. Invalid or unknown parameters are dropped and reported.
"""

from __future__ import annotations

# Why the widgets are not declared with ``bind="query-params"`` (re-checked in the installed Streamlit 1.67):
# a bound widget's URL value is its *serialized* value, and the serializers of the option widgets return
# ``format_func(option)`` — the displayed label, not the option. See
# streamlit/elements/widgets/selectbox.py ``SelectboxSerde.serialize`` ("formatted_value = self.format_func(v)
# ... return formatted_value"), the same in multiselect.py ``MultiSelectSerde.serialize`` and radio.py
# ``RadioSerde.serialize``; and on the way in, runtime/state/session_state.py ``_seed_widget_from_url`` only
# accepts a URL value that is one of ``metadata.formatted_options`` (the labels) and silently deletes any other.
# So options given as codes with Chinese labels would put ``lv=%E4%B9%A1%E9%95%87%E8%A1%97%E9%81%93`` (乡镇街道)
# in the URL, links would break whenever a label is reworded, and an invalid value would vanish without the
# notice the issue asks for. Hence: seed once from the link, write ASCII codes after every run (below).
import sys
from collections.abc import Mapping, Sequence

import streamlit as st
from streamlit.runtime.scriptrunner import RerunException

from gip_data.filters import MULTI_KEYS, URL_KEYS, FilterState, state_from_query
from gip_data.ui.escape import md


class StateKeys:
    """Every session-state key the app uses (no page spells one by hand)."""

    INITIAL_URL = "_gip_initial_url"
    LINK_USED = "_gip_link_used"
    LINK_CHECKED = "_gip_link_checked"
    PAGE = "_gip_page"
    NOTICES = "_gip_notices"
    PAGE_QUERY = "_gip_page_query"
    SHARED_VIEW = "_gip_shared_view"
    UPLOAD_PREVIEWS = "_gip_upload_previews"
    SHORT_LINK = "_gip_short_link"
    WRITTEN_URL = "_gip_written_url"

    @staticmethod
    def widget(url_key: str) -> str:
        """The widget key of a URL parameter."""
        return f"w_{url_key}"

    @staticmethod
    def shadow(url_key: str) -> str:
        """Where a page control's value survives while its page is not shown."""
        return f"_gip_keep_{url_key}"


# Page controls (URL key → what it chooses), listed so that unknown keys can be reported.
PAGE_KEYS: dict[str, str] = {
    "nm": "办理结果: 件数或占比",
    "by": "分组维度",
    "dim": "对比维度",
    "m": "对比指标",
    "org": "对比机关",
    "py": "对比年度",
    "top": "前N名",
    "id": "报告编号",
    "c": "单元格（查看来源）",
    "qf": "质量问题类型",
    "mp": "地图: 查看省份",
    "qb": "年报质量: 汇总维度",
    "qw": "年报质量: 排序",
    "qr": "年报质量: 查看机关",
    "qy": "年报质量: 覆盖年度",
}
# The pages (``PageSpec.url_path``) whose controls read each key: on any other page a link's value for
# it is dropped with a notice before the page runs (tests/test_url_fuzz.py checks this list against the
# controls the page files declare).
PAGE_KEY_PAGES: dict[str, tuple[str, ...]] = {
    "nm": ("dispositions",),
    "by": ("dispositions", "review"),
    "dim": ("compare",),
    "m": ("compare", "map"),
    "org": ("compare",),
    "py": ("compare",),
    "top": ("applications",),
    "id": ("report",),
    "c": ("report",),
    "qf": ("quality",),
    "mp": ("map",),
    "qb": ("scorecard",),
    "qw": ("scorecard",),
    "qr": ("scorecard",),
    "qy": ("scorecard",),
}
SHORT_LINK_KEY = "sv"
MAX_LINK_VALUE = 200  # characters; no filter or control value is longer (search text: 100)


def initial_url() -> dict[str, list[str]]:
    """The usable query parameters the session was opened with (read on the first run only).

    Unknown keys, a single-valued key given more than once (which one was
    meant?) and values longer than :data:`MAX_LINK_VALUE` are dropped here,
    each with a notice; the filters and page controls check the rest.
    """
    if StateKeys.INITIAL_URL not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        st.session_state[StateKeys.INITIAL_URL] = _usable(params)
    initial: dict[str, list[str]] = st.session_state[StateKeys.INITIAL_URL]
    return initial


def _usable(params: dict[str, list[str]]) -> dict[str, list[str]]:
    unknown = sorted(k for k in params if k not in URL_KEYS and k not in PAGE_KEYS and k != SHORT_LINK_KEY)
    if unknown:
        add_notice("已忽略无法识别的链接参数：" + "、".join(_shown(k) for k in unknown))
    bad = sorted(
        k
        for k, values in params.items()
        if k not in unknown
        and ((len(values) > 1 and k not in MULTI_KEYS) or any(len(v) > MAX_LINK_VALUE for v in values))
    )
    if bad:
        add_notice("链接参数重复或过长，已忽略：" + "、".join(bad))
    return {k: v for k, v in params.items() if k not in unknown and k not in bad}


def _shown(key: str) -> str:
    """A parameter name from a link as it may appear in a notice (escaped, at most 40 characters)."""
    return md(key if len(key) <= 40 else key[:40] + "…")


def link_value(url_key: str) -> list[str] | None:
    """The opening link's value(s) of one parameter (None when absent); the parameter counts as used."""
    st.session_state.setdefault(StateKeys.LINK_USED, set()).add(url_key)
    return initial_url().get(url_key)


def begin_page(url_path: str, filters: FilterState) -> None:
    """Before the page runs: on the session's first run, set the link straight and show the notices so far.

    The link's parameters that belong to other pages are dropped with a notice,
    and the address bar is written without everything dropped so far, before
    the page runs: a page that stops (the staff login of 上传) shows and writes
    nothing after that. The page's own parameters stay until the page reads them;
    the notices the page adds are shown at the end of the run.
    """
    first_run = StateKeys.PAGE not in st.session_state
    st.session_state[StateKeys.PAGE] = url_path
    if first_run:
        link = initial_url()
        foreign = sorted(k for k in link if url_path not in PAGE_KEY_PAGES.get(k, (url_path,)))
        if foreign:
            add_notice("链接参数不属于当前页面，已忽略：" + "、".join(foreign))
            for key in foreign:
                del link[key]
        own = {k: v for k, v in link.items() if k in PAGE_KEYS}
        write_url({**filters.to_query(), **own})
        show_notices()


def report_unused_link_params() -> None:
    """Once, at the end of the session's first run: name the link's parameters that this view did not use.

    A page control is read only where it is shown (``py`` only once a body is
    chosen, none when the filters leave no report, ``id`` only on 报告详情), so a
    link can carry values that do not apply; they are dropped with this notice
    rather than silently. A run interrupted by a rerun has not read everything
    yet and does not count.
    """
    if isinstance(sys.exc_info()[1], RerunException) or StateKeys.LINK_CHECKED in st.session_state:
        return
    st.session_state[StateKeys.LINK_CHECKED] = True
    used = st.session_state.get(StateKeys.LINK_USED, set())
    unused = sorted(k for k in initial_url() if k not in used)
    if unused:
        add_notice("链接参数不适用于当前页面或视图，已忽略：" + "、".join(unused))


def add_notice(text: str) -> None:
    """Queue a small notice (shown once as a toast)."""
    st.session_state.setdefault(StateKeys.NOTICES, []).append(text)


def show_notices() -> None:
    """Show and clear the queued notices.

    Every notice says why a shared link does not show exactly what it asked for,
    so it stays until the reader closes it: a timed toast could vanish while a
    slow page is still loading, before anyone has read it.
    """
    for text in st.session_state.pop(StateKeys.NOTICES, []):
        st.toast(text, icon="ℹ️", duration="infinite")


def seed_filters_from_url() -> FilterState:
    """The filters of the link the session was opened with; dropped keys become a notice."""
    params = {k: v for k in URL_KEYS if (v := link_value(k)) is not None}
    state, dropped = state_from_query(params)
    if dropped:
        add_notice("链接中的部分筛选条件无效，已忽略：" + "、".join(dropped))
    return state


def begin_run() -> None:
    """Start collecting the current page's controls for the URL."""
    st.session_state[StateKeys.PAGE_QUERY] = {}


def register_page_param(key: str, value: str | list[str] | None) -> None:
    """Record a page control's non-default URL value for this run."""
    if value not in (None, "", []):
        st.session_state.setdefault(StateKeys.PAGE_QUERY, {})[key] = value


def current_query(filters: FilterState) -> dict[str, str | list[str]]:
    """The URL parameters of the current view: shared filters plus this page's controls."""
    return {**filters.to_query(), **st.session_state.get(StateKeys.PAGE_QUERY, {})}


def write_url(query: Mapping[str, str | Sequence[str]]) -> None:
    """Mirror the view into the address bar (only when it changed) and remember what was written."""
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: list(v) if isinstance(v, list | tuple) else [str(v)] for k, v in query.items()}
    if current != wanted:
        st.query_params.from_dict({k: v if len(v) > 1 else v[0] for k, v in wanted.items()})
    st.session_state[StateKeys.WRITTEN_URL] = wanted


def incoming(url_key: str) -> list[str] | None:
    """A page control's value brought by an in-app link (``st.page_link``/``st.switch_page`` with query params).

    After the first run the address bar holds what :func:`write_url` wrote; a
    different value there was put by a link inside the session, and it wins over
    the remembered control value (so "open report 12" opens report 12).
    """
    written = st.session_state.get(StateKeys.WRITTEN_URL)
    if written is None:
        return None
    current = st.query_params.get_all(url_key)
    return current if current and current != written.get(url_key) else None

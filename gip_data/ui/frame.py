"""The entry-point frame: page config, data, shared filters, navigation, URL mirroring.

Everything here runs on every page, so the shared filters keep their values
(and their URL parameters) when the user switches pages.
"""

from __future__ import annotations

import streamlit as st

from gip_data.errors import GipDataError
from gip_data.ui import data, share, state, widgets
from gip_data.ui.nav import PAGES


def _pages() -> list[st.Page]:
    return [
        st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path or None, default=not p.url_path)
        for p in PAGES
    ]


def run_router() -> None:
    """Render the frame and run the selected page."""
    st.set_page_config(page_title="政务公开年报看板", page_icon=":material/dashboard:", layout="wide")
    state.initial_url()
    state.begin_run()
    try:
        store = data.get_store()
        version = data.data_version()
        with st.spinner("正在加载数据…"):
            synthetic_only = data.prepared(version).synthetic_only
    except GipDataError as exc:
        st.error(f"无法打开数据库：{exc.message_zh}")
        st.stop()
    share.check_shared_view(store, version)
    filters = widgets.sidebar_filters(data.filter_options(version), synthetic_only)
    st.session_state["_gip_filters"] = filters
    page = st.navigation(_pages(), position="sidebar")
    state.begin_page(page.url_path, filters)
    try:
        page.run()
    finally:
        query = state.current_query(filters)
        state.write_url(query)
        share.share_panel(store, page.url_path, query)
        view = data.current_view(filters)
        widgets.dataset_exports(view.rows, view.reports)
        state.report_unused_link_params()
        state.show_notices()

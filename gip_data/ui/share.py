"""Sharing a view: the full link, short links ``/s/<id>`` and the redirect route that serves them.

A short link stores (page, query) server-side with the data version of the
moment; ``/s/<id>`` answers with a 302 to ``/<page>?<query>&sv=<id>``, and the
app then tells the user when the data changed since the link was made.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gip_data.errors import GipDataError
from gip_data.ui import state
from gip_data.ui.state import SHORT_LINK_KEY, StateKeys

_VIEW_ID = re.compile(r"^[A-Za-z0-9_-]{4,64}$")
_PAGE_PATH = re.compile(r"^[a-z0-9_-]{0,40}$")


def view_path(page: str, query: dict[str, str | list[str]]) -> str:
    """The path + query of a view (the default page answers only at ``/``)."""
    qs = urlencode(query, doseq=True)
    return f"/{page}" + (f"?{qs}" if qs else "")


def full_link(page: str, query: dict[str, str | list[str]]) -> str:
    """The absolute link of a view, built on the address the user opened the app with."""
    base = st.context.url or "http://localhost:8501/"
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}{view_path(page, query)}"


def short_link_target(view_id: str) -> str:
    """Where ``/s/<view_id>`` redirects to (``/?sv=<id>`` when the id is unknown)."""
    from gip_data.storage import open_store

    if not _VIEW_ID.match(view_id):
        return view_path("", {SHORT_LINK_KEY: "invalid"})
    view = open_store().load_shared_view(view_id)
    if view is None or not _PAGE_PATH.match(view.page):
        return view_path("", {SHORT_LINK_KEY: "invalid"})
    sep = "&" if view.query else ""
    return view_path(view.page, {}) + "?" + view.query + sep + urlencode({SHORT_LINK_KEY: view.id})


async def _redirect(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    try:
        target = await run_in_threadpool(short_link_target, request.path_params["view_id"])
    except GipDataError:
        target = view_path("", {SHORT_LINK_KEY: "invalid"})
    return RedirectResponse(target, status_code=302)


def routes() -> list[Route]:
    """The custom routes served next to the Streamlit app."""
    return [Route("/s/{view_id}", _redirect, methods=["GET"])]


def check_shared_view(store: object, version: int) -> None:
    """On the first run of a session opened through a short link, say whether the data changed since."""
    raw = state.link_value(SHORT_LINK_KEY)
    if not raw or StateKeys.SHARED_VIEW in st.session_state:
        return
    st.session_state[StateKeys.SHARED_VIEW] = raw[-1]
    view = store.load_shared_view(raw[-1]) if _VIEW_ID.match(raw[-1]) else None  # type: ignore[attr-defined]
    if view is None:
        state.add_notice(f"短链接（{SHORT_LINK_KEY}）无效或已失效，已打开首页。")
    elif view.data_version != version:
        state.add_notice(f"数据自该链接生成（{view.created_at:%Y-%m-%d %H:%M}）以来已更新，数字可能与当时不同。")


# The 复制链接 button copies the address bar, which :func:`gip_data.ui.state.write_url` keeps equal to the
# view. No report text enters this HTML (it is a constant), so allowing its script is safe. The textarea
# fallback covers plain-http intranet hosts, where navigator.clipboard does not exist.
COPY_BUTTON_HTML = """
<button type="button" data-gip-copy="1" style="padding:0.3rem 0.8rem;border-radius:0.5rem;border:1px solid #ccc;
background:#fff;cursor:pointer">📋 复制链接</button>
<span data-gip-copy-status="1" style="margin-left:0.5rem;color:#2e7d32"></span>
<script>
document.querySelectorAll("button[data-gip-copy]").forEach((button) => {
  if (button.dataset.gipBound) return;
  button.dataset.gipBound = "1";
  button.addEventListener("click", async () => {
    const url = window.location.href;
    const status = button.parentElement.querySelector("[data-gip-copy-status]");
    try {
      await navigator.clipboard.writeText(url);
    } catch (error) {
      const area = document.createElement("textarea");
      area.value = url;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    if (status) status.textContent = "已复制";
  });
});
</script>
"""


def share_panel(store: object, page: str, query: dict[str, str | list[str]]) -> None:
    """The sidebar's 复制链接 / 生成短链接 controls for the current view."""
    box = st.sidebar.popover("🔗 分享当前视图", width="stretch")
    link = full_link(page, query)
    with box:
        st.html(COPY_BUTTON_HTML, unsafe_allow_javascript=True)
    box.caption("当前视图的链接：")
    box.code(link, language=None, wrap_lines=True)
    if box.button("生成短链接", key="make_short_link"):
        try:
            view = store.save_shared_view(page, urlencode(query, doseq=True), created_by="web")  # type: ignore[attr-defined]
            st.session_state[StateKeys.SHORT_LINK] = (page, query, full_link(f"s/{view.id}", {}))
        except GipDataError as exc:
            box.error(exc.message_zh)
    short = st.session_state.get(StateKeys.SHORT_LINK)
    if short and short[:2] == (page, query):  # only the link of the view on screen
        box.caption("短链接：")
        box.code(short[2], language=None)

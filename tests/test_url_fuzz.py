"""Every page opened with random values for every URL key: no exception, nothing dropped silently.

Each page is opened as a link would open it: a fresh session whose first run goes through the router
(``gip_data.ui.frame.run_router``) on that page, with the link's query parameters. The property: no
exception box; every parameter either shapes the view (it is still in the address bar, or it named the
default) or is named in a notice; values that cannot be right (huge, negative, wrong type, markup,
10,000 characters, a single-valued key repeated) are always dropped with a notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as stx
from streamlit.testing.v1 import AppTest

from gip_data.filters import MULTI_KEYS, URL_KEYS
from gip_data.metrics import DIMENSIONS
from gip_data.storage import open_store
from gip_data.ui.nav import PAGES, PageSpec
from gip_data.ui.state import PAGE_KEY_PAGES, PAGE_KEYS, SHORT_LINK_KEY
from tests.apptest_support import open_page
from tests.conftest import seed_reports

pytestmark = pytest.mark.xdist_group("apptest")  # Streamlit's caches are per process: one worker
KEYS = sorted({*URL_KEYS, *PAGE_KEYS, SHORT_LINK_KEY})
# Values that are right for a key on the seed reports (several are still right only on some pages).
GOOD: dict[str, list[str]] = {
    "y0": ["2020", "2021"],
    "y1": ["2020", "2021"],
    "lv": ["county", "township"],
    "bt": ["gov", "dept", "all"],
    "pv": ["河南省"],  # not in the seeds (no province): dropped with a notice
    "ct": ["郑州市"],
    "q": ["办事处", "区"],
    "ed": ["2019", "2021", "all"],
    "syn": ["0", "1"],
    "ag": ["unit", "sum"],
    "nm": ["pct", "cnt"],
    "by": ["year", "level"],
    "dim": list(DIMENSIONS),
    "m": ["open", "apps", "rvc"],
    "org": ["郏县人民政府", "磷矿镇"],
    "py": ["2020", "2021"],
    "top": ["10", "50"],
    "id": ["1", "3"],
    "c": ["3:granted:total", "4:review:upheld"],
    "qf": ["failed"],
    "mp": ["河南省"],
    "qb": ["level", "year"],
    "qw": ["best", "worst"],
    "qr": ["1", "3"],
    "qy": ["2020", "2021"],
    "sv": ["abcd1234"],
}
# Keys whose default is a year of the data (py: 对比's year, qy: 年报质量's coverage year), not a fixed value.
DATA_DEFAULT_KEYS = ("py", "qy")
# The value a key has when the link does not name it (the address bar then leaves it out).
DEFAULTS = {
    "bt": "all",
    "ed": "all",
    "ag": "unit",
    "syn": "0",
    "nm": "pct",
    "by": "year",
    "dim": "level",
    "m": "open",
    "top": "20",
    "id": "0",
    "q": "",
    "pv": "",
    "ct": "",
    "qb": "level",
    "qw": "worst",
}
# Values no key accepts (the search text takes any short text: only the over-long one is wrong there).
WRONG: dict[str, list[str]] = {
    "huge": ["99999999999999999999", "1" + "0" * 40],
    "negative": ["-1", "-2021"],
    "wrong type": ["abc", "1.5", "true", "2021-01"],
    "markup": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"],
    "10,000 characters": ["9" * 10_000, "中" * 10_000],
}
FREE_TEXT = {"q"}


def wrong_for(key: str, shape: str) -> bool:
    return shape == "10,000 characters" or key not in FREE_TEXT


@stx.composite
def link_value(draw: stx.DrawFn, key: str) -> tuple[list[str], bool]:
    """(the values of one key in a link, whether they must be dropped)."""
    shape = draw(stx.sampled_from(["good", "good", "repeated", "letters", *WRONG]))
    if shape == "good":
        count = draw(stx.integers(1, 2)) if key in MULTI_KEYS else 1
        return draw(stx.lists(stx.sampled_from(GOOD[key]), min_size=count, max_size=count)), False
    if shape == "repeated":
        values = draw(stx.lists(stx.sampled_from(GOOD[key] + WRONG["wrong type"]), min_size=2, max_size=3))
        return values, key not in MULTI_KEYS
    if shape == "letters":
        return [draw(stx.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))], False
    return [draw(stx.sampled_from(WRONG[shape]))], wrong_for(key, shape)


@stx.composite
def links(draw: stx.DrawFn) -> tuple[PageSpec, dict[str, list[str]], set[str]]:
    """A page, a link's parameters for it (a few known keys and maybe an unknown one), the must-drop keys."""
    page = draw(stx.sampled_from(PAGES))
    query: dict[str, list[str]] = {}
    wrong: set[str] = set()
    for key in draw(stx.lists(stx.sampled_from(KEYS), min_size=1, max_size=6, unique=True)):
        query[key], must_drop = draw(link_value(key))
        if must_drop:
            wrong.add(key)
    if draw(stx.booleans()):
        unknown = "zz" + draw(stx.text("abcdefghijklmnopqrstuvwxyz0123456789", max_size=8))
        query[unknown] = ["1"]
        wrong.add(unknown)
    return page, query, wrong


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The five seed reports (2020 and 2021, 县级 and 乡镇街道), as the app's configured database."""
    folder: Path = tmp_path_factory.mktemp("url")
    url = f"sqlite:///{folder / 'gip.db'}"
    store = open_store(url)
    for txt, record in seed_reports():
        store.import_bytes(txt.read_bytes(), txt.name, uploaded_by="test", report=record, sample=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIP_DATABASE_URL", url)
        patch.setenv("GIP_DATA_DIR", str(folder / "data"))
        st.cache_resource.clear()
        st.cache_data.clear()
        yield url
        st.cache_resource.clear()
        st.cache_data.clear()


def open_link(page: PageSpec, query: dict[str, list[str]]) -> AppTest:
    """A new session opened on ``page`` with ``query``, its first run through the router."""
    return open_page(page, dict(query))


def noticed_keys(at: AppTest) -> set[str]:
    """Every parameter name a notice of this run mentions."""
    return {word for toast in at.toast for word in re.findall(r"[A-Za-z0-9]+", toast.value)}


def shown(at: AppTest, key: str) -> list[str] | None:
    """The values of ``key`` in the address bar after the run (None when absent)."""
    if key not in at.query_params:
        return None
    value = at.query_params[key]
    return list(value) if isinstance(value, list) else [value]


def kept(at: AppTest, key: str, values: list[str]) -> bool:
    """True when the view holds what the link said for ``key``."""
    now = shown(at, key)
    if key in MULTI_KEYS:
        return set(now or []) == {v for v in values if v}
    if now == values or (now is None and values == [DEFAULTS.get(key)]):
        return True
    # A year whose default is the data's latest: the address bar leaves it out when the link named that year.
    widget = f"w_{key}"
    return key in DATA_DEFAULT_KEYS and now is None and widget in at.session_state \
        and at.session_state[widget] == int(values[0])


def check_link(page: PageSpec, query: dict[str, list[str]], wrong: set[str]) -> None:
    at = open_link(page, query)
    assert not at.exception, [e.value for e in at.exception]
    noticed = noticed_keys(at)
    for key, values in query.items():
        assert key in noticed or kept(at, key, values), (page.file, key, values[0][:50], noticed)
        if key in wrong:
            assert key in noticed and shown(at, key) is None, (page.file, key, values[0][:50])
    for toast in at.toast:
        assert "<script" not in toast.value and "<img" not in toast.value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(link=links())
def test_random_links_on_every_page(
    database: str, link: tuple[PageSpec, dict[str, list[str]], set[str]]
) -> None:
    check_link(*link)


@pytest.mark.parametrize("shape", [*WRONG, "repeated"])
def test_every_key_at_once_with_a_wrong_value(database: str, shape: str) -> None:
    """All keys in one link, each with a value of one wrong shape, on a different page per shape."""
    page = PAGES[[*WRONG, "repeated"].index(shape) % len(PAGES)]
    if shape == "repeated":
        query = {k: [GOOD[k][0], GOOD[k][0]] for k in KEYS if k not in MULTI_KEYS}
    else:
        query = {k: [WRONG[shape][0]] for k in KEYS}
    check_link(page, query, {k for k in query if shape == "repeated" or wrong_for(k, shape)})


@pytest.mark.parametrize("link", ["99999999999999999999", "-1", "1e3", "0x10", "３"])
def test_report_links_with_impossible_ids(database: str, link: str) -> None:
    at = open_link(PAGES[-2], {"id": [link]})
    assert not at.exception and "id" in noticed_keys(at)
    assert at.number_input(key="w_id").value == 0 and "id" not in at.query_params


def test_a_report_link_opens_the_report(database: str) -> None:
    at = open_link(PAGES[-2], {"id": ["3"]})
    assert not at.toast and at.query_params["id"] == "3"
    assert any(m.value.startswith("### 磷矿镇") for m in at.markdown)


def test_markup_in_a_parameter_name_is_shown_as_text(database: str) -> None:
    at = open_link(PAGES[0], {"<img src=x onerror=alert(1)>": ["1"], "y" * 300: ["1"]})
    assert not at.exception
    notice = next(t.value for t in at.toast if "无法识别" in t.value)
    assert "<img" not in notice and "&lt;img" in notice and "y" * 41 not in notice


def test_page_keys_are_declared_for_the_pages_that_read_them() -> None:
    """state.PAGE_KEY_PAGES names, for every page control, exactly the pages whose files create it."""
    control = re.compile(r"widgets\.(?:page|number)_control\(\s*\"([a-z0-9]+)\"")
    read: dict[str, set[str]] = {}
    for spec in PAGES:
        for key in control.findall(spec.path.read_text(encoding="utf-8")):
            read.setdefault(key, set()).add(spec.url_path)
    assert read and all(key in PAGE_KEYS for key in read)
    declared = {key: set(pages) for key, pages in PAGE_KEY_PAGES.items() if key in read}
    assert declared == read

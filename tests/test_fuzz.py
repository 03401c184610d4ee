"""Fuzzing the text and HTML readers (and the parse behind them): only typed errors may escape.

Hypothesis drives random bytes and random markup from a small HTML grammar
built from report labels, numbers, spans and hostile constructs. A bounded
atheris run (coverage-guided, in a subprocess, see ATHERIS_HARNESS) does the
same from raw bytes.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gip_data.errors import GipDataError
from gip_data.parse import parse_bytes
from gip_data.readers.document import Document
from gip_data.readers.registry import read_document
from gip_data.schema.record import AnnualReport

LABELS = [
    "一、本年新收政府信息公开申请数量",
    "（七）总计",
    "四、结转下年度继续办理",
    "行政复议",
    "结果维持",
    "总计",
    "自然人",
    "商业企业",
    "1.属于国家秘密",
    "（六）其他处理",
    "三、本年度办理结果",
    "2021年",
    "人民政府",
]
TEXT = st.one_of(
    st.sampled_from(LABELS),
    st.integers(-5, 10**12).map(str),
    st.text(max_size=30),
    st.sampled_from(
        ["&nbsp;", "&amp;", "&#0;", "&#x110000;", "&bogus;", "—", "/", "无", "|", "\t", "\u3000"]
    ),
)
FUZZ_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _cell(children: str, tag: str, span: tuple[int, int]) -> str:
    return f'<{tag} rowspan="{span[0]}" colspan="{span[1]}">{children}</{tag}>'


SPAN = st.tuples(
    st.sampled_from([0, 1, 2, 3, -1, 65534, 10**9]), st.sampled_from([0, 1, 2, 7, -3, 1000, 10**9])
)
CELL = st.builds(_cell, TEXT, st.sampled_from(["td", "th"]), SPAN)
ROW = st.lists(CELL, max_size=12).map(lambda cells: "<tr>" + "".join(cells) + "</tr>")


def _nest(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    table = st.lists(st.one_of(ROW, inner.map(lambda x: f"<tr><td>{x}</td></tr>")), max_size=8).map(
        lambda rows: "<table>" + "".join(rows) + "</table>"
    )
    wrapped = st.tuples(
        st.sampled_from(["p", "div", "span", "b", "script", "style", "pre", "font"]), inner
    ).map(lambda t: f"<{t[0]}>{t[1]}</{t[0]}>")
    return st.one_of(table, wrapped, st.lists(inner, max_size=4).map("".join))


MARKUP = st.recursive(st.one_of(TEXT, ROW), _nest, max_leaves=60)
PROLOGUE = st.sampled_from(
    [
        "",
        "<!DOCTYPE html>",
        '<?xml version="1.0" encoding="gbk"?>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        '<meta charset="utf-8">',
        '<meta charset="gb2312">',
        '<meta charset="no-such-charset">',
        "<!--",
        "<![CDATA[",
    ]
)
ENCODING = st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16-le", "big5"])


def _read_and_parse(data: bytes, name: str) -> None:
    """Read then parse; only a Document/record or a GipDataError is acceptable."""
    try:
        assert isinstance(read_document(data, name), Document)
    except GipDataError:
        return
    with contextlib.suppress(GipDataError):
        assert isinstance(parse_bytes(data, name), AnnualReport)


@FUZZ_SETTINGS
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".html", ".htm", ""]))
def test_random_bytes(data: bytes, suffix: str) -> None:
    _read_and_parse(data, "fuzz" + suffix)


@FUZZ_SETTINGS
@given(
    lines=st.lists(st.lists(TEXT, max_size=9), max_size=40),
    sep=st.sampled_from([" | ", "\t", " ", ""]),
    encoding=ENCODING,
)
def test_random_report_like_text(lines: list[list[str]], sep: str, encoding: str) -> None:
    text = "\n".join(sep.join(cells) for cells in lines)
    _read_and_parse(text.encode(encoding, errors="replace"), "fuzz.txt")


@FUZZ_SETTINGS
@given(prologue=PROLOGUE, body=MARKUP, encoding=ENCODING)
def test_random_html(prologue: str, body: str, encoding: str) -> None:
    page = f"{prologue}<html><head><title>{LABELS[0]}</title></head><body>{body}</body></html>"
    _read_and_parse(page.encode(encoding, errors="replace"), "fuzz.html")


def _atheris_one_input(data: bytes) -> None:
    suffix = (".txt", ".html")[data[0] % 2] if data else ".txt"
    _read_and_parse(data[1:], "fuzz" + suffix)


# The atheris harness runs in its own interpreter: only gip_data is instrumented
# (instrumenting every loaded module costs minutes), then libFuzzer drives it.
ATHERIS_HARNESS = """
import sys
import atheris
with atheris.instrument_imports(include=["gip_data"]):
    from tests.test_fuzz import _atheris_one_input
atheris.Setup(sys.argv, _atheris_one_input)
atheris.Fuzz()
"""


def test_atheris_bounded_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("atheris", reason="atheris does not install on this Python")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed_html").write_bytes(
        b"\x01<table><tr><td>" + LABELS[0].encode() + b"</td><td>3</td></tr></table>"
    )
    (corpus / "seed_txt").write_bytes(b"\x00" + " | ".join(LABELS[:3]).encode() + b" | 1 | 2")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            ATHERIS_HARNESS,
            "-runs=10000",
            "-max_total_time=25",
            "-max_len=2000",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=os.path.dirname(os.path.dirname(__file__)),
        env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(__file__))},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done" in run.stderr or "DONE" in run.stderr

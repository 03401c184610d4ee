"""The printable briefing: a valid PDF with the Chinese font embedded, the filter's text, KPIs, charts, findings."""

from __future__ import annotations

from collections.abc import Iterator

import plotly.graph_objects as go
import pypdfium2
import pytest

from gip_data import briefing as briefing_module
from gip_data.briefing import Briefing, find_cjk_font, render_pdf, stop_export_server
from gip_data.briefing_content import briefing_for, filter_in_words
from gip_data.charts_flow import flow_sankey
from gip_data.filters import FilterState
from gip_data.flows import flows
from gip_data.frames import records_to_wide
from gip_data.metrics import add_year_links, kpi_table
from tests.conftest import seed_reports

FILTER = "2020–2021年；河南省；县级；仅政府"


def pdf_text(data: bytes) -> str:
    """The text of every page as PDFium (Chromium's PDF engine) reads it."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def export_server() -> Iterator[None]:
    yield
    stop_export_server()


def _briefing(figures: list[tuple[str, go.Figure]]) -> Briefing:
    return Briefing(
        title="政务公开年报简报", filter_text=FILTER, share_link="http://localhost:8501/s/abc123",
        kpis=[("受理总量", "50", "+12.0%"), ("公开率", "60.0%", "+3.1个百分点")],
        summary="2021年共有1份报告，受理申请14件。", figures=figures,
        findings=["郏县人民政府（2021）：未见信息处理费收取情况的说明"],
    )


def test_pdf_has_the_filter_kpis_chart_and_findings(export_server: None) -> None:
    wide = records_to_wide([r for _, r in seed_reports()])
    sankey = flow_sankey(flows(wide.lazy()))
    assert sankey is not None
    rendered = render_pdf(_briefing([("申请流向", sankey)]))
    assert rendered.data.startswith(b"%PDF-") and rendered.warnings == []
    text = pdf_text(rendered.data)
    for expected in (FILTER, "http://localhost:8501/s/abc123", "受理总量", "公开率", "申请流向", "未见信息处理费"):
        assert expected in text
    assert rendered.data.count(b"/Subtype /Image") == 1
    assert b"/FontFile3" in rendered.data and b"+NotoSansCJK" in rendered.data  # an embedded subset of the font


def test_a_chart_that_cannot_be_exported_becomes_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fig: go.Figure, width: int = 0, height: int = 0) -> bytes:
        raise RuntimeError("no browser")

    monkeypatch.setattr(briefing_module, "figure_png", broken)
    rendered = render_pdf(_briefing([("办理结果", go.Figure())]))
    assert rendered.warnings == ["图表“办理结果”未能导出为图片（RuntimeError）"]
    text = pdf_text(rendered.data)
    assert "图表未能导出为图片" in text and FILTER in text


def test_font_is_found() -> None:
    path, index = find_cjk_font()
    assert path.endswith((".ttc", ".otf", ".ttf")) and index >= 0


def test_filter_in_words() -> None:
    assert filter_in_words(FilterState()) == "全部年度；全部层级；政府和部门；全国；各机关自身报告"
    state = FilterState(year_from=2020, year_to=2021, levels=("county",), body="gov", province="河南省",
                        city="平顶山市", search="郏县", edition="2021", scope="sum")
    assert filter_in_words(state) == "2020–2021年；县级；政府；河南省平顶山市；名称含“郏县”；仅2021版格式；辖区汇总报告"


def test_briefing_of_a_view_has_its_numbers() -> None:
    wide = add_year_links(records_to_wide([r for _, r in seed_reports()]))
    kpis = kpi_table(wide.lazy())
    made = briefing_for(FilterState(), "http://x/s/1", kpis, "摘要。", [])
    labels = [row[0] for row in made.kpis]
    assert labels[:2] == ["报告数", "受理总量（新收+上年结转）"] and made.kpis[0][1] == "1"
    assert made.filter_text.startswith("全部年度")

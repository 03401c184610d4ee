"""A printable briefing (PDF) of a filtered view: filter in words, share link, KPIs, summary, charts, findings.

:func:`render_pdf` lays a :class:`Briefing` out with fpdf2 and embeds a subset
of a Chinese font (Noto Sans CJK from Debian's ``fonts-noto-cjk``, found through
fontconfig), so the file prints and searches the same on any machine. Charts are
the page's own Plotly figures exported as PNG by kaleido, which drives the
system Chromium (``/usr/bin/chromium``); one export server is started on first
use and kept for the process (3–4 s the first time, about 0.25 s per chart
after). A chart that cannot be exported (no Chromium) is replaced by a visible
note in the document and listed in :attr:`Rendered.warnings`; a missing font is
a :class:`BriefingError` (nothing can be written without one).
"""

from __future__ import annotations

import functools
import subprocess
import threading
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from gip_data.errors import GipDataError

if TYPE_CHECKING:  # fpdf2 is imported when a briefing is rendered
    from fpdf import FPDF

FONT_FAMILY = "cjk"
_KNOWN_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)
CHART_WIDTH, CHART_HEIGHT = 1000, 520
PAGE_WIDTH_MM = 180  # A4 less 15 mm margins
_export_lock = threading.Lock()
_export_started = threading.Event()  # this process started kaleido's export server


class BriefingError(GipDataError):
    """The briefing cannot be written (no Chinese font on the server)."""

    code = "briefing-failed"
    message_zh = "无法生成简报：服务器缺少中文字体（请安装 fonts-noto-cjk）"
    message_en = "cannot write the briefing: no Chinese font on the server (install fonts-noto-cjk)"


@dataclass(frozen=True, slots=True)
class Briefing:
    """What goes into a briefing. ``kpis`` rows are (指标, 数值, 同比) texts; ``findings`` are sentences."""

    title: str
    filter_text: str
    share_link: str | None
    kpis: list[tuple[str, str, str]]
    summary: str
    figures: list[tuple[str, go.Figure]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True, slots=True)
class Rendered:
    """The PDF bytes and what could not be put in."""

    data: bytes
    warnings: list[str]


@functools.cache
def find_cjk_font() -> tuple[str, int]:
    """(file, face index) of a Simplified Chinese font: fontconfig's Noto Sans CJK SC, else a known path."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file", "index", "family"], capture_output=True,
                                text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        listed = ""
    faces = []
    for line in listed.splitlines():
        path, _, rest = line.partition(":")
        index = next((int(p.split("=", 1)[1]) for p in rest.split(":") if p.strip().startswith("index=")), 0)
        faces.append((("Sans CJK SC" not in rest, "Regular" not in path), path.strip(), index))
    for _, path, index in sorted(faces):
        if Path(path).suffix.lower() in (".ttc", ".otf", ".ttf") and Path(path).exists():
            return path, index
    for path, index in _KNOWN_FONTS:
        if Path(path).exists():
            return path, index
    raise BriefingError("fc-list :lang=zh")


def figure_png(fig: go.Figure, width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> bytes:
    """The figure as PNG through kaleido's export server (started once per process; exports serialised)."""
    import kaleido

    with _export_lock:
        if not _export_started.is_set():
            kaleido.start_sync_server(silence_warnings=True)
            _export_started.set()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server"
            png: bytes = fig.to_image(format="png", width=width, height=height, scale=1.5)  # plotly is untyped
            return png


def stop_export_server() -> None:
    """Stop the kaleido export server if this process started one (tests; a worker's shutdown)."""
    import kaleido

    with _export_lock:
        if _export_started.is_set():
            kaleido.stop_sync_server(silence_warnings=True)
            _export_started.clear()


def _chart_images(figures: list[tuple[str, go.Figure]]) -> tuple[list[tuple[str, bytes | None]], list[str]]:
    images: list[tuple[str, bytes | None]] = []
    problems: list[str] = []
    for title, fig in figures:
        try:
            images.append((title, figure_png(fig)))
        except Exception as exc:  # noqa: BLE001 - any export failure becomes a note in the document
            images.append((title, None))
            problems.append(f"图表“{title}”未能导出为图片（{type(exc).__name__}）")
    return images, problems


def render_pdf(briefing: Briefing) -> Rendered:
    """The briefing as an A4 PDF with the Chinese font embedded (subset)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    font, index = find_cjk_font()
    images, problems = _chart_images(briefing.figures)
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font(FONT_FAMILY, fname=font, collection_font_number=index)
    pdf.set_title(briefing.title)
    pdf.set_creator("政务公开年报看板")
    pdf.set_creation_date(briefing.generated_at)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=16)
    pdf.multi_cell(0, 9, briefing.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.multi_cell(0, 6, f"筛选条件：{briefing.filter_text}", new_x="LMARGIN", new_y="NEXT")
    if briefing.share_link:
        pdf.multi_cell(0, 6, f"分享链接：{briefing.share_link}", link=briefing.share_link, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, f"生成时间：{briefing.generated_at:%Y-%m-%d %H:%M} UTC", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, "主要指标")
    if briefing.kpis:
        with pdf.table(col_widths=(60, 60, 60), headings_style=FontFace(emphasis=None, fill_color=(230, 236, 242)),
                       line_height=7) as table:
            for row in [("指标", "数值", "同比"), *briefing.kpis]:
                cells = table.row()
                for value in row:
                    cells.cell(value)
    _heading(pdf, "概述")
    pdf.multi_cell(0, 6, briefing.summary or "—", new_x="LMARGIN", new_y="NEXT")
    for title, png in images:
        _heading(pdf, title)
        if png is None:
            pdf.multi_cell(0, 6, "（图表未能导出为图片，请在看板中查看。）", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.image(BytesIO(png), w=PAGE_WIDTH_MM)
    _heading(pdf, "年报质量发现")
    for line in briefing.findings or ["当前视图未发现质量问题。"]:
        pdf.multi_cell(0, 6, f"• {line}", new_x="LMARGIN", new_y="NEXT")
    return Rendered(bytes(pdf.output()), problems)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=10)

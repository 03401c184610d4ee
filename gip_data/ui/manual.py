"""Manual entry on the upload page: the empty printed-layout grids beside the document, checked as typed.

Offered for a file in which no standard table was found (see
:mod:`gip_data.manual`). The document's text (or, for a scan, its pages as
images) stands on the left; on the right staff confirm the metadata, choose
the edition and type tables 3 and 4; the rules are checked on what is typed
before saving, and the record is stored marked 人工录入.
"""

from __future__ import annotations

import hashlib
from typing import get_args

import streamlit as st

from gip_data.auth import StaffIdentity
from gip_data.corrections import manual_record
from gip_data.errors import GipDataError
from gip_data.isolated import run_isolated
from gip_data.manual import ManualDraft, read_draft
from gip_data.schema.meta import ReportMeta
from gip_data.schema.record import AnnualReport, Edition, SourceInfo
from gip_data.storage.sql import SqlStore
from gip_data.ui import trace, upload, widgets
from gip_data.ui.escape import md
from gip_data.ui.printed import blank_editor_grid

TEXT_HEIGHT = 900
EDITION_CHOICES: tuple[int, ...] = get_args(Edition)


@st.cache_data(max_entries=32, show_spinner="正在读取文档…")
def cached_draft(sha256: str, file_name: str, _data: bytes) -> ManualDraft:
    """The document's text and metadata, read once per file in a limited worker."""
    return run_isolated(read_draft, _data, file_name, source=file_name)


def _document(draft: ManualDraft, source: trace.SourceFile, key: str) -> None:
    if draft.shown_as == "text":
        st.text_area("文档内容（只读，对照录入）", draft.text, height=TEXT_HEIGHT, disabled=True, key=f"{key}_text")
        return
    if draft.shown_as == "image":
        st.image(source.load(), caption="原件图像", width="stretch")
        return
    pages = draft.pages or 1
    page = st.number_input("页码", min_value=1, max_value=pages, value=1, step=1, key=f"{key}_page") if pages > 1 else 1
    try:
        st.image(trace.page_png(source, int(page)), caption=f"第{page}页，共{pages}页", width="stretch")
    except GipDataError as exc:
        st.warning(f"无法显示这一页：{exc.message_zh}")


def _metadata(draft: ManualDraft, key: str) -> tuple[ReportMeta, int]:
    """The metadata inputs (pre-filled with what the text names) and the edition."""
    shell = AnnualReport(**draft.meta.meta_values(), template=draft.template, applications={})
    with st.container(border=True):
        st.caption("机关信息（根据文档内容预填，请核对）")
        values = widgets.metadata_fields(shell)
        template = st.radio("表格格式", EDITION_CHOICES, index=EDITION_CHOICES.index(draft.template), horizontal=True,
                            format_func=lambda e: f"{e}版", key=f"{key}_edition",
                            help="2020年度及以前的报告用2019版格式，2021年度起用2021版格式。")
    return upload.correct_metadata(shell, values).meta, int(template)


def manual_entry(data: bytes, file_name: str, staff: StaffIdentity, store: SqlStore, *, key: str) -> None:
    """The manual-entry panel for one uploaded file (staff only; the caller checked the error allows it)."""
    if not st.toggle("人工录入表格数字", key=f"{key}_on", help="对照原件手工录入表三、表四，录入后同样核对勾稽关系。"):
        return
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        draft = cached_draft(sha256, file_name, data)
    except GipDataError as exc:
        st.error(f"无法读取文档内容：{exc.message_zh}")
        return
    source = trace.SourceFile(sha256=sha256, file_name=file_name, format=draft.format, reading=None, load=lambda: data)
    left, right = st.columns([2, 3])
    with left:
        _document(draft, source, key)
    with right:
        try:
            meta, template = _metadata(draft, key)
        except ValueError as exc:
            st.error(f"机关信息无效：{exc}")
            return
        grids = {t: blank_editor_grid(template, t) for t in (3, 4)}
        values = trace.cell_grids(grids, key=f"{key}_{template}")
        info = SourceInfo(file_name=file_name, sha256=sha256, format=draft.format, size=len(data))  # type: ignore[arg-type]
        record = manual_record(meta, template, values, info)  # type: ignore[arg-type]
        if not any(v is not None for v in values.values()):
            st.caption("尚未录入任何数字。")
            return
        trace.draft_checks(record.checks, record, title="录入的表格")
        if st.button("保存人工录入", key=f"{key}_save", type="primary"):
            outcome = upload.save_manual(store, data, file_name, record, uploaded_by=staff.name)
            text = upload.OUTCOME_TEXT.get(outcome.status, outcome.message)
            (st.error if outcome.status == "failed" else st.success)(f"{md(text)}（编号 {outcome.report_id}，人工录入）")

"""上传: parse one or many report files, preview tables/checks/metadata, correct metadata, save."""

from typing import Any

import streamlit as st

from gip_data.errors import GipDataError
from gip_data.manual import offers_manual_entry
from gip_data.readers.registry import supported_formats, supported_suffixes
from gip_data.ui import auth_gate, data, manual, page, trace, upload, widgets
from gip_data.ui.escape import md
from gip_data.ui.state import StateKeys

page.start("上传")
staff = auth_gate.require_staff("上传年度报告")
st.markdown(f"把年度报告文件拖到下方，或点击选择文件（可多选；支持 {'、'.join(supported_formats())}）。"
            "每个文件先解析并预览，核对、更正机关信息后再保存。"
            "扫描件（只有图片的 PDF，以及 PNG、JPEG、TIFF 图片）需要文字识别（OCR），每页约需数秒，可在下方查看进度。")
files = st.file_uploader("选择年度报告文件", type=supported_suffixes(), accept_multiple_files=True,
                         key="uploads", help="同一文件重复上传不会重复保存；同一机关同一年度的新文件保存为新版本。")
previews: dict[str, dict[str, Any]] = st.session_state.setdefault(StateKeys.UPLOAD_PREVIEWS, {})


def _take_finished(key: str, name: str, raw: bytes) -> bool:
    """Move a finished parse job into the previews; False while it is still running (restarted if lost)."""
    job = upload.parse_job(key) or upload.start_parse(raw, name)
    if not job.finished:
        return False
    previews[key] = {"name": name, "report": job.report, "error": job.error.message_zh if job.error else None,
                     "code": job.error.code if job.error else None}
    return True


@st.fragment(run_every=1.0)
def _progress(pending: list[tuple[str, str]]) -> None:
    """Each running file's progress, refreshed every second; the whole page reruns when all are done."""
    running = False
    for key, name in pending:
        job = upload.parse_job(key)
        if job is None or not job.finished:
            running = True
        st.progress(job.fraction if job else 0.0, text=f"{name}：{job.message if job else '排队等待'}")
    if not running:
        st.rerun()


pending = []
for f in files or []:
    raw = f.getvalue()
    key = upload.upload_key(raw)
    if key not in previews and not _take_finished(key, f.name, raw):
        pending.append((key, f.name))
if pending:
    _progress(pending)
for f in files or []:
    raw = f.getvalue()
    key = upload.upload_key(raw)
    if key not in previews:
        continue  # still being parsed: its progress is shown above
    item = previews[key]
    rec = item["report"]
    with st.expander(f"{f.name}", expanded=True):
        if rec is None:
            st.error(f"无法解析：{item['error']}")
            if offers_manual_entry(item.get("code")):
                manual.manual_entry(raw, f.name, staff, data.get_store(), key=f"manual_{key}")
            continue
        ok = "全部勾稽规则成立" if rec.consistent else f"{len(rec.failed_checks)} 条勾稽规则不成立"
        st.markdown(f"**{md(rec.agency or '（未识别机关）')}** · {rec.year or '年度未知'}年 · {rec.template}版模板 · {ok}")
        trace.printed_report(rec, key=f"preview_{key}", source=upload.preview_source(raw, f.name, rec))
        with st.form(f"meta_{key}"):
            st.caption("检测到的机关信息（可更正）")
            changes = widgets.metadata_fields(rec)
            saved = st.form_submit_button("保存")
        if saved:
            try:
                fixed = upload.correct_metadata(rec, changes)
                outcome = upload.save_upload(data.get_store(), raw, f.name, fixed, uploaded_by=staff.name)
            except GipDataError as exc:
                st.error(exc.message_zh)
            except ValueError as exc:
                st.error(f"机关信息无效：{exc}")
            else:
                text = upload.OUTCOME_TEXT.get(outcome.status, outcome.message)
                (st.error if outcome.status == "failed" else st.success)(f"{text}（编号 {outcome.report_id}）")

"""The 质量 data the pages need beyond the declared views: the findings of one report, with its quoted sentences.

Every list and roll-up of the 质量 pages is a declared view (``view.get(views.QUALITY_RANKING, …)``),
computed from the prepared data like every other view; this module adds what is per report.
"""

from __future__ import annotations

import streamlit as st

from gip_data.errors import GipDataError
from gip_data.quality.explain import Finding
from gip_data.quality.report import report_findings
from gip_data.schema.facts import ReportFacts
from gip_data.ui import data


@st.cache_data(max_entries=64, show_spinner=False)
def findings(version: int, report_id: int) -> list[Finding]:
    """Every check of one report with its evidence (the record's sentences quoted when it can be read)."""
    facts: ReportFacts | None
    try:
        facts = data.get_store().get_report(report_id).record.facts
    except GipDataError:  # the evidence still shows, without the quoted sentences
        facts = None
    return report_findings(data.prepared(version), report_id, facts)

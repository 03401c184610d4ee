"""The one escaping helper for text taken from reports (agency names, file names, messages).

Streamlit Markdown would interpret ``*``, ``[..](..)``, ``<..>`` and friends in
an agency name; Plotly renders a subset of HTML. A report whose agency is
``<img src=x onerror=alert(1)>`` must show literally everywhere, so every such
text goes through :func:`md` (Markdown) or :func:`plot` (Plotly) before display.
Tables (``st.dataframe``) and ``st.text`` show plain text and need neither.
"""

from __future__ import annotations

import html
import re

from gip_data.charts import escape_text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~:$])")


def md(value: object) -> str:
    """Text from a report, safe inside Markdown (HTML-escaped, Markdown characters backslashed)."""
    text = html.escape("" if value is None else str(value), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def plot(value: object) -> str:
    """Text from a report, safe inside Plotly labels and hover text."""
    return escape_text(value)

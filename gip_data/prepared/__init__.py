"""The dashboard's data prepared once per data version, so that any view costs milliseconds on 1,000,000 reports.

A view never scans every report when a smaller structure answers exactly
(:class:`Prepared` lists them). Additive views read the cube; views that need
the reports read the filtered reports or an exact index of them
(:mod:`gip_data.prepared.fast`). :func:`prepare` builds everything from the
wide frame; :func:`apply_delta` brings it to a newer data version from the
changed reports alone. No Streamlit here: the app keeps one :class:`Prepared`
and caches view results per data version.
"""

from gip_data.prepared.build import prepare
from gip_data.prepared.core import MEMO_ENTRIES, Prepared, Slot
from gip_data.prepared.delta import apply_delta

__all__ = ["MEMO_ENTRIES", "Prepared", "Slot", "apply_delta", "prepare"]

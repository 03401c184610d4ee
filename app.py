"""政务公开年报看板 — the router: shared sidebar filters, then the page chosen in the navigation.

`streamlit run app.py` serves the ``st.App`` below (it adds the ``/s/<id>``
short-link route); that App runs this same file as its script, where
``__name__ == "__main__"`` and the router part executes.
"""

import streamlit as st

if __name__ == "__main__":
    from gip_data.ui.frame import run_router

    run_router()
else:
    from streamlit.runtime.pages_manager import PagesManager

    # Our page files live in pages/, which Streamlit also reads as a legacy (v1) multipage app until
    # st.navigation has run once in the process. So the very first session's first run went through the
    # v1 mode and gave every sidebar widget an id made with another page hash; the first value the first
    # visitor chose then belonged to a widget that no longer existed and was lost. Say "no pages
    # directory" before any session starts (tests/test_first_visit.py drives a fresh server).
    PagesManager.uses_pages_directory = False
    from gip_data.ui.share import routes

    app = st.App("app.py", routes=routes())

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
    from gip_data.ui.share import routes

    app = st.App("app.py", routes=routes())

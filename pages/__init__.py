"""The app's pages (run by ``st.navigation`` in app.py); their Streamlit-side helpers are in
``pages.ui``. Decisions live in ``grader`` (headless); these files read widgets and render.

Every page script first checks that app.py runs it (``common.in_frame`` or
``common.require_instructor``): Streamlit treats a ``pages/`` folder as an old-style
multipage app until the process's first ``st.navigation`` call, and could otherwise run a
page for its URL without the frame.
"""

"""The app's pages (run by ``st.navigation`` in app.py) and their Streamlit-side helpers.

Only ``common`` and ``components`` are imported; every other module is a page script that
Streamlit runs. Decisions live in ``grader`` (headless); these files read widgets and render.

The folder is not called ``pages/`` on purpose: Streamlit runs a ``pages/`` folder next to
the main script as an old-style multipage app (each file a page reachable by URL, the main
script bypassed) until the first ``st.navigation`` call in the process.
"""

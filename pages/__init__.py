"""The app's pages (run by ``st.navigation`` in app.py) and their Streamlit-side helpers.

Only ``common`` and ``components`` are imported; every other module is a page script that
Streamlit runs. Decisions live in ``grader`` (headless); these files read widgets and render.
"""

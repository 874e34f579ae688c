"""Streamlit-side helpers shared by the pages: resources, accounts, rendering (common) and
the custom components (components). A subfolder, so Streamlit does not list them as pages."""

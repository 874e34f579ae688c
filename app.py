"""The Streamlit app: `streamlit run app.py`.

The frame only: page config, who is signed in, the sidebar, and the pages this user may
see (instructor pages are registered for instructors only, so a student can neither see
nor reach them). The page scripts are in pages/ and each first checks that this frame runs
it (see "the frame" in pages/ui/common.py); what they decide is in grader/.
"""

from __future__ import annotations

import streamlit as st

from pages.ui import common

st.set_page_config(page_title=common.APP_TITLE, page_icon="∂", layout="wide",
                   initial_sidebar_state="expanded")

try:
    account = common.current_account()
except Exception as exc:  # the database is unreachable: say so instead of a traceback
    common.friendly_error("opening the database", exc)
    st.stop()

# First, so the browser stores the session cookie before anything else of this run is on
# screen: a click that follows a sign-in at once must not outrun it.
common.sync_cookie()

student_pages = [
    st.Page("pages/problems.py", title="Problems", icon=":material/menu_book:", url_path="problems", default=True),
    st.Page("pages/practice.py", title="Practice", icon=":material/edit_note:", url_path="practice"),
    st.Page("pages/progress.py", title="Progress", icon=":material/trending_up:", url_path="progress"),
    st.Page("pages/account.py", title="Account" if account else "Sign in", icon=":material/person:",
            url_path="account"),
]
sections: dict[str, list] = {"Practice": student_pages}
if account is not None and account.is_instructor:
    sections["Instructor"] = [
        st.Page("pages/gradebook.py", title="Gradebook", icon=":material/table_view:", url_path="gradebook"),
        st.Page("pages/analytics.py", title="Analytics", icon=":material/query_stats:", url_path="analytics"),
        st.Page("pages/authoring.py", title="Authoring", icon=":material/construction:", url_path="authoring"),
    ]

with st.sidebar:
    st.markdown(f"### ∂ {common.APP_TITLE}")
    if account is None:
        st.caption("Practising as a **guest**: your work is kept in this browser tab, even "
                   "across reloads. Create an account to keep it for good.")
    else:
        role = "instructor" if account.is_instructor else "student"
        st.caption(f"Signed in as **{account.username}** ({role})")
        if not common.oidc_configured() and st.button("Sign out", key="sidebar_sign_out",
                                                      icon=":material/logout:"):
            common.sign_out()
            st.rerun()
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(notice)

page = st.navigation(sections)
# After st.navigation: the guest store may ask for a rerun as soon as the browser mounts it,
# and by then the browser must know which page this is (else the rerun opens the main page).
common.sync_guest_work(account)

common.warm_sandbox()
with common.frame(account):
    page.run()

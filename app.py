"""The Streamlit app: `streamlit run app.py`.

The frame only: page config, who is signed in, the sidebar, and the pages this user may
see (instructor pages are registered for instructors only, so a student can neither see
nor reach them). The pages are in pages/; what they decide is in grader/.
"""

from __future__ import annotations

import streamlit as st

from pages import common

st.set_page_config(page_title=common.APP_TITLE, page_icon="∂", layout="wide",
                   initial_sidebar_state="expanded")

try:
    account = common.current_account()
except Exception as exc:  # the database is unreachable: say so instead of a traceback
    common.friendly_error("opening the database", exc)
    st.stop()

student_pages = [
    st.Page("pages/problems.py", title="Problems", icon="📚", url_path="problems", default=True),
    st.Page("pages/practice.py", title="Practice", icon="✏️", url_path="practice"),
    st.Page("pages/progress.py", title="Progress", icon="📈", url_path="progress"),
    st.Page("pages/account.py", title="Account" if account else "Sign in", icon="👤",
            url_path="account"),
]
sections: dict[str, list] = {"Practice": student_pages}
if account is not None and account.is_instructor:
    sections["Instructor"] = [
        st.Page("pages/gradebook.py", title="Gradebook", icon="🗂️", url_path="gradebook"),
        st.Page("pages/analytics.py", title="Analytics", icon="🔬", url_path="analytics"),
        st.Page("pages/authoring.py", title="Authoring", icon="🛠️", url_path="authoring"),
    ]

with st.sidebar:
    st.markdown(f"### ∂ {common.APP_TITLE}")
    if account is None:
        st.caption("Practising as a **guest**: your work is kept in this browser tab. "
                   "Create an account to keep it for good.")
    else:
        role = "instructor" if account.is_instructor else "student"
        st.caption(f"Signed in as **{account.username}** ({role})")
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(notice)

page = st.navigation(sections)

common.sync_cookie()
common.warm_sandbox()
page.run()

"""Sign in, create an account (keeping a guest's work), sign out, download one's data."""

from __future__ import annotations

import streamlit as st

from grader import storage
from pages.ui import common

common.in_frame()

account = common.current_account()
db = common.database()

if common.oidc_configured():
    st.title("Account")
    if account is None:
        st.write("This site signs you in with your organisation's account.")
        if st.button("Sign in", type="primary"):
            st.login()
    else:
        st.write(f"Signed in as **{account.username}**.")
        if st.button("Sign out"):
            st.logout()
    st.stop()

if account is not None:
    st.title("Account")
    role = "an instructor" if account.is_instructor else "a student"
    st.write(f"Signed in as **{account.username}**, {role}, since "
             f"{account.created_at:%Y-%m-%d}.")
    left, right = st.columns(2)
    if left.button("Sign out", type="primary", width="stretch"):
        common.sign_out()
        st.rerun()
    if right.button("Sign out everywhere", width="stretch",
                    help="Ends your sessions on every device, this one included"):
        storage.sign_out_everywhere(db, account.id)
        common.sign_out()
        st.rerun()
    st.caption("Your own data (every answer and verdict) can be downloaded on the "
               "**Progress** page.")
    st.stop()

st.title("Sign in")
guest_work = common.guest_submissions()
if guest_work:
    st.info(f"You have {len(guest_work)} answer(s) from this guest session. Create an account "
            f"below and they are saved to it.")

sign_in_tab, sign_up_tab = st.tabs(["Sign in", "Create an account"])

with sign_in_tab:
    with st.form("sign_in"):
        username = st.text_input("Username", key="sign_in_username", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign_in_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            session = storage.sign_in(db, username, password, client_key=common.client_key())
        except (storage.SignInFailed, storage.TooManyAttempts) as exc:
            st.error(str(exc))
        except storage.AccountError as exc:
            st.error(str(exc))
        else:
            common.remember_sign_in(session)
            st.rerun()

with sign_up_tab:
    with st.form("sign_up"):
        new_name = st.text_input("Choose a username", key="sign_up_username",
                                 autocomplete="username",
                                 help="2 to 64 characters: letters, digits and . _ - @ +")
        new_password = st.text_input("Choose a password", type="password",
                                     key="sign_up_password", autocomplete="new-password",
                                     help="At least 8 characters")
        repeated = st.text_input("Repeat the password", type="password",
                                 key="sign_up_repeat", autocomplete="new-password")
        created = st.form_submit_button("Create account", type="primary")
    if created:
        if new_password != repeated:
            st.error("The two passwords differ; type the same password twice.")
        else:
            try:
                if guest_work:
                    imported = storage.create_account_from_guest(db, new_name, new_password, [
                        storage.GuestSubmission(
                            problem_id=s["problem_id"], part_id=s["part_id"], seed=s["seed"],
                            answer_kind=s["answer_kind"], response=s["response"],
                            submitted_at=s["submitted_at"], verdict=s["verdict"],
                            idempotency_key=s["idempotency_key"]) for s in guest_work])
                    kept = len(imported.submission_ids)
                else:
                    storage.create_account(db, new_name, new_password)
                    kept = 0
                session = storage.sign_in(db, new_name, new_password,
                                          client_key=common.client_key())
            except storage.StorageError as exc:
                st.error(str(exc))
            else:
                st.session_state[common.GUEST_KEY] = []
                common.remember_sign_in(session)
                st.session_state["auth_notice"] = (
                    f"Welcome, {session.account.username}! "
                    + (f"Your {kept} guest answer(s) are saved to your account." if kept else ""))
                st.rerun()

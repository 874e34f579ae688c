"""Every page renders; accounts, guests, progress and the instructor pages behave."""

from __future__ import annotations

import pytest

from grader import storage
from grader.service import grade_submission

from .conftest import PASSWORD, answer_box, new_app, open_problem, signed_in, submit, texts

STUDENT_PAGES = ["pages/problems.py", "pages/practice.py", "pages/progress.py", "pages/account.py"]
INSTRUCTOR_PAGES = ["pages/gradebook.py", "pages/analytics.py", "pages/authoring.py"]
RIGHT = r"\frac{5-\sqrt{5}}{2}, \frac{5+\sqrt{5}}{2}"


@pytest.mark.parametrize("page", STUDENT_PAGES)
def test_student_pages_render_for_a_guest(db, page):
    """Each student page renders for a guest without an exception."""
    at = new_app().run()
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error


@pytest.mark.parametrize("page", STUDENT_PAGES + INSTRUCTOR_PAGES)
def test_every_page_renders_for_an_instructor(db, page):
    """Each page renders for an instructor without an exception."""
    at = signed_in(db, "prof", role="instructor").run()
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error


@pytest.mark.parametrize("page", INSTRUCTOR_PAGES)
def test_a_student_cannot_open_an_instructor_page(db, page):
    """Instructor pages are not registered for a student: switching to one is refused."""
    at = signed_in(db, "stu").run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


@pytest.mark.parametrize("page", INSTRUCTOR_PAGES)
def test_a_guest_cannot_open_an_instructor_page(db, page):
    """Nor for a guest."""
    at = new_app().run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


@pytest.mark.parametrize("page", INSTRUCTOR_PAGES)
def test_an_instructor_url_on_a_fresh_server_is_still_refused(db, page):
    """A fresh server's first run serves pages/<name>.py by URL, around app.py (Streamlit's
    old multipage mode; AppTest starts every run that way): a student asking for an
    instructor page then gets the frame's pages, never the instructor's."""
    storage.create_account(db, "stu", PASSWORD)
    at = signed_in(db, "stu")
    at.switch_page(page).run()          # before any run: the page is picked by file name
    assert not at.exception
    titles = [t.value for t in at.title]
    assert titles and titles[0] not in {"Gradebook", "Analytics", "Authoring"}
    assert any("Signed in as **stu** (student)" in c for c in texts(at.sidebar.caption))


@pytest.mark.parametrize("page", STUDENT_PAGES)
def test_a_student_url_on_a_fresh_server_runs_inside_the_frame(db, page):
    """The same first run for a student page still signs in and draws the sidebar."""
    at = signed_in(db, "stu")
    at.switch_page(page).run()
    assert not at.exception
    assert any("Signed in as **stu** (student)" in c for c in texts(at.sidebar.caption))
    assert len([t for t in at.title]) == 1


def test_problem_list_shows_every_problem_with_status(db):
    """The list shows all 20 problems grouped by topic; a solved one is marked solved."""
    at = signed_in(db, "lia")
    open_problem(at, "transpose-identities")
    at.radio(key="answer::transpose-identities::0::rule").set_value("B^T A^T").run()
    submit(at, "transpose-identities", "rule")
    at.switch_page("pages/problems.py").run()
    assert not at.exception
    assert "0 of 20 problems solved" in at.get("progress")[0].proto.text
    assert any("in progress" in m for m in texts(at.markdown))
    assert {s.value for s in at.subheader} >= {"Linear algebra", "Calculus", "Probability"}


def test_problem_list_search_filters(db):
    """Search narrows the list."""
    at = new_app().run()
    at.text_input(key="list_search").set_value("eckart").run()
    links = [p for p in at.get("page_link")]
    assert len(links) == 1 and "Singular values" in links[0].proto.label


def test_sign_in_wrong_password_says_so(db):
    """A wrong password shows the storage layer's message."""
    storage.create_account(db, "mia", PASSWORD)
    at = new_app().run()
    at.switch_page("pages/account.py").run()
    at.text_input(key="sign_in_username").set_value("mia")
    at.text_input(key="sign_in_password").set_value("wrong password")
    at.button[0].click().run()
    assert "Wrong username or password" in at.error[0].value


def test_sign_in_is_rate_limited(db):
    """After five failures sign-in is paused, and the message says for how long."""
    storage.create_account(db, "ned", PASSWORD)
    at = new_app().run()
    at.switch_page("pages/account.py").run()
    for _ in range(6):
        at.text_input(key="sign_in_username").set_value("ned")
        at.text_input(key="sign_in_password").set_value("wrong password")
        at.button[0].click().run()
    assert "Too many failed sign-in attempts" in at.error[0].value


def test_sign_in_then_sign_out(db):
    """Signing in shows the account; signing out returns to guest mode."""
    storage.create_account(db, "olga", PASSWORD)
    at = new_app().run()
    at.switch_page("pages/account.py").run()
    at.text_input(key="sign_in_username").set_value("olga")
    at.text_input(key="sign_in_password").set_value(PASSWORD)
    at.button[0].click().run()
    assert any("Signed in as **olga**" in m for m in texts(at.markdown))
    at.button[0].click().run()   # Sign out
    assert at.title[0].value == "Sign in"
    assert at.session_state["signed_out"] and "auth" not in at.session_state


def test_expired_session_signs_out_with_a_message(db):
    """A token that was signed out elsewhere leaves the tab signed out, with the reason."""
    at = signed_in(db, "pia").run()
    storage.sign_out_everywhere(db, storage.find_account(db, "pia").id)
    at.switch_page("pages/account.py").run()
    assert at.title[0].value == "Sign in" and "auth" not in at.session_state


def test_guest_work_is_kept_when_the_guest_signs_up(db):
    """A guest's answers move into the account they create."""
    at = open_problem(new_app(), "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value(RIGHT).run()
    submit(at, "eigen-2x2", "eigenvalues")
    at.switch_page("pages/account.py").run()
    assert "1 answer(s) from this guest session" in at.info[0].value
    at.text_input(key="sign_up_username").set_value("quinn")
    at.text_input(key="sign_up_password").set_value(PASSWORD)
    at.text_input(key="sign_up_repeat").set_value(PASSWORD)
    at.button[1].click().run()
    assert not at.exception
    quinn = storage.find_account(db, "quinn")
    [imported] = storage.list_attempts(db, quinn.id)
    assert imported.imported and imported.correct and imported.response == RIGHT
    assert any("Signed in as **quinn**" in m for m in texts(at.markdown))


def test_sign_up_with_mismatched_passwords_is_refused(db):
    """Typing two different passwords is caught before anything is created."""
    at = new_app().run()
    at.switch_page("pages/account.py").run()
    at.text_input(key="sign_up_username").set_value("ray")
    at.text_input(key="sign_up_password").set_value(PASSWORD)
    at.text_input(key="sign_up_repeat").set_value(PASSWORD + "!")
    at.button[1].click().run()
    assert "passwords differ" in at.error[0].value
    assert storage.find_account(db, "ray") is None


def test_sign_up_never_makes_an_instructor(db):
    """A page-created account is a student, whatever is typed."""
    at = new_app().run()
    at.switch_page("pages/account.py").run()
    at.text_input(key="sign_up_username").set_value("sam")
    at.text_input(key="sign_up_password").set_value(PASSWORD)
    at.text_input(key="sign_up_repeat").set_value(PASSWORD)
    at.button[1].click().run()
    assert storage.find_account(db, "sam").role == "student"


def test_progress_page_charts_and_downloads(db):
    """Progress shows mastery charts and offers the student's own data."""
    at = signed_in(db, "tess")
    open_problem(at, "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value(RIGHT).run()
    submit(at, "eigen-2x2", "eigenvalues")
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) >= 3
    assert [m.value for m in at.metric][2] == "1"
    assert len(at.get("download_button")) == 2


def _student_answers(db):
    """Three students: one right, two with the same misconception typed differently."""
    for name, response in (("uma", RIGHT), ("vic", "1, 2"), ("wes", "2,1")):
        storage.create_account(db, name, PASSWORD)
        account = storage.find_account(db, name)
        key = f"{name}-key-000001"
        sid = storage.record_submission(db, account_id=account.id, problem_id="eigen-2x2",
                                        part_id="eigenvalues", seed=0, answer_kind="set",
                                        response=response, idempotency_key=key)
        storage.record_verdict(db, sid, grade_submission("eigen-2x2", "eigenvalues", 0, response))


def test_gradebook_shows_students_and_exports(db):
    """The gradebook has one row per student and offers CSV and Excel."""
    _student_answers(db)
    at = signed_in(db, "prof", role="instructor").run()
    at.switch_page("pages/gradebook.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame.index) == ["uma", "vic", "wes"]
    assert frame.loc["uma", "eigen-2x2"] == pytest.approx(1 / 3)   # one part of three
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Gradebook (CSV)", "Gradebook (Excel)"]


def test_analytics_groups_equivalent_wrong_answers(db):
    """'1, 2' and '2,1' are one group of two, with the feedback and a YAML snippet."""
    _student_answers(db)
    at = signed_in(db, "prof", role="instructor").run()
    at.switch_page("pages/analytics.py").run()
    at.selectbox(key="analytics_problem").set_value("eigen-2x2").run()
    assert not at.exception
    first = at.expander[0]
    assert first.label.startswith("#1 · 2 answer(s) from 2 student(s)")
    assert any("mistakes:" in c.value for c in at.code)


def test_regrade_reports_what_changed(db):
    """Regrading with unchanged problems reports no change and keeps every submission."""
    _student_answers(db)
    at = signed_in(db, "prof", role="instructor").run()
    at.switch_page("pages/analytics.py").run()
    at.selectbox(key="analytics_problem").set_value("eigen-2x2").run()
    at.button(key="regrade").click().run()
    assert "Regraded 3 submission(s)" in at.success[0].value
    assert "0 verdict(s) changed" in at.success[0].value


BROKEN = """format: 1
id: new-problem
title: A new problem
topic: calculus
concepts: [derivatives]
difficulty: 9
statement: Differentiate $x^2$.
parts:
  - id: d
    prompt: Give $f'(x)$.
    answer: {type: expression, reference: "2x"}
solution: $2x$.
"""


def test_authoring_validates_pasted_yaml_with_file_and_line(db):
    """Pasted YAML with an error gets file:line and the key; fixed, it previews."""
    at = signed_in(db, "prof", role="instructor").run()
    at.switch_page("pages/authoring.py").run()
    at.text_area(key="author_yaml").set_value(BROKEN).run()
    at.button(key="author_validate").click().run()
    assert any("pasted.yaml:6: difficulty" in c.value for c in at.code)
    at.text_area(key="author_yaml").set_value(BROKEN.replace("difficulty: 9", "difficulty: 1"))
    at.run()
    at.button(key="author_validate").click().run()
    assert "`new-problem` is valid" in at.success[0].value
    assert any("Reference:" in m for m in texts(at.markdown))


def test_authoring_preview_shows_references(db):
    """The preview shows the reference answers at the chosen seed."""
    at = signed_in(db, "prof", role="instructor").run()
    at.switch_page("pages/authoring.py").run()
    at.selectbox(key="author_problem").set_value("eigen-2x2").run()
    assert any("5/2 - sqrt(5)/2" in m for m in texts(at.markdown))
    at.number_input(key="author_seed").set_value(3).run()
    assert not at.exception


def test_students_never_see_references(db):
    """No student page shows the reference text of a part before the solution opens."""
    at = signed_in(db, "xena")
    open_problem(at, "eigen-2x2")
    everything = " ".join(texts(at.markdown) + texts(at.caption) + texts(at.latex))
    assert "5/2 - sqrt(5)/2" not in everything and "Reference" not in everything


OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "grader", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def test_oidc_user_gets_a_local_student_account(db):
    """With [auth] in the secrets, st.user is mapped to a local account (a student)."""
    at = new_app()
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": True, "email": "Zoe@Example.org", "name": "Zoe"}
    at.run()
    at.switch_page("pages/account.py").run()
    assert not at.exception
    assert any("Signed in as **zoe@example.org**" in m for m in texts(at.markdown))
    assert storage.find_account(db, "zoe@example.org").role == "student"


def test_oidc_instructors_come_from_configuration(db, monkeypatch):
    """GRADER_INSTRUCTORS names the OIDC users who get the instructor pages."""
    monkeypatch.setenv("GRADER_INSTRUCTORS", "prof@example.org")
    at = new_app()
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": True, "email": "prof@example.org"}
    at.run()
    at.switch_page("pages/gradebook.py").run()
    assert not at.exception and at.title[0].value == "Gradebook"


def test_oidc_guest_sees_the_provider_button(db):
    """Signed out under OIDC, the account page offers the provider's sign-in."""
    at = new_app()
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": False}
    at.run()
    at.switch_page("pages/account.py").run()
    assert [b.label for b in at.button] == ["Sign in"]


def test_authoring_upload_uses_the_file_name_only(db):
    """An uploaded file is validated under its own name, whatever path the browser sent."""
    at = signed_in(db, "prof", role="instructor").run()
    at.switch_page("pages/authoring.py").run()
    at.file_uploader(key="author_upload").upload("../../evil.yaml", BROKEN.encode(),
                                                 "application/x-yaml").run()
    at.button(key="author_validate").click().run()
    assert any(c.value.startswith("evil.yaml:6: difficulty") for c in at.code)

"""End to end in Chromium: a student signs up and answers; an instructor sees it and exports.

The tests of this module run in order against one app server and share the student's
browser context, as one classroom session would.
"""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import (ROOT, shoot, sign_in, sign_up, wait_for_app, wait_for_guest_restore,
                       wait_for_session_cookie)

pytestmark = pytest.mark.slow

EIGENVALUES = r"\frac{5-\sqrt{5}}{2}, \frac{5+\sqrt{5}}{2}"   # eigen-2x2, seed 0
STUDENT = "ada"
INSTRUCTOR = "prof"


@pytest.fixture(scope="module")
def student(chromium, app_server):
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def expect():
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=20_000)   # CI machines are small: be patient
    return playwright_expect


def test_guest_work_survives_a_reload(student, app_server):
    """A guest's answer is still there after a reload (kept, signed, in the tab)."""
    student.goto(app_server.url)
    expect()(student.get_by_role("heading", name="Problems")).to_be_visible()
    expect()(student.get_by_text("0 of 20 problems solved")).to_be_visible()
    expect()(student.get_by_role("link", name="Transposes of products and sums")).to_be_visible()
    wait_for_app(student)
    shoot(student, "01-problems-guest")
    student.goto(f"{app_server.url}/practice?problem=transpose-identities&seed=0")
    student.get_by_role("radio", name="B^T A^T").check(force=True)
    student.get_by_role("button", name="Submit").first.click()
    expect()(student.get_by_test_id("stAlertContentSuccess").first).to_contain_text("Correct")
    student.wait_for_timeout(500)
    student.reload()
    wait_for_app(student)
    expect()(student.get_by_text("Your attempts at this part (1)")).to_be_visible()


def test_student_signs_up_keeping_guest_work(student, app_server):
    """A new student creates an account; the guest answer moves into it."""
    student.goto(f"{app_server.url}/account")
    expect()(student.get_by_role("tab", name="Create an account")).to_be_visible()
    wait_for_guest_restore(student)
    shoot(student, "02-sign-in")
    sign_up(student, app_server.url, STUDENT)
    expect()(student.get_by_text(f"Signed in as {STUDENT}").first).to_be_visible()
    expect()(student.get_by_text("Your 1 guest answer(s) are saved").first).to_be_visible()
    wait_for_session_cookie(student)
    shoot(student, "02-account-created")


def test_eigenvalues_in_latex_preview_then_correct(student, app_server):
    """Typed LaTeX is previewed as math, and Submit says Correct."""
    student.goto(f"{app_server.url}/practice?problem=eigen-2x2&seed=0")
    box = student.get_by_label("Your answer to part 1", exact=True)
    box.fill(EIGENVALUES)
    box.press("Enter")
    expect()(student.get_by_text("Read as:").first).to_be_visible()
    submit = student.get_by_role("button", name="Submit").first
    try:
        expect()(submit).to_be_enabled()
    except AssertionError:
        shoot(student, "03-FAILED")
        raise
    expect()(student.get_by_test_id("stMarkdownContainer").filter(
        has=student.locator(".katex-display")).first).to_contain_text("5")   # the read-back
    shoot(student, "03-practice-preview")
    submit.click()
    success = student.get_by_test_id("stAlertContentSuccess").first
    expect()(success).to_contain_text("Correct")
    expect()(student.get_by_text("it opens when each part").first).to_be_visible()
    shoot(student, "04-practice-correct")


def test_wrong_answer_gets_specific_feedback(student, app_server):
    """The diagonal entries get the anticipated-mistake feedback."""
    box = student.get_by_label("Your answer to part 1", exact=True)
    box.fill("2, 3")
    box.press("Enter")
    student.get_by_role("button", name="Submit").first.click()
    error = student.get_by_test_id("stAlertContentError").first
    expect()(error).to_contain_text("diagonal entries")
    shoot(student, "05-practice-wrong")


def test_unreadable_answer_gets_a_caret_before_submit(student, app_server):
    """An unclosed bracket is flagged in the preview, with a caret, before Submit."""
    box = student.get_by_label("Your answer to part 2", exact=True)
    box.fill("[1, 2], [2, -1")
    box.press("Enter")
    expect()(student.get_by_text("Not readable yet").first).to_be_visible()
    shoot(student, "06-practice-caret")


def test_visual_editor_goes_through_the_same_reader(student, app_server):
    """MathLive loads from the app itself and its LaTeX is previewed."""
    student.get_by_text("Visual editor").nth(2).click()   # part 3
    field = student.locator("math-field").first
    field.wait_for()
    field.focus()
    student.keyboard.type("[1,2]", delay=30)
    expect()(student.get_by_text("Read as:")).to_have_count(2)   # parts 1 and 3 (2 is unreadable)
    expect()(student.get_by_role("button", name="Submit").nth(2)).to_be_enabled()
    shoot(student, "07-practice-visual-editor")


def test_session_survives_a_reload(student, app_server):
    """A reload keeps the student signed in (cookie)."""
    student.reload()
    wait_for_app(student)
    expect()(student.get_by_text(f"Signed in as {STUDENT}").first).to_be_visible()


def test_hessian_upload_shows_per_test_results(student, app_server):
    """Uploading a Hessian implementation shows each test passed."""
    student.goto(f"{app_server.url}/practice?problem=hessian-autograd&seed=0")
    student.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        str(ROOT / "problems" / "solutions" / "hessian-autograd.py"))
    expect()(student.get_by_text("Submitting the uploaded file")).to_be_visible()
    student.get_by_role("button", name="Submit").nth(1).click()
    expect()(student.get_by_text("Tests: 9 of 9 passed")).to_be_visible(timeout=90_000)
    expect()(student.get_by_test_id("stAlertContentSuccess").first).to_contain_text("Correct")
    shoot(student, "08-practice-code")


def test_progress_page(student, app_server):
    """The progress page draws the mastery charts."""
    student.goto(f"{app_server.url}/progress")
    expect()(student.get_by_role("heading", name="Mastery by topic")).to_be_visible()
    expect()(student.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    student.wait_for_timeout(1000)
    shoot(student, "09-progress")


def test_instructor_sees_the_submissions_and_exports_csv(chromium, app_server):
    """An instructor (made by the CLI) sees the student in the gradebook and downloads CSV."""
    app_server.cli("users", "add", INSTRUCTOR, "--role", "instructor", "--password-stdin",
                   stdin="correct horse battery\n")
    context = chromium.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        sign_in(page, app_server.url, INSTRUCTOR)
        wait_for_session_cookie(page)
        expect()(page.get_by_role("link", name="Gradebook")).to_be_visible()
        page.get_by_role("link", name="Gradebook").click()
        expect()(page.get_by_role("heading", name="Submissions")).to_be_visible()
        expect()(page.get_by_text("2, 3").first).to_be_visible()   # the wrong answer, stored
        shoot(page, "10-gradebook")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Gradebook (CSV)").click()
        with open(download_info.value.path(), encoding="utf-8") as downloaded:
            text = downloaded.read()
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [row["username"] for row in rows] == [STUDENT]
        assert float(rows[0]["eigen-2x2"]) > 0 and float(rows[0]["hessian-autograd"]) > 0
        page.get_by_role("link", name="Analytics").click()
        expect()(page.get_by_text("Wrong answers, grouped by mathematical equivalence")) \
            .to_be_visible()
        page.wait_for_timeout(800)
        shoot(page, "11-analytics")
        page.get_by_role("link", name="Authoring").click()
        expect()(page.get_by_text("Reference:").first).to_be_visible()
        shoot(page, "12-authoring")
    finally:
        context.close()


def test_student_has_no_instructor_pages(student, app_server):
    """The student's navigation has no instructor link, and the URL shows the default page."""
    student.goto(f"{app_server.url}/gradebook")
    wait_for_app(student)
    expect()(student.get_by_role("heading", name="Problems")).to_be_visible()
    assert student.get_by_role("link", name="Gradebook").count() == 0

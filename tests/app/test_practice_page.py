"""The problem page: inputs, live preview, Submit, feedback, hints, solution gating, drafts."""

from __future__ import annotations

import pytest

from grader import storage
from grader.service import GradingService
from pages.ui import common

from .conftest import answer_box, new_app, open_problem, signed_in, submit, texts

RIGHT = r"\frac{5-\sqrt{5}}{2}, \frac{5+\sqrt{5}}{2}"   # eigen-2x2 at seed 0 (a=2, b=1, c=3)


def test_problem_page_renders_statement_parts_and_variant(db):
    """The statement, one input per part and the variant number are shown."""
    at = open_problem(new_app(), "eigen-2x2")
    assert not at.exception
    assert at.title[0].value.startswith("Eigenvalues and eigenvectors")
    assert any("Variant 0" in m for m in texts(at.markdown))
    assert [t.label for t in at.text_input][:3] == [f"Your answer to part {n}" for n in (1, 2, 3)]


def test_live_preview_shows_latex_before_submit(db):
    """Typed LaTeX is read back as LaTeX before anything is submitted."""
    at = open_problem(new_app(), "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value(RIGHT).run()
    assert r"\frac{5 - \sqrt{5}}{2}" in at.latex[0].value


def test_live_preview_locates_an_error_with_a_caret(db):
    """An unreadable answer gets what is wrong and a caret under where, before Submit."""
    at = open_problem(new_app(), "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value("(1, 2").run()
    assert "never closed" in at.error[0].value
    assert "(1, 2\n^" in at.code[0].value
    assert at.button(key="submit::eigen-2x2::0::eigenvalues").disabled   # nothing to grade yet


def test_right_answer_is_correct_and_stored_before_it_is_shown(db):
    """A signed-in student's right answer says Correct and is in the database with its verdict."""
    at = signed_in(db, "alice")
    open_problem(at, "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value(RIGHT).run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert not at.exception
    assert "Correct" in at.success[0].value
    alice = storage.find_account(db, "alice")
    [stored] = storage.list_attempts(db, alice.id, problem_id="eigen-2x2")
    assert stored.status == "graded" and stored.correct and stored.response == RIGHT


def test_wrong_answer_gets_the_specific_feedback(db):
    """The diagonal entries get the anticipated-mistake feedback, not a bare 'wrong'."""
    at = signed_in(db, "bob")
    open_problem(at, "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value("2, 3").run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert "diagonal entries" in at.error[0].value
    assert "score 0%" in at.error[0].value


def test_partial_credit_is_shown(db):
    """One right eigenvalue of two is partial credit, shown as such."""
    at = open_problem(new_app(), "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value(r"\frac{5-\sqrt{5}}{2}").run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert "Partly right" in at.warning[0].value


def test_counterexample_is_shown_for_a_wrong_expression(db):
    """A wrong formula shows a point where it differs."""
    at = open_problem(new_app(), "chain-rule-composite")
    part = at.text_input[0].key.split("::")[-1]
    at.text_input[0].set_value("x").run()
    submit(at, "chain-rule-composite", part)
    shown = at.error[0].value + "".join(texts(at.caption))
    assert shown.count("For example, at x = ") == 1        # said once, in the feedback
    assert not any("Where your answer differs" in c for c in texts(at.caption))


def test_hints_are_revealed_one_at_a_time(db):
    """Each Hint click shows one more hint, up to the last."""
    at = open_problem(new_app(), "eigen-2x2")
    hint = at.button(key="hint::eigen-2x2::0::eigenvalues")
    assert hint.label == "Hint (1 of 3)"
    hint.click().run()
    assert any("Hint 1." in i for i in texts(at.info))
    assert at.button(key="hint::eigen-2x2::0::eigenvalues").label == "Hint (2 of 3)"
    for _ in range(2):
        at.button(key="hint::eigen-2x2::0::eigenvalues").click().run()
    assert at.button(key="hint::eigen-2x2::0::eigenvalues").disabled
    assert sum("**Hint" in i for i in texts(at.info)) == 3


def test_part_solution_is_gated_until_correct(db):
    """A part's worked solution is locked, then opens after a correct answer."""
    at = signed_in(db, "carol")
    open_problem(at, "transpose-identities")
    assert any("opens after a correct answer or after 3 attempts" in c for c in texts(at.caption))
    assert not any("Worked solution" in e.label for e in at.expander)
    at.radio(key="answer::transpose-identities::0::rule").set_value("B^T A^T").run()
    submit(at, "transpose-identities", "rule")
    assert [e.label for e in at.expander if "Worked solution" in e.label] == ["Worked solution"]


def test_part_solution_opens_after_n_attempts(db, monkeypatch):
    """After N wrong attempts (GRADER_SOLUTION_AFTER) the part's solution opens too."""
    monkeypatch.setenv("GRADER_SOLUTION_AFTER", "2")
    at = signed_in(db, "dave")
    open_problem(at, "transpose-identities")
    for wrong in ("B A", "A B^T"):
        at.radio(key="answer::transpose-identities::0::rule").set_value(wrong).run()
        submit(at, "transpose-identities", "rule")
    assert any("Shown after 2 attempts" in c for c in texts(at.caption))


def test_whole_solution_waits_for_every_part(db):
    """A problem-level solution answers every part: solving one part does not reveal it."""
    from grader.problems import default_bank, instantiate

    instance = instantiate(default_bank().get("eigen-2x2"), 0)
    at = signed_in(db, "dora")
    open_problem(at, "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value(RIGHT).run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert not any("Worked solution" in e.label for e in at.expander)
    assert any("still closed: eigenvectors, verify" in c for c in texts(at.caption))
    for part_id in ("eigenvectors", "verify"):
        answer_box(at, "eigen-2x2", part_id).set_value(instance.part(part_id).response).run()
        submit(at, "eigen-2x2", part_id)
    assert any("Worked solution" in e.label for e in at.expander)


def test_attempt_history_lists_every_attempt(db):
    """The part's attempt history lists each submission."""
    at = signed_in(db, "erin")
    open_problem(at, "eigen-2x2")
    for text in ("1, 2", RIGHT):
        answer_box(at, "eigen-2x2", "eigenvalues").set_value(text).run()
        submit(at, "eigen-2x2", "eigenvalues")
    assert any(e.label == "Your attempts at this part (2)" for e in at.expander)


def test_a_retried_click_is_stored_once(db):
    """A Submit click that was stored but not answered (crash) is not stored again on retry."""
    at = signed_in(db, "frank")
    open_problem(at, "eigen-2x2")
    account = storage.find_account(db, "frank")
    key = "11111111-2222-3333-4444-555555555555"
    storage.record_submission(db, account_id=account.id, problem_id="eigen-2x2",
                              part_id="eigenvalues", seed=0, answer_kind="set", response="2, 3",
                              idempotency_key=key)
    at.session_state["pending::eigen-2x2::0::eigenvalues"] = {"key": key, "response": "2, 3"}
    answer_box(at, "eigen-2x2", "eigenvalues").set_value("2, 3").run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert "diagonal entries" in at.error[0].value
    assert len(storage.list_attempts(db, account.id)) == 1
    assert "pending::eigen-2x2::0::eigenvalues" not in at.session_state


def test_new_variant_changes_the_seed(db):
    """'New variant' draws another seed and shows it."""
    at = open_problem(new_app(), "eigen-2x2")
    at.button[0].click().run()
    seed = at.session_state["seed::eigen-2x2"]
    assert seed != 0 and any(f"Variant {seed}" in m for m in texts(at.markdown))


def test_draft_survives_a_new_session(db):
    """What a signed-in student typed is restored in a new browser session (a reload)."""
    at = signed_in(db, "gina")
    open_problem(at, "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value("5/2 + sqrt(5)/2, 5/2").run()
    reloaded = signed_in(db, "gina")
    open_problem(reloaded, "eigen-2x2")
    assert answer_box(reloaded, "eigen-2x2", "eigenvalues").value == "5/2 + sqrt(5)/2, 5/2"


def test_choice_part_uses_radio_buttons(db):
    """A choice part is a radio; the right option is correct."""
    at = open_problem(new_app(), "transpose-identities")
    radio = at.radio(key="answer::transpose-identities::0::rule")
    assert "B^T A^T" in radio.options
    radio.set_value("B^T A^T").run()
    submit(at, "transpose-identities", "rule")
    assert "Correct" in at.success[0].value


def test_labels_part_uses_one_select_per_item(db):
    """A labels part has one select box per item."""
    at = open_problem(new_app(), "quartic-critical-points")
    boxes = [s for s in at.selectbox if s.key and s.key.startswith(
        "answer::quartic-critical-points::0::classification")]
    assert len(boxes) == 3
    for box, label in zip(boxes, ["minimum", "saddle point", "minimum"]):
        box.set_value(label)
    at.run()
    submit(at, "quartic-critical-points", "classification")
    assert "Correct" in at.success[0].value


def test_code_part_shows_signature_editor_and_upload(db):
    """A code part shows its function signature and an upload box."""
    at = open_problem(new_app(), "hessian-autograd")
    assert any("`hessian(f, x)`" in m for m in texts(at.markdown))
    assert at.get("file_uploader")


def test_unknown_problem_in_the_url_falls_back(db):
    """A bad ?problem= shows the first problem, not an error."""
    at = open_problem(new_app(), "eigen-2x3", seed="abc")
    assert not at.exception and at.title[0].value
    assert "There is no problem `eigen-2x3` in this course (did you mean `eigen-2x2`?)" \
        in at.warning[0].value


def test_a_bad_variant_in_the_url_says_so(db):
    """A seed that is not a whole number is named, and variant 0 is shown."""
    at = open_problem(new_app(), "eigen-2x2", seed="-3")
    assert "The variant `-3` in the address is not a whole number" in at.warning[0].value
    assert any(m.startswith("**Variant 0**") for m in texts(at.markdown))


class FakeQueue:
    def __init__(self) -> None:
        self.ids: list[int] = []

    def enqueue(self, submission_id: int) -> None:
        self.ids.append(submission_id)


def test_pending_verdict_shows_grading_then_the_result(db, monkeypatch):
    """With a queue, Submit shows 'Grading…' and the verdict once a worker stored it."""
    queue = FakeQueue()
    service = GradingService(db, queue=queue)
    monkeypatch.setattr(common, "grading_service", lambda: service)
    at = signed_in(db, "hugo")
    open_problem(at, "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value(RIGHT).run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert any("Grading" in i for i in texts(at.info))
    [submission_id] = queue.ids
    from grader.service import grade_submission
    storage.record_verdict(db, submission_id, grade_submission("eigen-2x2", "eigenvalues", 0, RIGHT))
    at.run()
    assert "Correct" in at.success[0].value


def test_grading_failure_is_a_message_not_a_traceback(db, monkeypatch):
    """If grading crashes, the student reads a sentence and the answer stays stored."""
    class Broken(GradingService):
        def submit(self, **kwargs):
            raise RuntimeError("boom")

    monkeypatch.setattr(common, "grading_service", lambda: Broken(db))
    at = signed_in(db, "ivan")
    open_problem(at, "eigen-2x2")
    answer_box(at, "eigen-2x2", "eigenvalues").set_value("1, 2").run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert not at.exception
    assert "Grading failed (RuntimeError)" in at.error[0].value


@pytest.mark.slow
def test_uploaded_code_gets_per_test_results(db):
    """Uploading a Hessian implementation shows each test passed, and a wrong one fails."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "problems/solutions/hessian-autograd.py").read_bytes()
    at = signed_in(db, "judy")
    open_problem(at, "hessian-autograd")
    at.file_uploader(key="upload::hessian-autograd::0::code").upload(
        "hessian.py", source, "text/x-python").run()
    submit(at, "hessian-autograd", "code")
    assert "Correct" in at.success[0].value
    assert any(m.startswith("**Tests:") and "passed" in m for m in texts(at.markdown))
    broken = b"import torch\n\ndef hessian(f, x):\n    while True:\n        pass\n"
    at.file_uploader(key="upload::hessian-autograd::0::code").upload(
        "loop.py", broken, "text/x-python").run()
    submit(at, "hessian-autograd", "code")
    assert any("Time limit" in w for w in texts(at.warning))


def test_visual_editor_latex_goes_through_the_same_reader(db):
    """MathLive's LaTeX (its bracket macros included) is previewed like typed text."""
    at = open_problem(new_app(), "eigen-2x2")
    at.button_group(key="mode::eigen-2x2::0::eigenvalues").set_value("Visual editor").run()
    assert any("visual editor writes LaTeX" in c for c in texts(at.caption))
    at.session_state["mathlive::eigen-2x2::0::eigenvalues"] = {
        "latex": r"\left\lbrack\frac{5-\sqrt{5}}{2},\frac{5+\sqrt{5}}{2}\right\rbrack"}
    at.run()
    assert r"\frac{5 - \sqrt{5}}{2}" in at.latex[0].value
    submit(at, "eigen-2x2", "eigenvalues")
    assert "Correct" in at.success[0].value


def test_visual_editor_missing_falls_back_to_the_text_box(db, monkeypatch, tmp_path):
    """Without `npm ci --prefix static` the page says so and offers the text box instead."""
    from pages.ui import components

    monkeypatch.setattr(components, "MATHLIVE", tmp_path / "no-mathlive")
    at = open_problem(new_app(), "eigen-2x2")
    at.button_group(key="mode::eigen-2x2::0::eigenvalues").set_value("Visual editor").run()
    assert any("visual editor is not installed" in i for i in texts(at.info))
    answer_box(at, "eigen-2x2", "eigenvalues").set_value("1, 2").run()
    assert not at.exception

"""The labels answer type: one option per item."""

from __future__ import annotations

import pytest

from grader import SpecError, check_answer

SPEC = {"type": "labels", "items": ["(0, 0)", "(1, 1)", "(-1, -1)"],
        "options": ["minimum", "maximum", "saddle point"],
        "reference": ["saddle point", "minimum", "minimum"]}


@pytest.mark.parametrize("response", ["saddle point; minimum; minimum",
                                      "Saddle Point\nminimum\nMINIMUM",
                                      "saddle, min, min"])
def test_accepted(response):
    """Semicolons, new lines or commas separate labels; case and prefixes are forgiven."""
    assert check_answer(SPEC, response).correct


@pytest.mark.parametrize("response, score, fragment", [
    ("minimum; minimum; minimum", 2 / 3, "1 of 3 labels is wrong. Item 1 ((0, 0)): `minimum` is not right."),
    ("maximum; maximum; maximum", 0.0, "3 of 3 labels are wrong."),
])
def test_partial_credit(response, score, fragment):
    """Each item is an equal share of the score; wrong items are named."""
    verdict = check_answer(SPEC, response)
    assert verdict.score == pytest.approx(score, abs=1e-4) and fragment in verdict.feedback


@pytest.mark.parametrize("response, fragment", [
    ("saddle point; minimum", "expected 3 labels separated by `;`"),
    ("saddle point; minimum; bottom", "`bottom` is not one of the options"),
])
def test_unreadable(response, fragment):
    """A wrong count or an unknown label is unreadable, with what to do."""
    verdict = check_answer(SPEC, response)
    assert verdict.status == "invalid" and fragment in verdict.error


def test_author_errors():
    """A reference label that is no option, or a count mismatch, is the author's error."""
    with pytest.raises(SpecError, match="is not one of the options"):
        check_answer({**SPEC, "reference": ["saddle", "minimum", "top"]}, "x")
    with pytest.raises(SpecError, match="3 items but 2 reference labels"):
        check_answer({**SPEC, "reference": ["minimum", "minimum"]}, "x")

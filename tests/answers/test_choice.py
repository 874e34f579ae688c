"""The choice answer type."""

from __future__ import annotations

import pytest

from grader import SpecError, check_answer

SPEC = {"type": "choice", "options": ["minimum", "maximum", "saddle point"],
        "reference": "saddle point"}


@pytest.mark.parametrize("response", ["saddle point", "Saddle Point", "  saddle   point ",
                                      "SADDLE\tPOINT", "saddle", "sad"])
def test_case_and_spacing_are_ignored(response):
    """The choice matches ignoring case and whitespace."""
    assert check_answer(SPEC, response).correct


def test_wrong_option():
    """Another option is wrong and the feedback names it."""
    verdict = check_answer(SPEC, "minimum")
    assert (verdict.correct, verdict.feedback) == (False, "`minimum` is not the right choice.")


def test_unknown_option_suggests():
    """Text that is no option is unreadable, with a suggestion."""
    verdict = check_answer(SPEC, "saddle pont")
    assert verdict.status == "invalid"
    assert "did you mean `saddle point`?" in verdict.error


@pytest.mark.parametrize("spec, fragment", [
    ({**SPEC, "reference": "inflection"}, "is not one of the options"),
    ({**SPEC, "options": ["a", "A "], "reference": "a"}, "the same option"),
])
def test_author_errors(spec, fragment):
    """A reference outside the options or duplicate options are author errors."""
    with pytest.raises(SpecError, match=fragment):
        check_answer(spec, "a")


def test_ambiguous_prefix_is_not_an_option():
    """A prefix matches only when exactly one option starts with it."""
    spec = {"type": "choice", "options": ["minimum", "minimal", "maximum"], "reference": "maximum"}
    assert check_answer(spec, "ma").correct
    assert check_answer(spec, "mini").status == "invalid"
    assert check_answer(spec, "m").status == "invalid"


def test_spacing_inside_is_ignored():
    """B^TA^T is the option B^T A^T."""
    spec = {"type": "choice", "options": ["A^T B^T", "B^T A^T"], "reference": "B^T A^T"}
    assert check_answer(spec, "B^TA^T").correct

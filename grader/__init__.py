"""Grade answers to exercises on the mathematics of deep learning.

The public API is small; everything else may change:

- :func:`read_math` reads student math (plain text, Unicode, a LaTeX subset) into a
  :class:`Reading`, never evaluating it.
- :func:`check_answer` checks a response against an ``answer:`` spec and returns a
  :class:`Verdict`.
- :func:`list_problems`, :func:`load_problem` and :func:`grade_part` serve the problem bank
  (``problems/*.yaml``).
- Errors: :class:`GraderError` and its subclasses :class:`MathInputError` (a student's
  unreadable answer), :class:`SpecError` (an author's broken spec), :class:`CheckTimeout`.
"""

from grader.answers import check_answer
from grader.answers.base import Verdict
from grader.errors import CheckTimeout, GraderError, MathInputError, SpecError
from grader.problems import PartResult, grade_part, list_problems, load_problem
from grader.reading import Reading, read_math

__all__ = [
    "list_problems",
    "load_problem",
    "grade_part",
    "PartResult",
    "check_answer",
    "read_math",
    "Reading",
    "Verdict",
    "GraderError",
    "MathInputError",
    "SpecError",
    "CheckTimeout",
]

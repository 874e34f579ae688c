"""validate: every error of every file, with file:line, key path and what is allowed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from grader.problems import ProblemBank
from grader.problems.validation import validate_paths

from conftest import ROOT

GOOD = """\
format: 1
id: {id}
title: A good problem
topic: calculus
concepts: [derivatives]
difficulty: 1
parameters:
  a: {{tutorial: 2, range: [1, 4]}}
statement: Differentiate $f(x) = {{{{a}}}} x^2$.
parts:
  - id: derivative
    prompt: Find $f'(x)$.
    answer:
      type: expression
      reference: "diff(a*x^2, x)"
      variables: [x]
    mistakes:
      - answer: "a*x"
        feedback: Bring the exponent down.
solution: $f'(x) = {{{{2*a}}}} x$.
"""


def _write(tmp_path, name, text):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _errors(tmp_path, name, text, seeds=20):
    path = _write(tmp_path, name, text)
    return [str(e) for e in validate_paths([path], seeds)[path]]


def test_good_file_has_no_errors(tmp_path):
    """A correct file validates cleanly."""
    assert _errors(tmp_path, "good", GOOD.format(id="good")) == []


# (replace this, with that, expected "file:line: path: message" fragment)
BREAKAGES = [
    ("type: expression", "type: expresion",
     "bad.yaml:14: parts[0].answer.type: unknown answer type 'expresion'; expected one of "),
    ("type: expression", "type: expresion", "(did you mean 'expression'?)"),
    ("difficulty: 1", "difficulty: 9", "bad.yaml:6: difficulty: Input should be less than or "
                                       "equal to 5"),
    ("title: A good problem", "title: A good problem\ncolour: red",
     "bad.yaml:4: colour: unknown key 'colour'"),
    ("topic: calculus\n", "", "bad.yaml:1: topic: missing required key"),
    ("topic: calculus", "topic: calculos", "bad.yaml:4: topic: 'calculos' is not allowed"),
    ('reference: "diff(a*x^2, x)"', 'reference: "diff(a*x^2, x"',
     "bad.yaml:15: parts[0].answer.reference: at seed 0: 'diff(a*x^2, x' cannot be read: `(` at "
     "column 5 is never closed"),
    ('reference: "diff(a*x^2, x)"', 'reference: "1/(a - 1)"',
     "bad.yaml:15: parts[0].answer.reference: at seed 2: the value is undefined (a division "
     "by zero) with a = 1"),
    ('reference: "diff(a*x^2, x)"', 'reference: "2y"',
     "parts[0].answer.reference: '2*y' cannot be read: `y` is not a variable of this part"),
    ("answer: \"a*x\"", "answer: \"a*x +\"", "bad.yaml:18: parts[0].mistakes[0].answer:"),
    ("Differentiate $f(x)", "Differentiate $\\foo f(x)",
     "bad.yaml:9: statement: \\foo is not supported by the math renderer (KaTeX)"),
    ("id: derivative", "id: Derivative!", "bad.yaml:11: parts[0].id: 'Derivative!' is not a "
                                          "valid id"),
    ("a: {tutorial: 2, range: [1, 4]}", "a: {tutorial: 2, range: [4, 1]}",
     "bad.yaml:8: parameters.a: range [4, 1] is empty"),
    ("a: {tutorial: 2, range: [1, 4]}", "a: {tutorial: 2}",
     "bad.yaml:8: parameters.a: give exactly one of `choices` or `range`"),
    ("parameters:", "constraints: ['a > 5']\nparameters:",
     "constraints: the tutorial values break the constraint 'a > 5'"),
    ("title: A good problem", "title: A good problem\ntitle: Twice",
     "bad.yaml:4: title: duplicate key"),
    ("Differentiate $f(x)", "Differentiate {{ nope(a) }} $f(x)",
     "statement: at seed 0: 'nope(a)' cannot be read"),
    ("parts:\n", "parts:\n  - id: derivative\n    prompt: Again.\n    answer: {type: number, "
                 "reference: 1}\n", "parts[1].id: duplicate part id 'derivative' (also parts[0])"),
]


@pytest.mark.parametrize("before, after, fragment", BREAKAGES)
def test_breakage_is_reported_with_its_line(tmp_path, before, after, fragment):
    """Each kind of author mistake is reported with file:line, key path and message."""
    text = GOOD.format(id="bad")
    assert before in text
    errors = _errors(tmp_path, "bad", text.replace(before, after, 1))
    assert any(fragment in e for e in errors), errors


def test_yaml_syntax_error_has_a_line(tmp_path):
    """A YAML syntax error names the line where reading stopped."""
    errors = _errors(tmp_path, "broken", "format: 1\nid: broken\ntitle: [unclosed\nx: 1\n")
    assert len(errors) == 1 and errors[0].startswith(str(tmp_path / "broken.yaml") + ":")
    assert "YAML syntax" in errors[0]


def test_id_must_match_file_name(tmp_path):
    """The id must equal the file name."""
    errors = _errors(tmp_path, "other-name", GOOD.format(id="good"))
    assert any("other-name.yaml:2: id: id 'good' does not match the file name" in e
               for e in errors)


def test_all_errors_of_all_files_in_one_run(tmp_path):
    """validate reports every broken file, several errors each, and exits 1."""
    _write(tmp_path, "one", GOOD.format(id="one").replace("difficulty: 1", "difficulty: 0")
           .replace("topic: calculus", "topic: nope"))
    _write(tmp_path, "two", GOOD.format(id="two").replace("type: expression", "type: vectr"))
    _write(tmp_path, "fine", GOOD.format(id="fine"))
    done = subprocess.run([sys.executable, "-m", "grader", "validate", str(tmp_path),
                           "--seeds", "3"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert sum("one.yaml" in line for line in lines) == 2
    assert sum("two.yaml" in line for line in lines) == 1
    assert not any("fine.yaml" in line for line in lines)
    assert "3 errors in 2 of 3 files" in done.stderr


def test_broken_file_does_not_take_the_others_down(tmp_path):
    """The bank serves the valid problems and reports the broken file."""
    _write(tmp_path, "fine", GOOD.format(id="fine"))
    _write(tmp_path, "broken", "format: [1\n")
    bank = ProblemBank(tmp_path)
    assert list(bank.problems) == ["fine"]
    assert list(bank.errors) == [str(tmp_path / "broken.yaml")]


def test_bank_reloads_a_changed_file(tmp_path):
    """Editing a file is picked up without a restart."""
    path = _write(tmp_path, "fine", GOOD.format(id="fine"))
    bank = ProblemBank(tmp_path)
    assert bank.get("fine").title == "A good problem"
    path.write_text(GOOD.format(id="fine").replace("A good problem", "Renamed problem"))
    import os
    os.utime(path, (1, 1))  # a different stamp even within the same second
    assert bank.get("fine").title == "Renamed problem"


def test_templates_inside_latex_braces_and_labels(tmp_path):
    """{{k}} works inside LaTeX braces, and labels options/references are templated too."""
    text = GOOD.format(id="labels").replace("solution: $f'(x) = {{2*a}} x$.", (
        "solution: $f'(x) = \\frac{1}{{{1/(2*a)}}} x$.")).replace(
        "parts:\n", "parts:\n  - id: sign\n    prompt: Is $a$ positive?\n    answer:\n"
        "      type: labels\n      items: [\"$a = {{a}}$\"]\n      options: [\"{{a}}\", other]\n"
        "      reference: [\"{{a}}\"]\n")
    path = _write(tmp_path, "labels", text)
    assert validate_paths([path], 3)[path] == []
    from grader.problems.loading import load_file
    from grader.problems.instance import instantiate
    from grader.problems.grading import grade_part
    instance = instantiate(load_file(path).problem, 0)
    assert "\\frac{1}{\\frac{1}{4}}" in instance.solution
    assert grade_part(instance, "sign", "2").correct


def test_matrix_row_breaks_are_not_macros():
    """A rendered matrix's row break followed by a letter is not an unknown macro."""
    from grader.problems.latex_check import latex_problems
    assert latex_problems("$\\begin{bmatrix} 4x \\\\ x + 6 \\end{bmatrix}$") == []
    assert latex_problems("$\\badmacro$") != []

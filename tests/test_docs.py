"""The README documents every answer type, key and command, and its examples are true."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from grader import MathInputError, read_math
from grader.answers import ANSWER_TYPES
from grader.cli import build_parser

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE = re.compile(r"`((?:[^`\\]|\\.)+?)`")


def _table(heading_fragment: str) -> list[list[str]]:
    """Rows (cells) of the first Markdown table after the line containing the fragment."""
    lines = README[README.index(heading_fragment):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        rows.append([c.replace("\\|", "|") for c in cells])
    return rows


def _codes(cell: str) -> list[str]:
    return [c.replace("\\|", "|") for c in CODE.findall(cell)]


CHEAT_SHEET = [(typed, _codes(row[1])[0]) for row in _table("## Typing answers")
               for typed in _codes(row[0])]
STRUCTURES = [typed for row in _table("Structures:") for typed in _codes(row[0])]
REFUSED = [(_codes(row[0])[0], row[1]) for row in _table("Not accepted")]


def test_cheat_sheet_is_long_enough():
    """The cheat sheet covers the input language (guards against a parsing slip)."""
    assert len(CHEAT_SHEET) >= 30 and len(STRUCTURES) >= 8 and len(REFUSED) >= 6


@pytest.mark.parametrize("typed, explicit", CHEAT_SHEET)
def test_cheat_sheet_row(typed, explicit):
    """What you type reads exactly as the cheat sheet says."""
    assert read_math(typed).to_sympy() == read_math(explicit).to_sympy()


@pytest.mark.parametrize("typed", STRUCTURES)
def test_structure_examples_read(typed):
    """Every structure example reads as a structure."""
    assert read_math(typed).kind in ("matrix", "vector", "tuple", "set", "list")


@pytest.mark.parametrize("typed, message", REFUSED)
def test_refused_examples_say_so(typed, message):
    """Each refused example is refused with the documented message."""
    with pytest.raises(MathInputError) as info:
        read_math(typed, ["x"])
    assert message.replace("`", "") in info.value.message.replace("`", "")


@pytest.mark.parametrize("name", sorted(ANSWER_TYPES))
def test_every_answer_type_and_key_is_documented(name):
    """Each answer type has a README section naming all of its keys."""
    section = README[README.index(f"### `{name}`"):]
    section = section[: section.index("\n## ") if "\n## " in section else None]
    section = section.split("\n### ")[0]
    common = README[README.index("## Answer types"):README.index("### `expression`")]
    for key in ANSWER_TYPES[name].Spec.model_fields:
        if key == "type":
            continue
        assert f"`{key}`" in section or f"`{key}`" in common, f"{name}.{key} is undocumented"


def test_every_command_is_documented():
    """Each CLI command has a README section."""
    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001
    for command in commands:
        assert f"### `python -m grader {command}`" in README, command


@pytest.mark.parametrize("block", re.findall(r"```python\n(.*?)```", README, re.S))
def test_python_examples_run(block):
    """Python examples in the README run as written."""
    done = subprocess.run([sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_first_command_example_file_checks():
    """The example file of the first README command grades without errors of ours."""
    path = ROOT / "docs" / "examples" / "answers.jsonl"
    with path.open() as source:
        done = subprocess.run([sys.executable, "-m", "grader", "check"], stdin=source,
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == len(
        path.read_text().splitlines())

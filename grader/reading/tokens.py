"""Split normalized math text into grammar tokens.

A run of letters is split into the names the part knows ("2pix" is 2·pi·x when ``x`` is a
variable), LaTeX commands become the tokens they stand for, and brackets are matched here
so that an unbalanced one is reported where it is, not where the parser gives up.
Every token carries its offset in the text as the student typed it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from lark import Token

from grader.errors import MathInputError
from grader.reading import latex
from grader.reading.limits import Limits
from grader.reading.vocabulary import CONSTANTS, FUNCTIONS, GREEK

__all__ = ["tokenize", "Vocabulary"]

NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
LETTERS = re.compile(r"[A-Za-z]+")
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
SUBSCRIPT = re.compile(r"_(\d+|\{\s*(\d+)\s*\})")
COMMAND = re.compile(r"\\([A-Za-z]+|.)")
ENVIRONMENT = re.compile(r"\{\s*([A-Za-z]+\*?)\s*\}")

PUNCTUATION = {
    "+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH", "^": "CARET", "(": "LPAR",
    ")": "RPAR", "[": "LSQB", "]": "RSQB", "{": "LBRACE", "}": "RBRACE", ",": "COMMA",
    ";": "SEMI", "&": "AMP",
}
OPENERS = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE", "MATBEGIN": "MATEND"}
CLOSERS = {close: open_ for open_, close in OPENERS.items()}
SHOWN = {"LPAR": "(", "RPAR": ")", "LSQB": "[", "RSQB": "]", "LBRACE": "{", "RBRACE": "}",
         "MATBEGIN": "\\begin", "MATEND": "\\end"}

# Characters people type that are not math in this language, with what to do instead.
REFUSED_CHARACTERS = {
    "|": "absolute value bars are not supported; write abs(x)",
    "=": "type only the value, not an equation",
    "!": "factorial is not supported",
    "'": "derivative notation is not supported; type the derivative itself",
    "<": "inequalities are not accepted as answers",
    ">": "inequalities are not accepted as answers",
    "%": "percent signs are not accepted; write 0.25 for 25%",
    "$": "dollar signs are not needed; type the math without them",
    "°": "degrees are not accepted; give the angle in radians, e.g. pi/3 for 60°",
    "±": "type the two values separated by a comma instead, e.g. 1, 6",
}


class Vocabulary:
    """The names one reading accepts: functions, constants and the part's variables.

    With ``variables=None`` any single letter or Greek name is a variable (free reading).
    Authors' references may also use ``extra`` names (parameters and values computed from
    them, any identifier) and ``operations`` (author-only functions such as ``diff``).
    """

    def __init__(self, variables: Iterable[str] | None, extra: Iterable[str] = (),
                 operations: Iterable[str] = ()) -> None:
        self.free = variables is None
        self.variables: tuple[str, ...] = tuple(variables or ())
        self.extra = frozenset(extra)
        self.operations = frozenset(operations)
        base_names = {v.partition("_")[0] for v in self.variables}
        self.bases = base_names if not self.free else set()

    def is_variable(self, name: str) -> bool:
        if name in self.extra:
            return True
        if self.free:
            base = name.partition("_")[0]
            return (len(base) == 1 and base != "e") or base in GREEK
        return name in self.variables

    def is_piece(self, piece: str) -> bool:
        """Whether a run of letters can stand on its own as one name."""
        lower = piece.lower()
        if lower in FUNCTIONS or lower in CONSTANTS or piece in self.operations:
            return True
        if piece in self.extra:
            return True
        if self.free:
            return (len(piece) == 1 and piece != "e") or piece in GREEK
        return piece in self.bases

    def listing(self) -> str:
        return ", ".join(f"`{v}`" for v in self.variables) or "no variables (a number)"


def tokenize(text: str, normalized: str, origin: list[int], vocabulary: Vocabulary,
             limits: Limits) -> list[Token]:
    """Tokens of ``normalized`` (which came from ``text`` through ``origin``)."""
    tokens: list[Token] = []
    i = 0
    n = len(normalized)
    equals = normalized.find("=")
    if equals >= 0:  # "x = 1": say so before complaining about the name x
        raise MathInputError(f"`=` at column {origin[equals] + 1}: {REFUSED_CHARACTERS['=']}",
                             origin[equals], text)

    def fail(message: str, start: int, end: int | None = None) -> MathInputError:
        s = origin[start]
        e = origin[end] if end is not None and end < len(origin) else s + 1
        return MathInputError(message, s, text, max(1, e - s))

    def add(kind: str, value: str, start: int, end: int) -> None:
        tokens.append(Token(kind, value, start_pos=origin[start], end_pos=origin[end - 1] + 1))

    while i < n:
        ch = normalized[i]
        if ch == " ":
            i += 1
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and normalized[i + 1].isdigit()):
            m = NUMBER.match(normalized, i)
            assert m is not None
            _check_number(m.group(0), fail, m.start(), m.end(), limits)
            add("NUMBER", m.group(0), m.start(), m.end())
            i = m.end()
            continue
        if ch.isalpha() and ch.isascii() and (vocabulary.extra or vocabulary.operations):
            # Authors' names may be whole identifiers: singular_values, grad_f.
            m = IDENTIFIER.match(normalized, i)
            assert m is not None
            word = m.group(0)
            if word in vocabulary.operations or word in vocabulary.extra:
                add("OPNAME" if word in vocabulary.operations else "NAME", word, i, m.end())
                i = m.end()
                continue
        if ch.isalpha() and ch.isascii():
            m = LETTERS.match(normalized, i)
            assert m is not None
            i = _add_letters(m.group(0), m.start(), normalized, tokens, origin, vocabulary, fail)
            continue
        if ch == "\\":
            i = _add_command(normalized, i, tokens, origin, vocabulary, fail)
            continue
        if ch == "*" and normalized.startswith("**", i):
            add("CARET", "^", i, i + 2)
            i += 2
            continue
        if ch in PUNCTUATION:
            add(PUNCTUATION[ch], ch, i, i + 1)
            i += 1
            continue
        if ch in REFUSED_CHARACTERS:
            raise fail(f"`{ch}` at column {origin[i] + 1}: {REFUSED_CHARACTERS[ch]}", i)
        if ch == "_":
            raise fail(f"`_` at column {origin[i] + 1} must follow a variable name, as in x_1", i)
        if ch == ".":
            raise fail(f"`.` at column {origin[i] + 1} is not part of a number", i)
        shown = text[origin[i]]
        raise fail(f"unexpected character `{shown}` at column {origin[i] + 1}", i)
    _match_brackets(tokens, text, limits)
    return tokens


def _check_number(literal: str, fail, start: int, end: int, limits: Limits) -> None:
    mantissa, _, exponent = literal.lower().partition("e")
    digits = len(mantissa.replace(".", "").lstrip("0"))
    if digits > limits.max_number_digits:
        raise fail(f"the number at column {start + 1} has {digits} digits; at most "
                   f"{limits.max_number_digits} are accepted", start, end)
    if exponent and abs(int(exponent)) > limits.max_scientific_exponent:
        raise fail(f"the number at column {start + 1} is too large or too small "
                   f"(the exponent is limited to ±{limits.max_scientific_exponent})", start, end)


def _add_letters(run: str, start: int, normalized: str, tokens: list[Token], origin: list[int],
                 vocabulary: Vocabulary, fail) -> int:
    """Split a run of letters into names and add their tokens; return where the run ends."""
    end = start + len(run)
    sub = SUBSCRIPT.match(normalized, end)
    pieces = _split(run, vocabulary)
    called = normalized[end:end + 1] == "("
    if pieces is not None and called and len(pieces) >= 3 and pieces[-1].lower() not in FUNCTIONS:
        # "factorial(...)" is not f·a·c·t·o·r·i·a·l times a bracket: it is a mistyped function.
        pieces = None
    if pieces is None:
        raise fail(_unknown_name_message(run, origin[start], normalized, end, vocabulary),
                   start, end)
    pos = start
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        piece_end = pos + len(piece)
        lower = piece.lower()
        if last and sub:
            name = f"{piece}_{sub.group(2) or sub.group(1)}"
            if lower in ("log", "ln"):
                raise fail(f"`{name}` at column {origin[pos] + 1}: logarithms here are natural; "
                           f"for another base write log(x)/log(2) or log(x)/log(10)", pos,
                           sub.end())
            if lower in FUNCTIONS or lower in CONSTANTS or not vocabulary.is_variable(name):
                raise fail(f"`{name}` is not a variable of this part; use "
                           f"{vocabulary.listing()}", pos, sub.end())
            tokens.append(Token("NAME", name, start_pos=origin[pos],
                                end_pos=origin[sub.end() - 1] + 1))
            return sub.end()
        base = re.match(r"\d+", normalized[piece_end:]) if last and lower in ("log", "ln") \
            else None
        if base:
            raise fail(f"`{piece}{base.group(0)}` at column {origin[pos] + 1}: logarithms here are "
                       f"natural; for base {base.group(0)} write log(x)/log({base.group(0)})",
                       pos, piece_end + len(base.group(0)))
        if piece in vocabulary.operations:
            kind, value = "OPNAME", piece
        elif piece in vocabulary.extra:
            kind, value = "NAME", piece
        elif lower in FUNCTIONS:
            kind, value = "FUNC", lower
        elif lower in CONSTANTS and (lower == piece or piece in ("Pi", "PI")):
            kind, value = "NAME", lower
        else:
            kind, value = "NAME", piece
            if not vocabulary.is_variable(piece):
                hint = _sigmoid_hint(piece, normalized, piece_end)
                digits = re.match(r"\d+", normalized[piece_end:]) if last else None
                if digits and f"{piece}_{digits.group(0)}" in vocabulary.variables:
                    hint = f" — did you mean `{piece}_{digits.group(0)}`?"
                raise fail(f"`{piece}` is not a variable of this part; use "
                           f"{vocabulary.listing()}{hint}", pos, piece_end)
        tokens.append(Token(kind, value, start_pos=origin[pos], end_pos=origin[piece_end - 1] + 1))
        pos = piece_end
    return end


def _sigmoid_hint(name: str, normalized: str, end: int) -> str:
    if name == "sigma" and normalized[end:].lstrip().startswith("("):
        return "; for the sigmoid function write sigmoid(z)"
    return ""


def _split(run: str, vocabulary: Vocabulary) -> list[str] | None:
    """Split ``run`` into the fewest known names, preferring a long first name; None if impossible."""
    if vocabulary.is_piece(run):
        return [run]
    n = len(run)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for i in range(n - 1, -1, -1):
        for j in range(n, i, -1):
            tail = best[j]
            if tail is not None and vocabulary.is_piece(run[i:j]):
                candidate = [run[i:j], *tail]
                if best[i] is None or len(candidate) < len(best[i]):
                    best[i] = candidate
    return best[0]


def _unknown_name_message(run: str, column: int, normalized: str, end: int,
                          vocabulary: Vocabulary) -> str:
    called = normalized[end:end + 1] == "("
    if (len(run) == 1 or run in GREEK) and not called:
        return f"`{run}` is not a variable of this part; use {vocabulary.listing()}"
    # "xy" where only x is a variable: name the letter that is not allowed. A longer run
    # before a bracket ("sinn(") is a mistyped function instead.
    pieces = None if called and len(run) > 2 else _split(run, Vocabulary(None))
    if pieces:
        for piece in pieces:
            if not vocabulary.is_piece(piece):
                return (f"`{piece}` (in `{run}` at column {column + 1}) is not a variable of "
                        f"this part; use {vocabulary.listing()}")
    candidates = sorted(FUNCTIONS | CONSTANTS | set(vocabulary.variables)
                        | (GREEK if vocabulary.free else set()))
    close = difflib.get_close_matches(run.lower(), candidates, n=1, cutoff=0.6)
    what = "function" if called else "name"
    hint = f" — did you mean `{close[0]}`?" if close else (
        f"; the functions are {', '.join(sorted(FUNCTIONS))}" if called else
        f"; the variables here are {vocabulary.listing()}")
    return f"unknown {what} `{run}` at column {column + 1}{hint}"


def _add_command(normalized: str, i: int, tokens: list[Token], origin: list[int],
                 vocabulary: Vocabulary, fail) -> int:
    m = COMMAND.match(normalized, i)
    if m is None:
        raise fail(f"`\\` at column {origin[i] + 1} must start a LaTeX command such as \\frac", i)
    name = m.group(1)
    end = m.end()

    def add(kind: str, value: str, stop: int) -> None:
        tokens.append(Token(kind, value, start_pos=origin[i], end_pos=origin[stop - 1] + 1))

    if name == "\\":
        add("ROWSEP", "\\\\", end)
        return end
    if name in ("{", "}"):
        add("LBRACE" if name == "{" else "RBRACE", name, end)
        return end
    if name in (",", ";", ":", "!", " ", ">"):
        return end
    if name in ("begin", "end"):
        env = ENVIRONMENT.match(normalized, end)
        if env is None or env.group(1) not in latex.MATRIX_ENVIRONMENTS:
            shown = env.group(1) if env else "?"
            raise fail(f"\\{name}{{{shown}}} at column {origin[i] + 1}: only the matrix "
                       f"environments {', '.join(sorted(latex.MATRIX_ENVIRONMENTS))} are "
                       f"supported", i, env.end() if env else end)
        add("MATBEGIN" if name == "begin" else "MATEND", env.group(1), env.end())
        return env.end()
    if name in ("operatorname", "mathrm", "mathit"):
        arg = re.compile(r"\{\s*([A-Za-z]+)\s*\}").match(normalized, end)
        if arg is not None:
            _add_letters(arg.group(1), arg.start(1), normalized, tokens, origin, vocabulary, fail)
            return arg.end()
        return end
    if name in latex.SKIPPED:
        # \left. and \right. stand for an invisible delimiter.
        if name in ("left", "right") and normalized[end:end + 1] == ".":
            return end + 1
        return end
    if name in ("frac", "dfrac", "tfrac") and re.match(r"\s*[0-9A-Za-z]{2}(?![0-9A-Za-z])",
                                                        normalized[end:]):
        # \frac12: LaTeX's shorthand for \frac{1}{2}, one character per argument
        add("FRAC", "frac", end)
        at = end + len(normalized[end:]) - len(normalized[end:].lstrip())
        for k in (at, at + 1):
            tokens.append(Token("LBRACE", "{", start_pos=origin[k], end_pos=origin[k]))
            kind = "NUMBER" if normalized[k].isdigit() else "NAME"
            if kind == "NAME" and not vocabulary.is_variable(normalized[k]):
                raise fail(f"`{normalized[k]}` is not a variable of this part; use "
                           f"{vocabulary.listing()}", k, k + 1)
            value = normalized[k] if kind == "NUMBER" or normalized[k] != "e" else "e"
            tokens.append(Token(kind, value, start_pos=origin[k], end_pos=origin[k] + 1))
            tokens.append(Token("RBRACE", "}", start_pos=origin[k] + 1, end_pos=origin[k] + 1))
        return at + 2
    if name in latex.COMMANDS:
        kind, value = latex.COMMANDS[name]
        sub = SUBSCRIPT.match(normalized, end) if kind == "NAME" else None
        if sub is not None:
            # \mu_1, \sigma_{2}: a numbered Greek variable
            value = f"{value}_{sub.group(2) or sub.group(1)}"
            end = sub.end()
        if kind == "NAME" and value not in CONSTANTS and not vocabulary.is_variable(value):
            hint = _sigmoid_hint(value, normalized, end)
            raise fail(f"`\\{name}` is not a variable of this part; use {vocabulary.listing()}"
                       f"{hint}", i, end)
        if kind == "EMPTYSET":
            add("LBRACE", "{", end)
            tokens.append(Token("RBRACE", "}", start_pos=origin[end - 1],
                                end_pos=origin[end - 1] + 1))
            return end
        add(kind, value, end)
        return end
    if name in latex.REFUSED:
        raise fail(f"`\\{name}` at column {origin[i] + 1}: {latex.REFUSED[name]}", i, end)
    close = latex.suggest_command(name)
    hint = f" — did you mean `\\{close}`?" if close else ""
    raise fail(f"unknown LaTeX command `\\{name}` at column {origin[i] + 1}{hint}", i, end)


def _match_brackets(tokens: list[Token], text: str, limits: Limits) -> None:
    stack: list[Token] = []
    for tok in tokens:
        if tok.type in OPENERS:
            stack.append(tok)
            if len(stack) > limits.max_depth:
                raise MathInputError(
                    f"brackets are nested too deeply (more than {limits.max_depth} levels) at "
                    f"column {tok.start_pos + 1}", tok.start_pos, text)
        elif tok.type in CLOSERS:
            if not stack:
                raise MathInputError(
                    f"`{SHOWN[tok.type]}` at column {tok.start_pos + 1} has no matching "
                    f"`{SHOWN[CLOSERS[tok.type]]}` — remove it or add the opening one",
                    tok.start_pos, text)
            opener = stack.pop()
            if OPENERS[opener.type] != tok.type:
                raise MathInputError(
                    f"`{SHOWN[tok.type]}` at column {tok.start_pos + 1} does not match "
                    f"`{SHOWN[opener.type]}` at column {opener.start_pos + 1}",
                    tok.start_pos, text)
            if tok.type == "MATEND" and tok.value != opener.value:
                raise MathInputError(
                    f"\\end{{{tok.value}}} at column {tok.start_pos + 1} does not match "
                    f"\\begin{{{opener.value}}} at column {opener.start_pos + 1}",
                    tok.start_pos, text)
    if stack:
        opener = stack[-1]
        raise MathInputError(
            f"`{SHOWN[opener.type]}` at column {opener.start_pos + 1} is never closed — add the "
            f"matching `{SHOWN[OPENERS[opener.type]]}`", opener.start_pos, text)

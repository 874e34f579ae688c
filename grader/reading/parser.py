"""Parse tokens with the lark grammar and build the expression tree, checking limits as it grows.

The tree is built bottom-up inside the LALR parser's reductions, so a limit (depth, size of
a constant power) stops the parse at the first node that breaks it, before anything larger
exists. Nothing here evaluates text: lark matches tokens, the callbacks below build nodes.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_parser_state import ParseConf, ParserState

from grader.errors import MathInputError
from grader.reading.limits import Limits
from grader.reading.nodes import (
    Add, Call, Const, Div, Matrix, Mul, Neg, Node, Num, Op, Pow, Root, Seq, Sub, Var,
    is_structure,
)
from grader.reading.vocabulary import FUNCTION_ALIASES

__all__ = ["parse_tokens"]

SHOWN_TOKEN = {
    "PLUS": "+", "MINUS": "-", "STAR": "*", "SLASH": "/", "CARET": "^", "LPAR": "(",
    "RPAR": ")", "LSQB": "[", "RSQB": "]", "LBRACE": "{", "RBRACE": "}", "COMMA": ",",
    "SEMI": ";", "AMP": "&", "ROWSEP": "\\\\", "FRAC": "\\frac", "ROOT": "\\sqrt",
}
OPERATORS = {"PLUS", "MINUS", "STAR", "SLASH", "CARET"}
ENDS_FACTOR = {"NUMBER", "NAME", "RPAR", "RSQB", "RBRACE", "MATEND"}


@functools.cache
def _lark() -> Lark:
    grammar = resources.files("grader.reading").joinpath("grammar.lark").read_text()
    return Lark(grammar, parser="lalr", lexer="basic")


class _Builder:
    """LALR reduction callbacks: each receives the children of one rule and returns a node."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits

    # -- errors ------------------------------------------------------------------------
    def _fail(self, message: str, start: int, end: int | None = None) -> MathInputError:
        return MathInputError(message, start, self.text, (end or start + 1) - start)

    def _scalar(self, node: Node, role: str) -> Node:
        if isinstance(node, Seq) and node.kind == "list" and len(node.items) == 1 and \
                not is_structure(node.items[0]):
            return node.items[0]  # [x + 1] inside a formula only groups, like ( )
        if is_structure(node):
            what = {"tuple": "a tuple", "list": "a vector", "set": "a set", "bare": "a list"}
            shown = "a matrix" if isinstance(node, Matrix) else what[node.kind]  # type: ignore[attr-defined]
            raise self._fail(f"{shown} cannot be used {role} (column {node.start + 1}); "
                            f"only numbers and expressions can", node.start, node.end)
        if node.depth > self.limits.max_tree_depth:
            raise self._fail(f"the expression is nested too deeply (more than "
                            f"{self.limits.max_tree_depth} levels)", node.start, node.end)
        return node

    # -- top level ---------------------------------------------------------------------
    def top_single(self, c):
        return c[0]

    def top_bare(self, c):
        items = self._items(c, "list")
        return Seq("bare", items, items[0].start, items[-1].end)

    # -- arithmetic --------------------------------------------------------------------
    def add(self, c):
        return Add(self._scalar(c[0], "in a sum"), self._scalar(c[2], "in a sum"))

    def sub(self, c):
        return Sub(self._scalar(c[0], "in a difference"), self._scalar(c[2], "in a difference"))

    def mul(self, c):
        return self._product(c[0], c[2], False)

    def div(self, c):
        left, right = c[0], c[2]
        if _scalable(left) and not is_structure(right):
            divisor = self._scalar(right, "in a quotient")
            return _map_entries(left, lambda x: Div(x, divisor), left.start, right.end)
        return Div(self._scalar(left, "in a quotient"), self._scalar(right, "in a quotient"))

    def imul(self, c):
        return self._product(c[0], c[1], True)

    def np_more(self, c):
        return Mul(self._scalar(c[0], "in a product"), self._scalar(c[1], "in a product"), True)

    def _product(self, left: Node, right: Node, implicit: bool) -> Node:
        # 1/6 [[5, -2], [-2, 2]] and 2[1, 3]: a number times a vector or matrix scales it.
        if _scalable(right) and not is_structure(left):
            factor = self._scalar(left, "in a product")
            return _map_entries(right, lambda x: Mul(factor, x, implicit), left.start, right.end)
        if _scalable(left) and not is_structure(right):
            factor = self._scalar(right, "in a product")
            return _map_entries(left, lambda x: Mul(x, factor, implicit), left.start, right.end)
        return Mul(self._scalar(left, "in a product"), self._scalar(right, "in a product"),
                   implicit)

    def neg(self, c):
        if _scalable(c[1]):
            return _map_entries(c[1], lambda x: Neg(x, x.start, x.end), c[0].start_pos, c[1].end)
        arg = self._scalar(c[1], "after a minus sign")
        return Neg(arg, c[0].start_pos, arg.end)

    def pos(self, c):
        return self._scalar(c[1], "after a plus sign")

    def number(self, c):
        tok: Token = c[0]
        return Num(Fraction(tok.value), tok.value, tok.start_pos, tok.end_pos)

    def number_pow(self, c):
        return self._power(self.number(c[:1]), c[2])

    def pow(self, c):
        return self._power(c[0], c[2])

    def _power(self, base: Node, exponent: Node) -> Pow:
        base = self._scalar(base, "as the base of a power")
        exponent = self._scalar(exponent, "as an exponent")
        node = Pow(base, exponent)
        k = exponent.const
        if k is None:
            return node
        if k.denominator != 1 or base.const is None:
            if abs(k) > self.limits.max_exponent:
                raise self._fail(
                    f"the exponent at column {exponent.start + 1} is too large (at most "
                    f"{self.limits.max_exponent} in absolute value)", exponent.start, exponent.end)
            return node
        b = base.const
        size = max(abs(b.numerator), b.denominator)
        digits = abs(k) * math.log10(size) if size > 1 else 0.0
        if digits > self.limits.max_power_digits:
            raise self._fail(
                f"`{self.text[node.start:node.end]}` is too large to work with: it has about "
                f"{_about(digits)} digits (at most {self.limits.max_power_digits})",
                node.start, node.end)
        if not (b == 0 and k < 0):
            node.const = b ** int(k)
        return node

    # -- names and functions -----------------------------------------------------------
    def name(self, c):
        tok: Token = c[0]
        if tok.value in ("pi", "e"):
            return Const(tok.value, tok.start_pos, tok.end_pos)
        return Var(tok.value, tok.start_pos, tok.end_pos)

    def call(self, c):
        return self._apply(c[0], c[1])

    def call_pow(self, c):
        return self._apply_power(c[0], c[2], c[3])

    def np_call(self, c):
        return self._apply(c[0], c[1])

    def np_call_pow(self, c):
        return self._apply_power(c[0], c[2], c[3])

    def np_arg(self, c):
        return c[0]

    def _apply(self, func: Token, arg: Node) -> Call:
        if isinstance(arg, Seq) and arg.kind == "tuple":
            raise self._fail(f"`{func.value}` at column {func.start_pos + 1} takes one argument; "
                            f"`log` is the natural logarithm", arg.start, arg.end)
        arg = self._scalar(arg, f"as the argument of {func.value}")
        name = FUNCTION_ALIASES.get(func.value, func.value)
        return Call(name, arg, func.start_pos, arg.end)

    def _apply_power(self, func: Token, exponent: Node, arg: Node) -> Pow:
        exponent = self._scalar(exponent, "as an exponent")
        if exponent.const is not None and exponent.const < 0:
            raise self._fail(
                f"`{func.value}^{self.text[exponent.start:exponent.end]}` at column "
                f"{func.start_pos + 1} is ambiguous (inverse or reciprocal?); write "
                f"1/{func.value}(x) for the reciprocal", func.start_pos, exponent.end)
        powered = self._power(self._apply(func, arg), exponent)
        powered.start = func.start_pos
        return powered

    def operation(self, c):
        return Op(c[0].value, c[2], c[0].start_pos, c[3].end_pos)

    def frac(self, c):
        node = Div(self._scalar(c[1], "in a fraction"), self._scalar(c[2], "in a fraction"))
        node.start = c[0].start_pos
        return node

    def sqrt(self, c):
        return Call("sqrt", self._scalar(c[1], "under a root"), c[0].start_pos, c[1].end)

    def nth_root(self, c):
        index, arg = c[2], self._scalar(c[4], "under a root")
        k = index.const
        if k is None or k.denominator != 1 or not 2 <= k <= 100:
            raise self._fail(f"the root index at column {index.start + 1} must be a whole number "
                            f"from 2 to 100", index.start, index.end)
        if k == 2:
            return Call("sqrt", arg, c[0].start_pos, arg.end)
        return Root(int(k), arg, c[0].start_pos, arg.end)

    # -- brackets and structures --------------------------------------------------------
    def group(self, c):
        return c[1]

    def _items(self, c, kind: str) -> tuple[Node, ...]:
        nodes = tuple(_as_vector(x) for x in c if isinstance(x, Node))
        if len(nodes) > self.limits.max_items:
            raise self._fail(f"too many elements ({len(nodes)}; at most {self.limits.max_items})",
                            nodes[0].start, nodes[-1].end)
        for node in nodes:
            if isinstance(node, Matrix) or (isinstance(node, Seq) and node.kind in ("set", "bare")):
                raise self._fail(f"a {kind} cannot contain sets, lists or matrices "
                                f"(column {node.start + 1})", node.start, node.end)
            if not is_structure(node):
                self._scalar(node, "here")
        return nodes

    def tuple(self, c):
        items = self._items(c, "tuple")
        self._flat(items, "tuple")
        return Seq("tuple", items, c[0].start_pos, c[-1].end_pos)

    def set(self, c):
        return Seq("set", self._items(c, "set"), c[0].start_pos, c[-1].end_pos)

    def empty_set(self, c):
        return Seq("set", (), c[0].start_pos, c[-1].end_pos)

    def empty_list(self, c):
        return Seq("list", (), c[0].start_pos, c[-1].end_pos)

    def row(self, c):
        return tuple(x for x in c if isinstance(x, Node))

    mrow = row

    def _flat(self, items: tuple[Node, ...], kind: str) -> None:
        for node in items:
            if is_structure(node):
                raise self._fail(f"a {kind} entry must be a number or expression "
                                f"(column {node.start + 1})", node.start, node.end)

    def list(self, c):
        row = c[1]
        start, end = c[0].start_pos, c[-1].end_pos
        if len(row) > self.limits.max_items:
            raise self._fail(f"too many elements ({len(row)}; at most {self.limits.max_items})",
                            start, end)
        nested = [x for x in row if isinstance(x, Seq) and x.kind == "list"]
        if nested and len(nested) == len(row):
            return self._matrix(tuple(x.items for x in nested), start, end)
        points = [x for x in row if isinstance(x, Seq) and x.kind == "tuple"]
        if points and len(points) == len(row):
            return Seq("list", row, start, end)  # a list of points: [(1, 2), (3, 4)]
        self._flat(row, "vector")
        return Seq("list", row, start, end)

    def semicolon_matrix(self, c):
        rows = tuple(x for x in c if isinstance(x, tuple))
        return self._matrix(rows, c[0].start_pos, c[-1].end_pos)

    def latex_matrix(self, c):
        rows = tuple(x for x in c if isinstance(x, tuple))
        return self._matrix(rows, c[0].start_pos, c[-1].end_pos, latex=True)

    def _matrix(self, rows: tuple[tuple[Node, ...], ...], start: int, end: int,
                latex: bool = False) -> Matrix:
        side = self.limits.max_matrix_side
        if len(rows) > side or any(len(r) > side for r in rows):
            raise self._fail(f"the matrix is too large (at most {side}×{side})", start, end)
        for k, row in enumerate(rows[1:], start=2):
            if len(row) != len(rows[0]):
                raise self._fail(f"row {k} of the matrix has {len(row)} entries but row 1 has "
                                f"{len(rows[0])}", row[0].start if row else start, end)
        for row in rows:
            self._flat(row, "matrix")
        return Matrix(rows, start, end, latex)


def _scalable(node: Node) -> bool:
    """A vector [a, b] (two or more entries) or a matrix: what a number may scale."""
    return isinstance(node, Matrix) or (isinstance(node, Seq) and node.kind == "list"
                                        and len(node.items) > 1
                                        and not any(is_structure(x) for x in node.items))


def _map_entries(node: Node, change, start: int, end: int) -> Node:
    if isinstance(node, Matrix):
        rows = tuple(tuple(change(x) for x in row) for row in node.rows)
        return Matrix(rows, start, end, node.latex)
    assert isinstance(node, Seq)
    return Seq(node.kind, tuple(change(x) for x in node.items), start, end)


def _as_vector(node: Node) -> Node:
    """A one-column or one-row matrix among list elements is a vector like [a, b]."""
    if isinstance(node, Matrix) and (node.shape[1] == 1 or node.shape[0] == 1):
        items = tuple(r[0] for r in node.rows) if node.shape[1] == 1 else node.rows[0]
        return Seq("list", items, node.start, node.end)
    return node


def _about(digits: float) -> str:
    if digits < 1e6:
        return f"{digits:,.0f}"
    return f"10^{math.log10(digits):.0f}"


def parse_tokens(tokens: list[Token], text: str, limits: Limits) -> Node:
    """Build the tree for ``tokens`` (from ``text``) or raise a located MathInputError."""
    if not tokens:
        raise MathInputError("the answer is empty; type a value", None, text)
    state = ParserState(_parse_conf(), None)  # type: ignore[arg-type]
    state.parse_conf = ParseConf(state.parse_conf.parse_table,
                                 _callbacks(_Builder(text, limits)), state.parse_conf.start)
    previous: Token | None = None
    for tok in tokens:
        try:
            state.feed_token(tok)
        except UnexpectedToken as exc:
            raise _explain(exc, tok, previous, text) from None
        previous = tok
    end = Token.new_borrow_pos("$END", "", previous)  # type: ignore[arg-type]
    try:
        return state.feed_token(end, True)
    except UnexpectedInput as exc:
        raise _explain(exc, None, previous, text) from None


@functools.cache
def _parse_conf() -> ParseConf:
    parser = _lark().parser.parser.parser
    return ParseConf(parser.parse_table, parser.callbacks, "start")


@functools.cache
def _rule_names() -> tuple[tuple[object, str], ...]:
    return tuple((rule, str(rule.alias or rule.origin.name))
                 for rule in _parse_conf().callbacks)


def _callbacks(builder: _Builder) -> dict:
    """The parser's callbacks, with ours (bound to this reading) for the rules we build."""
    callbacks = dict(_parse_conf().callbacks)
    for rule, name in _rule_names():
        method = getattr(builder, name, None)
        if method is not None:
            callbacks[rule] = _flattening(method)
    return callbacks


def _flattening(method):
    # Helper rules that lark makes for repetitions such as (COMMA expr)+ arrive as trees;
    # inline their children so each callback sees the rule's tokens and nodes in order.
    def call(children):
        return method(_flatten(children))
    return call


def _flatten(children) -> list:
    out = []
    for child in children:
        if isinstance(child, Tree) and str(child.data).startswith("_"):
            out.extend(_flatten(child.children))
        else:
            out.append(child)
    return out


def _explain(exc: UnexpectedInput, tok: Token | None, previous: Token | None,
             text: str) -> MathInputError:
    """Turn a parser complaint into a sentence that says what to do."""
    if tok is None:
        if previous is None:
            return MathInputError("the answer is empty; type a value", None, text)
        shown = SHOWN_TOKEN.get(previous.type, previous.value)
        if previous.type == "FUNC":
            return MathInputError(f"`{previous.value}` at column {previous.start_pos + 1} needs an "
                                  f"argument, e.g. {previous.value}(x)", previous.start_pos, text,
                                  len(previous.value))
        return MathInputError(f"the answer ends too early: something is missing after `{shown}` "
                              f"at column {previous.start_pos + 1}", previous.start_pos, text)
    column = tok.start_pos + 1
    shown = SHOWN_TOKEN.get(tok.type, tok.value)
    length = max(1, tok.end_pos - tok.start_pos)

    def error(message: str) -> MathInputError:
        return MathInputError(message, tok.start_pos, text, length)

    if previous is not None and previous.type == "FUNC":
        return MathInputError(f"`{previous.value}` at column {previous.start_pos + 1} needs an "
                              f"argument, e.g. {previous.value}(x)", previous.start_pos, text,
                              len(previous.value))
    if tok.type == "NUMBER" and previous is not None and previous.type == "NUMBER":
        return error(f"two numbers in a row at column {column}: remove the space, or put * "
                     f"between them")
    if tok.type == "NUMBER" and previous is not None and previous.type in ENDS_FACTOR:
        before = SHOWN_TOKEN.get(previous.type, previous.value)
        return error(f"a number right after `{before}` at column {column}: write the number "
                     f"first (2x), or use ^ for a power (x^2) or * for a product")
    if tok.type in OPERATORS or tok.type in ("RPAR", "RSQB", "RBRACE", "COMMA", "MATEND"):
        if previous is None or previous.type in OPERATORS or previous.type in (
                "LPAR", "LSQB", "LBRACE", "COMMA", "SEMI", "AMP", "ROWSEP", "MATBEGIN"):
            if tok.type == "COMMA":
                return error(f"`,` at column {column} has no element before it")
            before = f" after `{SHOWN_TOKEN.get(previous.type, previous.value)}`" if previous else ""
            return error(f"`{shown}` at column {column} needs a value before it{before}")
    if tok.type == "COMMA":
        return error(f"`,` at column {column}: commas separate the elements of a list, set, "
                     f"tuple or vector; here it is inside an expression")
    if tok.type in ("AMP", "ROWSEP"):
        return error(f"`{shown}` at column {column} is only allowed inside \\begin{{bmatrix}} "
                     f"... \\end{{bmatrix}}")
    if tok.type == "SEMI":
        return error(f"`;` at column {column} separates matrix rows and is only allowed inside [ ]")
    return error(f"unexpected `{shown}` at column {column}")

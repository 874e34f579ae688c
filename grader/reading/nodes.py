"""The tree a reading produces: a small, immutable expression tree of our own.

It records what the student wrote (``2x`` as an implicit product, ``0.5`` as a decimal
literal) so that it can be shown back faithfully, evaluated quickly at many points, and
turned into sympy only when algebra is really needed. Each node knows its span in the
original text, its depth, and its exact value when it is a rational constant.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = [
    "Node", "Num", "Const", "Var", "Neg", "Add", "Sub", "Mul", "Div", "Pow", "Call", "Root", "Op",
    "Seq", "Matrix", "walk", "free_variables", "is_structure",
]


class Node:
    """Base of every node. Treat instances as immutable once the parser has built them."""

    __slots__ = ("start", "end", "depth", "const")
    children: tuple["Node", ...] = ()

    def __init__(self, start: int, end: int, children: tuple["Node", ...] = ()) -> None:
        self.start = start
        self.end = end
        self.depth = 1 + max((c.depth for c in children), default=0)
        self.const: Fraction | None = None

    def __repr__(self) -> str:
        fields = ", ".join(repr(getattr(self, f)) for f in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Num(Node):
    """A number literal; ``decimal`` marks ones typed with a point or exponent (``0.5``)."""

    __slots__ = ("value", "text", "decimal")

    def __init__(self, value: Fraction, text: str, start: int, end: int) -> None:
        super().__init__(start, end)
        self.value = value
        self.text = text
        self.decimal = "." in text or "e" in text.lower()
        self.const = value


class Const(Node):
    """``pi`` or ``e``."""

    __slots__ = ("name",)

    def __init__(self, name: str, start: int, end: int) -> None:
        super().__init__(start, end)
        self.name = name


class Var(Node):
    __slots__ = ("name",)

    def __init__(self, name: str, start: int, end: int) -> None:
        super().__init__(start, end)
        self.name = name


class Neg(Node):
    __slots__ = ("arg",)

    def __init__(self, arg: Node, start: int, end: int) -> None:
        super().__init__(start, end, (arg,))
        self.arg = arg
        self.const = None if arg.const is None else -arg.const

    @property
    def children(self) -> tuple[Node, ...]:  # type: ignore[override]
        return (self.arg,)


class _Binary(Node):
    __slots__ = ("left", "right")

    def __init__(self, left: Node, right: Node) -> None:
        super().__init__(left.start, right.end, (left, right))
        self.left = left
        self.right = right

    @property
    def children(self) -> tuple[Node, ...]:  # type: ignore[override]
        return (self.left, self.right)


class Add(_Binary):
    __slots__ = ()

    def __init__(self, left: Node, right: Node) -> None:
        super().__init__(left, right)
        if left.const is not None and right.const is not None:
            self.const = left.const + right.const


class Sub(_Binary):
    __slots__ = ()

    def __init__(self, left: Node, right: Node) -> None:
        super().__init__(left, right)
        if left.const is not None and right.const is not None:
            self.const = left.const - right.const


class Mul(_Binary):
    """A product; ``implicit`` when written by juxtaposition (``2x``)."""

    __slots__ = ("implicit",)

    def __init__(self, left: Node, right: Node, implicit: bool = False) -> None:
        super().__init__(left, right)
        self.implicit = implicit
        if left.const is not None and right.const is not None:
            self.const = left.const * right.const


class Div(_Binary):
    __slots__ = ()

    def __init__(self, left: Node, right: Node) -> None:
        super().__init__(left, right)
        if left.const is not None and right.const:
            self.const = left.const / right.const


class Pow(_Binary):
    """``left ^ right``; ``const`` is filled by the builder, which bounds its size first."""

    __slots__ = ()


class Call(Node):
    """A function of one argument, by its canonical name (``ln`` is stored as ``log``)."""

    __slots__ = ("func", "arg")

    def __init__(self, func: str, arg: Node, start: int, end: int) -> None:
        super().__init__(start, end, (arg,))
        self.func = func
        self.arg = arg

    @property
    def children(self) -> tuple[Node, ...]:  # type: ignore[override]
        return (self.arg,)


class Root(Node):
    """``\\sqrt[index]{arg}``: the real root, defined for negative ``arg`` when index is odd."""

    __slots__ = ("index", "arg")

    def __init__(self, index: int, arg: Node, start: int, end: int) -> None:
        super().__init__(start, end, (arg,))
        self.index = index
        self.arg = arg

    @property
    def children(self) -> tuple[Node, ...]:  # type: ignore[override]
        return (self.arg,)


class Op(Node):
    """An author-only operation such as ``diff(f, x)``; never produced from student input."""

    __slots__ = ("name", "args")

    def __init__(self, name: str, args: tuple[Node, ...], start: int, end: int) -> None:
        super().__init__(start, end, args)
        self.name = name
        self.args = args

    @property
    def children(self) -> tuple[Node, ...]:  # type: ignore[override]
        return self.args


class Seq(Node):
    """A bracketed or bare comma list: ``kind`` is tuple ``( )``, list ``[ ]``, set ``{ }`` or bare."""

    __slots__ = ("kind", "items")

    def __init__(self, kind: str, items: tuple[Node, ...], start: int, end: int) -> None:
        super().__init__(start, end, items)
        self.kind = kind
        self.items = items

    @property
    def children(self) -> tuple[Node, ...]:  # type: ignore[override]
        return self.items


class Matrix(Node):
    """A matrix; ``latex`` when typed as \\begin{bmatrix}, whose columns a set of vectors
    reads as its vectors (the eigenvector-matrix convention)."""

    __slots__ = ("rows", "latex")

    def __init__(self, rows: tuple[tuple[Node, ...], ...], start: int, end: int,
                 latex: bool = False) -> None:
        super().__init__(start, end, tuple(x for row in rows for x in row))
        self.rows = rows
        self.latex = latex

    @property
    def children(self) -> tuple[Node, ...]:  # type: ignore[override]
        return tuple(x for row in self.rows for x in row)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0]) if self.rows else 0


def is_structure(node: Node) -> bool:
    return isinstance(node, (Seq, Matrix))


def walk(node: Node):
    """Every node of the tree, parents before children (iterative: trees can be deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def free_variables(node: Node) -> frozenset[str]:
    return frozenset(n.name for n in walk(node) if isinstance(n, Var))

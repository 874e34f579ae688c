"""Rewrite math as people paste it (Unicode symbols, full-width forms) into plain text.

The rewritten text keeps, for every character, the offset of the character it came from,
so an error found later can put its caret under what the student actually typed.
"""

from __future__ import annotations

import unicodedata

from grader.errors import MathInputError

__all__ = ["normalize"]

# Characters that become plain-text spellings. Greek letters become their names, which the
# tokenizer then splits from neighbouring letters ("2πx" reads as 2·pi·x).
SYMBOLS: dict[str, str] = {
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u00b7": "*", "\u22c5": "*", "\u00d7": "*", "\u2217": "*", "\u2219": "*",
    "\u00f7": "/", "\u2215": "/",
    "\u221a": "sqrt",
    "\u212f": "e", "\u2147": "e",
    "\u2205": "{}", "\u2044": "/",
    "\u00bd": "(1/2)", "\u2153": "(1/3)", "\u2154": "(2/3)", "\u00bc": "(1/4)",
    "\u00be": "(3/4)",
    "\u03c0": "pi", "\u03b1": "alpha", "\u03b2": "beta", "\u03b3": "gamma", "\u03b4": "delta",
    "\u03b5": "epsilon", "\u03f5": "epsilon", "\u03b8": "theta", "\u03d1": "theta",
    "\u03bb": "lambda", "\u03bc": "mu", "\u00b5": "mu", "\u03c3": "sigma", "\u03c4": "tau",
    "\u03c6": "phi", "\u03d5": "phi", "\u03c1": "rho", "\u03c9": "omega", "\u03b7": "eta",
    "\u03ba": "kappa", "\u03bd": "nu", "\u03be": "xi", "\u03c8": "psi", "\u03c7": "chi",
    "\u03b6": "zeta",
}

SUPERSCRIPTS: dict[str, str] = {
    "\u2070": "0", "\u00b9": "1", "\u00b2": "2", "\u00b3": "3", "\u2074": "4", "\u2075": "5",
    "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9", "\u207a": "+", "\u207b": "-",
    "\u207d": "(", "\u207e": ")", "\u02e3": "x", "\u207f": "n", "\u1d40": "T",
}

SUBSCRIPTS: dict[str, str] = {chr(0x2080 + i): str(i) for i in range(10)}

# Invisible characters that only get in the way; dropping them changes nothing visible.
DROPPED = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def normalize(text: str) -> tuple[str, list[int]]:
    """Return the plain-text form of ``text`` and, per output character, its source offset.

    The offset list has one extra entry, ``len(text)``, for the end of the text.
    Raises MathInputError for control characters and direction marks, which can make
    text look different from what it is.
    """
    out: list[str] = []
    origin: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in SUPERSCRIPTS:
            j = i
            while j < n and text[j] in SUPERSCRIPTS:
                j += 1
            _emit_script(out, origin, "^", text, i, j, SUPERSCRIPTS)
            i = j
            continue
        if ch in SUBSCRIPTS:
            j = i
            while j < n and text[j] in SUBSCRIPTS:
                j += 1
            _emit_script(out, origin, "_", text, i, j, SUBSCRIPTS)
            i = j
            continue
        _emit(out, origin, _plain(ch, i, text), i)
        i += 1
    origin.append(n)
    return "".join(out), origin


def _emit(out: list[str], origin: list[int], piece: str, source: int) -> None:
    out.append(piece)
    origin.extend([source] * len(piece))


def _emit_script(out: list[str], origin: list[int], marker: str, text: str, i: int, j: int,
                 table: dict[str, str]) -> None:
    # "x⁻¹" becomes "x^(-1)": a run of several superscript characters is one exponent.
    body = [table[c] for c in text[i:j]]
    if j - i == 1:
        _emit(out, origin, marker, i)
        _emit(out, origin, body[0], i)
        return
    _emit(out, origin, marker + "(", i)
    for k, piece in enumerate(body):
        _emit(out, origin, piece, i + k)
    _emit(out, origin, ")", j - 1)


def _plain(ch: str, offset: int, text: str) -> str:
    if ch in ("\t", "\n", "\r"):
        return " "
    if ch in DROPPED:
        return ""
    if ch in SYMBOLS:
        return SYMBOLS[ch]
    category = unicodedata.category(ch)
    if category == "Zs":
        return " "
    if category == "Cs":
        raise MathInputError(f"invalid character (a lone UTF-16 surrogate) at column {offset + 1}; "
                             f"delete it and retype that part", offset, text)
    if category == "Cc":
        raise MathInputError(
            f"invisible control character (U+{ord(ch):04X}) at column {offset + 1}; delete it",
            offset, text)
    if category == "Cf":
        raise MathInputError(
            f"invisible formatting character (U+{ord(ch):04X}, such as a direction mark) at "
            f"column {offset + 1}; delete it: it can make the text look different from what it is",
            offset, text)
    if ch.isascii():
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    if folded in SYMBOLS:
        return SYMBOLS[folded]
    # NFKC turns full-width letters, digits and brackets into ASCII; anything else is kept
    # and reported by the tokenizer as an unexpected character.
    return folded if folded.isascii() else ch

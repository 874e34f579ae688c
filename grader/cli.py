"""``python -m grader``: a thin command line over the library's functions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _check(args: argparse.Namespace) -> int:
    from grader.batch import check_lines

    for line in check_lines(args.input):
        args.output.write(line + "\n")
        args.output.flush()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade answers to exercises on the mathematics of deep learning.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check", help="check JSON-lines responses from stdin, one JSON line out per line in",
        description="Read {\"id\", \"answer\", \"response\"} lines; write {\"id\", \"correct\", "
                    "\"score\", \"feedback\", \"error\"} lines in the same order.")
    check.add_argument("input", nargs="?", type=argparse.FileType("r", encoding="utf-8"),
                       default=sys.stdin, help="input file (default: stdin)")
    check.add_argument("-o", "--output", type=argparse.FileType("w", encoding="utf-8"),
                       default=sys.stdout, help="output file (default: stdout)")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)

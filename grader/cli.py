"""``python -m grader``: a thin command line over the library's functions.

Library errors become messages and exit codes here, at the edge; nothing below prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "build_parser"]


def _check(args: argparse.Namespace) -> int:
    from grader.batch import check_lines

    for line in check_lines(args.input):
        args.output.write(line + "\n")
        args.output.flush()
    return 0


def _validate(args: argparse.Namespace) -> int:
    from grader.problems.loading import default_directory
    from grader.problems.validation import validate_paths

    paths = [Path(p) for p in args.paths] or [default_directory()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    results = validate_paths(paths, seeds=args.seeds)
    count = 0
    for errors in results.values():
        for error in errors:
            print(error)
            count += 1
    files = len(results)
    if count:
        print(f"{count} error{'s' if count != 1 else ''} in "
              f"{sum(1 for e in results.values() if e)} of {files} file{'s' if files != 1 else ''}",
              file=sys.stderr)
        return 1
    print(f"{files} problem file{'s' if files != 1 else ''} valid ({args.seeds} seeds each)")
    return 0


def _selftest(args: argparse.Namespace) -> int:
    from grader.problems import default_bank
    from grader.problems.selftest import format_table, selftest

    bank = default_bank(args.problems)
    problems = list(bank.problems.values())
    if args.problem:
        problems = [p for p in problems if p.id in set(args.problem)]
        unknown = set(args.problem) - {p.id for p in problems}
        if unknown:
            print(f"error: unknown problem {', '.join(sorted(unknown))}; the problems are "
                  f"{', '.join(bank.problems)}", file=sys.stderr)
            return 2
    rows = selftest(problems, seeds=args.seeds)
    print(format_table(rows))
    broken = bank.errors
    for errors in broken.values():
        for error in errors:
            print(f"BROKEN {error}")
    failed = sum(not r.ok for r in rows)
    print(f"\n{len(rows) - failed} of {len(rows)} parts passed over {args.seeds} seeds"
          + (f"; {len(broken)} file(s) could not be loaded" if broken else ""))
    return 1 if failed or broken else 0


def _grade(args: argparse.Namespace) -> int:
    from grader.problems import default_bank, instantiate
    from grader.problems.grading import grade_part
    from grader.problems.instance import InstanceError

    bank = default_bank(args.problems)
    try:
        problem = bank.get(args.problem)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.file is not None:
        try:
            response = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
            return 2
    else:
        response = args.response
    try:
        instance = instantiate(problem, args.seed)
        result = grade_part(instance, args.part, response)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    except InstanceError as exc:
        print(f"error: problem {problem.id} cannot be instantiated: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict(), ensure_ascii=False))
    return 0


def _list(args: argparse.Namespace) -> int:
    from grader.problems import default_bank

    bank = default_bank(args.problems)
    rows = [(p.id, p.title, p.topic, ", ".join(part.id for part in p.parts))
            for p in bank.problems.values()]
    if args.json:
        print(json.dumps([dict(zip(("id", "title", "topic", "parts"), r)) for r in rows],
                         ensure_ascii=False))
        return 0
    header = ("id", "title", "topic", "parts")
    widths = [max(len(x) for x in column) for column in zip(header, *rows)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    for path, errors in bank.errors.items():
        print(f"(not listed: {path}: {len(errors)} error(s); run python -m grader validate)",
              file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from grader.problems.schema import problem_schema

    text = json.dumps(problem_schema(), indent=2, ensure_ascii=False)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _worker(args: argparse.Namespace) -> int:
    # The worker module reads its settings from the environment when it is imported.
    for variable, value in (("GRADER_BROKER_URL", args.broker_url),
                            ("DATABASE_URL", args.database_url),
                            ("GRADER_PROBLEMS", args.problems)):
        if value:
            os.environ[variable] = value
    if not os.environ.get("GRADER_BROKER_URL", "").strip():
        print("error: no broker: set GRADER_BROKER_URL (e.g. redis://127.0.0.1:6379/0) or pass "
              "--broker-url", file=sys.stderr)
        return 2
    if args.requeue_pending is not None:
        from grader import storage
        from grader.worker import CeleryQueue, requeue_pending

        queue = CeleryQueue(os.environ["GRADER_BROKER_URL"])
        with storage.open_database(migrate=False) as db:
            sent = requeue_pending(db, queue, args.requeue_pending * 60)
        queue.close()
        print(f"sent {len(sent)} pending submission{'s' if len(sent) != 1 else ''} to the queue "
              f"again" + (f" (ids {sent[0]}..{sent[-1]})" if sent else ""))
        return 0
    from grader.worker import app

    argv = ["worker", f"--pool={args.pool}", f"--concurrency={args.concurrency}",
            f"--loglevel={args.loglevel}", f"--queues={args.queue}",
            "--without-mingle", "--without-gossip"]
    if args.hostname:
        argv.append(f"--hostname={args.hostname}")
    app.worker_main(argv)
    return 0


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the seed must be 0 or more")
    return value


def _positive(text: str) -> int:
    value = _seed(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


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

    validate = commands.add_parser(
        "validate", help="check problem files; every error with file:line",
        description="Check problem files (default: the problems/ folder) and report every "
                    "error of every file with file:line and key path. Exit 1 if any.")
    validate.add_argument("paths", nargs="*", help="problem files or folders")
    validate.add_argument("--seeds", type=_positive, default=20,
                          help="variants to instantiate per problem (default 20)")
    validate.set_defaults(run=_validate)

    test = commands.add_parser(
        "selftest", help="prove every problem: references score 1, mistakes below 1",
        description="For every problem, part and seed: the reference scores 1, every "
                    "anticipated mistake scores below 1 with its feedback, hints and solution "
                    "render. Prints a table; exit 1 on any failure.")
    test.add_argument("--seeds", type=_positive, default=20, help="seeds per problem (default 20)")
    test.add_argument("--problem", action="append", help="only this problem (repeatable)")
    test.add_argument("--problems", help="problem folder (default: the bundled problems/)")
    test.set_defaults(run=_selftest)

    grade = commands.add_parser(
        "grade", help="grade one response to one part; prints a JSON object",
        description="Grade one response and print {\"problem\", \"part\", \"seed\", \"correct\", "
                    "\"score\", \"feedback\", \"tests\"}.")
    grade.add_argument("--problem", required=True, help="problem id")
    grade.add_argument("--part", required=True, help="part id")
    source = grade.add_mutually_exclusive_group(required=True)
    source.add_argument("--response", help="the response text")
    source.add_argument("--file", help="read the response (e.g. a .py submission) from a file")
    grade.add_argument("--seed", type=_seed, default=0, help="variant (default 0: the tutorial's)")
    grade.add_argument("--problems", help="problem folder (default: the bundled problems/)")
    grade.set_defaults(run=_grade)

    listing = commands.add_parser("list", help="list the problems: id, title, topic, parts",
                                  description="List the valid problems.")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument("--problems", help="problem folder (default: the bundled problems/)")
    listing.set_defaults(run=_list)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of problem files (for editors)",
        description="Print the JSON Schema of the problem format, for editor validation.")
    schema.add_argument("-o", "--output", help="write to this file instead of stdout")
    schema.set_defaults(run=_schema)

    worker = commands.add_parser(
        "worker", help="grade queued submissions: a Celery worker on $GRADER_BROKER_URL",
        description="Start a Celery worker that grades the submissions the app queued "
                    "(GRADER_BROKER_URL set) and writes their verdicts to the database "
                    "($DATABASE_URL). Runs until stopped (SIGTERM: finish the current jobs).")
    worker.add_argument("--concurrency", type=_positive, default=os.cpu_count() or 1,
                        help="submissions graded at once, one process and sandbox each "
                             "(default: the number of CPUs)")
    worker.add_argument("--broker-url", help="Redis URL (default: $GRADER_BROKER_URL)")
    worker.add_argument("--database-url", help="database (default: $DATABASE_URL, else the "
                                               "embedded SQLite file)")
    worker.add_argument("--problems", help="problem folder (default: $GRADER_PROBLEMS, else "
                                           "the bundled problems/)")
    worker.add_argument("--hostname", help="worker name, e.g. grader1@%%h (default celery@%%h)")
    worker.add_argument("--loglevel", default="INFO", help="log level (default INFO)")
    worker.add_argument("--pool", default="prefork", choices=("prefork", "solo"),
                        help="Celery pool (default prefork; solo grades in the main process, "
                             "one at a time, without time limits)")
    worker.add_argument("--requeue-pending", type=float, metavar="MINUTES",
                        help="do not start a worker: send again every submission still pending "
                             "after MINUTES (after the broker lost its jobs), then exit")
    worker.add_argument("--queue", default="grading", help=argparse.SUPPRESS)
    worker.set_defaults(run=_worker)

    from grader.storage.cli import register_commands  # users and db command groups
    register_commands(commands)
    return parser


def _glue_negative_responses(argv: list[str]) -> list[str]:
    """``--response -2x`` would read ``-2x`` as an option: glue it on as ``--response=-2x``."""
    out: list[str] = []
    skip = False
    for k, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--response" and k + 1 < len(argv) and argv[k + 1].startswith("-"):
            out.append(f"--response={argv[k + 1]}")
            skip = True
        else:
            out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_glue_negative_responses(list(
        sys.argv[1:] if argv is None else argv)))
    run = getattr(args, "run", None) or args.func
    try:
        return run(args)
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly, like other tools
        sys.stderr.close()
        return 0

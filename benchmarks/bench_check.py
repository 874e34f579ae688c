"""Accuracy and speed of answer checking, against the naive sympy approach, in one run.

    python benchmarks/bench_check.py [--repeat N]

Ours: ``grader.answers.check_parsed`` (read the response, compare) with each part's spec
built once, as the app does. Naive: on the same parsed pairs, ``sympy.simplify(reference -
response) == 0`` per scalar (entry by entry for vectors and matrices, any order for sets,
exact text for choices), with the same variable assumptions, bounded at 10 s per case.
Times are per check, in the same process, on the same machine; before every timed run the
reading cache (ours) and sympy's cache (naive) are cleared, so nothing is remembered from an
earlier run of the same response. Each part's spec (and so its reference) is built once.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sympy  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

from corpus import CASES  # noqa: E402
from grader.answers import check_parsed, load_spec  # noqa: E402
from grader.deadline import time_limit  # noqa: E402
from grader.errors import CheckTimeout, MathInputError  # noqa: E402
from grader.reading import _read, read_math  # noqa: E402
from grader.reading.nodes import Matrix, Seq  # noqa: E402
from grader.reading.symbolic import to_sympy  # noqa: E402

NAIVE_LIMIT = 10.0


def symbols_for(spec) -> dict:
    """sympy symbols with the assumptions the spec's domains imply."""
    table = {}
    for name, domain in getattr(spec, "domains", {}).items():
        if domain.low >= 0 and not domain.low_closed:
            table[name] = sympy.Symbol(name, positive=True)
        elif domain.low >= 0:
            table[name] = sympy.Symbol(name, nonnegative=True)
        elif domain.high <= 0 and not domain.high_closed:
            table[name] = sympy.Symbol(name, negative=True)
        else:
            table[name] = sympy.Symbol(name, real=True)
    return table


def scalars(tree):
    if isinstance(tree, Matrix):
        return [x for row in tree.rows for x in row]
    if isinstance(tree, Seq):
        out = []
        for item in tree.items:
            out.extend(scalars(item) if isinstance(item, (Seq, Matrix)) else [item])
        return out
    return [tree]


def elements(tree):
    if isinstance(tree, Seq) and any(isinstance(x, (Seq, Matrix)) for x in tree.items):
        return [tuple(scalars(x)) for x in tree.items]
    if isinstance(tree, Matrix):
        return [tuple(row) for row in tree.rows]
    if isinstance(tree, Seq):
        return [(x,) for x in tree.items]
    return [(tree,)]


def same(a, b, table) -> bool:
    return sympy.simplify(to_sympy(a, table) - to_sympy(b, table)) == 0


def naive(spec_mapping, spec, response: str) -> bool:
    """The naive verdict on the same parsed pair."""
    if spec.type == "choice":
        return response == spec.reference
    table = symbols_for(spec)
    names = getattr(spec, "variable_names", ())
    ref_text = spec_mapping["reference"]
    if not isinstance(ref_text, str):
        ref_text = repr(ref_text).replace("'", "")
    reference = read_math(ref_text, names).tree
    got = read_math(response, names).tree
    if spec.type == "set":
        left, right = elements(reference), elements(got)
        if len(left) != len(right):
            return False
        pending = list(right)
        for element in left:
            match = next((g for g in pending if len(g) == len(element) and
                          all(same(a, b, table) for a, b in zip(element, g))), None)
            if match is None:
                return False
            pending.remove(match)
        return True
    left, right = scalars(reference), scalars(got)
    return len(left) == len(right) and all(same(a, b, table) for a, b in zip(left, right))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per case and approach (the best is kept)")
    args = parser.parse_args()

    specs = {}
    rows = []
    for topic, mapping, response, expected in CASES:
        key = repr(mapping)
        if key not in specs:
            specs[key] = load_spec(mapping)
        spec = specs[key]
        best = float("inf")
        for _ in range(args.repeat):
            _read.cache_clear()  # every student response is new: no reading is cached
            start = time.perf_counter()
            verdict = check_parsed(spec, response)
            best = min(best, time.perf_counter() - start)
        ours_ok = verdict.correct == expected
        naive_time = float("inf")
        for _ in range(args.repeat):
            clear_cache()  # nor is any of sympy's
            start = time.perf_counter()
            try:
                with time_limit(NAIVE_LIMIT):
                    naive_verdict = naive(mapping, spec, response)
            except CheckTimeout:
                naive_verdict = None
            except (MathInputError, TypeError, ValueError, AttributeError):
                naive_verdict = False
            naive_time = min(naive_time, time.perf_counter() - start)
        rows.append((topic, spec.type, response, expected, verdict, ours_ok, best,
                     naive_verdict == expected, naive_time))

    def report(label, subset):
        ours = [r[6] * 1000 for r in subset]
        base = [r[8] * 1000 for r in subset]
        acc = sum(r[5] for r in subset) / len(subset)
        nacc = sum(r[7] for r in subset) / len(subset)
        p50, p99, mx = (statistics.median(ours), percentile(ours, 99), max(ours))
        b50, b99, bmx = (statistics.median(base), percentile(base, 99), max(base))
        print(f"\n{label}: {len(subset)} cases")
        print(f"  {'':8s} {'accuracy':>9s} {'p50 ms':>9s} {'p99 ms':>9s} {'max ms':>9s}")
        print(f"  {'ours':8s} {acc:9.1%} {p50:9.2f} {p99:9.2f} {mx:9.2f}")
        print(f"  {'naive':8s} {nacc:9.1%} {b50:9.2f} {b99:9.2f} {bmx:9.2f}")
        print(f"  naive/ours time ratio: p50 {b50 / p50:.1f}x, p99 {b99 / p99:.1f}x, "
              f"max {bmx / mx:.1f}x")
        return acc

    print(f"bench_check: {len(rows)} cases, {len(specs)} parts, best of {args.repeat} runs each, "
          f"caches cleared before every run")
    accuracy = report("all answer types", rows)
    report("expression answers", [r for r in rows if r[1] == "expression"])
    wrong = [r for r in rows if not r[5]]
    for topic, kind, response, expected, verdict, *_ in wrong:
        print(f"  MISJUDGED [{topic}/{kind}] {response!r}: expected {expected}, got "
              f"{verdict.status}: {verdict.feedback[:100]}")
    naive_wrong = sum(not r[7] for r in rows)
    print(f"\nnaive misjudged {naive_wrong} of {len(rows)} "
          f"({naive_wrong / len(rows):.0%}); ours misjudged {len(wrong)}")
    return 0 if accuracy == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Time the app as a student feels it, in a real browser (Chromium + Playwright).

    python benchmarks/bench_app.py [--runs 20]

Starts `streamlit run app.py` on 127.0.0.1 with a fresh SQLite database (as the browser
tests do), signs a student up, and measures, each `--runs` times:

- math part: from the Submit click to the verdict on screen (eigen-2x2, eigenvalues; the
  answer alternates between right and a wrong one so each verdict is new);
- code part: the same for an uploaded Hessian implementation (hessian-autograd, code; right
  and wrong files alternate), through the sandbox;
- page rerun: from a click on "New variant" (a full rerun of the problem page) to the new
  variant on screen.

Prints median, 90th percentile and max; the target for a math part is a median ≤ 0.5 s.
Needs /usr/bin/chromium (tests/run installs it). Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402 - after the path is set
    CHROMIUM, CHROMIUM_ARGS, sign_up, start_app, stop_app, wait_for_session_cookie,
)

RIGHT = r"\frac{5-\sqrt{5}}{2}, \frac{5+\sqrt{5}}{2}"
WRONG_HESSIAN = "import torch\n\ndef hessian(f, x):\n    return torch.zeros(len(x), len(x), dtype=x.dtype)\n"
TARGET_MATH = 0.5

def timed_submit(page, submit, expected: str, gone: str) -> float:
    """Click Submit and return the seconds until `expected` is on screen (`gone` is not)."""
    page.wait_for_function("([t]) => ![...document.querySelectorAll(\"[data-testid^='stAlertContent']\")]"
                           ".some((a) => a.innerText.includes(t))", arg=[expected], timeout=30_000)
    start = time.perf_counter()
    submit.click()
    page.wait_for_function(
        "([t, g]) => { const a = [...document.querySelectorAll(\"[data-testid^='stAlertContent']\")];"
        " return a.some((x) => x.innerText.includes(t)) && !a.some((x) => x.innerText.includes(g)); }",
        arg=[expected, gone], polling="raf", timeout=120_000)
    return time.perf_counter() - start


def bench_math(page, base: str, runs: int) -> list[float]:
    page.goto(f"{base}/practice?problem=eigen-2x2&seed=0")
    box = page.get_by_label("Your answer to part 1", exact=True)
    submit = page.get_by_role("button", name="Submit").first
    times = []
    for run in range(runs + 1):
        answer, expected, gone = ((RIGHT, "Correct", "diagonal entries") if run % 2 == 0
                                  else ("2, 3", "diagonal entries", "Correct ·"))
        box.fill(answer)
        box.press("Enter")
        page.wait_for_timeout(400)   # let the live preview settle: Submit is what we time
        elapsed = timed_submit(page, submit, expected, gone)
        if run:                      # the first one warms caches
            times.append(elapsed)
    return times


def bench_code(page, base: str, runs: int, folder: Path) -> list[float]:
    right = folder / "right.py"
    right.write_text((ROOT / "problems/solutions/hessian-autograd.py").read_text())
    wrong = folder / "wrong.py"
    wrong.write_text(WRONG_HESSIAN)
    page.goto(f"{base}/practice?problem=hessian-autograd&seed=0")
    upload = page.get_by_test_id("stFileUploaderDropzoneInput")
    submit = page.get_by_role("button", name="Submit").nth(1)
    times = []
    for run in range(runs + 1):
        file, expected, gone = ((right, "All 9 checks passed", "checks failed") if run % 2 == 0
                                else (wrong, "failed", "All 9 checks passed"))
        upload.set_input_files(str(file))
        page.get_by_text(f"Submitting the uploaded file {file.name}").wait_for()
        page.wait_for_timeout(300)
        elapsed = timed_submit(page, submit, expected, gone)
        if run:
            times.append(elapsed)
    return times


def bench_rerun(page, base: str, runs: int) -> list[float]:
    page.goto(f"{base}/practice?problem=eigen-2x2&seed=0")
    button = page.get_by_role("button", name="New variant")
    times = []
    for run in range(runs + 1):
        label = page.get_by_text("Variant ", exact=False).first.inner_text()
        start = time.perf_counter()
        button.click()
        page.wait_for_function(
            "([old]) => { const e = [...document.querySelectorAll('p')].find((p) => p.innerText.startsWith('Variant '));"
            " return e && e.innerText !== old && !document.querySelector(\"[data-testid='stStatusWidget']\"); }",
            arg=[label], polling="raf", timeout=30_000)
        if run:
            times.append(time.perf_counter() - start)
    return times


def row(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[max(0, int(round(0.9 * len(ordered))) - 1)]
    return (f"| {name:<26} | {len(times):>4} | {statistics.median(times):>8.3f} | {p90:>8.3f} | "
            f"{max(times):>8.3f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server = start_app(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.set_default_timeout(60_000)
            sign_up(page, server.url, "bench")
            page.get_by_text("Signed in as bench").first.wait_for()
            wait_for_session_cookie(page)
            # The code part first: its warm-up run waits for the sandbox workers, whose start
            # (torch imports) would otherwise compete with the math part for the CPU.
            code = bench_code(page, server.url, args.runs, Path(tmp))
            results = {"math part: Submit → verdict": bench_math(page, server.url, args.runs),
                       "code part: Submit → verdict": code,
                       "page rerun (New variant)": bench_rerun(page, server.url, args.runs)}
        finally:
            browser.close()
            stop_app(server)
    print("| what                       | runs | median s |    p90 s |    max s |")
    print("| -------------------------- | ---- | -------- | -------- | -------- |")
    for name, times in results.items():
        print(row(name.replace("Submit → verdict", "submit→verdict"), times))
    median_math = statistics.median(results["math part: Submit → verdict"])
    verdict = "meets" if median_math <= TARGET_MATH else "MISSES"
    print(f"\nmath part median {median_math:.3f} s {verdict} the {TARGET_MATH} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())

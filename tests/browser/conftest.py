"""Real-browser fixtures: the app under `streamlit run` on 127.0.0.1, and Debian's Chromium.

The server is started by the fixture (and stopped by it) with a fresh SQLite database,
exactly as the README's first command starts it; Chromium is driven by Playwright with
the system binary (`/usr/bin/chromium`, installed by tests/run; never `playwright install`).
Screenshots go to tests/artifacts/ (not committed) for a reviewer to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class AppServer:
    url: str
    database_url: str
    process: subprocess.Popen
    log: Path

    def cli(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        """Run `python -m grader ...` against the app's database."""
        return subprocess.run([sys.executable, "-m", "grader", *args], input=stdin, text=True,
                              capture_output=True, cwd=ROOT, check=True,
                              env={**os.environ, "DATABASE_URL": self.database_url})


def start_app(tmp: Path, port: int | None = None, extra_env: dict | None = None) -> AppServer:
    port = port or free_port()
    database_url = f"sqlite:///{tmp / 'app.sqlite3'}"
    log = tmp / "streamlit.log"
    env = {**os.environ, "DATABASE_URL": database_url, "GRADER_SECRET_KEY": "browser-test-secret",
           **(extra_env or {})}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return AppServer(url, database_url, process, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy: {log.read_text()[-2000:]}")


def stop_app(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing; tests/run installs it with apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[AppServer]:
    server = start_app(tmp_path_factory.mktemp("app"))
    try:
        yield server
    finally:
        stop_app(server)


def shoot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ for review."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the current run (no 'running' indicator)."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=30_000)


def wait_for_guest_restore(page) -> None:
    """If the tab holds a guest's work, wait until the new session has taken it back (that
    costs one rerun right after loading, which would reset a tab clicked meanwhile)."""
    kept = page.evaluate("() => window.sessionStorage.getItem('grader_guest') || ''")
    if kept and not kept.startswith("g1.W10=."):     # "W10=" is an empty list
        page.get_by_text("from this guest session").wait_for()
        wait_for_app(page)


def sign_up(page, base: str, username: str) -> None:
    page.goto(f"{base}/account")
    page.get_by_role("tab", name="Create an account").wait_for()
    wait_for_app(page)
    wait_for_guest_restore(page)
    page.get_by_role("tab", name="Create an account").click()
    page.get_by_label("Choose a username", exact=True).fill(username)
    page.get_by_label("Choose a password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def wait_for_session_cookie(page) -> None:
    """Wait until the browser holds the session cookie (set by the app after sign-in)."""
    deadline = time.monotonic() + 20
    while not any(c["name"] == "grader_session" for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError("the app never set the session cookie")
        page.wait_for_timeout(100)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/account")
    page.get_by_label("Username", exact=True).wait_for()
    wait_for_app(page)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

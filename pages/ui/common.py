"""What every page shares: cached resources, who is signed in, and rendering of verdicts.

Resources (``st.cache_resource``, one per process): the database (keyed by its URL), the
problem bank (it reloads a YAML file when the file changes), the grading service and the
sandbox pool. Accounts: a local session token lives in ``st.session_state`` and, so a reload
keeps the user signed in, in a first-party cookie (``components.session_cookie``); each run
re-checks it with ``storage.authenticate``, so expiry and "sign out everywhere" apply at
once. When Streamlit's secrets hold an ``[auth]`` section (OpenID Connect), ``st.login``
is used instead and the provider's user is mapped to a local account.
"""

from __future__ import annotations

import logging
import os
import runpy
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from grader import guest_state, storage
from grader.answers.explanation import point_text
from grader.practice import STATUS_WORDS, attempts_frame, code_status_line, trim_traceback
from grader.problems import ProblemBank
from grader.problems.loading import default_directory
from grader.service import GradingService, service_from_environment

from pages.ui import components

log = logging.getLogger("grader.app")

APP_TITLE = "Deep-learning maths grader"
GUEST_KEY = "guest_submissions"
AUTH_KEY = "auth"


# --- resources ---------------------------------------------------------------------------

def database_url() -> str:
    return os.environ.get("DATABASE_URL", "").strip()


@st.cache_resource(show_spinner="Opening the database…")
def _database(url: str) -> storage.Database:
    return storage.open_database(url or None)


def database() -> storage.Database:
    """The app's database: ``$DATABASE_URL``, else the SQLite file ``data/grader.sqlite3``."""
    return _database(database_url())


@st.cache_resource(show_spinner=False)
def _bank(directory: str) -> ProblemBank:
    return ProblemBank(directory)


def bank() -> ProblemBank:
    """The problem bank (``$GRADER_PROBLEMS`` or ``problems/``); reloads changed files."""
    return _bank(str(default_directory()))


@st.cache_resource(show_spinner=False)
def _service(url: str, directory: str, broker_url: str, queue_math: str) -> GradingService:
    return service_from_environment(
        _database(url), problems_directory=directory,
        environ={"GRADER_BROKER_URL": broker_url, "GRADER_QUEUE_MATH": queue_math})


def grading_service() -> GradingService:
    """Grading here, or through the Celery queue at ``$GRADER_BROKER_URL`` (code answers;
    math answers too with ``GRADER_QUEUE_MATH=1``)."""
    return _service(database_url(), str(default_directory()),
                    os.environ.get("GRADER_BROKER_URL", "").strip(),
                    os.environ.get("GRADER_QUEUE_MATH", "").strip())


SANDBOX_NICENESS = 10


@st.cache_resource(show_spinner="Starting the code sandbox…")
def sandbox_pool():
    """The sandbox pool that code parts run in (two workers, started once per process).

    The workers are started from a helper thread that first lowers its own CPU priority
    (Linux keeps niceness per thread, and a child inherits its creator's): students' code,
    and the workers' torch start-up, then never slow down the pages everyone else is using.
    """
    from grader.answers.code import configure_pool
    from grader.sandbox import SandboxPool

    result: dict[str, Any] = {}

    def start() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SANDBOX_NICENESS)
        except OSError:   # not permitted here: run at normal priority
            pass
        try:
            result["pool"] = SandboxPool(
                size=int(os.environ.get("GRADER_SANDBOX_WORKERS", "2"))).start()
        except BaseException as exc:  # re-raised in the caller's thread below
            result["error"] = exc

    starter = threading.Thread(target=start, name="sandbox-start")
    starter.start()
    starter.join()
    if "error" in result:
        raise result["error"]
    configure_pool(result["pool"])
    return result["pool"]


def warm_sandbox() -> None:
    """Start the pool in the background at app start, so the first code answer does not wait."""
    if os.environ.get("GRADER_SANDBOX_WARM", "1") != "1":
        return
    if not st.session_state.get("_sandbox_warm_started"):
        st.session_state["_sandbox_warm_started"] = True
        threading.Thread(target=_warm, daemon=True, name="sandbox-warm-up").start()


def _warm() -> None:
    try:
        sandbox_pool()
    except Exception:  # reported again, to the student, when a code answer needs the pool
        log.exception("the sandbox pool did not start")


def solution_after_default() -> int:
    try:
        return max(1, int(os.environ.get("GRADER_SOLUTION_AFTER", "3")))
    except ValueError:
        return 3


# --- the frame -----------------------------------------------------------------------------
# Streamlit treats a ``pages/`` folder next to the main script as an old-style multipage app
# until the process's first ``st.navigation`` call (and AppTest resets that for each run):
# such a run executes ``pages/<name>.py`` for the URL ``/<name>`` without app.py. So every
# page opens with ``in_frame()`` (student pages) or ``require_instructor()`` (which implies
# it): a page reached around the frame runs the frame instead, which signs the user in,
# draws the sidebar, applies the access rules and then runs the page the URL names.

_frame = threading.local()
APP_SCRIPT = Path(__file__).resolve().parents[2] / "app.py"


@contextmanager
def frame(account: storage.Account | None) -> Iterator[None]:
    """app.py runs the selected page inside this, so the page knows the frame ran first and
    who it found signed in (``current_account`` then asks the database once per run)."""
    _frame.active, _frame.account = True, account
    try:
        yield
    finally:
        _frame.active, _frame.account = False, None


def in_frame() -> None:
    """Return if app.py is running this page; otherwise run app.py in its place and stop."""
    if getattr(_frame, "active", False):
        return
    runpy.run_path(str(APP_SCRIPT), run_name="__main__")
    st.stop()


# --- accounts ----------------------------------------------------------------------------

def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def current_account() -> storage.Account | None:
    """The signed-in account, re-checked once per run (by app.py; a page running inside the
    frame gets that same account); None for a guest."""
    if getattr(_frame, "active", False):
        return _frame.account
    auth = st.session_state.get(AUTH_KEY)
    db = database()
    if oidc_configured():
        return _oidc_account(db)
    token = auth.get("token") if auth else None
    if token is None and not st.session_state.get("signed_out"):
        token = _cookie_token()
    if token is None:
        return None
    try:
        account = storage.authenticate(db, token)
    except storage.AccountError as exc:
        st.session_state.pop(AUTH_KEY, None)
        st.session_state["auth_notice"] = str(exc)
        st.session_state["signed_out"] = True
        return None
    st.session_state[AUTH_KEY] = {"token": token, "account": account}
    return account


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(components.COOKIE_NAME)
    except Exception:
        return None
    return value if isinstance(value, str) and 20 <= len(value) <= 200 else None


def _oidc_account(db: storage.Database) -> storage.Account | None:
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return None
    email = str(user.get("email") or user.get("sub") or "")
    username = "".join(ch for ch in email.lower() if ch.isalnum() or ch in "._@+-")[:64]
    account = storage.find_account(db, username)
    if account is None:
        try:
            account = storage.create_account(db, username, secrets.token_urlsafe(24))
        except storage.UsernameTaken:
            account = storage.find_account(db, username)
    instructors = _configured_instructors()
    if account is not None and username in instructors and not account.is_instructor:
        account = storage.set_role(db, username, "instructor")
    return account


def _configured_instructors() -> set[str]:
    names = set(filter(None, os.environ.get("GRADER_INSTRUCTORS", "").lower().split(",")))
    try:
        names |= {str(n).lower() for n in st.secrets.get("grader", {}).get("instructors", [])}
    except Exception:
        pass
    return {name.strip() for name in names}


def client_key() -> str | None:
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) and address else None


def remember_sign_in(session: storage.SignIn) -> None:
    st.session_state[AUTH_KEY] = {"token": session.token, "account": session.account}
    st.session_state.pop("signed_out", None)
    st.session_state.pop("auth_notice", None)


def sign_out() -> None:
    auth = st.session_state.pop(AUTH_KEY, None)
    if auth and auth.get("token"):
        storage.sign_out(database(), auth["token"])
    st.session_state["signed_out"] = True
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("answer::")]:
        del st.session_state[key]


def sync_cookie() -> None:
    """Render the (invisible) cookie component with the current token."""
    auth = st.session_state.get(AUTH_KEY) or {}
    lifetime = int(storage.AccountPolicy().session_lifetime.total_seconds())
    components.session_cookie(auth.get("token"), max_age=lifetime,
                              clear=bool(st.session_state.get("signed_out")))


# --- attempts ------------------------------------------------------------------------------

def guest_submissions() -> list[dict[str, Any]]:
    return st.session_state.setdefault(GUEST_KEY, [])


@st.cache_resource(show_spinner=False)
def _guest_key_for(configured: str) -> bytes:
    return guest_state.secret_key()


def _guest_key() -> bytes:
    """The key that seals a guest's work (cached per ``GRADER_SECRET_KEY`` value)."""
    return _guest_key_for(os.environ.get("GRADER_SECRET_KEY", ""))


def sync_guest_work(account: storage.Account | None) -> None:
    """Keep a guest's work in the tab across reloads (sealed); clear it once signed in.

    While this session has no guest work of its own, the tab is asked to hand back what it
    kept (only then does it cost a rerun, see ``_restore_guest_work``); otherwise the
    session's work is written to the tab.
    """
    key = _guest_key()
    if account is not None:
        components.guest_store(sealed=guest_state.seal([], key), restore=False,
                               on_restored=_restore_guest_work)
        return
    work = guest_submissions()
    restore = not work and not st.session_state.get("guest_restored", False)
    components.guest_store(sealed=guest_state.seal(work, key), restore=restore,
                           on_restored=_restore_guest_work)


def _restore_guest_work() -> None:
    state = st.session_state.get("grader_guest_store")
    value = state.get("restored") if isinstance(state, dict) else getattr(state, "restored", None)
    if value is None:
        return
    st.session_state["guest_restored"] = True
    kept = guest_state.unseal(value, _guest_key()) \
        if value else None
    if kept:
        current = guest_submissions()
        known = {record["idempotency_key"] for record in current}
        merged = [record for record in kept if record["idempotency_key"] not in known] + current
        merged.sort(key=lambda record: record["submitted_at"])
        st.session_state[GUEST_KEY] = merged


def attempt_records(account: storage.Account | None) -> pd.DataFrame:
    """Every attempt of the current user (stored, or the guest's in this session)."""
    if account is None:
        return attempts_frame(
            {**s, "graded": s.get("verdict") is not None,
             "score": (s.get("verdict") or {}).get("score"),
             "correct": (s.get("verdict") or {}).get("correct")} for s in guest_submissions())
    frame = storage.progress_frame(database(), account.id)
    return attempts_frame(frame.to_dict("records"))


def new_key() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(timezone.utc)


# --- rendering ---------------------------------------------------------------------------

def friendly_error(what: str, exc: BaseException) -> None:
    """Say what failed in words, log the details (never a traceback on screen)."""
    log.exception("%s failed", what)
    st.error(f"Sorry — {what} failed ({type(exc).__name__}). Nothing you submitted is lost; "
             f"try again, and tell your instructor if it keeps happening.", icon=":material/warning:")


def render_verdict(verdict: dict[str, Any], *, show_counterexample: bool = True) -> None:
    """A verdict as a student reads it: status, score, feedback, how the answer was read."""
    status = verdict.get("status") or ("correct" if verdict.get("correct") else "incorrect")
    score = float(verdict.get("score") or 0.0)
    headline = f"**{STATUS_WORDS.get(status, status.title())}** · score {score:.0%}"
    feedback = str(verdict.get("feedback") or "")
    body = f"{headline}\n\n{feedback}" if feedback and feedback.strip() != "Correct." else headline
    if status == "correct":
        st.success(body, icon=":material/check_circle:")
    elif status == "partial":
        st.warning(body, icon=":material/timelapse:")
    elif status in ("unknown",):
        st.info(body, icon=":material/help:")
    else:
        st.error(body, icon=":material/cancel:")
    if verdict.get("error_caret"):
        st.code(verdict["error_caret"], language=None)
    if verdict.get("read_as"):
        st.caption("Your answer was read as:")
        st.latex(verdict["read_as"])
    example = verdict.get("counterexample")
    if show_counterexample and example and not _feedback_names_the_point(example, feedback):
        st.caption("Where your answer differs: " + _counterexample_text(example))
    for note in verdict.get("notes") or ():
        if note not in feedback:   # most notes are already sentences of the feedback
            st.caption(note)
    render_code_details(verdict)


def _feedback_names_the_point(example: dict[str, Any], feedback: str) -> bool:
    """Whether the feedback already says where the answer differs (said once is enough)."""
    point = example.get("point")
    if not isinstance(point, dict) or not point:
        return False
    try:
        return f"at {point_text(point)}" in feedback
    except (TypeError, ValueError):
        return False


def _counterexample_text(example: dict[str, Any]) -> str:
    point = example.get("point") or example.get("at") or {}
    parts = []
    if isinstance(point, dict) and point:
        parts.append("at " + ", ".join(f"{k} = {v}" for k, v in point.items()))
    for key in ("expected", "got", "reference", "response"):
        if key in example:
            parts.append(f"{key} {example[key]}")
    return "; ".join(parts) if parts else ", ".join(f"{k}: {v}" for k, v in example.items())


def render_code_details(verdict: dict[str, Any]) -> None:
    details = verdict.get("details") or {}
    line = code_status_line(details) if details.get("code_status") not in (None, "passed",
                                                                               "failed") else None
    if line:
        st.warning(line, icon=":material/report:")
    tests = verdict.get("tests") or []
    if tests:
        passed = sum(1 for t in tests if t.get("passed"))
        st.markdown(f"**Tests: {passed} of {len(tests)} passed**")
        for test in tests:
            icon = ":material/check_circle:" if test.get("passed") else ":material/cancel:"
            with st.expander(str(test.get("name", "")), icon=icon,
                             expanded=not test.get("passed")):
                st.write(test.get("message", ""))
    traceback = trim_traceback(details.get("traceback"))
    if traceback:
        st.caption("Your code's traceback:")
        st.code(traceback, language="text")
    output = details.get("output")
    if output:
        with st.expander("What your code printed"):
            st.code(str(output)[-4000:], language="text")


def difficulty_stars(level: int) -> str:
    return "★" * level + "☆" * (5 - level)


def topic_label(topic: str) -> str:
    return topic.replace("-", " ").capitalize()


def require_instructor(account: storage.Account | None) -> storage.Account:
    """Stop the page unless app.py runs it and an instructor is signed in (the pages are
    not even registered for others; this is the second lock on the door)."""
    in_frame()
    if account is None or not account.is_instructor:
        st.error("This page is for instructors. Sign in with an instructor account.")
        st.stop()
    return account


def usernames() -> dict[int, str]:
    return {a.id: a.username for a in storage.list_accounts(database())}

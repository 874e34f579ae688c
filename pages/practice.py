"""Practice one problem: statement, one input per part, live preview, Submit, feedback."""

from __future__ import annotations

import difflib
import random

import pandas as pd
import streamlit as st

from grader import practice, storage
from grader.problems.instance import MATH_TYPES, InstanceError, instantiate
from pages.ui import common, components

common.in_frame()

account = common.current_account()
problems = common.bank().problems
if not problems:
    st.error("No problems could be loaded. An instructor can run `python -m grader validate`.")
    st.stop()

# --- which problem, which variant (kept in the URL so a reload comes back here) ---------
ids = list(problems)
asked = st.query_params.get("problem")
wanted = asked
if wanted not in problems:
    wanted = st.session_state.get("practice_problem") if st.session_state.get(
        "practice_problem") in problems else ids[0]
problem_id = st.sidebar.selectbox("Problem", ids, index=ids.index(wanted),
                                  format_func=lambda pid: problems[pid].title, key=None)
problem = problems[problem_id]
st.session_state["practice_problem"] = problem_id

if asked is not None and asked not in problems:
    close = difflib.get_close_matches(asked, ids, n=1)
    st.warning(f"There is no problem `{asked[:80]}` in this course"
               + (f" (did you mean `{close[0]}`?)" if close else "")
               + f"; showing **{problem.title}** instead. Pick another in the sidebar.",
               icon=":material/help:")

seed_key = f"seed::{problem_id}"
if seed_key not in st.session_state:
    raw = str(st.query_params.get("seed", "0")) if wanted == problem_id else "0"
    valid_seed = raw.isdigit() and len(raw) < 10
    if not valid_seed:
        st.warning(f"The variant `{raw[:20]}` in the address is not a whole number from 0 to "
                   "999999999; showing the tutorial's numbers (variant 0).",
                   icon=":material/help:")
    st.session_state[seed_key] = int(raw) if valid_seed else 0
st.query_params["problem"] = problem_id
st.query_params["seed"] = str(st.session_state[seed_key])
seed = st.session_state[seed_key]

try:
    instance = instantiate(problem, seed)
except InstanceError as exc:
    st.error(f"This variant could not be built ({exc.message}). Try another variant.")
    if st.button("Another variant", icon=":material/casino:"):
        st.session_state[seed_key] = random.randint(1, 99_999)
        st.rerun()
    st.stop()

st.title(problem.title)
meta = (f"{common.topic_label(problem.topic)} · difficulty {common.difficulty_stars(problem.difficulty)}"
        f" · {', '.join(problem.concepts)}")
st.caption(meta + (f" · source: {problem.source}" if problem.source else ""))

left, middle, right = st.columns([3, 1.2, 1.2], vertical_alignment="center")
with left:
    label = "the tutorial's numbers" if seed == 0 else "practice numbers"
    st.markdown(f"**Variant {seed}** ({label})")
with middle:
    if st.button("New variant", icon=":material/casino:", width="stretch",
                 help="Same problem with other numbers, for more practice"):
        st.session_state[seed_key] = random.randint(1, 99_999)
        st.rerun()
with right:
    if st.button("Tutorial numbers", icon=":material/restart_alt:", width="stretch", disabled=seed == 0):
        st.session_state[seed_key] = 0
        st.rerun()

st.markdown(instance.statement)


# --- one part --------------------------------------------------------------------------

def _ids(part_id: str) -> str:
    return f"{problem_id}::{seed}::{part_id}"


def _save_draft(answer_key: str, part_id: str) -> None:
    if account is None:
        return
    try:
        storage.save_draft(common.database(), account_id=account.id, problem_id=problem_id,
                           part_id=part_id, seed=seed,
                           text=str(st.session_state.get(answer_key) or ""))
    except Exception:  # a draft is a convenience: never block typing because of it
        common.log.exception("saving a draft failed")


def _restore_draft(answer_key: str, part_id: str) -> None:
    if answer_key in st.session_state:
        return
    text = ""
    if account is not None:
        try:
            draft = storage.load_draft(common.database(), account_id=account.id,
                                       problem_id=problem_id, part_id=part_id, seed=seed)
            text = draft.text if draft else ""
        except Exception:
            common.log.exception("loading a draft failed")
    st.session_state[answer_key] = text


def _from_visual(field_key: str, answer_key: str, part_id: str) -> None:
    """Copy the visual editor's LaTeX into the text box (and the draft), so nothing is lost
    when the student switches back."""
    state = st.session_state.get(field_key)
    latex = getattr(state, "latex", None) if not isinstance(state, dict) else state.get("latex")
    if isinstance(latex, str):
        st.session_state[answer_key] = practice.from_mathlive(latex)
        _save_draft(answer_key, part_id)


def _math_input(part, index: int) -> str:
    answer_key = f"answer::{_ids(part.id)}"
    _restore_draft(answer_key, part.id)
    modes = ["Type", "Visual editor"] + (["Grid"] if part.answer_type == "matrix" else [])
    mode = st.segmented_control("Input", modes, default="Type", key=f"mode::{_ids(part.id)}",
                                label_visibility="collapsed") or "Type"
    label = f"Your answer to part {index + 1}"
    if mode == "Visual editor" and not components.mathlive_installed():
        st.info("The visual editor is not installed on this server (its operator runs "
                "`npm ci --prefix static`). Type your answer in the box instead.",
                icon=":material/info:")
        mode = "Type"
    if mode == "Visual editor":
        field_key = f"mathlive::{_ids(part.id)}"
        latex = components.math_field(key=field_key, label=label,
                                      value=str(st.session_state.get(answer_key) or ""),
                                      on_change=_from_visual, args=(field_key, answer_key, part.id))
        text = practice.from_mathlive(latex)
        st.caption("The visual editor writes LaTeX; it is read by the same rules as the text box.")
    elif mode == "Grid":
        shape_left, shape_right = st.columns(2)
        rows = shape_left.number_input("Rows", 1, 8, 2, key=f"rows::{_ids(part.id)}")
        cols = shape_right.number_input("Columns", 1, 8, 2, key=f"cols::{_ids(part.id)}")
        grid = st.data_editor(pd.DataFrame([[""] * int(cols) for _ in range(int(rows))],
                                           columns=[str(c + 1) for c in range(int(cols))]),
                              key=f"grid::{_ids(part.id)}::{rows}x{cols}",
                              width="stretch")
        cells = grid.fillna("").astype(str).values.tolist()
        text = ("[" + ", ".join("[" + ", ".join(c.strip() or "?" for c in row) + "]"
                                for row in cells) + "]") if any(c.strip() for row in cells
                                                                 for c in row) else ""
    else:
        text = st.text_input(label, key=answer_key, live="300ms", persist_state="session",
                             placeholder="e.g. 2x cos(x^2), \\frac{1}{2}, [1, 2] — plain text, "
                                         "Unicode or LaTeX",
                             on_change=_save_draft, args=(answer_key, part.id)) or ""
    reading = practice.preview(part, text)
    st.session_state[f"unreadable::{_ids(part.id)}"] = reading is not None and not reading.ok
    if reading is not None:
        if reading.ok:
            st.caption("Read as:")
            st.latex(reading.latex or "")
        else:
            st.error(f"Not readable yet: {reading.message}", icon=":material/edit:")
            if reading.caret:
                st.code(reading.caret, language=None)
    return text


def _choice_input(part, index: int) -> str:
    options = list(part.spec.options)
    choice = st.radio(f"Your answer to part {index + 1}", options, index=None,
                      key=f"answer::{_ids(part.id)}", persist_state="session")
    return choice or ""


def _labels_input(part, index: int) -> str:
    chosen = []
    for item_index, item in enumerate(part.spec.items):
        chosen.append(st.selectbox(item, list(part.spec.options), index=None,
                                   key=f"answer::{_ids(part.id)}::{item_index}",
                                   persist_state="session", placeholder="Choose a label"))
    return "; ".join(chosen) if all(chosen) else ""


def _code_input(part, index: int) -> str:
    from code_editor import code_editor

    suite = part.spec.suite_info
    st.markdown(f"Define `{suite.signature}`: {suite.description}")
    answer_key = f"answer::{_ids(part.id)}"
    _restore_draft(answer_key, part.id)
    starter = st.session_state.get(answer_key) or (
        f"import torch\n\n\ndef {suite.signature}:\n    ...\n")
    edited = code_editor(starter, lang="python", height=[12, 28], response_mode=["debounce", "blur"],
                         key=f"editor::{_ids(part.id)}",
                         options={"showLineNumbers": True, "tabSize": 4})
    text = edited.get("text") if isinstance(edited, dict) and edited.get("text") else starter
    if text != st.session_state.get(answer_key):
        st.session_state[answer_key] = text
        _save_draft(answer_key, part.id)
    upload = st.file_uploader("…or upload a .py file", type=["py"], key=f"upload::{_ids(part.id)}")
    if upload is not None:
        try:
            uploaded = upload.getvalue().decode("utf-8")
        except UnicodeDecodeError:
            st.error("That file is not UTF-8 text; save it as a plain .py file and upload again.")
            return ""
        st.caption(f"Submitting the uploaded file **{upload.name}** ({len(uploaded):,} characters).")
        return uploaded
    st.caption("Submitting the code in the editor (it saves as you type).")
    return text


def _attempts(part_id: str) -> list[dict]:
    """This user's attempts at a part (every seed), oldest first."""
    if account is None:
        return [s for s in common.guest_submissions()
                if s["problem_id"] == problem_id and s["part_id"] == part_id]
    rows = storage.list_attempts(common.database(), account.id, problem_id=problem_id,
                                 part_id=part_id)
    return [{"submitted_at": s.submitted_at, "seed": s.seed, "response": s.response,
             "verdict": s.verdict, "status": s.status, "submission_id": s.id} for s in rows]


def _submit(part, response: str) -> None:
    """Store (account) or keep (guest) the answer, then grade it; one key per Submit click."""
    pending_key = f"pending::{_ids(part.id)}"
    result_key = f"result::{_ids(part.id)}"
    pending = st.session_state.get(pending_key)
    if not pending or pending["response"] != response:
        pending = {"key": common.new_key(), "response": response}
        st.session_state[pending_key] = pending
    service = common.grading_service()
    try:
        if part.answer_type == "code":
            common.sandbox_pool()
        if account is None:
            record = next((s for s in common.guest_submissions()
                           if s["idempotency_key"] == pending["key"]), None)
            if record is None:
                record = {"problem_id": problem_id, "part_id": part.id, "seed": seed,
                          "answer_kind": part.answer_type, "response": response,
                          "submitted_at": common.now(), "verdict": None,
                          "idempotency_key": pending["key"]}
                common.guest_submissions().append(record)
            if record["verdict"] is None:
                record["verdict"] = service.grade_only(problem_id, part.id, seed, response)
            result = {"status": "graded", "verdict": record["verdict"]}
        else:
            outcome = service.submit(account_id=account.id, problem_id=problem_id,
                                     part_id=part.id, seed=seed, response=response,
                                     idempotency_key=pending["key"],
                                     answer_kind=part.answer_type)
            result = {"status": outcome.status, "verdict": outcome.verdict,
                      "submission_id": outcome.submission_id, "message": outcome.message}
    except storage.StorageError as exc:
        st.session_state[result_key] = {"status": "failed", "message": str(exc)}
        return
    except Exception as exc:
        common.log.exception("grading failed")
        st.session_state[result_key] = {
            "status": "failed",
            "message": f"Grading failed ({type(exc).__name__}). "
                       + ("Your answer is saved; submit again." if account else "Submit again.")}
        return
    st.session_state[result_key] = result
    st.session_state.pop(pending_key, None)


@st.fragment(run_every=1.0)
def _poll(part_id: str, submission_id: int) -> None:
    """While a queue grades the answer: check once a second, then show the verdict."""
    outcome = common.grading_service().poll(submission_id)
    if outcome.status == "pending":
        waiting = common.grading_service().queue_depth()
        queue_line = (f" {waiting} answer(s) are waiting for a grader ahead of or with yours."
                      if waiting else "")
        st.info("Grading… your answer is saved; the verdict appears here when it is ready."
                + queue_line, icon=":material/hourglass_top:")
        return
    st.session_state[f"result::{_ids(part_id)}"] = {
        "status": outcome.status, "verdict": outcome.verdict, "submission_id": submission_id,
        "message": outcome.message}
    st.rerun()


def _history(part_id: str, attempts: list[dict]) -> None:
    if not attempts:
        return
    rows = []
    for attempt in reversed(attempts):
        verdict = attempt.get("verdict") or {}
        status = verdict.get("status") or attempt.get("status") or "pending"
        rows.append({"when": practice.when(attempt["submitted_at"]), "variant": attempt["seed"],
                     "answer": attempt["response"][:120] + ("…" if len(attempt["response"]) > 120
                                                            else ""),
                     "result": practice.STATUS_WORDS.get(status, status),
                     "score": verdict.get("score")})
    with st.expander(f"Your attempts at this part ({len(attempts)})"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config={"score": st.column_config.ProgressColumn(
                         "score", min_value=0.0, max_value=1.0, format="percent")})


def _one_more_hint(hints_key: str) -> None:
    st.session_state[hints_key] = st.session_state.get(hints_key, 0) + 1


@st.fragment
def part_panel(part_id: str, index: int) -> None:
    try:
        _part_body(instance.part(part_id), index)
    except Exception as exc:  # one broken part never takes the page down
        common.friendly_error(f"showing part {index + 1}", exc)


def _part_body(part, index: int) -> None:
    points = f"{part.points:g} point{'s' if part.points != 1 else ''}"
    st.markdown(f"#### Part {index + 1} <span style='font-size:0.8rem;color:#6b7280'>· "
                f"{points}</span>", unsafe_allow_html=True)
    st.markdown(part.prompt)
    if part.answer_type in MATH_TYPES:
        response = _math_input(part, index)
    elif part.answer_type == "choice":
        response = _choice_input(part, index)
    elif part.answer_type == "labels":
        response = _labels_input(part, index)
    elif part.answer_type == "code":
        response = _code_input(part, index)
    else:
        response = st.text_input(f"Your answer to part {index + 1}",
                                 key=f"answer::{_ids(part.id)}") or ""

    hints_key = f"hints::{_ids(part.id)}"
    shown_hints = st.session_state.get(hints_key, 0)
    submit_col, hint_col = st.columns([1, 1])
    unreadable = st.session_state.get(f"unreadable::{_ids(part.id)}", False) \
        and part.answer_type in MATH_TYPES
    clicked = submit_col.button("Submit", key=f"submit::{_ids(part.id)}", type="primary",
                                disabled=not response.strip() or unreadable, width="stretch",
                                help="Fix what the preview points at first: an answer that "
                                     "cannot be read is not graded" if unreadable else None)
    if part.hints:
        more = shown_hints < len(part.hints)
        hint_col.button(f"Hint ({shown_hints + 1} of {len(part.hints)})" if more
                        else "No more hints", icon=":material/lightbulb:", key=f"hint::{_ids(part.id)}",
                        disabled=not more, width="stretch", on_click=_one_more_hint,
                        args=(hints_key,))
    if clicked:
        with st.spinner("Checking…"):
            _submit(part, response)
        if account is None:
            st.rerun()   # the whole app, so the frame stores the guest's work in the tab

    for number, hint in enumerate(part.hints[:shown_hints], start=1):
        st.info(f"**Hint {number}.** {hint}", icon=":material/lightbulb:")

    result = st.session_state.get(f"result::{_ids(part.id)}")
    if result:
        if result["status"] == "graded" and result.get("verdict"):
            common.render_verdict(result["verdict"])
        elif result["status"] == "pending" and result.get("submission_id"):
            _poll(part.id, result["submission_id"])
        else:
            st.error(result.get("message") or "Grading failed; submit again.", icon=":material/warning:")

    attempts = _attempts(part.id)
    here = [a for a in attempts if a["seed"] == seed]
    solved = any((a.get("verdict") or {}).get("correct") for a in here)
    after = common.solution_after_default()
    if part.solution:
        unlocked, why = practice.solution_unlocked(problem, attempts=len(here), solved=solved,
                                                   default_after=after)
    else:   # the problem's solution answers every part: it waits for all of them
        standings = {}
        for other in instance.parts:
            mine = here if other.id == part.id else [
                a for a in _attempts(other.id) if a["seed"] == seed]
            standings[other.id] = (len(mine), any((a.get("verdict") or {}).get("correct")
                                                  for a in mine))
        unlocked, why = practice.whole_solution_unlocked(problem, standings, default_after=after)
    if unlocked:
        with st.expander("Worked solution", expanded=solved, icon=":material/menu_book:"):
            st.caption(why)
            st.markdown(part.solution or instance.solution)
    else:
        st.caption(f":material/lock: {why}")
    _history(part.id, attempts)


for index, part in enumerate(instance.parts):
    with st.container(border=True):
        part_panel(part.id, index)

"""Instructor: preview any problem at any seed with its references; validate new YAML."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from grader.problems.instance import InstanceError, ProblemInstance, instantiate
from grader.problems.loading import default_directory, load_file
from grader.problems.validation import validate_loaded
from pages.ui import common

common.require_instructor(common.current_account())
problems = common.bank().problems


def show_instance(instance: ProblemInstance) -> None:
    """The variant as students see it, plus what they never see: references and mistakes."""
    st.markdown(instance.statement)
    if instance.parameters:
        st.caption("Parameters: " + ", ".join(f"${k} = {v}$" for k, v in
                                                instance.parameters.items()))
    for index, part in enumerate(instance.parts, start=1):
        with st.container(border=True):
            st.markdown(f"**Part {index}** (`{part.id}`, {part.answer_type}, {part.points:g} pt)")
            st.markdown(part.prompt)
            if part.answer_type == "code":
                suite = part.spec.suite_info
                st.caption(f"Suite `{suite.name}`: `{suite.signature}`")
                if part.response:
                    with st.expander("Reference solution"):
                        st.code(part.response, language="python")
            else:
                st.markdown("**Reference:** typed as `" + part.response + "`")
                if part.reference_latex:
                    st.latex(part.reference_latex)
            for number, hint in enumerate(part.hints, start=1):
                st.caption(f"Hint {number}: {hint}")
            for number, mistake in enumerate(part.mistakes, start=1):
                st.markdown(f"Mistake {number}: `{mistake.response}` → {mistake.feedback}")
            if part.solution:
                with st.expander("Part solution"):
                    st.markdown(part.solution)
    with st.expander("Worked solution"):
        st.markdown(instance.solution)


st.title("Authoring")
preview_tab, validate_tab, sandbox_tab = st.tabs(["Preview a problem", "Validate new YAML",
                                                  "Sandbox"])

with preview_tab:
    left, right = st.columns([3, 1])
    problem_id = left.selectbox("Problem", list(problems), key="author_problem",
                                format_func=lambda p: f"{problems[p].title} ({p})")
    seed = int(right.number_input("Seed", min_value=0, max_value=10**9, value=0, step=1,
                                  key="author_seed"))
    try:
        show_instance(instantiate(problems[problem_id], seed))
    except InstanceError as exc:
        st.error(f"Seed {seed} cannot be built: {exc}")

with validate_tab:
    st.caption("Paste a problem file or upload one. It is checked exactly as "
               "`python -m grader validate` checks it, and previewed, before it goes into "
               "`problems/`.")
    upload = st.file_uploader("Upload a .yaml file", type=["yaml", "yml"], key="author_upload")
    pasted = st.text_area("…or paste YAML", height=260, key="author_yaml")
    seeds = int(st.number_input("Seeds to check", 1, 50, 10, key="author_seeds"))
    text, name = None, "pasted.yaml"
    if upload is not None:
        try:
            # Only the file's own name: it is shown in messages, and code parts' reference
            # solutions resolve next to it, so no directories from the browser.
            text, name = upload.getvalue().decode("utf-8"), Path(upload.name).name or "upload.yaml"
        except UnicodeDecodeError:
            st.error("That file is not UTF-8 text.")
    elif pasted.strip():
        text = pasted
    if text is not None and st.button("Validate and preview", type="primary",
                                      key="author_validate"):
        directory = default_directory()
        loaded = load_file(directory / name, text=text, name=name)
        errors = validate_loaded(loaded, seeds)
        st.session_state["author_result"] = (name, text, loaded, errors)
    result = st.session_state.get("author_result")
    if result is not None:
        name, text, loaded, errors = result
        if errors:
            st.error(f"{len(errors)} error(s):")
            st.code("\n".join(str(e) for e in errors), language=None)
        elif loaded.problem is not None:
            problem = loaded.problem
            st.success(f"`{problem.id}` is valid at {seeds} seed(s).")
            target = default_directory() / f"{problem.id}.yaml"
            exists = target.exists()
            overwrite = st.checkbox(f"Replace the existing problems/{problem.id}.yaml",
                                    key="author_overwrite") if exists else True
            if st.button(f"Save as problems/{problem.id}.yaml", disabled=not overwrite,
                         key="author_save"):
                try:
                    target.write_text(text, encoding="utf-8")
                except OSError as exc:
                    st.error(f"Could not write {target}: {exc.strerror}")
                else:
                    st.success("Saved. Students see it on their next page load.")
            try:
                show_instance(instantiate(problem, 0))
            except InstanceError as exc:
                st.error(str(exc))

with sandbox_tab:
    st.caption("Which isolation layers protect the machine from student code on this host.")
    if st.button("Check the sandbox", key="sandbox_check"):
        try:
            st.code(common.sandbox_pool().capabilities().summary(), language=None)
        except Exception as exc:
            common.friendly_error("starting the sandbox", exc)

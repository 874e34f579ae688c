"""Instructor: per-problem analytics, wrong answers grouped by equivalence, regrading."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from grader import storage
from grader.insights import group_wrong_answers
from grader.regrading import changes_frame, regrade_problem
from pages.ui import common

common.require_instructor(common.current_account())
db = common.database()
problems = common.bank().problems

st.title("Analytics")
counts = {pid: len(storage.submissions_for_regrade(db, pid)) for pid in problems}
busiest = max(problems, key=lambda pid: counts[pid])   # open where the answers are
problem_id = st.selectbox("Problem", list(problems), index=list(problems).index(busiest),
                          format_func=lambda p: f"{problems[p].title} ({counts[p]} answers)",
                          key="analytics_problem")
problem = problems[problem_id]

try:
    stats = {a.part_id: a for a in storage.problem_analytics(db, problem_id)}
except Exception as exc:
    common.friendly_error("computing the analytics", exc)
    st.stop()

summary = pd.DataFrame([{
    "part": part.id, "students": stats[part.id].students if part.id in stats else 0,
    "solved": stats[part.id].solved if part.id in stats else 0,
    "solve rate": stats[part.id].solve_rate if part.id in stats else float("nan"),
    "attempts": stats[part.id].attempts if part.id in stats else 0,
    "median attempts to solve": (stats[part.id].median_attempts_until_solved
                                 if part.id in stats and stats[part.id].solved
                                 else float("nan"))}
    for part in problem.parts])
st.dataframe(summary, hide_index=True, width="stretch",
             column_config={"solve rate": st.column_config.ProgressColumn(
                 "solve rate", min_value=0.0, max_value=1.0, format="percent")})

if stats:
    histogram = pd.DataFrame([{"part": part_id, "bin": f"{10 * b}–{10 * (b + 1)}%",
                               "order": b, "students": count}
                              for part_id, a in stats.items()
                              for b, count in enumerate(a.score_histogram)])
    st.subheader("Best-score distribution")
    st.altair_chart(alt.Chart(histogram).mark_bar().encode(
        x=alt.X("bin:N", sort=alt.SortField("order"), title="best score"),
        y=alt.Y("students:Q"), color=alt.Color("part:N"), xOffset="part:N",
        tooltip=["part", "bin", "students"]), width="stretch")
    solved = pd.DataFrame([{"part": part_id, "attempts to solve": n}
                           for part_id, a in stats.items() for n in a.attempts_until_solved])
    if not solved.empty:
        st.subheader("Attempts until solved")
        st.altair_chart(alt.Chart(solved).mark_bar().encode(
            x=alt.X("attempts to solve:O"), y=alt.Y("count():Q", title="students"),
            color="part:N", xOffset="part:N"), width="stretch")
else:
    st.info("No graded student answers to this problem yet.")

st.subheader("Wrong answers, grouped by mathematical equivalence")
part_id = st.selectbox("Part", [p.id for p in problem.parts], key="analytics_part")
submissions = storage.submissions_for_regrade(db, problem_id, part_id=part_id)
try:
    groups = group_wrong_answers(problem, part_id, submissions)
except Exception as exc:
    common.friendly_error("grouping the wrong answers", exc)
    groups = []
if not groups:
    st.caption("No wrong answers to this part yet.")
KIND = {"mistake": "anticipated mistake", "math": "not anticipated", "unreadable": "unreadable",
        "code": "code", "text": "answer"}
wrong_total = sum(g.count for g in groups)
for rank, group in enumerate(groups[:25], start=1):
    share = group.count / wrong_total if wrong_total else 0
    title = (f"#{rank} · {group.count} answer(s) from {group.students} student(s) · "
             f"{share:.0%} of wrong answers · {KIND[group.kind]}"
             + (f" #{group.mistake + 1}" if group.mistake is not None else "")
             + (f" · variant {group.seed}" if group.seed is not None else ""))
    with st.expander(title, expanded=rank == 1):
        st.markdown("Typed as: " + ", ".join(f"`{text[:80]}`" for text in group.responses))
        if group.read_as:
            st.latex(group.read_as)
        st.markdown("**Feedback they got:**")
        st.markdown(group.feedback or "—")
        if group.snippet:
            st.markdown("**Turn it into an anticipated mistake** (paste under the part in "
                        f"`problems/{problem_id}.yaml`):")
            st.code(group.snippet, language="yaml")

st.subheader("Regrade")
st.caption("After editing this problem's YAML, grade every stored answer again. The original "
           "verdicts stay on record; you see exactly what changed.")
count = len(storage.submissions_for_regrade(db, problem_id))
if st.button(f"Regrade all {count} submission(s) of {problem_id}", disabled=count == 0,
             key="regrade"):
    with st.spinner("Regrading…"):
        try:
            report = regrade_problem(db, problem_id)
        except Exception as exc:
            common.friendly_error("regrading", exc)
        else:
            st.session_state["last_regrade"] = report
report = st.session_state.get("last_regrade")
if report is not None and report.changes is not None:
    st.success(f"Regraded {report.regraded} submission(s) ({report.label}): "
               f"{len(report.changes)} verdict(s) changed.")
    if report.failed:
        st.warning(f"{len(report.failed)} could not be graded: "
                   + "; ".join(f"#{i}: {why}" for i, why in report.failed[:5]))
    if report.changes:
        st.dataframe(changes_frame(report.changes), hide_index=True, width="stretch")

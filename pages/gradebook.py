"""Instructor: the gradebook (students × problems), submissions, CSV and Excel export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from grader import storage
from grader.practice import when
from grader.reports import to_csv_bytes, to_excel_bytes
from pages.ui import common

common.require_instructor(common.current_account())
db = common.database()
problems = common.bank().problems
parts = {pid: [part.id for part in problem.parts] for pid, problem in problems.items()}

st.title("Gradebook")
by = st.segmented_control("Columns", ["problem", "part"], default="problem",
                          format_func=lambda v: "one per problem" if v == "problem"
                          else "one per part", key="gradebook_by") or "problem"
try:
    book = storage.gradebook(db, parts=parts, by=by)
except Exception as exc:
    common.friendly_error("building the gradebook", exc)
    st.stop()

students = len(book.index)
st.caption(f"{students} student(s). Each cell is the best score (problems: the mean over "
           f"parts, an unattempted part counting 0); empty means never attempted.")
if students == 0:
    st.info("No student accounts yet. Students create accounts on the **Sign in** page.")
shown = book.copy()
if isinstance(shown.columns, pd.MultiIndex):
    shown.columns = [f"{p} / {q}" for p, q in shown.columns]
st.dataframe(shown, width="stretch",
             column_config={column: st.column_config.ProgressColumn(
                 column, min_value=0.0, max_value=1.0, format="percent")
                 for column in shown.columns})

st.subheader("Submissions")
ALL = "(all problems)"


def _short(response: str, width: int = 90) -> str:
    flat = " ".join(response.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


problem_id = st.selectbox("Problem", [ALL, *problems], key="gradebook_problem",
                          format_func=lambda p: p if p == ALL else problems[p].title)
names = common.usernames()
stored = [s for pid in (problems if problem_id == ALL else [problem_id])
          for s in storage.submissions_for_regrade(db, pid)]
stored.sort(key=lambda s: s.id)
rows = [{"id": s.id, "student": names.get(s.account_id, s.account_id), "problem": s.problem_id,
         "part": s.part_id, "variant": s.seed, "answer": _short(s.response), "status": s.status,
         "score": s.score, "correct": s.correct, "submitted": when(s.submitted_at)}
        for s in stored]
submissions = pd.DataFrame(rows, columns=["id", "student", "problem", "part", "variant", "answer", "status",
                                          "score", "correct", "submitted"])
if submissions.empty:
    st.caption("No submissions to this problem yet.")
else:
    latest = submissions.iloc[::-1].head(50).assign(
        score=lambda f: f["score"].map(lambda v: "" if pd.isna(v) else f"{v:.0%}"))
    st.caption(f"The latest {len(latest)} of {len(submissions)} (all of them are in the Excel "
               f"export).")
    st.table(latest.set_index("id"))

st.subheader("Export")
left, right = st.columns(2)
left.download_button("Gradebook (CSV)", to_csv_bytes(book), file_name="gradebook.csv",
                     mime="text/csv", width="stretch", key="export_csv",
                     icon=":material/download:")
by_part = storage.gradebook(db, parts=parts, by="part") if by == "problem" else book
right.download_button(
    "Gradebook (Excel)",
    to_excel_bytes({"by problem": storage.gradebook(db, parts=parts, by="problem"),
                    "by part": by_part, "submissions": submissions.set_index("id")}),
    file_name="gradebook.xlsx", width="stretch", key="export_xlsx", icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

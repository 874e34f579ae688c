"""The problem list: by topic, with difficulty and the student's status and score."""

from __future__ import annotations

import streamlit as st

from grader.practice import problem_rows
from pages.ui import common

common.in_frame()

account = common.current_account()
bank = common.bank()
problems = list(bank.problems.values())

st.title("Problems")
st.caption("Exercises on the mathematics of deep learning. Every answer is read back to you "
           "(as LaTeX) before you submit, and checked for mathematical equivalence.")

try:
    rows = problem_rows(problems, common.attempt_records(account))
except Exception as exc:
    common.friendly_error("loading your progress", exc)
    st.stop()

search_col, topic_col, status_col, level_col = st.columns([2.2, 2, 1.4, 1.4])
search = search_col.text_input("Search", placeholder="title, concept or id", key="list_search",
                               live="250ms")
topics = sorted(rows["topic"].unique()) if len(rows) else []
chosen_topics = topic_col.multiselect("Topics", topics, format_func=common.topic_label,
                                      key="list_topics")
statuses = status_col.multiselect("Status", ["not started", "in progress", "solved"],
                                  key="list_status")
levels = level_col.slider("Difficulty", 1, 5, (1, 5), key="list_levels")

shown = rows
if search.strip():
    needle = search.strip().lower()
    shown = shown[shown.apply(lambda r: needle in f"{r['id']} {r['title']} {r['concepts']}".lower(),
                              axis=1)]
if chosen_topics:
    shown = shown[shown["topic"].isin(chosen_topics)]
if statuses:
    shown = shown[shown["status"].isin(statuses)]
shown = shown[(shown["difficulty"] >= levels[0]) & (shown["difficulty"] <= levels[1])]

solved = int((rows["status"] == "solved").sum())
st.progress(solved / len(rows) if len(rows) else 0.0,
            text=f"{solved} of {len(rows)} problems solved")

if shown.empty:
    st.info("No problem matches these filters.")

BADGES = {"solved": ":green-badge[:material/check: solved]", "in progress": ":orange-badge[in progress]",
          "not started": ":gray-badge[not started]"}
for topic, group in shown.groupby("topic", sort=True):
    st.subheader(common.topic_label(str(topic)))
    for row in group.sort_values(["difficulty", "title"]).itertuples(index=False):
        with st.container(border=True):
            title_col, level_col2, status_col2, score_col = st.columns([5, 1.3, 1.4, 1.6],
                                                                       vertical_alignment="center")
            title_col.page_link("pages/practice.py", label=f"**{row.title}**",
                                query_params={"problem": row.id})
            title_col.caption(f"`{row.id}` · {row.concepts} · {row.parts} parts")
            level_col2.markdown(common.difficulty_stars(int(row.difficulty)),
                                help=f"difficulty {row.difficulty} of 5")
            status_col2.markdown(BADGES[row.status])
            score_col.progress(float(row.score), text=f"{row.score:.0%}")

broken = bank.errors
if broken and account is not None and account.is_instructor:
    with st.expander(f":material/warning: {len(broken)} problem file(s) could not be loaded"):
        for path, errors in broken.items():
            st.code("\n".join(str(e) for e in errors), language=None)

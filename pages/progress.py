"""Progress: mastery per topic and concept, attempts over time, and one's own data."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st

from grader import storage
from grader.practice import mastery_frame, problem_rows
from pages.ui import common

common.in_frame()

account = common.current_account()
problems = list(common.bank().problems.values())

st.title("Progress")
try:
    frame = common.attempt_records(account)
except Exception as exc:
    common.friendly_error("loading your progress", exc)
    st.stop()

rows = problem_rows(problems, frame)
graded = frame[frame["graded"]]
c1, c2, c3, c4 = st.columns(4)
c1.metric("Problems solved", f"{int((rows['status'] == 'solved').sum())} / {len(rows)}")
c2.metric("Parts solved", int(frame[frame["correct"] == True]
                              .drop_duplicates(["problem_id", "part_id"]).shape[0]))  # noqa: E712
c3.metric("Attempts", len(frame))
c4.metric("Average score", f"{graded['score'].mean():.0%}" if len(graded) else "—")

if frame.empty:
    st.info("No attempts yet. Pick a problem on the **Problems** page; your mastery shows here "
            "as you go.")

by_topic = mastery_frame(problems, frame, by="topic")
by_concept = mastery_frame(problems, frame, by="concept")

st.subheader("Mastery by topic")
st.caption("The share of each topic's points you have earned (best score on every part).")
topic_chart = alt.Chart(by_topic.assign(topic=by_topic["topic"].map(common.topic_label))).mark_bar(
    cornerRadiusEnd=4).encode(
    x=alt.X("mastery:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"),
            title="mastery"),
    y=alt.Y("topic:N", sort="-x", title=None),
    color=alt.Color("mastery:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), legend=None),
    tooltip=["topic", alt.Tooltip("mastery:Q", format=".0%"), "points_earned", "points_possible",
             "attempts"],
).properties(height=alt.Step(28))
st.altair_chart(topic_chart, width="stretch")

st.subheader("Mastery by concept")
concept_chart = alt.Chart(by_concept).mark_bar(cornerRadiusEnd=3).encode(
    x=alt.X("mastery:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"),
            title="mastery"),
    y=alt.Y("concept:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
    color=alt.Color("mastery:Q", scale=alt.Scale(scheme="greens", domain=[0, 1]), legend=None),
    tooltip=["concept", alt.Tooltip("mastery:Q", format=".0%"), "problems", "attempts"],
).properties(height=alt.Step(22))
st.altair_chart(concept_chart, width="stretch")

if not frame.empty:
    st.subheader("Attempts over time")
    daily = frame.assign(day=frame["submitted_at"].dt.floor("D"),
                         result=frame["correct"].map({True: "correct"}).fillna("not correct"))
    counts = daily.groupby(["day", "result"]).size().reset_index(name="attempts")
    st.altair_chart(alt.Chart(counts).mark_bar().encode(
        x=alt.X("day:T", title=None), y=alt.Y("attempts:Q", title="attempts"),
        color=alt.Color("result:N", scale=alt.Scale(domain=["correct", "not correct"],
                                                    range=["#2f9e44", "#adb5bd"])),
        tooltip=["day:T", "result", "attempts"]), width="stretch")

    st.subheader("Scores, attempt by attempt")
    scored = graded.reset_index(drop=True).assign(attempt=lambda f: f.index + 1)
    st.altair_chart(alt.Chart(scored).mark_circle(size=60).encode(
        x=alt.X("attempt:Q"), y=alt.Y("score:Q", axis=alt.Axis(format="%")),
        color=alt.Color("problem_id:N", title="problem"),
        tooltip=["problem_id", "part_id", "seed", alt.Tooltip("score:Q", format=".0%"),
                 "submitted_at:T"]), width="stretch")

st.subheader("Your data")
attempts_csv = frame.to_csv(index=False).encode("utf-8")
left, right = st.columns(2)
left.download_button("Attempts (CSV)", attempts_csv, file_name="my-attempts.csv",
                     mime="text/csv", width="stretch", icon=":material/download:")
if account is not None:
    try:
        data = storage.export_account_data(common.database(), account.id)
        right.download_button("Everything (JSON)", json.dumps(data, indent=2).encode("utf-8"),
                              file_name=f"{account.username}-data.json",
                              mime="application/json", width="stretch", icon=":material/download:")
    except Exception as exc:
        common.friendly_error("preparing your data", exc)
else:
    guest = [{**s, "submitted_at": pd.Timestamp(s["submitted_at"]).isoformat()}
             for s in common.guest_submissions()]
    right.download_button("Everything (JSON)", json.dumps(guest, indent=2).encode("utf-8"),
                          file_name="guest-data.json", mime="application/json",
                          width="stretch", icon=":material/download:")

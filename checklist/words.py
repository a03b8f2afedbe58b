"""The words the checklist page shows around an assessment, so the page only places them.

The page draws the result as tables, lists and a print summary; each count, total, line and empty state it
shows is built here from the assessment (:func:`checklist.assess.assess`), in CPython and in Pyodide alike.
The page holds no risk id, default, rule or result sentence of its own.
"""

from __future__ import annotations

from typing import TypedDict

from checklist.result import GroupCounts, QuestionRisk, Recommendation, Result
from checklist.scales import effort_value

NO_ACCEPTED_RISKS = "None: no recommendation is marked risk accepted."
UNNAMED_WORKLOAD = "Unnamed workload"
FIRST_ACTIONS = "First actions"


class FirstUnanswered(TypedDict):
    id: str
    title: str


class Part(TypedDict):
    """One risk's share of a group: its count, and the width of its part of the group's bar."""

    risk: str
    label: str
    count: int
    percent: float  # of the group's questions (0 in a group with none)
    title: str  # "High risk: 3"
    question: FirstUnanswered | None  # where the count links: the group's first unanswered question


class GroupLine(TypedDict):
    """A pillar or focus area as the page shows it: the table row, its bar and its answered count."""

    id: str
    name: str
    parts: list[Part]  # every risk, in the labels' order (the table's columns)
    answered: int
    total: int
    short: str  # "3/5", beside the pillar in the table of contents
    text: str  # "3 of 5 answered", what a screen reader hears there
    first_unanswered: FirstUnanswered | None  # the group's first unanswered question, in KB order


class PlanLine(TypedDict):
    rank: int
    meta: str  # "Security · impact high · effort not rated"
    decision: str  # "Planned · Ana · 2026-01-31": the decision's facts that are set


class PrintAction(TypedDict):
    rank: int
    title: str
    text: str  # " (Security) · Planned · Ana": what follows the title


class PrintRow(TypedDict):
    name: str
    counts: list[int]  # in the columns' order


class PrintSummary(TypedDict):
    """The printed review record's first page: the workload, the counts and the first actions."""

    heading: str
    line: str
    columns: list[str]  # the risk labels, after the "Pillar" column
    rows: list[PrintRow]  # one per pillar
    actions_heading: str
    actions: list[PrintAction]  # the same practices, in the same order, as "Start here"


class PageWords(TypedDict):
    unanswered: list[str]  # the questions still unanswered, in KB order ("Next unanswered" visits them)
    groups: dict[str, list[GroupLine]]  # "pillars" and "focus_areas" (empty where the KB has none)
    plan: list[PlanLine]  # one per recommendation, in rank order
    accepted_note: str  # where the accepted risks would be, when there are none ("" otherwise)
    print_summary: PrintSummary


def _group(group: GroupCounts, labels: dict[str, str], key: str, questions: list[QuestionRisk]) -> GroupLine:
    counts = {risk: int(group[risk]) for risk in labels}  # type: ignore[literal-required]
    # As the progress line counts: a question the scope left out is neither to answer nor answered.
    left_out = len([q for q in questions if q["reason"] and q[key] == group["id"]])  # type: ignore[literal-required]
    every = sum(counts.values())
    total = every - left_out
    answered = total - counts.get("unanswered", 0)
    first = next(
        (q for q in questions if q["risk"] == "unanswered" and q[key] == group["id"]),  # type: ignore[literal-required]
        None,
    )
    link: FirstUnanswered | None = {"id": first["id"], "title": first["title"]} if first else None
    return {
        "id": group["id"],
        "name": group["name"],
        "parts": [
            {
                "risk": risk,
                "label": label,
                "count": counts[risk],
                "percent": 100 * counts[risk] / every if every else 0.0,
                "title": f"{label}: {counts[risk]}",
                "question": link if risk == "unanswered" and counts[risk] else None,
            }
            for risk, label in labels.items()
        ],
        "answered": answered,
        "total": total,
        "short": f"{answered}/{total}",
        "text": f"{answered} of {total} answered",
        "first_unanswered": link,
    }


def plan_line(item: Recommendation) -> PlanLine:
    decision = item["decision"]
    facts = [decision.get("label", ""), decision.get("owner", ""), decision.get("due", "")]
    return {
        "rank": item["rank"],
        "meta": f"{item['pillar_name']} · impact {item['impact']} · effort {effort_value(item['effort'])}",
        "decision": " · ".join(fact for fact in facts if fact),
    }


def print_summary(result: Result) -> PrintSummary:
    """The print's first page. Its first actions are "Start here": what the team decided not to do is left
    out of both, so the review meeting reads the list the screen shows."""
    labels = result["risk_labels"]
    by_rank = {item["rank"]: item for item in result["recommendations"]}
    actions: list[PrintAction] = []
    for start in result["start_here"]:
        decision = by_rank[start["rank"]]["decision"]
        owner = decision.get("owner", "")
        actions.append(
            {
                "rank": start["rank"],
                "title": start["title"],
                "text": f" ({start['pillar_name']}) · {decision.get('label', '')}"
                + (f" · {owner}" if owner else ""),
            }
        )
    name = str(result["workload"].get("name") or "")
    line = [result["date"], result["summary"]["text"], result["progress"]["text"]]
    return {
        "heading": f"Executive summary: {name or UNNAMED_WORKLOAD}",
        "line": " · ".join(part for part in line if part),
        "columns": list(labels.values()),
        "rows": [
            {"name": pillar["name"], "counts": [int(pillar[risk]) for risk in labels]}  # type: ignore[literal-required]
            for pillar in result["pillars"]
        ],
        "actions_heading": FIRST_ACTIONS,
        "actions": actions,
    }


def workload_named(name: str) -> str:
    """A workload as a sentence names it: “Churn model”, or an unnamed workload."""
    return f"“{name.strip()}”" if name.strip() else "an unnamed workload"


def replace_question(mine: str, theirs: str, source: str) -> str:
    """What the page asks before answers from a file or a link (``source``) replace the current ones."""
    return f"Replace your answers for {workload_named(mine)} with those for {workload_named(theirs)} from {source}?"


def page_words(result: Result) -> PageWords:
    """Everything the page writes about ``result`` that the result does not already say in words."""
    labels = result["risk_labels"]
    questions = result["questions"]
    return {
        "unanswered": [q["id"] for q in questions if q["risk"] == "unanswered"],
        "groups": {
            "pillars": [_group(g, labels, "pillar", questions) for g in result["pillars"]],
            "focus_areas": [_group(g, labels, "focus", questions) for g in result["focus_areas"]],
        },
        "plan": [plan_line(item) for item in result["recommendations"]],
        "accepted_note": "" if result["accepted"] else NO_ACCEPTED_RISKS,
        "print_summary": print_summary(result),
    }

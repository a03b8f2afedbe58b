"""The words the checklist page shows around an assessment, so the page only places them.

The page draws the result as tables, lists and a print summary; each count, total, line and empty state it
shows is built here from the assessment (:func:`checklist.assess.assess`), in CPython and in Pyodide alike.
The page holds no risk id, default, rule or result sentence of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from checklist.result import GroupCounts, Practice, QuestionRisk, Recommendation, Result
from checklist.scales import effort_value

NO_ACCEPTED_RISKS = "None: no recommendation is marked risk accepted."
UNNAMED_WORKLOAD = "Unnamed workload"
START_HERE = "Start here"  # the list of first actions, on screen and in print (one name for one list)
ANSWERS = "Answers"
WORKLOAD = "Workload"
SCOPE = "About this workload"


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


class Field(TypedDict):
    label: str
    value: str


class PrintQuestion(TypedDict):
    title: str
    risk: str  # its risk label: "High risk", "Not applicable", ...
    facts: list[str]  # "In place: ...", "Missing: ...", why it is not applicable, the team's notes


class PrintPillar(TypedDict):
    name: str
    questions: list[PrintQuestion]


class PrintSummary(TypedDict):
    """The printed review record around the plan: first the workload, its scope, the counts and "Start
    here"; after the plan, every answer (the print shows them only; the screen has the form)."""

    heading: str
    line: str
    lenses: str  # which lenses the review covers ("This review covers the …")
    workload_heading: str
    workload: list[Field]  # the workload's facts that are filled in
    scope_heading: str
    scope: list[Field]  # each scope question and the option chosen, then what the scope leaves out
    columns: list[str]  # the risk labels, after the "Pillar" column
    rows: list[PrintRow]  # one per pillar
    actions_heading: str
    actions: list[PrintAction]  # the same practices, in the same order, as "Start here"
    answers_heading: str
    answers: list[PrintPillar]  # every question in scope, by pillar, as answered


class AreaTable(TypedDict):
    """A lens organised by its own areas (the Responsible AI Lens), area by area: a table of its own."""

    heading: str  # "Responsible AI Lens area": the table's first column
    groups: list[GroupLine]


class PageWords(TypedDict):
    unanswered: list[str]  # the questions still unanswered, in KB order ("Next unanswered" visits them)
    groups: dict[str, list[GroupLine]]  # "pillars", "focus_areas" (empty where the KB has none), "lenses"
    several_lenses: bool  # the review covers more than one lens: the page shows the lens table
    lens_progress: str  # "ML Lens: 3 of 5 answered · GenAI Lens: 0 of 4 answered" ("" for one lens)
    lens_texts: dict[str, str]  # each lens's part of lens_progress, by lens id: the bar shows one lens's
    lens_pillars: dict[str, list[GroupLine]]  # each lens's pillars, by lens id: the contents, one lens shown
    area_tables: list[AreaTable]  # each lens in scope that has areas, by area ([] for one lens)
    plan: list[PlanLine]  # one per recommendation, in rank order
    accepted_note: str  # where the accepted risks would be, when there are none ("" otherwise)
    template_mark: str  # beside each answer from the applied template ("" when no answer is)
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


def plan_line(item: Recommendation, several_lenses: bool = False) -> PlanLine:
    """A plan item's facts; in a review of several lenses they start with the item's lens."""
    decision = item["decision"]
    facts = [decision.get("label", ""), decision.get("owner", ""), decision.get("due", "")]
    lens = f"{item['lens_name']} · " if several_lenses else ""
    return {
        "rank": item["rank"],
        "meta": f"{lens}{item['pillar_name']} · impact {item['impact']} · effort {effort_value(item['effort'])}",
        "decision": " · ".join(fact for fact in facts if fact),
    }


def workload_fields(result: Result) -> list[Field]:
    """The workload's facts in the order the review record lists them (empty ones included: the Markdown
    report shows a dash, the print leaves them out)."""
    workload: dict[str, Any] = result["workload"]
    names = {p["id"]: p["name"] for p in result["pillars"]}
    fields = [
        ("Name", str(workload["name"])),
        ("Description", str(workload["description"])),
        ("Industry", str(workload["industry"])),
        ("Regions", ", ".join(workload["regions"])),
        ("Owner", str(workload["owner"])),
        ("Scope", result["scope"]["text"]),
        ("Stakeholders", ", ".join(workload["stakeholders"])),
        ("Environment", str(workload["environment"])),
        ("Pillar priorities", ", ".join(names.get(p, p) for p in workload["pillar_priorities"])),
    ]
    return [{"label": label, "value": value} for label, value in fields]


def template_mark(label: str) -> str:
    """What stands beside an answer the applied review template gave: "from template Landing zone 2"."""
    return f"from template {label}"


def question_facts(question: QuestionRisk, escape: Callable[[str], str] = str) -> list[str]:
    """One question as the review recorded it, after its risk: the practices in place and missing, why
    it is not applicable, and the team's notes. The Markdown report (``escape`` = its escaping) and the
    print word it alike."""

    def titles(practices: list[Practice]) -> str:
        return "; ".join(escape(p["title"]) for p in practices) or "none"

    facts: list[str] = []
    if "from_template" in question:
        mark = template_mark(escape(question["from_template"]))
        facts.append(mark[0].upper() + mark[1:])
    assessed = question["risk"] not in ("not_applicable", "unanswered")
    if assessed or question["in_place"]:
        facts.append(f"In place: {titles(question['in_place'])}")
    if assessed:
        facts.append(f"Missing: {titles(question['missing'])}")
    if question["reason"]:
        facts.append(f"Not applicable ({escape(question['reason'])})")
    elif question["risk"] == "not_applicable":
        why = question.get("not_applicable_reason")  # only where the team gave another than the default
        facts.append("Marked not applicable by the team" + (f" ({why})" if why else ""))
    if "set_aside" in question:
        marked = "; ".join(f"{escape(p['title'])} ({p['label']})" for p in question["set_aside"])
        facts.append(f"Practices marked not applicable: {marked}")
    if question["notes"].strip():
        facts.append(f"Notes: {escape(question['notes'])}")
    return facts


def _print_answers(result: Result) -> list[PrintPillar]:
    labels = result["risk_labels"]
    pillars: list[PrintPillar] = []
    for pillar in result["pillars"]:
        questions: list[PrintQuestion] = [
            {
                "title": q["title"],
                "risk": labels[q["risk"]],
                "facts": question_facts(q),
            }
            for q in result["questions"]
            if q["pillar"] == pillar["id"] and not q["reason"]  # the scope's left-out ones are counted above
        ]
        if questions:
            pillars.append({"name": pillar["name"], "questions": questions})
    return pillars


def print_summary(result: Result) -> PrintSummary:
    """The print's words around the plan. Its first actions are "Start here": what the team decided not to
    do is left out of both, so the review meeting reads the list the screen shows."""
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
    scope: list[Field] = [{"label": c["title"], "value": c["label"]} for c in result["scope"]["chosen"]]
    name = str(result["workload"].get("name") or "")
    line = [result["date"], result["summary"]["text"], result["progress"]["text"]]
    return {
        "heading": f"Executive summary: {name or UNNAMED_WORKLOAD}",
        "line": " · ".join(part for part in line if part),
        "lenses": result["lenses_text"],
        "workload_heading": WORKLOAD,
        "workload": [
            f for f in workload_fields(result) if f["value"].strip() and f["label"] not in ("Name", "Scope")
        ],
        "scope_heading": SCOPE,
        "scope": [*scope, {"label": "Left out", "value": result["scope"]["text"]}],
        "columns": list(labels.values()),
        "rows": [
            {"name": pillar["name"], "counts": [int(pillar[risk]) for risk in labels]}  # type: ignore[literal-required]
            for pillar in result["pillars"]
        ],
        "actions_heading": START_HERE,
        "actions": actions,
        "answers_heading": ANSWERS,
        "answers": _print_answers(result),
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
    several = len(result["lenses"]) > 1
    lens_lines = [_group(g, labels, "lens", questions) for g in result["lenses"]]
    lens_texts = {
        lens["id"]: f"{lens['short']} Lens: {line['text']}"
        for lens, line in zip(result["lenses"], lens_lines, strict=True)
    }
    of_lens = {lens["id"]: [q for q in questions if q["lens"] == lens["id"]] for lens in result["lenses"]}
    return {
        "unanswered": [q["id"] for q in questions if q["risk"] == "unanswered"],
        "groups": {
            "pillars": [_group(g, labels, "pillar", questions) for g in result["pillars"]],
            "focus_areas": [_group(g, labels, "focus", questions) for g in result["focus_areas"]],
            "lenses": lens_lines,
        },
        "several_lenses": several,
        "lens_progress": " · ".join(lens_texts.values()) if several else "",
        "lens_texts": lens_texts,
        "lens_pillars": {
            lens["id"]: [_group(g, labels, "pillar", of_lens[lens["id"]]) for g in lens["pillars"]]
            for lens in result["lenses"]
        },
        "area_tables": [
            {
                "heading": f"{lens['name']} area",
                "groups": [_group(g, labels, "area", of_lens[lens["id"]]) for g in lens["areas"]],
            }
            for lens in result["lenses"]
            if lens["areas"] and several
        ],
        "plan": [plan_line(item, several) for item in result["recommendations"]],
        "accepted_note": "" if result["accepted"] else NO_ACCEPTED_RISKS,
        "template_mark": next(
            (template_mark(q["from_template"]) for q in questions if "from_template" in q), ""
        ),
        "print_summary": print_summary(result),
    }

"""A platform team's view of many workloads: their risks side by side, the gaps they share, their decisions.

From several state files (each read as an import is, strictly and size-bounded) this computes, with
:func:`checklist.assess.assess` per workload so a workload's figures are the checklist's own:

- a risk table of workloads x pillars, and x lenses where the KB has several (the scope decides which
  lenses a workload sees), each cell the assessment's counts and a level for the heat map;
- the practices missing in the most workloads, ranked by how many miss it, then the plan's own order;
- the decisions across workloads: open, overdue (due date passed), accepted risks due for review.

A file the checklist cannot read is left out and named with its problems; the rest is still computed (a
team with fifty workloads should not lose its view to one hand-edited file). Every sentence the page and
the reports show is worded here; no clock is read (``today`` is given).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from checklist.assess import assess, practice_order
from checklist.decisions import ACTIVE
from checklist.errors import InputError
from checklist.knowledge import KnowledgeBase
from checklist.result import Counts, Result
from checklist.scales import RISK_LABELS
from checklist.state import STATE_FILE, State, check_size, parse_state_text
from checklist.text import fold, plural

MAX_WORKLOADS = 500  # state files in one portfolio: each is assessed, and the page waits for them all
SHOWN_PRACTICES = 25  # the ranked practices the page and the Markdown and HTML reports list
ALL_WORKLOADS = "All workloads"
TOTAL = "All questions"
# A cell's level, the worst outcome among its questions first: what its colour says, and its first word.
LEVELS = {
    "high": ("High risk", "a question at high risk"),
    "medium": ("Medium risk", "no high risk; a question at medium risk"),
    "unanswered": ("Not fully answered", "no risk found yet; questions still unanswered"),
    "none": ("No risk", "every question in scope answered, none at risk"),
    "not_applicable": ("Not applicable", "no question applies"),
    "not_in_scope": ("Not in scope", "the workload's scope leaves the lens out"),
}
_WORST_FIRST = ("high", "medium", "unanswered", "none", "not_applicable")
# The counts as a cell's text names them ("2 high · 1 medium · 4 no risk").
COUNT_WORDS = {
    "high": "high",
    "medium": "medium",
    "none": "no risk",
    "not_applicable": "not applicable",
    "unanswered": "unanswered",
}


@dataclass(frozen=True)
class StateFile:
    """One file the user gave: its name (as the user knows it), its text and, from the page, its size in
    bytes (checked before the text; -1 when unknown, as from the command line, which reads the text)."""

    name: str
    text: str
    size: int = -1
    problem: str = ""  # why it could not even be read (the command line's: not UTF-8, no such file)


class Cell(TypedDict):
    id: str  # the pillar's or lens's id ("" for the total)
    level: str  # a key of LEVELS
    label: str  # the level's words: "High risk"
    counts: Counts
    text: str  # "2 high · 1 medium · 4 no risk"
    title: str  # "Churn model, Security: High risk (2 high · 1 medium · 4 no risk)"


class Row(TypedDict):
    workload: str  # the workload as the portfolio names it (told apart from the others)
    file: str
    cells: list[Cell]
    total: Cell


class Column(TypedDict):
    id: str
    name: str


class Table(TypedDict):
    heading: str
    caption: str
    corner: str  # the first column's heading
    total: str  # the last column's heading
    columns: list[Column]
    rows: list[Row]
    totals: Row  # every workload's counts added up


class Level(TypedDict):
    id: str
    label: str
    meaning: str  # "a question at high risk"
    text: str  # "High risk: a question at high risk"


class Workload(TypedDict):
    name: str
    file: str
    owner: str
    environment: str
    progress: str  # "12 of 18 questions answered"
    plan: int  # recommendations in its plan
    warnings: list[str]  # what reading its file noted (moved answers, dropped decisions)


class LeftOut(TypedDict):
    file: str
    problems: list[str]


class MissingPractice(TypedDict):
    rank: int
    choice: str
    title: str
    pillar: str
    pillar_name: str
    lens: str
    lens_name: str
    question: str
    question_title: str
    impact: str
    effort: str
    count: int  # workloads missing it (its accepted risks included)
    accepted: int  # of those, workloads that accepted the risk
    workloads: list[str]
    text: str  # "Missing in 4 of 5 workloads (risk accepted in 1)"


class Practices(TypedDict):
    heading: str
    text: str  # how they are ranked, and how many are shown of how many
    columns: list[str]
    shown: int  # how many the page and the reports list (the JSON and CSV hold every one)
    items: list[MissingPractice]
    empty: str  # what to say when no workload misses a practice ("" otherwise)


class DecisionItem(TypedDict):
    workload: str
    choice: str
    title: str
    pillar_name: str
    lens_name: str
    status: str  # the status's label ("Planned"); "Risk accepted" for a review
    owner: str
    date: str  # the due date, or for an accepted risk its review date
    ticket: str
    reason: str  # why the risk is accepted ("" for open work)
    text: str  # "Churn model: Planned · Ana · due 2026-01-31"


class DecisionList(TypedDict):
    id: str  # "overdue", "open", "review"
    heading: str  # "Overdue decisions (2)"
    columns: list[str]
    items: list[DecisionItem]
    empty: str  # what to say when the list is empty ("" otherwise)


class Portfolio(TypedDict):
    site: dict[str, str]
    title: str
    date: str
    dated: str  # "Assessed on 2026-06-01." ("" without a date)
    summary: str  # "5 workloads · 12 questions at high risk · …"
    workloads: list[Workload]
    left_out: list[LeftOut]
    left_out_heading: str
    left_out_text: str
    levels: list[Level]  # the heat map's legend
    legend: str
    pillars: Table
    lenses: Table | None  # a KB of one lens has no lens table
    practices: Practices
    decisions_heading: str
    decisions: list[DecisionList]
    warnings_heading: str
    risk_labels: dict[str, str]


def _zero() -> Counts:
    return {"high": 0, "medium": 0, "none": 0, "not_applicable": 0, "unanswered": 0}


def _add(into: Counts, counts: Counts) -> None:
    for risk in COUNT_WORDS:
        into[risk] += counts[risk]  # type: ignore[literal-required]


def level(counts: Counts) -> str:
    """The worst outcome among a cell's questions (see LEVELS); a cell with none is not applicable."""
    return next((risk for risk in _WORST_FIRST if counts[risk]), "not_applicable")  # type: ignore[literal-required]


def counts_text(counts: Counts) -> str:
    """ "2 high · 1 medium · 4 no risk": every count that is not zero, in the risks' order."""
    parts = [f"{counts[risk]} {words}" for risk, words in COUNT_WORDS.items() if counts[risk]]  # type: ignore[literal-required]
    return " · ".join(parts) or "no questions"


def cell(ident: str, counts: Counts, workload: str, group: str, in_scope: bool = True) -> Cell:
    """One cell of the heat map: its counts, its level and the words that read without colour."""
    found = level(counts) if in_scope else "not_in_scope"
    label = LEVELS[found][0]
    text = counts_text(counts) if in_scope else "left out by the workload's scope"
    return {
        "id": ident,
        "level": found,
        "label": label,
        "counts": counts,
        "text": text,
        "title": f"{workload}, {group}: {label} ({text})",
    }


def _only_counts(group: Counts) -> Counts:
    return {risk: int(group[risk]) for risk in COUNT_WORDS}  # type: ignore[return-value, literal-required]


def names(files: Sequence[str], workloads: Sequence[str]) -> list[str]:
    """What the portfolio calls each workload: its name, else its file's name without ``.json``; a name
    given more than once is followed by its file's name, and where even that repeats, by a number."""
    base = [
        fold(name) or (file.rsplit("/", 1)[-1].removesuffix(".json") or file)
        for file, name in zip(files, workloads, strict=True)
    ]
    given = Counter(base)
    told = [
        f"{name} ({file.rsplit('/', 1)[-1]})" if given[name] > 1 else name
        for name, file in zip(base, files, strict=True)
    ]
    still = Counter(told)
    seen: Counter[str] = Counter()
    found = []
    for name in told:
        seen[name] += 1
        found.append(name if still[name] == 1 else f"{name} {seen[name]}")
    return found


def read(kb: KnowledgeBase, files: Sequence[StateFile]) -> tuple[list[tuple[str, State]], list[LeftOut]]:
    """Each file's state, or the file left out with its problems (the others are still read)."""
    if not files:
        raise InputError(["a portfolio needs at least one state file"])
    if len(files) > MAX_WORKLOADS:
        raise InputError([f"{len(files):,} state files: a portfolio may hold at most {MAX_WORKLOADS:,}"])
    read_ok: list[tuple[str, State]] = []
    left_out: list[LeftOut] = []
    for file in files:
        if file.problem:
            left_out.append({"file": file.name, "problems": [file.problem]})
            continue
        try:
            if file.size >= 0:
                check_size(file.size)
            read_ok.append((file.name, parse_state_text(file.text, kb)))
        except InputError as error:
            left_out.append({"file": file.name, "problems": list(error.problems)})
    return read_ok, left_out


def _table(heading: str, caption: str, columns: list[Column], rows: list[Row], totals: Row) -> Table:
    return {
        "heading": heading,
        "caption": caption,
        "corner": "Workload",
        "total": TOTAL,
        "columns": columns,
        "rows": rows,
        "totals": totals,
    }


def _lens_counts(result: Result, lens_ids: list[str]) -> dict[str, Counts]:
    counts = {ident: _zero() for ident in lens_ids}
    for question in result["questions"]:
        counts[question["lens"]][question["risk"]] += 1  # type: ignore[literal-required]
    return counts


def _missing(
    kb: KnowledgeBase, results: list[tuple[str, Result]], order: dict[str, int]
) -> list[MissingPractice]:
    """Every practice missing in at least one workload, the most widely missing first."""
    found: dict[str, MissingPractice] = {}
    total = len(results)
    assert kb.checklist is not None
    practices = {c.id: (q, c) for q in kb.checklist.questions for c in q.choices}
    for name, result in results:
        accepted = {risk["choice"] for risk in result["accepted"]}
        for item in [*result["recommendations"], *result["accepted"]]:  # disjoint: the plan has no accepted
            choice = item["choice"]
            entry = found.get(choice)
            if entry is None:
                question, option = practices[choice]
                lens = kb.question_lens(question)
                entry = found[choice] = {
                    "rank": 0,
                    "choice": choice,
                    "title": option.title,
                    "pillar": question.pillar,
                    "pillar_name": item["pillar_name"],
                    "lens": lens.id,
                    "lens_name": lens.name,
                    "question": question.id,
                    "question_title": question.title,
                    "impact": option.impact,
                    "effort": option.effort,
                    "count": 0,
                    "accepted": 0,
                    "workloads": [],
                    "text": "",
                }
            entry["count"] += 1
            entry["accepted"] += choice in accepted
            entry["workloads"].append(name)
    ranked = sorted(found.values(), key=lambda entry: (-entry["count"], order[entry["choice"]]))
    for rank, entry in enumerate(ranked, start=1):
        entry["rank"] = rank
        accepted_text = f" (risk accepted in {entry['accepted']})" if entry["accepted"] else ""
        entry["text"] = f"Missing in {entry['count']} of {plural(total, 'workload')}{accepted_text}"
    return ranked


def _practices(items: list[MissingPractice], workloads: int) -> Practices:
    shown = min(SHOWN_PRACTICES, len(items))
    if not items:
        text = ""
    elif shown < len(items):
        text = (
            f"The {shown} practices missing in the most workloads, of {len(items)} missing in at least one "
            "(the JSON download lists them all)."
        )
    else:
        text = f"Every practice missing in at least one workload: {len(items)}."
    rule = (
        " A practice is missing where the plan would recommend it: not in place in a question at high or "
        "medium risk (an accepted risk counts too). Most workloads first, then the plan's own order."
    )
    return {
        "heading": "Practices missing in the most workloads",
        "text": (text + rule).strip(),
        "columns": ["#", "Practice", "Pillar", "Lens", "Missing in", "Workloads"],
        "shown": shown,
        "items": items,
        "empty": ""
        if items
        else f"None: no practice is missing in any of the {plural(workloads, 'workload')}.",
    }


def _decision_text(item: DecisionItem, when: str) -> str:
    facts = [item["status"], item["owner"], f"{when} {item['date']}" if item["date"] else ""]
    return f"{item['workload']}: " + " · ".join(fact for fact in facts if fact)


def _decisions(states: list[tuple[str, State, Result]], today: str) -> list[DecisionList]:
    """The work the teams decided on and have not finished, the part of it past its due date, and the
    accepted risks past their review date: each in date order (oldest first), then the workloads' order."""
    # (date, workload, place in its list, the item): undated work after dated work
    overdue: list[tuple[str, int, int, DecisionItem]] = []
    open_: list[tuple[str, int, int, DecisionItem]] = []
    review: list[tuple[str, int, int, DecisionItem]] = []
    for index, (name, state, result) in enumerate(states):
        for item in result["recommendations"]:
            decision = item["decision"]
            if item["choice"] not in state.decisions or decision["status"] not in ACTIVE:
                continue
            entry: DecisionItem = {
                "workload": name,
                "choice": item["choice"],
                "title": item["title"],
                "pillar_name": item["pillar_name"],
                "lens_name": item["lens_name"],
                "status": decision["label"],
                "owner": decision["owner"],
                "date": decision["due"],
                "ticket": decision["ticket"],
                "reason": "",
                "text": "",
            }
            entry["text"] = _decision_text(entry, "due")
            late = bool(today) and bool(decision["due"]) and decision["due"] < today
            (overdue if late else open_).append((decision["due"] or "9999", index, item["rank"], entry))
        for n, risk in enumerate(result["accepted"]):
            if not risk["overdue"]:
                continue
            entry = {
                "workload": name,
                "choice": risk["choice"],
                "title": risk["title"],
                "pillar_name": risk["pillar_name"],
                "lens_name": risk["lens_name"],
                "status": risk["decision"]["label"],
                "owner": risk["owner"],
                "date": risk["review"],
                "ticket": risk["decision"]["ticket"],
                "reason": risk["reason"],
                "text": "",
            }
            entry["text"] = _decision_text(entry, "review by")
            review.append((risk["review"], index, n, entry))
    open_columns = ["Workload", "Practice", "Status", "Owner", "Due", "Ticket"]
    no_date = "" if today else " (no date was given, so none can be overdue)"
    return [
        {
            "id": "overdue",
            "heading": f"Overdue decisions ({len(overdue)})",
            "columns": open_columns,
            "items": [entry for *_, entry in sorted(overdue, key=lambda x: x[:3])],
            "empty": "" if overdue else f"None: no open decision is past its due date{no_date}.",
        },
        {
            "id": "open",
            "heading": f"Open decisions, not overdue ({len(open_)})",
            "columns": open_columns,
            "items": [entry for *_, entry in sorted(open_, key=lambda x: x[:3])],
            "empty": "" if open_ else "None: no workload has an open, planned or in-progress decision.",
        },
        {
            "id": "review",
            "heading": f"Accepted risks due for review ({len(review)})",
            "columns": ["Workload", "Practice", "Owner", "Review by", "Reason"],
            "items": [entry for *_, entry in sorted(review, key=lambda x: x[:3])],
            "empty": "" if review else f"None: no accepted risk is past its review date{no_date}.",
        },
    ]


def _summary(workloads: int, totals: Counts, decisions: list[DecisionList], left_out: int) -> str:
    lists = {d["id"]: len(d["items"]) for d in decisions}
    parts = [
        plural(workloads, "workload"),
        f"{plural(totals['high'], 'question')} at high risk",
        f"{totals['medium']} at medium risk",
        f"{totals['unanswered']} unanswered",
        plural(lists["overdue"], "overdue decision"),
        f"{plural(lists['review'], 'accepted risk')} due for review",
    ]
    if left_out:
        parts.append(f"{plural(left_out, 'file')} left out")
    return " · ".join(parts)


def portfolio(kb: KnowledgeBase, files: Sequence[StateFile], today: str = "") -> Portfolio:
    """The portfolio of the workloads in ``files`` (in their order), dated ``today`` (YYYY-MM-DD or "").

    Raises :class:`InputError` only when there is nothing to show: no file, too many, or none readable."""
    read_ok, left_out = read(kb, files)
    if not read_ok:
        raise InputError(
            [f"{item['file']}: {problem}" for item in left_out for problem in item["problems"]]
            + ["no state file could be read, so there is no portfolio to show"]
        )
    called = names([file for file, _ in read_ok], [state.workload.name for _, state in read_ok])
    states = [
        (name, state, assess(kb, state, "", today)) for name, (_, state) in zip(called, read_ok, strict=True)
    ]
    pillars = [(p.id, p.name) for p in kb.pillars]
    lens_list = [(x.id, x.name) for x in kb.lenses]
    several = len(lens_list) > 1
    pillar_rows: list[Row] = []
    lens_rows: list[Row] = []
    pillar_totals = {ident: _zero() for ident, _ in pillars}
    lens_totals = {ident: _zero() for ident, _ in lens_list}
    everything = _zero()
    workloads: list[Workload] = []
    for (name, state, result), (file, _) in zip(states, read_ok, strict=True):
        summary = _only_counts(result["summary"])
        _add(everything, summary)
        total = cell("", summary, name, TOTAL)
        by_pillar = {group["id"]: _only_counts(group) for group in result["pillars"]}
        for ident, _ in pillars:
            _add(pillar_totals[ident], by_pillar[ident])
        pillar_rows.append(
            {
                "workload": name,
                "file": file,
                "cells": [cell(ident, by_pillar[ident], name, group) for ident, group in pillars],
                "total": total,
            }
        )
        if several:
            in_scope = {lens["id"] for lens in result["lenses"]}
            by_lens = _lens_counts(result, [ident for ident, _ in lens_list])
            for ident, _ in lens_list:
                _add(lens_totals[ident], by_lens[ident])
            lens_rows.append(
                {
                    "workload": name,
                    "file": file,
                    "cells": [
                        cell(ident, by_lens[ident], name, group, ident in in_scope)
                        for ident, group in lens_list
                    ],
                    "total": total,
                }
            )
        workloads.append(
            {
                "name": name,
                "file": file,
                "owner": state.workload.owner,
                "environment": state.workload.environment,
                "progress": result["summary"]["text"],
                "plan": len(result["recommendations"]),
                "warnings": list(state.warnings),
            }
        )
    grand = cell("", everything, ALL_WORKLOADS, TOTAL)

    def totals(counts: dict[str, Counts], groups: list[tuple[str, str]]) -> Row:
        return {
            "workload": ALL_WORKLOADS,
            "file": "",
            "cells": [cell(ident, counts[ident], ALL_WORKLOADS, group) for ident, group in groups],
            "total": grand,
        }

    def columns(groups: list[tuple[str, str]]) -> list[Column]:
        return [{"id": ident, "name": group} for ident, group in groups]

    caption = "Each cell: its level, then how many questions are at each risk (zero counts left out)"
    lens_table = (
        _table("Risk by lens", caption, columns(lens_list), lens_rows, totals(lens_totals, lens_list))
        if several
        else None
    )
    missing = _missing(kb, [(name, result) for name, _, result in states], practice_order(kb))
    decisions = _decisions(states, today)
    return {
        "site": {"id": kb.site.id, "title": kb.site.title},
        "title": f"{kb.site.title} portfolio",
        "date": today,
        "dated": f"Assessed on {today}." if today else "",
        "summary": _summary(len(states), everything, decisions, len(left_out)),
        "workloads": workloads,
        "left_out": left_out,
        "left_out_heading": f"Files left out ({len(left_out)})" if left_out else "",
        "left_out_text": (
            f"{plural(len(left_out), 'file')} could not be read and {'is' if len(left_out) == 1 else 'are'} "
            "not in the figures below:"
            if left_out
            else ""
        ),
        "levels": [
            {"id": ident, "label": label, "meaning": text, "text": f"{label}: {text}"}
            for ident, (label, text) in LEVELS.items()
            if several or ident != "not_in_scope"
        ],
        "legend": "Levels, worst first: each cell takes the worst outcome among its questions.",
        "pillars": _table(
            "Risk by pillar", caption, columns(pillars), pillar_rows, totals(pillar_totals, pillars)
        ),
        "lenses": lens_table,
        "practices": _practices(missing, len(states)),
        "decisions_heading": "Decisions across workloads",
        "decisions": decisions,
        "warnings_heading": "Notes on the files",
        "risk_labels": dict(RISK_LABELS),
    }


def limits() -> str:
    """What the page says it accepts, before any file is chosen."""
    return (
        f"Up to {MAX_WORKLOADS} state files, each at most {STATE_FILE.max_bytes:,} bytes, as the checklist "
        "saves them."
    )

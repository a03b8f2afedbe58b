"""Milestones: what changed between two assessments of the same workload, per pillar.

Every sentence about the change is written here, once: the page shows them and the Markdown report
is made of them, so both say the same thing.
"""

from __future__ import annotations

from typing import TypedDict

from checklist.assess import risks, summary
from checklist.decisions import STATUSES, Decision
from checklist.knowledge import KnowledgeBase
from checklist.report import md, table
from checklist.result import (
    Change,
    Comparison,
    DecisionChange,
    PillarChanges,
    Practice,
    PracticeChange,
    QuestionRisk,
    SetAside,
)
from checklist.scales import RISK_LABELS, RISK_WEIGHT
from checklist.state import State
from checklist.text import plural

RISK_KINDS = ("resolved", "improved", "worsened")
PRACTICE_KINDS = ("added", "removed")
MARK_KINDS = ("set_aside", "applies_again")  # a practice marked not applicable, or no longer
_MARK_WORDS = {"set_aside": "Marked not applicable", "applies_again": "Applies again"}


def _change(kind: str, question: QuestionRisk, was: str) -> Change:
    now = question["risk"]
    text = f"{kind.capitalize()}: {question['title']} ({RISK_LABELS[was]} → {RISK_LABELS[now]})"
    return {"question": question["id"], "title": question["title"], "from": was, "to": now, "text": text}


def risk_change(was: str, now: str) -> str:
    """``resolved`` (a risk then, none now: no risk or not applicable), ``improved`` (lower, still a risk),
    ``worsened`` (higher, a question answered since and found at risk included), or "" (no change, or an
    answer taken back: unanswered says nothing about the risk)."""
    if RISK_WEIGHT[now] > RISK_WEIGHT[was]:
        return "worsened"
    if RISK_WEIGHT[now] == RISK_WEIGHT[was] or now == "unanswered":
        return ""
    return "improved" if RISK_WEIGHT[now] else "resolved"


def _practice_change(
    kind: str, practice: Practice | SetAside, question: QuestionRisk, why: str = ""
) -> PracticeChange:
    text = f"{_MARK_WORDS.get(kind, kind.capitalize())}: {practice['title']}" + (f" ({why})" if why else "")
    return {
        "choice": practice["choice"],
        "title": practice["title"],
        "question": question["id"],
        "question_title": question["title"],
        "text": text,
    }


def _of(pillar: PillarChanges, kind: str) -> list[Change] | list[PracticeChange]:
    """One of a pillar's lists of changes, by kind (RISK_KINDS, then PRACTICE_KINDS)."""
    lists: dict[str, list[Change] | list[PracticeChange]] = {
        "resolved": pillar["resolved"],
        "improved": pillar["improved"],
        "worsened": pillar["worsened"],
        "added": pillar["added"],
        "removed": pillar["removed"],
        "set_aside": pillar["set_aside"],
        "applies_again": pillar["applies_again"],
    }
    return lists[kind]


class SectionItem(TypedDict):
    kind: str  # resolved, improved, worsened, added, removed, set_aside, applies_again; "" for a decision
    text: str


class Section(TypedDict):
    """A heading of the comparison (a pillar, or the decisions) and its changes, as the page and the
    Markdown list them."""

    heading: str
    items: list[SectionItem]


def sections(comparison: Comparison) -> list[Section]:
    """The comparison's changes under their headings, in order; a pillar without changes has none."""
    found: list[Section] = []
    for pillar in comparison["pillars"]:
        items: list[SectionItem] = [
            {"kind": kind, "text": change["text"]}
            for kind in RISK_KINDS + PRACTICE_KINDS + MARK_KINDS
            for change in _of(pillar, kind)
        ]
        if items:
            found.append({"heading": pillar["name"], "items": items})
    if comparison["decisions"]:
        found.append(
            {
                "heading": "Decisions",
                "items": [{"kind": "", "text": c["text"]} for c in comparison["decisions"]],
            }
        )
    return found


def summary_text(since: str, counts: dict[str, int]) -> str:
    """The comparison in one sentence: ``Since “X”: 2 risks resolved, 1 improved, 0 worsened; 3 practices
    added, 1 removed.``"""
    marks = (
        f"; {plural(counts['set_aside'], 'practice')} marked not applicable, {counts['applies_again']} "
        "applying again"
        if counts["set_aside"] or counts["applies_again"]
        else ""  # said only where a team uses the marks
    )
    return (
        f"Since “{since}”: {plural(counts['resolved'], 'risk')} resolved, {counts['improved']} improved, "
        f"{counts['worsened']} worsened; {plural(counts['added'], 'practice')} added, "
        f"{counts['removed']} removed{marks}."
    )


def _pillar_changes(
    ident: str, name: str, before: list[QuestionRisk], after: list[QuestionRisk]
) -> PillarChanges:
    earlier = {q["id"]: q for q in before}
    moved: dict[str, list[Change]] = {kind: [] for kind in RISK_KINDS}
    added: list[PracticeChange] = []
    removed: list[PracticeChange] = []
    marks: dict[str, list[PracticeChange]] = {kind: [] for kind in MARK_KINDS}
    for question in after:
        if question["pillar"] != ident:
            continue
        then = earlier[question["id"]]
        kind = risk_change(then["risk"], question["risk"])
        if kind:
            moved[kind].append(_change(kind, question, then["risk"]))
        ticked = {p["choice"] for p in then["in_place"]}
        ticked_now = {p["choice"] for p in question["in_place"]}
        added += [
            _practice_change("added", p, question) for p in question["in_place"] if p["choice"] not in ticked
        ]
        removed += [
            _practice_change("removed", p, question)
            for p in then["in_place"]
            if p["choice"] not in ticked_now
        ]
        if "set_aside" in then or "set_aside" in question:
            aside = {p["choice"] for p in then.get("set_aside", [])}
            aside_now = {p["choice"] for p in question.get("set_aside", [])}
            marks["set_aside"] += [
                _practice_change("set_aside", p, question, p["label"])
                for p in question.get("set_aside", [])
                if p["choice"] not in aside
            ]
            marks["applies_again"] += [
                _practice_change("applies_again", p, question)
                for p in then.get("set_aside", [])
                if p["choice"] not in aside_now
            ]
    return {
        "id": ident,
        "name": name,
        "resolved": moved["resolved"],
        "improved": moved["improved"],
        "worsened": moved["worsened"],
        "added": added,
        "removed": removed,
        "set_aside": marks["set_aside"],
        "applies_again": marks["applies_again"],
    }


def compare(kb: KnowledgeBase, old: State, new: State, since: str = "the milestone") -> Comparison:
    """Per pillar, the risks resolved, improved and worsened, the practices ticked (added) and unticked
    (removed), and those marked not applicable (set aside) or no longer (applies again) since the
    milestone, with the counts before and after."""
    before, after = risks(kb, old), risks(kb, new)
    pillars = [_pillar_changes(pillar.id, pillar.name, before, after) for pillar in kb.pillars]
    titles = {c.id: c.title for q in kb.checklist.questions for c in q.choices} if kb.checklist else {}
    decisions: list[DecisionChange] = []
    for choice, title in titles.items():
        then, later = old.decision(choice), new.decision(choice)
        if then.status != later.status or then.owner != later.owner:
            text = f"{title}: {_decision_words(then)} → {_decision_words(later)}"
            decisions.append(
                {"choice": choice, "title": title, "from": then.status, "to": later.status, "text": text}
            )
    counts = {
        kind: sum(len(_of(p, kind)) for p in pillars) for kind in RISK_KINDS + PRACTICE_KINDS + MARK_KINDS
    }
    return {
        "since": since,
        "summary_text": summary_text(since, counts),
        "before": summary(before),
        "after": summary(after),
        "pillars": pillars,
        "resolved": counts["resolved"],
        "improved": counts["improved"],
        "worsened": counts["worsened"],
        "added": counts["added"],
        "removed": counts["removed"],
        "set_aside": counts["set_aside"],
        "applies_again": counts["applies_again"],
        "risk_labels": dict(RISK_LABELS),
        "decisions": decisions,
    }


def _decision_words(decision: Decision) -> str:
    return STATUSES[decision.status] + (f" ({decision.owner})" if decision.owner else "")


def to_markdown(comparison: Comparison) -> str:
    before, after = comparison["before"], comparison["after"]
    lines = ["# Milestone comparison", "", md(comparison["summary_text"]), ""]
    lines += table(
        ["Risk", "Before", "After"],
        [[label, str(before[key]), str(after[key])] for key, label in RISK_LABELS.items()],  # type: ignore[literal-required]
    )
    for section in sections(comparison):
        lines += ["", f"## {md(section['heading'])}", ""]
        lines += [f"- {md(item['text'])}" for item in section["items"]]
    return "\n".join(lines) + "\n"

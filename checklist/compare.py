"""Milestones: what changed between two assessments of the same workload, per pillar.

Every sentence about the change is written here, once: the page shows them and the Markdown report
is made of them, so both say the same thing.
"""

from __future__ import annotations

from checklist.assess import risks, summary
from checklist.decisions import STATUSES, Decision
from checklist.knowledge import KnowledgeBase
from checklist.report import md, table
from checklist.result import Change, Comparison, DecisionChange, PillarChanges
from checklist.scales import RISK_LABELS, RISK_WEIGHT
from checklist.state import State
from checklist.text import plural


def _change(kind: str, question: str, title: str, was: str, now: str) -> Change:
    text = f"{kind}: {title} ({RISK_LABELS[was]} → {RISK_LABELS[now]})"
    return {"question": question, "title": title, "from": was, "to": now, "text": text}


def summary_text(since: str, resolved: int, introduced: int) -> str:
    return f"Since “{since}”: {plural(resolved, 'risk')} resolved, {introduced} introduced."


def compare(kb: KnowledgeBase, old: State, new: State, since: str = "the milestone") -> Comparison:
    """Per pillar, the risks resolved (lower now) and introduced (higher now), with before and after."""
    before, after = risks(kb, old), risks(kb, new)
    old_risk = {q["id"]: q["risk"] for q in before}
    pillars: list[PillarChanges] = []
    for pillar in kb.pillars:
        resolved: list[Change] = []
        introduced: list[Change] = []
        for question in after:
            if question["pillar"] != pillar.id:
                continue
            was, now = old_risk[question["id"]], question["risk"]
            if RISK_WEIGHT[now] < RISK_WEIGHT[was]:
                resolved.append(_change("Resolved", question["id"], question["title"], was, now))
            elif RISK_WEIGHT[now] > RISK_WEIGHT[was]:
                introduced.append(_change("Introduced", question["id"], question["title"], was, now))
        pillars.append({"id": pillar.id, "name": pillar.name, "resolved": resolved, "introduced": introduced})
    titles = {c.id: c.title for q in kb.checklist.questions for c in q.choices} if kb.checklist else {}
    decisions: list[DecisionChange] = []
    for choice, title in titles.items():
        then, later = old.decision(choice), new.decision(choice)
        if then.status != later.status or then.owner != later.owner:
            text = f"{title}: {_decision_words(then)} → {_decision_words(later)}"
            decisions.append(
                {"choice": choice, "title": title, "from": then.status, "to": later.status, "text": text}
            )
    total_resolved = sum(len(p["resolved"]) for p in pillars)
    total_introduced = sum(len(p["introduced"]) for p in pillars)
    return {
        "since": since,
        "summary_text": summary_text(since, total_resolved, total_introduced),
        "before": summary(before),
        "after": summary(after),
        "pillars": pillars,
        "resolved": total_resolved,
        "introduced": total_introduced,
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
    for pillar in comparison["pillars"]:
        changes = pillar["resolved"] + pillar["introduced"]
        if changes:
            lines += ["", f"## {md(pillar['name'])}", ""]
            lines += [f"- {md(change['text'])}" for change in changes]
    if comparison["decisions"]:
        lines += ["", "## Decisions", ""] + [f"- {md(change['text'])}" for change in comparison["decisions"]]
    return "\n".join(lines) + "\n"

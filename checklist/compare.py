"""Milestones: what changed between two assessments of the same workload, per pillar."""

from __future__ import annotations

from typing import Any

from checklist.assess import RISK_LABELS, assess
from checklist.knowledge import KnowledgeBase
from checklist.report import md
from checklist.state import State

# Only high and medium are risks; the other outcomes expose none.
_WEIGHT = {"high": 2, "medium": 1, "none": 0, "not_applicable": 0, "unanswered": 0}


def compare(kb: KnowledgeBase, old: State, new: State) -> dict[str, Any]:
    """Per pillar, the risks resolved (lower now) and introduced (higher now), with before and after."""
    before, after = assess(kb, old), assess(kb, new)
    old_risk = {q["id"]: q["risk"] for q in before["questions"]}
    pillars = []
    for pillar in after["pillars"]:
        resolved, introduced = [], []
        for question in after["questions"]:
            if question["pillar"] != pillar["id"]:
                continue
            was, now = old_risk[question["id"]], question["risk"]
            change = {"question": question["id"], "title": question["title"], "from": was, "to": now}
            if _WEIGHT[now] < _WEIGHT[was]:
                resolved.append(change)
            elif _WEIGHT[now] > _WEIGHT[was]:
                introduced.append(change)
        pillars.append(
            {"id": pillar["id"], "name": pillar["name"], "resolved": resolved, "introduced": introduced}
        )
    return {
        "before": before["summary"],
        "after": after["summary"],
        "pillars": pillars,
        "resolved": sum(len(p["resolved"]) for p in pillars),
        "introduced": sum(len(p["introduced"]) for p in pillars),
        "risk_labels": RISK_LABELS,
    }


def to_markdown(comparison: dict[str, Any]) -> str:
    before, after = comparison["before"], comparison["after"]
    lines = [
        "# Milestone comparison",
        "",
        f"Risks resolved: {comparison['resolved']}. Risks introduced: {comparison['introduced']}.",
        "",
        "| Risk | Before | After |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {label} | {before[key]} | {after[key]} |" for key, label in RISK_LABELS.items()]
    for pillar in comparison["pillars"]:
        if not (pillar["resolved"] or pillar["introduced"]):
            continue
        lines += ["", f"## {md(pillar['name'])}", ""]
        for kind, items in (("Resolved", pillar["resolved"]), ("Introduced", pillar["introduced"])):
            lines += [
                f"- {kind}: {md(c['title'])} ({RISK_LABELS[c['from']]} → {RISK_LABELS[c['to']]})"
                for c in items
            ]
    return "\n".join(lines) + "\n"

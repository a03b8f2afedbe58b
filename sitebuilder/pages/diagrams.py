"""Mermaid sources generated from the knowledge base; node ids are prefixed KB ids, labels are escaped."""

from __future__ import annotations

from itertools import pairwise

from checklist.knowledge import Assessment, KnowledgeBase, Pillar
from checklist.text import fold

_ENTITIES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;"}


def label(value: str) -> str:
    """A quoted Mermaid label showing ``value`` literally (Mermaid's own #entity; escapes)."""
    return '["' + "".join(_ENTITIES.get(ch, ch) for ch in fold(value)) + '"]'


def edge(value: str) -> str:
    return "|" + "".join(_ENTITIES.get(ch, ch) for ch in fold(value)) + "|"


def fence(lines: list[str]) -> str:
    """A fenced block that pymdownx.superfences hands to Material's Mermaid integration."""
    return "```mermaid\n" + "\n".join(lines) + "\n```"


def pillar_overview(kb: KnowledgeBase) -> str:
    """The framework, each pillar, and what each pillar brings to an AI/ML solution."""
    lines = ["flowchart LR", f"    root{label(kb.framework.name)}"]
    for pillar in kb.pillars:
        lines.append(f"    root -->|Pillar| p_{pillar.id}{label(pillar.name)}")
        outcome = pillar.outcome
        lines.append(f"    p_{pillar.id} -->{edge(outcome.relation)} o_{pillar.id}{label(outcome.label)}")
    return fence(lines)


def pillar_map(kb: KnowledgeBase, pillar: Pillar) -> str:
    """One pillar: its outcome, its practices, and the AWS services each practice uses."""
    outcome = pillar.outcome
    lines = [
        "flowchart LR",
        f"    pillar{label(pillar.name)}",
        f"    pillar -.->{edge(outcome.relation)} outcome{label(outcome.label)}",
    ]
    declared: set[str] = set()
    for practice in pillar.practices:
        lines.append(f"    pillar --> x_{practice.id}{label(practice.title)}")
        for service_id in practice.services:
            node = f"s_{service_id}"
            if service_id not in declared:
                node += label(kb.service(service_id).name)
                declared.add(service_id)
            lines.append(f"    x_{practice.id} --> {node}")
    return fence(lines)


def assessment_flow(assessment: Assessment) -> str:
    """The steps in order, with the last one leading back to the first: assessment is a cycle."""
    lines = ["flowchart TB"]
    for number, step in enumerate(assessment.steps, start=1):
        lines.append(f"    s_{step.id}{label(f'{number}. {step.name}')}")
    ids = [f"s_{step.id}" for step in assessment.steps]
    lines.extend(f"    {a} --> {b}" for a, b in pairwise(ids))
    if len(ids) > 1:
        lines.append(f"    {ids[-1]} -.-> {ids[0]}")
    return fence(lines)


def prioritization_tree(assessment: Assessment) -> str:
    """The prioritization rules as a decision tree: impact first, then effort where it matters."""
    lines = ["flowchart LR", '    rec["Recommendation"] --> impact{"Impact?"}']
    rules = assessment.prioritization.rules
    for impact in dict.fromkeys(rule.impact for rule in rules):
        group = [rule for rule in rules if rule.impact == impact]
        if len(group) == 1 and group[0].effort == "any":
            lines.append(f"    impact -->|{impact}| r_{group[0].id}{label(group[0].action)}")
            continue
        lines.append(f'    impact -->|{impact}| effort_{impact}{{"Effort?"}}')
        for rule in group:
            lines.append(f"    effort_{impact} -->|{rule.effort}| r_{rule.id}{label(rule.action)}")
    return fence(lines)

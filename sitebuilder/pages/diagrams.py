"""Mermaid sources generated from the knowledge base; node ids are prefixed KB ids, labels are escaped."""

from __future__ import annotations

from itertools import pairwise

from checklist.knowledge import Assessment, AwsLens, KnowledgeBase, LensArea, LensPractice, Pillar, Question
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


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' * (n != 1)}"


def pillar_overview(kb: KnowledgeBase) -> str:
    """The framework, each pillar, and what each pillar brings (or, where the KB does not say, how many
    checklist questions it asks)."""
    lines = ["flowchart LR", f"    root{label(kb.framework.name)}"]
    questions = kb.checklist.questions if kb.checklist else ()
    for n, pillar in enumerate(kb.pillars):
        lines.append(f"    root -->|Pillar| p_{n}{label(pillar.name)}")
        if (outcome := pillar.outcome) is not None:
            lines.append(f"    p_{n} -->{edge(outcome.relation)} o_{n}{label(outcome.label)}")
        else:
            asked = _count(sum(q.pillar == pillar.id for q in questions), "question")
            lines.append(f"    p_{n} -->|asks| o_{n}{label(asked)}")
    return fence(lines)


def question_map(pillar: Pillar, questions: tuple[Question, ...]) -> str:
    """A pillar without guide content (one imported from a custom lens): its questions and how many
    practices each names."""
    lines = ["flowchart LR", f"    pillar{label(pillar.name)}"]
    for n, question in enumerate(questions):
        title = question.title if len(question.title) <= 60 else question.title[:59].rstrip() + "…"
        lines.append(f"    pillar --> q_{n}{label(title)}")
        lines.append(f"    q_{n} -.- c_{n}{label(_count(len(question.choices), 'practice'))}")
    return fence(lines)


def pillar_map(kb: KnowledgeBase, pillar: Pillar) -> str:
    """One pillar: its outcome, its practices, and the AWS services each practice uses."""
    lines = ["flowchart LR", f"    pillar{label(pillar.name)}"]
    if (outcome := pillar.outcome) is not None:
        lines.append(f"    pillar -.->{edge(outcome.relation)} outcome{label(outcome.label)}")
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


def lens_areas(areas: tuple[tuple[LensArea, tuple[LensPractice, ...]], ...]) -> str:
    """A lens organised by its own areas: the areas in the order of a system's life, and how many practices
    each has (the caption says how many leave a high risk when missing). Left to right in rows of two, so
    eight areas fill four short rows that fit the column rather than a column taller than the screen; the
    rows are unframed blocks linked as blocks, since Mermaid drops a block's own direction once an edge
    leaves it from inside."""
    lines = ["flowchart TB"]
    rows = [list(range(start, min(start + 2, len(areas)))) for start in range(0, len(areas), 2)]
    for r, row in enumerate(rows):
        lines += [f'    subgraph row_{r} [" "]', "        direction LR"]
        for n in row:
            area, practices = areas[n]
            lines.append(f"        a_{n}{label(f'{area.name}: {_count(len(practices), "practice")}')}")
        lines += [f"        a_{a} --> a_{b}" for a, b in pairwise(row)]
        lines += ["    end", f"    style row_{r} fill:none,stroke:none"]
    lines += [f"    row_{r - 1} --> row_{r}" for r in range(1, len(rows))]
    return fence(lines)


def lens_pillars(aws_lens: AwsLens, pillars: tuple[tuple[Pillar, tuple[LensPractice, ...]], ...]) -> str:
    """A lens, the pillars its practices belong to, and how many practices each has (how many of them leave
    a high risk when missing)."""
    lines = ["flowchart LR", f"    lens{label(aws_lens.name)}"]
    for n, (pillar, practices) in enumerate(pillars):
        high = sum(practice.risk == "high" for practice in practices)
        counted = f"{_count(len(practices), 'practice')}, {high} high risk"
        lines.append(f"    lens --> p_{n}{label(pillar.name)}")
        lines.append(f"    p_{n} -.- c_{n}{label(counted)}")
    return fence(lines)

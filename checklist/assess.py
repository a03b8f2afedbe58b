"""Risk per question, counts per pillar, and the prioritized improvement plan.

Pure and deterministic: the same KB and state give the same result, key order included, in CPython and
in Pyodide. The rules are the ones the issue tracker fixes (see tests/test_assess.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from checklist import rules
from checklist.knowledge import Bucket, Checklist, Choice, KnowledgeBase, Question
from checklist.state import Answer, State

RISKS = ("high", "medium", "none", "not_applicable", "unanswered")
# How every output names a risk: reports, the page's badges and charts (the page has no labels of its own).
RISK_LABELS = {
    "high": "High risk",
    "medium": "Medium risk",
    "none": "No risk",
    "not_applicable": "Not applicable",
    "unanswered": "Unanswered",
}
IMPACTS = ("high", "medium", "low")
EFFORTS = ("low", "medium", "high")
_IMPACT_ORDER = {level: n for n, level in enumerate(IMPACTS)}
_EFFORT_ORDER = {level: n for n, level in enumerate(EFFORTS)}
_RISK_ORDER = {"high": 0, "medium": 1}


@cache
def _condition(text: str) -> rules.Condition:
    return rules.parse(text)


def question_risk(question: Question, answer: Answer) -> str:
    """``not_applicable``, ``unanswered``, or the risk of the first rule that holds for the selection."""
    if answer.not_applicable:
        return "not_applicable"
    if not answer.selected:
        return "unanswered"
    selected = frozenset(answer.selected)
    for rule in question.risk_rules:
        if _condition(rule.condition).holds(selected):
            return rule.risk
    raise AssertionError(f"question {question.id} has no default rule")  # validation makes this unreachable


def bucket_for(checklist: Checklist, choice: Choice) -> Bucket:
    """The first bucket that admits the choice's impact and effort (validation proves there is one)."""
    return next(b for b in checklist.buckets if b.admits(choice.impact, choice.effort))


def pillar_order(kb: KnowledgeBase, state: State) -> list[str]:
    """The workload's pillar priorities first, then the remaining pillars in KB order."""
    first = list(state.workload.pillar_priorities)
    return first + [p.id for p in kb.pillars if p.id not in first]


def reference_url(kb: KnowledgeBase, choice: Choice) -> str:
    return choice.reference if choice.reference_is_url else kb.reference(choice.reference).url


def _counts() -> dict[str, int]:
    return dict.fromkeys(RISKS, 0)


def assess(kb: KnowledgeBase, state: State) -> dict[str, Any]:
    """The assessment result: summary, pillars, questions, recommendations, buckets (and warnings)."""
    checklist = kb.checklist
    assert checklist is not None, "the knowledge base has no checklist"
    pillar_rank = {pillar: n for n, pillar in enumerate(pillar_order(kb, state))}
    names = {p.id: p.name for p in kb.pillars}
    summary = _counts()
    per_pillar = {p.id: _counts() for p in kb.pillars}
    questions: list[dict[str, Any]] = []
    candidates: list[tuple[tuple[int, ...], dict[str, Any]]] = []
    bucket_index = {b.id: n for n, b in enumerate(checklist.buckets)}
    for q_index, question in enumerate(checklist.questions):
        answer = state.answer(question.id)
        risk = question_risk(question, answer)
        summary[risk] += 1
        per_pillar[question.pillar][risk] += 1
        questions.append(
            {"id": question.id, "pillar": question.pillar, "title": question.title, "risk": risk}
        )
        if risk not in _RISK_ORDER:
            continue
        for c_index, choice in enumerate(question.choices):
            if choice.id in answer.selected:
                continue
            bucket = bucket_for(checklist, choice)
            key = (
                bucket_index[bucket.id],
                _IMPACT_ORDER[choice.impact],
                _EFFORT_ORDER[choice.effort],
                _RISK_ORDER[risk],
                pillar_rank[question.pillar],
                q_index,
                c_index,
            )
            candidates.append(
                (
                    key,
                    {
                        "bucket": bucket.id,
                        "pillar": question.pillar,
                        "pillar_name": names[question.pillar],
                        "question": question.id,
                        "question_title": question.title,
                        "question_risk": risk,
                        "choice": choice.id,
                        "title": choice.title,
                        "improvement": choice.improvement,
                        "impact": choice.impact,
                        "effort": choice.effort,
                        "reference": reference_url(kb, choice),
                        "lens_refs": list(choice.lens_refs),
                    },
                )
            )
    candidates.sort(key=lambda item: item[0])
    recommendations = [{"rank": rank, **item} for rank, (_, item) in enumerate(candidates, start=1)]
    bucket_ranks: dict[str, list[int]] = {b.id: [] for b in checklist.buckets}
    cell_ranks: dict[tuple[str, str], list[int]] = {(i, e): [] for i in IMPACTS for e in EFFORTS}
    for item in recommendations:
        bucket_ranks[item["bucket"]].append(item["rank"])
        cell_ranks[(item["impact"], item["effort"])].append(item["rank"])
    total = len(checklist.questions)
    return {
        "workload": state.workload.to_dict(),
        "summary": {**summary, "answered": total - summary["unanswered"], "total": total},
        "pillars": [{"id": p.id, "name": p.name, **per_pillar[p.id]} for p in kb.pillars],
        "questions": questions,
        "recommendations": recommendations,
        "buckets": [
            {
                "id": b.id,
                "label": b.label,
                "description": b.description,
                "count": len(bucket_ranks[b.id]),
                "ranks": bucket_ranks[b.id],
            }
            for b in checklist.buckets
        ],
        # The plan by impact (rows, high first) and effort (columns, low first), as ranks: the page's chart.
        "matrix": [
            {"impact": impact, "effort": effort, "ranks": cell_ranks[(impact, effort)]}
            for impact in IMPACTS
            for effort in EFFORTS
        ],
        "risk_labels": RISK_LABELS,
        "warnings": list(state.warnings),
    }

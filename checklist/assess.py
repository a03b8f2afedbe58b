"""Risk per question, counts per pillar and focus area, and the prioritized improvement plan.

Pure and deterministic: the same KB and state give the same result, key order included, in CPython and
in Pyodide. Three steps, each a function: the risks, the recommendations, and how the plan is grouped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache
from itertools import islice

from checklist import reasons, rules
from checklist.decisions import STATUSES, as_dict, overdue
from checklist.decisions import summary_text as decisions_summary
from checklist.knowledge import Bucket, Checklist, Choice, KnowledgeBase, Question
from checklist.result import (
    AcceptedRisk,
    BucketGroup,
    Counts,
    GroupCounts,
    LensCounts,
    LensLink,
    Matrix,
    MatrixItem,
    PillarCount,
    Progress,
    QuestionRisk,
    Recommendation,
    Result,
    ScopeResult,
    SetAside,
    StartItem,
    StatusCount,
    Summary,
    View,
)
from checklist.scales import EFFORTS, IMPACTS, LEVEL_WORDS, RISK_LABELS, RISK_WEIGHT, UNRATED, effort_words
from checklist.scope import Scope, scope_of
from checklist.state import Answer, ChoiceAnswer, State

_IMPACT_ORDER = {level: n for n, level in enumerate(IMPACTS)}
# An unrated effort ranks as a middle value.
_EFFORT_ORDER = {level: n for n, level in enumerate(EFFORTS)} | {UNRATED: 1}
NOTHING_ANSWERED = "Answer questions above and the prioritized plan appears here."
NOTHING_TO_IMPROVE = "No improvements: no answered question carries a high or medium risk."
START_HERE = 10  # how many first actions the plan offers


@cache
def _condition(text: str) -> rules.Condition:
    return rules.parse(text)


def question_risk(question: Question, answer: Answer, out_of_scope: frozenset[str] = frozenset()) -> str:
    """``not_applicable``, ``unanswered``, or the risk of the first rule that holds for the selection,
    evaluated over the practices in the workload's scope only (see checklist.rules: a practice out of
    scope is neither missing nor in place, so a rule never rewards it and "None of these" is never "no
    risk"); a lens question whose rules do not end with ``default`` has its ``unmatched_risk`` when none
    holds."""
    if answer.not_applicable:
        return "not_applicable"
    if not answer.selected:
        return "unanswered"
    if answer.choices:  # practices marked not applicable count as out of scope, as the WA Tool has it
        out_of_scope = out_of_scope.union(answer.set_aside)
    selected = frozenset(answer.selected)
    for rule in question.risk_rules:
        if _condition(rule.condition).holds_in_scope(selected, out_of_scope):
            return rule.risk
    if question.unmatched_risk:
        return question.unmatched_risk
    raise AssertionError(f"question {question.id} has no default rule")  # validation makes this unreachable


def bucket_for(checklist: Checklist, choice: Choice) -> Bucket:
    """The bucket whose cells hold the choice's impact and effort (validation proves there is one)."""
    return checklist.bucket_of_cell[(choice.impact, choice.effort)]


def priority_rank(state: State) -> dict[str, int]:
    """A prioritized pillar's place in the workload's priorities; every other pillar ranks after them all,
    as equals (look it up with ``.get(pillar, len(priorities))``)."""
    return {pillar: n for n, pillar in enumerate(state.workload.pillar_priorities)}


def _counts() -> Counts:
    return {"high": 0, "medium": 0, "none": 0, "not_applicable": 0, "unanswered": 0}


def _checklist(kb: KnowledgeBase) -> Checklist:
    assert kb.checklist is not None, "the knowledge base has no checklist"
    return kb.checklist


def risks(kb: KnowledgeBase, state: State, scope: Scope | None = None) -> list[QuestionRisk]:
    """Every question's risk, in KB order; a question out of the workload's scope is not applicable."""
    checklist = _checklist(kb)
    scope = scope or scope_of(checklist, state)
    out = frozenset(scope.choices)
    facts = kb.choice_facts
    marks = state.from_template()  # question id -> the template its answer came from
    found: list[QuestionRisk] = []
    for q in checklist.questions:
        answer = state.answer(q.id)
        risk = "not_applicable" if q.id in scope.questions else question_risk(q, answer, out)
        assessed = risk not in ("not_applicable", "unanswered")
        lens = kb.question_lens(q)
        set_aside = answer.set_aside if answer.choices else {}
        skip = out.union(set_aside) if set_aside else scope.choices
        found.append(
            {
                "id": q.id,
                "pillar": q.pillar,
                "lens": lens.id,
                "lens_name": lens.name,
                "focus": q.focus,
                "area": q.area,
                "title": q.title,
                "risk": risk,
                "reason": scope.questions.get(q.id, ""),
                "in_place": [facts[c.id].practice for c in q.choices if c.id in answer.selected],
                "missing": [
                    facts[c.id].practice
                    for c in q.choices
                    if assessed and c.id not in answer.selected and c.id not in skip
                ],
                "notes": answer.notes,
            }
        )
        if q.id in marks:
            found[-1]["from_template"] = marks[q.id]
        if set_aside:
            found[-1]["set_aside"], found[-1]["set_aside_text"] = _set_aside(q, set_aside)
        if answer.reason and risk == "not_applicable" and q.id not in scope.questions:
            found[-1]["not_applicable_reason"] = reasons.label(answer.reason)
    return found


def _set_aside(question: Question, marked: dict[str, ChoiceAnswer]) -> tuple[list[SetAside], str]:
    """The question's practices marked not applicable, and the sentence that says what that means."""
    items: list[SetAside] = [
        {
            "choice": c.id,
            "title": c.title,
            "reason": marked[c.id].reason,
            "label": reasons.label(marked[c.id].reason),
            "notes": marked[c.id].notes,
            "text": reasons.practice_mark(marked[c.id].reason),
        }
        for c in question.choices
        if c.id in marked
    ]
    listed = "; ".join(f"{item['title']} ({item['label']})" for item in items)
    text = (
        f"Marked not applicable, so neither in place nor missing in this question's risk and the plan: "
        f"{listed}."
    )
    return items, text


def lens_link(kb: KnowledgeBase, lens_ref: str) -> LensLink:
    """A cited best practice as reports show it: its id, its lens ("GenAI Lens") and its page there."""
    return {"id": lens_ref, "lens": f"{kb.practice_lens(lens_ref).short} Lens", "url": kb.lens_url(lens_ref)}


def _grouped(questions: list[QuestionRisk], key: str, groups: list[tuple[str, str]]) -> list[GroupCounts]:
    counts = {ident: _counts() for ident, _ in groups}
    for question in questions:
        group = str(question[key])  # type: ignore[literal-required]
        if group in counts:  # a KB without focus areas leaves focus empty
            counts[group][question["risk"]] += 1  # type: ignore[literal-required]
    return [{"id": ident, "name": name, **counts[ident]} for ident, name in groups]


def lenses(kb: KnowledgeBase, questions: list[QuestionRisk]) -> list[LensCounts]:
    """Each lens with a question in the workload's scope: its counts and progress as :func:`summary` gives
    them for the whole review, and its counts per pillar (the pillars it has a question of in scope) and,
    for a lens organised by its own areas (the Responsible AI Lens), per area."""
    of_lens: dict[str, list[QuestionRisk]] = {}
    for question in questions:  # one pass, not one per lens
        of_lens.setdefault(question["lens"], []).append(question)
    found: list[LensCounts] = []
    for lens in kb.lenses:
        own = of_lens.get(lens.id, [])
        in_scope = [q for q in own if not q["reason"]]
        if not in_scope:
            continue
        pillars = [(p.id, p.name) for p in kb.pillars if any(q["pillar"] == p.id for q in in_scope)]
        areas = [(a.id, a.name) for a in lens.areas if any(q["area"] == a.id for q in in_scope)]
        found.append(
            {
                "id": lens.id,
                "name": lens.name,
                "short": lens.short,
                **summary(own),
                "pillars": _grouped(own, "pillar", pillars),
                "areas": _grouped(own, "area", areas),
            }
        )
    return found


def lenses_text(names: list[str]) -> str:
    """Which lenses the review covers: "This review covers the Machine Learning Lens." ("" for none)."""
    if not names:
        return ""
    each = [f"the {name}" for name in names]
    listed = each[0] if len(each) == 1 else ", ".join(each[:-1]) + " and " + each[-1]
    return f"This review covers {listed}."


def summary(questions: list[QuestionRisk]) -> Summary:
    """Risk counts, and progress among the questions in scope: one the scope left out (it has a reason)
    is neither to answer nor answered: it counts in ``not_applicable`` and ``left_out``, not in ``total``."""
    counts = _counts()
    for question in questions:
        counts[question["risk"]] += 1  # type: ignore[literal-required]
    left_out = sum(1 for question in questions if question["reason"])
    total = len(questions) - left_out
    answered = total - counts["unanswered"]
    return {
        **counts,
        "answered": answered,
        "total": total,
        "left_out": left_out,
        "text": progress_text(answered, total, left_out),
    }


# The progress line; the page fills it in itself only until the engine's first result (form.py writes both
# parts as data attributes; the second is added only where the scope leaves questions out).
PROGRESS_WORDS = "{answered} of {total} questions answered"
LEFT_OUT_WORDS = " · {left_out} left out by the workload's scope"


def progress_text(answered: int, total: int, left_out: int = 0) -> str:
    """Answered among the questions in scope: "0 of 18 questions answered · 17 left out by the workload's scope"."""
    text = PROGRESS_WORDS.format(answered=answered, total=total)
    return text + LEFT_OUT_WORDS.format(left_out=left_out) if left_out else text


def recommendations(missing: list[Recommendation]) -> list[Recommendation]:
    """The plan: the missing practices (see :func:`missing_practices`) ranked, less the risks the team
    accepted (see :func:`accepted_risks`)."""
    plan = [item for item in missing if item["decision"]["status"] != "risk_accepted"]
    for rank, item in enumerate(plan, start=1):
        item["rank"] = rank  # the items are this assessment's own (missing_practices made them)
    return plan


def accepted_risks(missing: list[Recommendation], state: State, today: str = "") -> list[AcceptedRisk]:
    """The missing practices whose risk the team accepted, each with its reason and review date; a review
    date before ``today`` (YYYY-MM-DD, given by the caller: the engine reads no clock) is flagged."""
    found: list[AcceptedRisk] = []
    for item in missing:
        decision = state.decision(item["choice"])
        if decision.status != "risk_accepted":
            continue
        late = overdue(decision, today)
        found.append(
            {
                "choice": item["choice"],
                "title": item["title"],
                "pillar_name": item["pillar_name"],
                "lens_name": item["lens_name"],
                "question": item["question"],
                "question_title": item["question_title"],
                "impact": item["impact"],
                "reason": decision.reason,
                "review": decision.review,
                "owner": decision.owner,
                "overdue": late,
                "text": f"Review by {decision.review}" + (": the review date has passed" if late else ""),
                "decision": item["decision"],
            }
        )
    return found


def plan_order(checklist: Checklist) -> str:
    """The order within a bucket, in the reader's words: every page that explains the plan shows this
    sentence, so it can never disagree with :func:`missing_practices` (a checklist that rates no effort
    leaves effort out)."""
    effort = ", then lower effort" if any(effort != UNRATED for effort in checklist.efforts) else ""
    across = (
        " The practices of every lens are ranked together by these same rules: no lens comes first."
        if len({question.lens for question in checklist.questions}) > 1
        else ""
    )
    return (
        "Within a bucket, your prioritized pillars come first (in the order you ticked them), then higher "
        f"impact{effort}, then the riskier question, then the order of the checklist's questions.{across}"
    )


def missing_practices(
    kb: KnowledgeBase,
    state: State,
    questions: list[QuestionRisk],
    scope: Scope | None = None,
    site_url: str = "",
) -> list[Recommendation]:
    """Every practice not in place (and in scope) in a question at high or medium risk, in plan order,
    unranked. Order: bucket; then the prioritized pillars, in the order the workload gives them, before
    every other pillar (which rank as equals); then impact, effort, the question's risk, the pillars' KB
    order and the KB order of questions and choices. So within a bucket an unprioritized pillar never
    comes before a prioritized one. :func:`plan_order` says this to the reader."""
    checklist = _checklist(kb)
    scope = scope or scope_of(checklist, state)
    priority = priority_rank(state)
    unprioritized = len(priority)
    pillar_index = {p.id: n for n, p in enumerate(kb.pillars)}
    names = {p.id: p.name for p in kb.pillars}
    bucket_index = {b.id: n for n, b in enumerate(checklist.buckets)}
    # The order first, the items after: each item is made in plan order, so the passes over the plan that
    # follow (ranks, filters, buckets, the grid) read memory in the order it was written. Sorting items
    # made in KB order left a large plan scattered, and every later pass slower per item than a small one.
    candidates: list[tuple[tuple[int, ...], Question, Choice, Bucket, QuestionRisk]] = []
    for q_index, (question, outcome) in enumerate(zip(checklist.questions, questions, strict=True)):
        risk = outcome["risk"]
        if RISK_WEIGHT[risk] == 0:
            continue
        answer = state.answer(question.id)
        selected = answer.selected
        skip = scope.choices.keys() | answer.set_aside.keys() if answer.choices else scope.choices
        for c_index, choice in enumerate(question.choices):
            if choice.id in selected or choice.id in skip:
                continue
            bucket = bucket_for(checklist, choice)
            key = (
                bucket_index[bucket.id],
                priority.get(question.pillar, unprioritized),
                _IMPACT_ORDER[choice.impact],
                _EFFORT_ORDER[choice.effort],
                -RISK_WEIGHT[risk],
                pillar_index[question.pillar],
                q_index,
                c_index,
            )
            candidates.append((key, question, choice, bucket, outcome))
    candidates.sort(key=lambda candidate: candidate[0])
    return [
        _recommendation(kb, state, question, choice, bucket, names[question.pillar], outcome, site_url)
        for _, question, choice, bucket, outcome in candidates
    ]


def practice_order(kb: KnowledgeBase) -> dict[str, int]:
    """Every practice's place in the plan's own order, what is the same in every workload's plan: bucket,
    impact, effort, the pillars' KB order, the questions' and choices' (a workload's pillar priorities and
    its questions' risks left aside). A list across workloads ranks by it (checklist.portfolio)."""
    checklist = _checklist(kb)
    pillar_index = {p.id: n for n, p in enumerate(kb.pillars)}
    bucket_index = {b.id: n for n, b in enumerate(checklist.buckets)}
    keys = {
        choice.id: (
            bucket_index[bucket_for(checklist, choice).id],
            _IMPACT_ORDER[choice.impact],
            _EFFORT_ORDER[choice.effort],
            pillar_index[question.pillar],
            q_index,
            c_index,
        )
        for q_index, question in enumerate(checklist.questions)
        for c_index, choice in enumerate(question.choices)
    }
    return {choice: n for n, choice in enumerate(sorted(keys, key=keys.__getitem__))}


def _recommendation(
    kb: KnowledgeBase,
    state: State,
    question: Question,
    choice: Choice,
    bucket: Bucket,
    pillar_name: str,
    outcome: QuestionRisk,
    site_url: str,
) -> Recommendation:
    """One missing practice as the plan lists it (unranked)."""
    facts = kb.choice_facts[choice.id]
    return {
        "rank": 0,
        "bucket": bucket.id,
        "pillar": question.pillar,
        "pillar_name": pillar_name,
        "lens": outcome["lens"],
        "lens_name": outcome["lens_name"],
        "question": question.id,
        "question_title": question.title,
        "question_risk": outcome["risk"],
        "choice": choice.id,
        "title": choice.title,
        "improvement": choice.improvement,
        "impact": choice.impact,
        "effort": choice.effort,
        "reference": facts.reference,
        "lens_refs": list(choice.lens_refs),
        "lens_links": list(facts.lens_links),
        "guide": site_url + facts.guide,
        "caveats": list(facts.caveats),
        "decision": as_dict(state.decision(choice.id)),
    }


def why_early(item: Recommendation, prioritized: bool) -> str:
    """One line on what puts a recommendation early: "High-risk question; high impact, low effort"."""
    line = (
        f"{LEVEL_WORDS[item['question_risk']]}-risk question; "
        f"{item['impact']} impact, {effort_words(item['effort'])}"
    )
    return line + ("; prioritized pillar" if prioritized else "")


def start_here(plan: list[Recommendation], state: State) -> list[StartItem]:
    """The first actions: the plan's first ten recommendations (which already honour the buckets, the pillar
    priorities, the scope and the accepted risks), less those the team decided not to do. They run on
    into the next bucket when the first holds fewer than ten."""
    priorities = set(state.workload.pillar_priorities)
    first: Iterator[StartItem] = (
        {
            "rank": item["rank"],
            "choice": item["choice"],
            "title": item["title"],
            "pillar_name": item["pillar_name"],
            "why": why_early(item, item["pillar"] in priorities),
        }
        for item in plan
        if item["decision"]["status"] != "wont_do"
    )
    return list(islice(first, START_HERE))  # words for the ten shown only, however long the plan


def progress(plan: list[Recommendation]) -> Progress:
    """How much of the plan has been taken on: planned or in progress, of every recommendation."""
    taken = sum(1 for item in plan if item["decision"]["status"] in ("planned", "in_progress"))
    return {"planned": taken, "total": len(plan), "text": decisions_summary(taken, len(plan))}


def _counted(counts: Counter[str], groups: list[tuple[str, str]]) -> list[PillarCount]:
    """Each (id, name) group with how many plan items it has (``counts``): "Security (3)"."""
    return [
        {"id": ident, "name": name, "count": counts[ident], "text": f"{name} ({counts[ident]})"}
        for ident, name in groups
    ]


def view(
    plan: list[Recommendation],
    status: str = "",
    owner: str = "",
    pillar: str = "",
    pillars: list[tuple[str, str]] | None = None,
    lens: str = "",
    lenses: list[tuple[str, str]] | None = None,
) -> View:
    """The plan's filters (each status, owner, pillar and lens, with counts) and the ranks the filters
    leave in view. ``pillars`` and ``lenses`` are the KB's (id, name) pairs, in order; without them the
    ones in the plan. Lenses are offered only where the plan draws on more than one: a review of one lens
    has nothing to filter by."""
    if pillars is None:
        pillars = list(dict.fromkeys((item["pillar"], item["pillar_name"]) for item in plan))
    if lenses is None:
        lenses = list(dict.fromkeys((item["lens"], item["lens_name"]) for item in plan))
    # One pass over the plan counts every filter's options and finds the ranks in view: a pass per option
    # read each item of a large plan a dozen times, each time from memory the last pass had moved out of
    # the CPU's caches.
    by_status: Counter[str] = Counter()
    by_pillar: Counter[str] = Counter()
    by_lens: Counter[str] = Counter()
    named: set[str] = set()
    visible: list[int] = []
    for item in plan:
        decision = item["decision"]
        by_status[decision["status"]] += 1
        by_pillar[item["pillar"]] += 1
        by_lens[item["lens"]] += 1
        if decision["owner"]:
            named.add(decision["owner"])
        if (
            (not status or decision["status"] == status)
            and (not owner or decision["owner"] == owner)
            and (not pillar or item["pillar"] == pillar)
            and (not lens or item["lens"] == lens)
        ):
            visible.append(item["rank"])
    statuses: list[StatusCount] = [
        {"id": ident, "label": label, "count": by_status[ident], "text": f"{label} ({by_status[ident]})"}
        for ident, label in STATUSES.items()
        if ident != "risk_accepted"
    ]
    owners = sorted(named)
    pillar_counts = _counted(by_pillar, pillars)
    lens_counts = [entry for entry in _counted(by_lens, lenses) if entry["count"]]
    return {
        "status": status,
        "owner": owner,
        "pillar": pillar,
        "lens": lens,
        "statuses": statuses,
        "owners": owners,
        "pillars": pillar_counts,
        "lenses": lens_counts if len(lens_counts) > 1 else [],
        "visible": visible,
    }


def buckets(checklist: Checklist, plan: list[Recommendation]) -> list[BucketGroup]:
    ranks: dict[str, list[int]] = {b.id: [] for b in checklist.buckets}
    for item in plan:
        ranks[item["bucket"]].append(item["rank"])
    return [
        {
            "id": b.id,
            "label": b.label,
            "heading": f"{b.label} ({len(ranks[b.id])})",
            "description": b.description,
            "count": len(ranks[b.id]),
            "ranks": ranks[b.id],
        }
        for b in checklist.buckets
    ]


def matrix(plan: list[Recommendation], efforts: tuple[str, ...] = EFFORTS) -> Matrix:
    """The impact x effort grid the page draws: rows high impact first, columns low effort first (one
    "not rated" column where efforts are unrated)."""
    cells: dict[tuple[str, str], list[MatrixItem]] = {(i, e): [] for i in IMPACTS for e in efforts}
    for item in plan:
        cells[(item["impact"], item["effort"])].append({"rank": item["rank"], "title": item["title"]})
    return {
        "caption": "How many recommendations fall in each cell, by impact (rows) and effort (columns)",
        "corner": "Impact \\ effort",
        "rows": [
            {
                "impact": impact,
                "label": f"{LEVEL_WORDS[impact]} impact",
                "cells": [
                    {
                        "effort": effort,
                        "label": effort_words(effort).capitalize(),
                        "ranks": [entry["rank"] for entry in cells[(impact, effort)]],
                        "items": cells[(impact, effort)],
                    }
                    for effort in efforts
                ],
            }
            for impact in IMPACTS
        ],
    }


# The grid's visible note (form.py writes it): what its numbers are, which its cells show (results.js).
MATRIX_NOTE = (
    "Each number is how many recommendations fall in that cell; open it to list them, "
    "numbered by their rank in the plan below."
)


def plan_note(totals: Summary, plan: list[Recommendation]) -> str:
    """What to say where the plan would be when it is empty (every output says the same)."""
    if plan:
        return ""
    return NOTHING_TO_IMPROVE if totals["answered"] else NOTHING_ANSWERED


def scope_result(checklist: Checklist, scope: Scope) -> ScopeResult:
    return {
        "chosen": [
            {
                "question": q.id,
                "title": q.question,
                "option": scope.chosen[q.id],
                "label": scope.labels[q.id],
                "not_asked": scope.not_asked.get(q.id, ""),
            }
            for q in checklist.scope
        ],
        "text": scope.summary(len(checklist.questions)),
        "questions": list(scope.questions),
        "choices": list(scope.choices),
    }


def assess(
    kb: KnowledgeBase,
    state: State,
    site_url: str = "",
    today: str = "",
    status: str = "",
    owner: str = "",
    pillar: str = "",
    lens: str = "",
) -> Result:
    """The assessment result: risks, counts, the ranked plan, its groupings and decisions (and warnings).

    ``site_url`` (the published site's address, ending in /) makes the plan's links to the guides
    absolute, for reports read outside the site; without it they are relative to the site's root.
    ``today`` (YYYY-MM-DD) is the assessment's date (``date``, shown by the report) and flags accepted
    risks past their review date; ``status``, ``owner``, ``pillar`` and ``lens`` filter which of the plan's
    ranks are in view."""
    checklist = _checklist(kb)
    scope = scope_of(checklist, state)
    questions = risks(kb, state, scope)
    missing = missing_practices(kb, state, questions, scope, site_url)
    plan = recommendations(missing)
    totals = summary(questions)
    covered = lenses(kb, questions)
    return {
        "site": {"id": kb.site.id, "title": kb.site.title},
        "workload": state.workload.to_dict(),
        "date": today,
        "scope": scope_result(checklist, scope),
        "summary": totals,
        "pillars": _grouped(questions, "pillar", [(p.id, p.name) for p in kb.pillars]),
        "focus_areas": _grouped(questions, "focus", [(f.id, f.name) for f in checklist.focus_areas]),
        "lenses": covered,
        # A KB that names no lenses (every KB before them) reviews with one, and its records say nothing new.
        "lenses_text": lenses_text([lens["name"] for lens in covered]) if kb.aws_lenses else "",
        "questions": questions,
        "recommendations": plan,
        "start_here": start_here(plan, state),
        "progress": progress(plan),
        "view": view(
            plan,
            status,
            owner,
            pillar,
            [(p.id, p.name) for p in kb.pillars],
            lens,
            [(x.id, x.name) for x in kb.lenses],
        ),
        "accepted": accepted_risks(missing, state, today),
        "plan_note": plan_note(totals, plan),
        "disagreements": [
            {
                "question": d.question,
                "text": "Answered differently: " + "; ".join(f"{who}: {what}" for who, what in d.answers),
            }
            for d in state.disagreements
        ],
        "unfinished": {choice: list(problems) for choice, problems in state.unfinished.items()},
        "buckets": buckets(checklist, plan),
        "matrix": matrix(plan, checklist.efforts),
        "risk_labels": dict(RISK_LABELS),
        "warnings": list(state.warnings),
    }

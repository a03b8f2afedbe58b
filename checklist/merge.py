"""Team merge: several people's answers for one workload become one state, cautious where they differ.

Where teammates disagree about a question (one ticked a practice, another did not; one said not
applicable), the merged answer is the cautious one: a practice counts as in place only if everyone who
answered the question ticked it (saying "not applicable" ticks nothing), and the question stays applicable
unless all said it is not. So two teammates' "not applicable" and a third's tick leave the practice
unticked and the question open to be settled, never ticked on one person's word. The WA Tool's marks
follow the same rule: a practice is set aside (not applicable) only if everyone set it aside, and a
reason is kept only where everyone gave the same one. Each disagreement is recorded, with who answered
what, until someone resolves it; the Markdown agenda lists them for the review meeting. The inputs are
put in a fixed order first (by name, then by content), so merging gives the same state in any order.
"""

from __future__ import annotations

import json

from checklist import reasons
from checklist.decisions import Decision
from checklist.knowledge import NONE_TITLE, KnowledgeBase, Question
from checklist.report import md
from checklist.state import Answer, ChoiceAnswer, Disagreement, State, Workload
from checklist.text import plural

# Which decision a merge keeps when teammates differ: the one that keeps the work most visible.
_CAUTION = ("in_progress", "planned", "open", "wont_do", "risk_accepted")


def describe(question: Question, answer: Answer) -> str:
    """One person's answer to a question, in words, for the disagreement and the agenda."""
    if answer.not_applicable:
        return "not applicable" + (f" ({reasons.label(answer.reason)})" if answer.reason else "")
    if question.none_choice in answer.selected:
        said = NONE_TITLE
    else:
        titles = [c.title for c in question.choices if c.id in answer.selected]
        said = "ticked: " + "; ".join(titles) if titles else "not answered"
    set_aside = [c.title for c in question.choices if c.id in answer.set_aside]
    return said + ("; does not apply: " + "; ".join(set_aside) if set_aside else "")


def _opinion(answer: Answer) -> tuple[object, ...]:
    """What a disagreement compares: the ticks, not applicable and its reason, the practices set aside."""
    marks = frozenset((c, a.reason) for c, a in answer.set_aside.items())
    return frozenset(answer.selected), answer.not_applicable, answer.reason, marks


def _agreed_reason(codes: list[str]) -> str:
    """The reason everyone gave, or the default where they differ (the disagreement records each)."""
    return codes[0] if len(set(codes)) == 1 else ""


def _merge_choices(
    question: Question, given: list[tuple[str, Answer]], applicable: list[Answer]
) -> tuple[dict[str, ChoiceAnswer], list[str]]:
    """The practices' marks and notes: a practice is set aside only if everyone who answered the question
    set it aside (cautious: otherwise it counts as missing; one who said the whole question does not apply
    set nothing aside). A practice's notes stay on it when only one text was given; several go to the
    question's notes, named, as the WA Tool keeps at most 250 characters on a practice."""
    merged: dict[str, ChoiceAnswer] = {}
    moved: list[str] = []
    for choice in question.choices:
        marks = [a.choices[choice.id] for a in applicable if choice.id in a.choices]
        set_aside = (
            bool(applicable) and len(marks) == len(applicable) and all(m.not_applicable for m in marks)
        )
        written = [
            (who, a.choices[choice.id].notes) for who, a in given if a.choices.get(choice.id, _NO).notes
        ]
        notes = written[0][1] if len({text for _, text in written}) == 1 else ""
        if len({text for _, text in written}) > 1:
            moved += [f"{who} ({choice.title}): {text}" for who, text in written]
        if set_aside or notes:
            reason = _agreed_reason([m.reason for m in marks]) if set_aside else ""
            merged[choice.id] = ChoiceAnswer(set_aside, reason or reasons.DEFAULT, notes)
    return merged, moved


_NO = ChoiceAnswer()


def _merge_answer(
    question: Question, answers: list[tuple[str, Answer]]
) -> tuple[Answer, Disagreement | None]:
    given = [(who, a) for who, a in answers if a.says_something]
    if not given:
        return Answer(), None
    notes = [f"{who}: {a.notes}" if len(given) > 1 else a.notes for who, a in given if a.notes]
    opinions = {_opinion(a) for who, a in given if a.answered or a.set_aside}
    answered = [a for _, a in given if a.answered]
    if not answered:
        # No one ticked or said "not applicable": the practices' marks are everyone's who gave some.
        applicable: list[Answer] = [a for _, a in given if a.choices]
        selected: tuple[str, ...] = ()
        reason = ""
    elif all(a.not_applicable for a in answered):
        applicable = []
        selected = ()
        reason = _agreed_reason([a.reason for a in answered])
    else:
        # A "not applicable" among the answers ticked nothing: what is agreed is what everyone ticked.
        applicable = answered
        agreed = set.intersection(
            *(set() if a.not_applicable else set(a.selected) - {question.none_choice} for a in answered)
        )
        selected = tuple(c.id for c in question.choices if c.id in agreed) or (question.none_choice,)
        reason = ""
    choices, moved = _merge_choices(question, given, applicable)
    not_applicable = bool(answered) and all(a.not_applicable for a in answered)
    merged = Answer(selected, not_applicable, "\n".join(notes + moved), reason, choices)
    if len(opinions) <= 1:
        return merged, None
    return merged, Disagreement(
        question.id, tuple((who, describe(question, a)) for who, a in given if a.answered or a.set_aside)
    )


def _merge_workload(workloads: list[Workload]) -> Workload:
    """The first value given for each text field; lists joined without repeats (inputs in fixed order)."""
    values: dict[str, object] = {}
    for name in ("name", "description", "industry", "owner", "environment"):
        values[name] = next(
            (getattr(w, name) for w in workloads if getattr(w, name)), getattr(Workload(), name)
        )
    for name in ("regions", "stakeholders", "pillar_priorities"):
        values[name] = tuple(dict.fromkeys(item for w in workloads for item in getattr(w, name)))
    return Workload(**values)  # type: ignore[arg-type]


def _merge_decision(decisions: list[Decision]) -> Decision:
    if not decisions:
        return Decision()
    return min(decisions, key=lambda d: (_CAUTION.index(d.status), json.dumps(d.to_dict(), sort_keys=True)))


def merge(kb: KnowledgeBase, named: list[tuple[str, State]]) -> State:
    """One state from several people's (``named``: who, and their state)."""
    assert kb.checklist is not None
    checklist = kb.checklist
    sources = sorted(named, key=lambda pair: (pair[0], json.dumps(pair[1].to_dict(kb), sort_keys=True)))
    answers: dict[str, Answer] = {}
    disagreements: list[Disagreement] = []
    for question in checklist.questions:
        merged, disagreement = _merge_answer(question, [(who, s.answer(question.id)) for who, s in sources])
        if merged.says_something:
            answers[question.id] = merged
        if disagreement:
            disagreements.append(disagreement)
    earlier = {d.question: d for _, s in sources for d in s.disagreements}  # unresolved in a merged input
    disagreements += [d for q, d in sorted(earlier.items()) if q not in {x.question for x in disagreements}]
    scopes = {json.dumps(s.scope, sort_keys=True) for _, s in sources}
    scope = sources[0][1].scope if len(scopes) == 1 else {}  # differing scopes: everything stays in scope
    practices = [c.id for q in checklist.questions for c in q.choices]
    decisions = {
        c: _merge_decision([s.decisions[c] for _, s in sources if c in s.decisions])
        for c in practices
        if any(c in s.decisions for _, s in sources)
    }
    # The template record stays when everyone's is the same one, so its answers stay marked; teammates who
    # applied different templates (or versions) leave none, and a later apply compares with nothing.
    records = {json.dumps(s.template.to_dict(kb), sort_keys=True) if s.template else "" for _, s in sources}
    template = sources[0][1].template if len(records) == 1 else None
    return State(
        workload=_merge_workload([s.workload for _, s in sources]),
        answers=answers,
        scope=scope,
        decisions=decisions,
        disagreements=tuple(
            sorted(disagreements, key=lambda d: practices_order(checklist.questions, d.question))
        ),
        template=template,
    )


def practices_order(questions: tuple[Question, ...], question_id: str) -> int:
    return next(n for n, q in enumerate(questions) if q.id == question_id)


def agenda(kb: KnowledgeBase, state: State) -> str:
    """The review meeting's agenda: each disagreement by question, with who answered what."""
    assert kb.checklist is not None
    questions = {q.id: q for q in kb.checklist.questions}
    names = {p.id: p.name for p in kb.pillars}
    count = len(state.disagreements)
    lines = ["# Review agenda: where the team disagreed", ""]
    lines.append(
        f"{plural(count, 'question')} to settle. Until then the merged answers keep the cautious choice: a "
        "practice counts only if everyone ticked it, and a question stays applicable unless everyone said it "
        "is not."
        if count
        else "Everyone answered alike: nothing to settle."
    )
    for number, item in enumerate(state.disagreements, start=1):
        question = questions[item.question]
        lines += ["", f"## {number}. {md(question.title)}", "", f"{md(names[question.pillar])}", ""]
        lines += [f"- **{md(who)}**: {md(what)}" for who, what in item.answers]
        lines.append(f"- Merged for now: {md(describe(question, state.answer(question.id)))}")
    return "\n".join(lines) + "\n"


def merged_text(count: int) -> str:
    """What the page says after a merge."""
    if not count:
        return "Merged: you and your teammate answered alike."
    return f"Merged: {plural(count, 'question')} answered differently, marked below until resolved."

"""Which questions and practices apply to a workload, from its answers to "About this workload".

A question or choice with ``applies_if`` applies when that condition (the risk-rule language, over scope
option ids) holds for the options the workload chose. What does not apply is hidden, counts as not
applicable "out of scope", and creates no recommendation; an out-of-scope practice counts as in place
when its question's risk rules are evaluated, since it cannot be missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from checklist import rules
from checklist.knowledge import Checklist, Choice, Question
from checklist.state import State
from checklist.text import plural


@cache
def _condition(text: str) -> rules.Condition:
    return rules.parse(text)


@dataclass(frozen=True)
class Scope:
    """The options a workload chose (defaults included) and what they leave out, with reasons."""

    options: frozenset[str]
    labels: dict[str, str]  # scope question id -> the chosen option's label
    questions: dict[str, str]  # out-of-scope question id -> reason
    choices: dict[str, str]  # out-of-scope choice id (in an in-scope question) -> reason

    def summary(self, total: int) -> str:
        """How much the scope removed, for the page and the report."""
        if not (self.questions or self.choices):
            return "Every question applies to this workload."
        removed = plural(len(self.questions), "question")
        practices = plural(len(self.choices), "practice")
        return f"The scope leaves out {removed} of {total} and {practices} in the questions that remain."


def _reason(checklist: Checklist, condition: str, chosen: dict[str, str]) -> str:
    """``out of scope: <the chosen options the condition turns on>``."""
    named = set(_condition(condition).ids())
    labels = [
        chosen[question.id]
        for question in checklist.scope
        if named & {option.id for option in question.options}
    ]
    return "out of scope: " + "; ".join(labels)


def _applies(item: Question | Choice, options: frozenset[str]) -> bool:
    return not item.applies_if or _condition(item.applies_if).holds(options)


def scope_of(checklist: Checklist, state: State) -> Scope:
    chosen_ids = {q.id: state.scope.get(q.id, q.options[0].id) for q in checklist.scope}
    labels = {
        q.id: next(option.label for option in q.options if option.id == chosen_ids[q.id])
        for q in checklist.scope
    }
    options = frozenset(chosen_ids.values())
    questions: dict[str, str] = {}
    choices: dict[str, str] = {}
    for question in checklist.questions:
        if not _applies(question, options):
            questions[question.id] = _reason(checklist, question.applies_if, labels)
            continue
        for choice in question.choices:
            if not _applies(choice, options):
                choices[choice.id] = _reason(checklist, choice.applies_if, labels)
    return Scope(options, labels, questions, choices)

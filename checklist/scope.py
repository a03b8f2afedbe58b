"""Which questions and practices apply to a workload, from its answers to "About this workload".

A question or choice with ``applies_if`` applies when that condition (the risk-rule language, over scope
option ids) holds for the options the workload chose. What does not apply is hidden, counts as not
applicable "out of scope", and creates no recommendation. An out-of-scope practice is neither missing nor
in place: its question's risk rules are evaluated over the practices in scope only (checklist.rules), so
the scope never hides a risk. A question whose risk rules name no practice left in scope is out of scope
too: no answer could change its risk.

A scope question may itself have ``applies_if`` (over the options of the scope questions before it): when
it does not hold the question is not asked, and the workload counts as having its ``otherwise`` option,
so a contradictory scope (pre-built AI services only, yet self-managed compute) is resolved, visibly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from checklist import rules
from checklist.knowledge import Checklist, Choice, Question, ScopeQuestion
from checklist.text import plural

if TYPE_CHECKING:
    from checklist.state import State

NO_RULE_LEFT = "no practice left in it can change its risk"
# What a practice outside the scope means for a question's risk, as the checklist page says it.
RISK_IN_SCOPE = (
    "A practice the workload's scope leaves out is neither missing nor in place: a question's risk is "
    "decided by its practices in scope only, so a practice that does not apply never lowers a risk and "
    "“None of these” is never “no risk”. A question none of whose practices in scope can change its "
    "risk is left out, with the reason."
)


@cache
def _condition(text: str) -> rules.Condition:
    return rules.parse(text)


@dataclass(frozen=True)
class Answers:
    """The option each scope question counts as having, and why those not asked are not."""

    chosen: dict[str, str]  # scope question id -> option id (defaults and ``otherwise`` included)
    not_asked: dict[str, str]  # scope question id -> the sentence that says why, and what it counts as


@dataclass(frozen=True)
class Scope:
    """The options a workload chose (defaults included) and what they leave out, with reasons."""

    options: frozenset[str]
    labels: dict[str, str]  # scope question id -> the chosen option's label
    questions: dict[str, str]  # out-of-scope question id -> reason
    choices: dict[str, str]  # out-of-scope choice id (in an in-scope question) -> reason
    chosen: dict[str, str] = field(default_factory=dict)  # scope question id -> the option it counts as
    not_asked: dict[str, str] = field(default_factory=dict)  # scope question id -> why it is not asked

    def summary(self, total: int) -> str:
        """How much the scope removed, for the page and the report."""
        if not (self.questions or self.choices):
            return "Every question applies to this workload."
        removed = plural(len(self.questions), "question")
        practices = plural(len(self.choices), "practice")
        return f"The scope leaves out {removed} of {total} and {practices} in the questions that remain."


def _label(question: ScopeQuestion, option: str) -> str:
    return next(o.label for o in question.options if o.id == option)


def answers(checklist: Checklist, given: dict[str, str]) -> Answers:
    """Each scope question's option, in order: the one ``given``, else the first; a question whose
    ``applies_if`` does not hold for the options before it is not asked and counts as ``otherwise``."""
    chosen: dict[str, str] = {}
    not_asked: dict[str, str] = {}
    for question in checklist.scope:
        if question.applies_if and not _condition(question.applies_if).holds(frozenset(chosen.values())):
            chosen[question.id] = question.otherwise
            named = set(_condition(question.applies_if).ids())
            because = [
                f"“{_label(earlier, chosen[earlier.id])}”"
                for earlier in checklist.scope
                if earlier.id in chosen and named & {option.id for option in earlier.options}
            ]
            not_asked[question.id] = (
                f"Not asked with {' and '.join(because)}: it counts as “{_label(question, question.otherwise)}”."
            )
        else:
            chosen[question.id] = given.get(question.id, question.options[0].id)
    return Answers(chosen, not_asked)


def _reason(checklist: Checklist, conditions: list[str], labels: dict[str, str]) -> str:
    """``out of scope: <the chosen options the conditions turn on>``."""
    named = {ident for condition in conditions for ident in _condition(condition).ids()}
    chosen = [
        labels[question.id]
        for question in checklist.scope
        if named & {option.id for option in question.options}
    ]
    return "out of scope: " + "; ".join(chosen)


def _applies(item: Question | Choice, options: frozenset[str]) -> bool:
    return not item.applies_if or _condition(item.applies_if).holds(options)


def _rule_practices(question: Question) -> set[str]:
    return {ident for rule in question.risk_rules for ident in _condition(rule.condition).ids()}


def scope_of(checklist: Checklist, state: State) -> Scope:
    resolved = answers(checklist, state.scope)
    labels = {q.id: _label(q, resolved.chosen[q.id]) for q in checklist.scope}
    options = frozenset(resolved.chosen.values())
    questions: dict[str, str] = {}
    choices: dict[str, str] = {}
    for question in checklist.questions:
        if not _applies(question, options):
            questions[question.id] = _reason(checklist, [question.applies_if], labels)
            continue
        left_out = {c.id: c for c in question.choices if not _applies(c, options)}
        # Only a question the scope took practices from can have lost every practice its rules name.
        decisive = _rule_practices(question) if left_out else set()
        if decisive and decisive <= left_out.keys():  # the scope left out every practice its rules name
            hidden = [left_out[ident].applies_if for ident in sorted(decisive)]
            questions[question.id] = f"{_reason(checklist, hidden, labels)}; {NO_RULE_LEFT}"
            continue
        for choice in left_out.values():
            choices[choice.id] = _reason(checklist, [choice.applies_if], labels)
    return Scope(options, labels, questions, choices, resolved.chosen, resolved.not_asked)

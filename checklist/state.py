"""The state file: a workload, its scope and the answers. Parsed strictly; nothing is guessed.

Every problem is collected, so a person fixing a file by hand sees them all at once. Older versions are
upgraded first and answers follow the KB's moved ids (checklist.migrate); answers to questions the
knowledge base no longer has at all are dropped with a warning rather than refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from checklist import bounded, reasons
from checklist.decisions import OPEN, Decision, parse_decision
from checklist.errors import StateError, as_object, json_kind
from checklist.knowledge import NONE_TITLE, Checklist, KnowledgeBase
from checklist.migrate import VERSION, follow_decisions, follow_moves, upgrade
from checklist.scope import answers as scope_answers

MAX_BYTES = 1_000_000
STATE_FILE = bounded.Kind("a state file", MAX_BYTES)
ENVIRONMENTS = ("production", "pre-production")
DEFAULT_ENVIRONMENT = "production"  # a workload's, unless it says otherwise (the page's form checks it)
_TEXT_FIELDS = ("name", "description", "industry", "owner", "environment")
_LIST_FIELDS = ("regions", "stakeholders", "pillar_priorities")


@dataclass(frozen=True)
class Workload:
    name: str = ""
    description: str = ""
    industry: str = ""
    regions: tuple[str, ...] = ()
    owner: str = ""
    stakeholders: tuple[str, ...] = ()
    environment: str = DEFAULT_ENVIRONMENT
    pillar_priorities: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "industry": self.industry,
            "regions": list(self.regions),
            "owner": self.owner,
            "stakeholders": list(self.stakeholders),
            "environment": self.environment,
            "pillar_priorities": list(self.pillar_priorities),
        }


@dataclass(frozen=True)
class ChoiceAnswer:
    """What the WA Tool keeps on one practice besides its tick: marked not applicable (with the reason
    code), and notes (at most 250 characters there)."""

    not_applicable: bool = False
    reason: str = reasons.DEFAULT  # the reason code, for a practice marked not applicable
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        status = {"status": reasons.NOT_APPLICABLE, "reason": self.reason} if self.not_applicable else {}
        return status | ({"notes": self.notes} if self.notes else {})


@dataclass(frozen=True)
class Answer:
    selected: tuple[str, ...] = ()
    not_applicable: bool = False
    notes: str = ""
    # The WA Tool's reason code for a question marked not applicable; "" is the default (OUT_OF_SCOPE).
    reason: str = ""
    # Practice id -> what the WA Tool keeps on it besides a tick (KB order); written only when there is some.
    choices: dict[str, ChoiceAnswer] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return bool(self.selected) or self.not_applicable

    @property
    def not_applicable_reason(self) -> str:
        """The reason code the WA Tool gets for this question when it is not applicable."""
        return self.reason or reasons.DEFAULT

    @property
    def set_aside(self) -> dict[str, ChoiceAnswer]:
        """The practices marked not applicable (the tool leaves them out of the question's risk)."""
        return {c: a for c, a in self.choices.items() if a.not_applicable}

    @property
    def says_something(self) -> bool:
        """Whether a state file keeps this answer: answered, or with notes or a practice's status."""
        return self.answered or bool(self.notes) or bool(self.choices)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "selected": list(self.selected),
            "not_applicable": self.not_applicable,
            "notes": self.notes,
        }
        if self.reason:  # fields of version 4, written only when set: older files round-trip unchanged
            out["reason"] = self.reason
        if self.choices:
            out["choices"] = {c: a.to_dict() for c, a in self.choices.items()}
        return out


def same_answer(one: Answer, other: Answer) -> bool:
    """Whether two answers say the same: the same practices ticked (in any order), the rest equal. (Ticks
    in the same order, the common case, are compared without copying: assess asks for each template answer.)"""
    if one == other:
        return True
    if one.selected == other.selected or sorted(one.selected) != sorted(other.selected):
        return False
    return replace(one, selected=other.selected) == other


def answers_dict(answers: dict[str, Answer], kb: KnowledgeBase) -> dict[str, Any]:
    """Answers as a file keeps them: in KB order, empty ones left out."""
    assert kb.checklist is not None
    return {
        q.id: answers[q.id].to_dict()
        for q in kb.checklist.questions
        if q.id in answers and answers[q.id].says_something
    }


@dataclass(frozen=True)
class AppliedTemplate:
    """The review template last applied to the workload: its name and version, and the answers and scope
    it gave. Applying a newer version compares with these, to tell the template's answers from the
    workload's own (checklist.templates); an answer still equal to the one it gave is "from template"."""

    name: str
    version: str
    answers: dict[str, Answer] = field(default_factory=dict)
    scope: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """ "Landing zone 2": how results and reports name it."""
        return f"{self.name} {self.version}"

    def to_dict(self, kb: KnowledgeBase) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "scope": dict(sorted(self.scope.items())),
            "answers": answers_dict(self.answers, kb),
        }


@dataclass(frozen=True)
class Disagreement:
    """Teammates answered a question differently; the merged state kept the cautious answer."""

    question: str
    answers: tuple[tuple[str, str], ...]  # (who, what they answered), in a fixed order

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answers": dict(self.answers)}


@dataclass(frozen=True)
class State:
    workload: Workload = field(default_factory=Workload)
    answers: dict[str, Answer] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    scope: dict[str, str] = field(default_factory=dict)  # scope question id -> chosen option (non-default)
    decisions: dict[str, Decision] = field(default_factory=dict)  # practice (choice) id -> decision
    disagreements: tuple[Disagreement, ...] = ()  # left by a team merge, until someone resolves them
    # Decisions set aside while being filled in (the page's lenient reading): practice id -> problems.
    unfinished: dict[str, tuple[str, ...]] = field(default_factory=dict)
    template: AppliedTemplate | None = None  # the review template last applied (checklist.templates)

    def decision(self, choice_id: str) -> Decision:
        return self.decisions.get(choice_id, OPEN)

    def answer(self, question_id: str) -> Answer:
        return self.answers.get(question_id, Answer())

    def from_template(self) -> dict[str, str]:
        """Question id -> the applied template's label, for each answer still equal to the one it gave
        (one pass over the template's answers: assess looks each question up once)."""
        template = self.template
        if template is None:
            return {}
        return {
            question: template.label
            for question, given in template.answers.items()
            if question in self.answers and same_answer(self.answers[question], given)
        }

    def to_dict(self, kb: KnowledgeBase) -> dict[str, Any]:
        """The state file as the checklist saves it: answers in KB order, empty answers left out; the
        applied template only when there is one (a file without it is written as it always was)."""
        assert kb.checklist is not None
        choices = [c.id for q in kb.checklist.questions for c in q.choices]
        data: dict[str, Any] = {
            "version": VERSION,
            "workload": self.workload.to_dict(),
            "scope": dict(sorted(self.scope.items())),
            "answers": answers_dict(self.answers, kb),
            "decisions": {
                c: self.decisions[c].to_dict()
                for c in choices
                if c in self.decisions and not self.decisions[c].is_default
            },
            "disagreements": [d.to_dict() for d in self.disagreements],
        }
        if self.template is not None:
            data["template"] = self.template.to_dict(kb)
        return data

    def to_json(self, kb: KnowledgeBase) -> str:
        """The state file's text: the page's "Save state" and ``python -m checklist state`` write these bytes."""
        return json.dumps(self.to_dict(kb), indent=2, ensure_ascii=False) + "\n"


def _strings(value: object, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(f"{where}: must be a list of strings, not {json_kind(value)}")
        return ()
    out = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            out.append(item)
        else:
            problems.append(f"{where}[{index}]: must be a string, not {json_kind(item)}")
    return tuple(out)


def _workload(data: object, kb: KnowledgeBase, problems: list[str]) -> Workload:
    given = as_object("workload", data, problems)
    if given is None:
        return Workload()
    values: dict[str, Any] = {}
    for key, value in given.items():
        where = f"workload.{key}"
        if key in _TEXT_FIELDS:
            if isinstance(value, str):
                values[key] = value
            else:
                problems.append(f"{where}: must be a string, not {json_kind(value)}")
        elif key in _LIST_FIELDS:
            values[key] = _strings(value, where, problems)
        else:
            problems.append(f"{where}: unknown field")
    environment = values.get("environment", DEFAULT_ENVIRONMENT)
    if environment not in ENVIRONMENTS:
        problems.append(
            f"workload.environment: must be one of {', '.join(ENVIRONMENTS)} (got {environment!r})"
        )
    pillars = [p.id for p in kb.pillars]
    seen: set[str] = set()
    for index, pillar in enumerate(values.get("pillar_priorities", ())):
        if pillar not in pillars:
            problems.append(f"workload.pillar_priorities[{index}]: unknown pillar {pillar!r}")
        elif pillar in seen:
            problems.append(f"workload.pillar_priorities[{index}]: {pillar!r} is listed twice")
        seen.add(pillar)
    return Workload(**values)


def _answer(question_id: str, data: object, choices: list[str], none_id: str, problems: list[str]) -> Answer:
    where = f"answers.{question_id}"
    if not isinstance(data, dict):
        problems.append(f"{where}: must be an object, not {json_kind(data)}")
        return Answer()
    selected: tuple[str, ...] = ()
    not_applicable, notes, reason = False, "", ""
    practices: dict[str, ChoiceAnswer] = {}
    for key, value in data.items():
        if key == "selected":
            selected = _strings(value, f"{where}.selected", problems)
        elif key == "not_applicable":
            if isinstance(value, bool):
                not_applicable = value
            else:
                problems.append(f"{where}.not_applicable: must be true or false, not {json_kind(value)}")
        elif key == "notes":
            if isinstance(value, str):
                notes = value
            else:
                problems.append(f"{where}.notes: must be a string, not {json_kind(value)}")
        elif key == "reason":
            reason = _reason(value, f"{where}.reason", problems)
        elif key == "choices":
            practices = _choice_answers(value, f"{where}.choices", choices, problems)
        else:
            problems.append(f"{where}.{key}: unknown field")
    for index, choice in enumerate(selected):
        if choice not in choices and choice != none_id:
            problems.append(f"{where}.selected[{index}]: unknown choice {choice!r} for this question")
        elif choice in selected[:index]:
            problems.append(f"{where}.selected[{index}]: {choice!r} is selected twice")
        elif choice in practices and practices[choice].not_applicable:
            problems.append(
                f"{where}.choices.{choice}: the practice is both selected and marked not applicable"
            )
    if none_id in selected and len(selected) > 1:
        problems.append(f"{where}.selected: {none_id!r} ({NONE_TITLE}) cannot be selected with other choices")
    if reason and not not_applicable:
        problems.append(f"{where}.reason: a reason is for a question marked not applicable (not_applicable)")
    # The default reason is not written: a file saved before reasons and one that names it read the same.
    return Answer(selected, not_applicable, notes, "" if reason == reasons.DEFAULT else reason, practices)


def _reason(value: object, where: str, problems: list[str]) -> str:
    if isinstance(value, str) and value in reasons.REASONS:
        return value
    problems.append(f"{where}: must be one of {reasons.codes_text()} (got {json.dumps(value)})")
    return ""


def _choice_answers(
    data: object, where: str, choices: list[str], problems: list[str]
) -> dict[str, ChoiceAnswer]:
    """A question's per-practice statuses: {practice id: {"status": "not_applicable", "reason", "notes"}},
    in the question's order; an entry that says nothing is not kept."""
    if not isinstance(data, dict):
        problems.append(f"{where}: must be an object, not {json_kind(data)}")
        return {}
    found: dict[str, ChoiceAnswer] = {}
    for choice_id, raw in data.items():
        at = f"{where}.{choice_id}"
        if choice_id not in choices:
            problems.append(f"{at}: unknown practice for this question")
            continue
        if not isinstance(raw, dict):
            problems.append(f"{at}: must be an object, not {json_kind(raw)}")
            continue
        status, reason, notes = "", "", ""
        for key, value in raw.items():
            if key == "status":
                if value == reasons.NOT_APPLICABLE:
                    status = value
                else:
                    problems.append(
                        f"{at}.status: must be {reasons.NOT_APPLICABLE!r} (a selected practice is in "
                        f"selected), not {json.dumps(value)}"
                    )
            elif key == "reason":
                reason = _reason(value, f"{at}.reason", problems)
            elif key == "notes":
                if not isinstance(value, str):
                    problems.append(f"{at}.notes: must be a string, not {json_kind(value)}")
                elif reasons.utf16_length(value) > reasons.CHOICE_NOTES_LIMIT:
                    problems.append(
                        f"{at}.notes: {reasons.utf16_length(value):,} characters; the WA Tool keeps at most "
                        f"{reasons.CHOICE_NOTES_LIMIT} on a practice"
                    )
                else:
                    notes = value
            else:
                problems.append(f"{at}.{key}: unknown field")
        if reason and not status:
            problems.append(f"{at}.reason: a reason is for a practice marked not applicable (status)")
        if status or notes:
            found[choice_id] = ChoiceAnswer(bool(status), reason or reasons.DEFAULT, notes)
    return {c: found[c] for c in choices if c in found}


def known_version(version: object, first: int, problems: list[str]) -> bool:
    """Whether a file's ``version`` is one this engine reads (``first`` to :data:`VERSION`); if not, the
    problem is added."""
    if isinstance(version, int) and not isinstance(version, bool) and first <= version <= VERSION:
        return True
    problems.append(f"version: must be a number from {first} to {VERSION} (got {json.dumps(version)})")
    return False


def parse_state(data: object, kb: KnowledgeBase, lenient_decisions: bool = False) -> State:
    """Check a decoded state against the KB; raise :class:`StateError` listing every problem.

    With ``lenient_decisions`` (the page, while someone fills in a decision), a decision with problems is
    set aside (``State.unfinished``) instead of refusing the whole state."""
    checklist = kb.checklist
    if checklist is None:
        raise StateError(["the knowledge base has no checklist"])
    if not isinstance(data, dict):
        raise StateError([f"the state must be a JSON object, not {json_kind(data)}"])
    problems: list[str] = []
    version = data.get("version")
    # A version this engine does not know: the rest is still checked (as the current version), so every
    # problem shows at once.
    if known_version(version, 1, problems):
        data = upgrade(data)
    for key in data:
        if key not in ("version", "workload", "scope", "answers", "decisions", "disagreements", "template"):
            problems.append(f"{key}: unknown field")
    workload = _workload(data.get("workload", {}), kb, problems)
    scope, scope_notes = _resolved(_scope(data.get("scope", {}), checklist, problems), checklist)
    answers, moved = parse_answers(data.get("answers", {}), checklist, problems)
    questions = {q.id: q for q in checklist.questions}
    template = _applied(data["template"], checklist, problems) if "template" in data else None
    raw_decisions, decision_notes = follow_decisions(data.get("decisions", {}), checklist)
    unfinished: dict[str, tuple[str, ...]] = {}
    decisions = _decisions(
        raw_decisions, checklist, problems, decision_notes, unfinished if lenient_decisions else None
    )
    disagreements = _disagreements(data.get("disagreements", []), questions, problems)
    if problems:
        raise StateError(problems)
    return State(
        workload,
        answers,
        tuple(scope_notes + moved + decision_notes),
        scope,
        decisions,
        disagreements,
        unfinished,
        template,
    )


def parse_answers(
    data: object, checklist: Checklist, problems: list[str], where: str = "answers"
) -> tuple[dict[str, Answer], list[str]]:
    """The answers (a state's, or a template's at ``where``), with retired ids followed
    (checklist.migrate), and the notes that say what moved or was dropped."""
    raw_answers, notes = follow_moves(data, checklist)
    if not isinstance(raw_answers, dict):
        problems.append(f"{where}: must be an object, not {json_kind(raw_answers)}")
        return {}, notes
    answers: dict[str, Answer] = {}
    dropped: list[str] = []
    found: list[str] = []
    questions = {q.id: q for q in checklist.questions}
    for question_id, raw in raw_answers.items():
        question = questions.get(question_id)
        if question is None:
            dropped.append(question_id)
            continue
        choices = [c.id for c in question.choices]
        answers[question_id] = _answer(question_id, raw, choices, question.none_choice, found)
    problems.extend(where + problem.removeprefix("answers") for problem in found)
    if dropped:
        notes.append(
            f"dropped answers to questions this checklist does not have: {', '.join(sorted(dropped))}"
        )
    return answers, notes


def parse_scope(
    data: object, checklist: Checklist, problems: list[str], where: str = "scope"
) -> dict[str, str]:
    """A template's scope: each scope question's chosen option, checked (the default one not stored)."""
    found: list[str] = []
    scope = _scope(data, checklist, found)
    problems.extend(where + problem.removeprefix("scope") for problem in found)
    return scope


TEMPLATE_NAME_LIMITS = {"name": 100, "version": 40}  # characters (the page's fields say so too)


def template_names(data: dict[str, Any], where: str, problems: list[str]) -> tuple[str, str]:
    """A template's name and version: text on one line, given, of a sensible length."""
    values = []
    for key, limit in TEMPLATE_NAME_LIMITS.items():
        value = data.get(key)
        if not isinstance(value, str):
            problems.append(f"{where}.{key}: must be a string, not {json_kind(value)}")
            value = ""
        elif not value.strip():
            problems.append(f"{where}.{key}: must not be empty")
        elif len(value) > limit:
            problems.append(f"{where}.{key}: must be at most {limit} characters (got {len(value):,})")
        elif any(ord(char) < 32 or ord(char) == 127 for char in value):
            problems.append(f"{where}.{key}: must be one line of text, without control characters")
        values.append(value.strip())
    return values[0], values[1]


def _applied(data: object, checklist: Checklist, problems: list[str]) -> AppliedTemplate | None:
    """The state's record of the template last applied (its answers follow moved ids, as the state's do;
    the notes about them would repeat the state's own, so they are not kept)."""
    given = as_object("template", data, problems)
    if given is None:
        return None
    if "answers" not in given:
        # A template file's "template" names it; a state's record of one always holds what it gave.
        problems.append(
            "template: this is a review template, not a state file: apply it to a workload with "
            "“Apply a template…” (or `template apply`)"
        )
        return None
    for key in given:
        if key not in ("name", "version", "scope", "answers"):
            problems.append(f"template.{key}: unknown field")
    name, version = template_names(given, "template", problems)
    answers, _ = parse_answers(given.get("answers", {}), checklist, problems, "template.answers")
    scope = parse_scope(given.get("scope", {}), checklist, problems, "template.scope")
    return AppliedTemplate(name, version, answers, scope)


def _decisions(
    data: object,
    checklist: Checklist,
    problems: list[str],
    notes: list[str],
    unfinished: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, Decision]:
    if not isinstance(data, dict):
        problems.append(f"decisions: must be an object, not {json_kind(data)}")
        return {}
    practices = {c.id for q in checklist.questions for c in q.choices}
    decisions = {}
    for choice_id, raw in data.items():
        if choice_id not in practices:
            notes.append(f"dropped the decision on '{choice_id}', a practice this checklist does not have")
            continue
        found: list[str] = []
        decision = parse_decision(f"decisions.{choice_id}", raw, found)
        if found and unfinished is not None:
            unfinished[choice_id] = tuple(p.removeprefix(f"decisions.{choice_id}.") for p in found)
            continue
        problems.extend(found)
        if not decision.is_default:  # an untouched decision says nothing
            decisions[choice_id] = decision
    return decisions


def _disagreements(data: object, questions: dict[str, Any], problems: list[str]) -> tuple[Disagreement, ...]:
    if not isinstance(data, list):
        problems.append(f"disagreements: must be a list, not {json_kind(data)}")
        return ()
    found = []
    for index, item in enumerate(data):
        where = f"disagreements[{index}]"
        answers = item.get("answers") if isinstance(item, dict) else None
        question = item.get("question") if isinstance(item, dict) else None
        if not isinstance(question, str) or not isinstance(answers, dict):
            problems.append(f"{where}: must be an object with a question id and the answers of each person")
        elif question not in questions:
            continue  # the question is gone from the checklist: nothing left to resolve
        elif not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
            problems.append(f"{where}.answers: must map each person's name to what they answered")
        else:
            found.append(Disagreement(question, tuple(answers.items())))
    return tuple(found)


def _scope(data: object, checklist: Checklist, problems: list[str]) -> dict[str, str]:
    """The chosen option of each scope question; the default (first) option is not stored."""
    if not isinstance(data, dict):
        problems.append(f"scope: must be an object, not {json_kind(data)}")
        return {}
    scope: dict[str, str] = {}
    questions = {question.id: question for question in checklist.scope}
    for key, value in data.items():
        question = questions.get(key)
        options = [option.id for option in question.options] if question else []
        if question is None:
            problems.append(f"scope.{key}: unknown scope question")
        elif not isinstance(value, str) or value not in options:
            problems.append(f"scope.{key}: must be one of {', '.join(options)} (got {json.dumps(value)})")
        elif value != options[0]:
            scope[key] = value
    return scope


def _resolved(scope: dict[str, str], checklist: Checklist) -> tuple[dict[str, str], list[str]]:
    """The scope with each question that is not asked set to the option it counts as (checklist.scope),
    and a note for each answer that contradicted the ones before it (a file saved before the question had
    its condition): the note says what it counts as now."""
    resolved = scope_answers(checklist, scope)
    notes = []
    for question in checklist.scope:
        given = scope.get(question.id, question.options[0].id)
        if question.id in resolved.not_asked and given != question.otherwise:
            label = next(option.label for option in question.options if option.id == given)
            notes.append(
                f"the scope question “{question.question}” had “{label}”, which does not fit the answers "
                f"before it. {resolved.not_asked[question.id]}"
            )
    kept = {
        question.id: resolved.chosen[question.id]
        for question in checklist.scope
        if resolved.chosen[question.id] != question.options[0].id
    }
    return kept, notes


def check_size(size: int) -> None:
    """Refuse a file over the limit before reading it (the page passes a file's size before its text)."""
    bounded.check_size(size, STATE_FILE, StateError)


def parse_state_text(text: str, kb: KnowledgeBase) -> State:
    """Decode and check a state file's text (what the CLI reads and the browser imports)."""
    return parse_state(bounded.parse(text, STATE_FILE, StateError), kb)

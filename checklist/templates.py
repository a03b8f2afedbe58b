"""Review templates: answers a platform team gives once (account-wide controls), inherited by each workload.

A template file is a state file cut down to what a template carries: its name and version, a scope and
answers (no workload, decisions or disagreements). It is read as strictly as a state file, size-bounded,
and its answers follow the KB's moved ids as a state's do.

Applying a template is a three-way merge, question by question, between the template the workload last
applied (recorded in the state, ``State.template``), the workload's answer and the new template's answer:

- the workload never answered the question, or its answer still equals what the last template gave: it
  takes the new template's answer (filled in, updated, or cleared when the template no longer answers it);
- the workload changed the answer itself: the workload's answer stays, and when the template changed too
  the change list says so ("you changed it; the template now says ...").

A first application has no last template, so it fills unanswered questions only and lists the answered
ones that differ as kept. The scope follows the same rules, an unchosen scope question counting as
unanswered. A template of another name takes the last one's place by the same rules (its answers, still
unchanged, are replaced), and the change list says which it replaced. An answer equal to the applied
template's is "from template <name> <version>" (``State.from_template``).
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from checklist import bounded
from checklist.errors import StateError, json_kind
from checklist.knowledge import NONE_TITLE, KnowledgeBase, Question, ScopeQuestion
from checklist.migrate import VERSION
from checklist.state import MAX_BYTES as STATE_MAX_BYTES
from checklist.state import (
    Answer,
    AppliedTemplate,
    State,
    answers_dict,
    known_version,
    parse_answers,
    parse_scope,
    same_answer,
    template_names,
)

MAX_BYTES = STATE_MAX_BYTES  # a template holds at most a state's answers and scope
TEMPLATE_FILE = bounded.Kind("a template file", MAX_BYTES)
FIRST_VERSION = 4  # the state version templates began with
_FIELDS = ("version", "template", "scope", "answers")
_NOT_IN_TEMPLATES = ("workload", "decisions", "disagreements")
_NOTES_SHOWN = 60  # characters of a note quoted in a change

# The kinds of change, in the order the page and the CLI list them, with their headings.
HEADINGS = {
    "added": "Filled in from the template",
    "updated": "Updated to the template's new answer",
    "kept": "Kept because you changed them",
    "removed": "Removed from the template",
}


@dataclass(frozen=True)
class Template:
    """A review template: what it is called, and the answers and scope it gives."""

    name: str
    version: str
    answers: dict[str, Answer]
    scope: dict[str, str]
    warnings: tuple[str, ...] = ()  # what moved or was dropped while reading it

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    def to_dict(self, kb: KnowledgeBase) -> dict[str, Any]:
        return {
            "version": VERSION,
            "template": {"name": self.name, "version": self.version},
            "scope": dict(sorted(self.scope.items())),
            "answers": answers_dict(self.answers, kb),
        }

    @property
    def file_name(self) -> str:
        """What the page names the file it downloads: "landing-zone-2.template.json"."""
        stem = re.sub(r"[^a-z0-9]+", "-", self.label.lower()).strip("-")
        return f"{stem or 'review'}.template.json"

    def to_json(self, kb: KnowledgeBase) -> str:
        """The template file's text: the page's "Save as template" and ``template save`` write these bytes."""
        return json.dumps(self.to_dict(kb), indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Change:
    kind: str  # a key of HEADINGS
    question: str  # the question's id, or the scope question's
    text: str  # the question and what happened to it, in words


@dataclass(frozen=True)
class Changes:
    """What applying a template did, as the page shows it and the CLI prints it."""

    template: str  # its label
    replaced: str  # the label of a different template applied before, or ""
    items: tuple[Change, ...]

    def summary(self) -> str:
        """ "Applied the template Landing zone 2: 3 filled in, 1 kept because you changed it."."""
        counts = {kind: sum(1 for item in self.items if item.kind == kind) for kind in HEADINGS}
        parts = [
            f"{counts['added']} filled in" if counts["added"] else "",
            f"{counts['updated']} updated" if counts["updated"] else "",
            f"{counts['kept']} kept because you changed {'it' if counts['kept'] == 1 else 'them'}"
            if counts["kept"]
            else "",
            f"{counts['removed']} removed" if counts["removed"] else "",
        ]
        said = ", ".join(part for part in parts if part) or "nothing changed"
        instead = f" (in place of the template {self.replaced})" if self.replaced else ""
        return f"Applied the template {self.template}{instead}: {said}."

    def sections(self) -> list[dict[str, Any]]:
        """The changes under their headings, in the order of HEADINGS (empty ones left out)."""
        return [
            {"kind": kind, "heading": heading, "items": [c.text for c in self.items if c.kind == kind]}
            for kind, heading in HEADINGS.items()
            if any(c.kind == kind for c in self.items)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary(), "sections": self.sections()}

    def to_text(self) -> str:
        """The summary and each change on its own line (the CLI's standard error)."""
        lines = [self.summary()]
        for section in self.sections():
            lines += [f"{section['heading']}:"] + [f"- {text}" for text in section["items"]]
        return "\n".join(lines) + "\n"


def save(kb: KnowledgeBase, state: State, name: str, version: str) -> Template:
    """The state's answers and scope as a template called ``name`` ``version`` (checked as a file's are)."""
    problems: list[str] = []
    name, version = template_names({"name": name, "version": version}, "template", problems)
    if problems:
        raise StateError(problems)
    answers = {q: a for q, a in state.answers.items() if a.says_something}
    return Template(name, version, answers, dict(state.scope))


def parse_template(data: object, kb: KnowledgeBase) -> Template:
    """Check a decoded template file against the KB; raise :class:`StateError` listing every problem."""
    checklist = kb.checklist
    if checklist is None:
        raise StateError(["the knowledge base has no checklist"])
    if not isinstance(data, dict):
        raise StateError([f"a template must be a JSON object, not {json_kind(data)}"])
    problems: list[str] = []
    version = data.get("version")
    known_version(version, FIRST_VERSION, problems)
    for key in data:
        if key in _NOT_IN_TEMPLATES:
            problems.append(
                f"{key}: a template carries no {key}: is this a state file? "
                "Make a template from it with “Save as template” or `template save`"
            )
        elif key not in _FIELDS:
            problems.append(f"{key}: unknown field")
    name, label = "", ""
    head = data.get("template")
    if not isinstance(head, dict):
        problems.append(
            f"template: must be an object with the template's name and version, not {json_kind(head)}"
        )
    else:
        for key in head:
            if key not in ("name", "version"):
                problems.append(f"template.{key}: unknown field")
        name, label = template_names(head, "template", problems)
    answers, notes = parse_answers(data.get("answers", {}), checklist, problems)
    scope = parse_scope(data.get("scope", {}), checklist, problems)
    if problems:
        raise StateError(problems)
    return Template(name, label, answers, scope, tuple(notes))


def check_size(size: int) -> None:
    """Refuse a file over the limit before reading it (the page passes a file's size before its text)."""
    bounded.check_size(size, TEMPLATE_FILE, StateError)


def parse_template_text(text: str | bytes, kb: KnowledgeBase) -> Template:
    """Decode and check a template file's text (what the CLI reads and the page applies)."""
    return parse_template(bounded.parse(text, TEMPLATE_FILE, StateError), kb)


def _given(answer: Answer | None) -> Answer | None:
    """An answer that says something, or None (an empty answer is no answer)."""
    return answer if answer is not None and answer.says_something else None


def _same(one: Answer | None, other: Answer | None) -> bool:
    if one is None or other is None:
        return one is other
    return same_answer(one, other)


def describe(question: Question, answer: Answer | None) -> str:
    """An answer in words, for a change: "ticked: A; B", "not applicable", "no answer"; with its note."""
    if answer is None:
        return "no answer"
    if answer.not_applicable:
        said = "not applicable"
    elif question.none_choice in answer.selected:
        said = NONE_TITLE
    elif answer.selected:
        said = "ticked: " + "; ".join(c.title for c in question.choices if c.id in answer.selected)
    else:
        said = "nothing ticked"
    note = " ".join(answer.notes.split())
    if note:
        shown = note if len(note) <= _NOTES_SHOWN else note[: _NOTES_SHOWN - 1] + "…"
        said += f", with the note “{shown}”"
    return said


def _kind[T](
    ours: T | None, base: T | None, theirs: T | None, same: Callable[[T | None, T | None], bool]
) -> str:
    """The three-way rule for one question: the kind of change (a key of HEADINGS), or "" for none worth
    saying (the template did not change its answer, or the workload already says what it says). A change
    other than "kept" takes the template's answer."""
    if same(theirs, base) or same(ours, theirs):
        return ""
    if not same(ours, base):
        return "kept"
    return "removed" if theirs is None else "added" if base is None else "updated"


def _answer_text(
    kind: str, question: Question, ours: Answer | None, base: Answer | None, theirs: Answer | None
) -> str:
    title = f"“{question.title}”"
    if kind == "added":
        return f"{title}: {describe(question, theirs)}"
    if kind == "updated":
        return f"{title}: now {describe(question, theirs)} (was {describe(question, base)})"
    if kind == "removed":
        return f"{title}: the template no longer answers it, so its answer ({describe(question, base)}) is cleared"
    if theirs is None:
        return f"{title}: you changed it; the template no longer answers it, so your answer stays"
    if base is None:
        return f"{title}: you answered it yourself; the template says {describe(question, theirs)}"
    return f"{title}: you changed it; the template now says {describe(question, theirs)}"


def _option(question: ScopeQuestion, option: str | None) -> str:
    chosen = option or question.options[0].id
    return "“" + next(o.label for o in question.options if o.id == chosen) + "”"


def _scope_text(kind: str, question: ScopeQuestion, base: str | None, theirs: str | None) -> str:
    title = f"About this workload, “{question.question}”"
    if kind in ("added", "updated"):
        return f"{title}: {_option(question, theirs)}" + (
            f" (was {_option(question, base)})" if kind == "updated" else ""
        )
    if kind == "removed":
        return f"{title}: the template no longer answers it, so it is back to {_option(question, None)}"
    if theirs is None:
        return f"{title}: you changed it; the template no longer answers it, so your answer stays"
    if base is None:
        return f"{title}: you chose it yourself; the template says {_option(question, theirs)}"
    return f"{title}: you changed it; the template now says {_option(question, theirs)}"


def apply(kb: KnowledgeBase, state: State, template: Template) -> tuple[State, Changes]:
    """The state with ``template`` applied (see the module's docstring), and what changed, in KB order."""
    checklist = kb.checklist
    assert checklist is not None
    last = state.template
    base_answers = last.answers if last else {}
    base_scope = last.scope if last else {}
    answers = dict(state.answers)
    scope = dict(state.scope)
    items: list[Change] = []
    for sq in checklist.scope:
        option, base_option, new_option = (
            given.get(sq.id) for given in (state.scope, base_scope, template.scope)
        )
        kind = _kind(option, base_option, new_option, operator.eq)
        if kind in ("added", "updated"):
            scope[sq.id] = str(new_option)
        elif kind == "removed":
            scope.pop(sq.id, None)
        if kind:
            items.append(Change(kind, sq.id, _scope_text(kind, sq, base_option, new_option)))
    for question in checklist.questions:
        ours = _given(state.answers.get(question.id))
        base = _given(base_answers.get(question.id))
        theirs = _given(template.answers.get(question.id))
        kind = _kind(ours, base, theirs, _same)
        if kind in ("added", "updated") and theirs is not None:
            answers[question.id] = theirs
        elif kind == "removed":
            answers.pop(question.id, None)
        if kind:
            items.append(Change(kind, question.id, _answer_text(kind, question, ours, base, theirs)))
    applied = AppliedTemplate(template.name, template.version, dict(template.answers), dict(template.scope))
    replaced = last.label if last and last.name != template.name else ""
    new_state = replace(state, answers=answers, scope=scope, template=applied)
    return new_state, Changes(template.label, replaced, tuple(items))

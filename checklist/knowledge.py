"""The knowledge base as typed, immutable objects, built from already-validated plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from checklist.scales import EFFORTS

KB_FILENAME = "knowledge-base.yml"  # in the docs folder: the site's content and the CLI's default KB
NONE_SUFFIX = "_no"  # a question's implicit "None of these" choice is its id plus this
NONE_TITLE = "None of these"
_LENS_PRACTICE_PAGE = "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/{}.html"


def lens_practice_url(lens_ref: str) -> str:
    """The ML Lens page of a best practice, e.g. ``MLSEC01-BP01`` (lens ids are lower case in its URLs)."""
    return _LENS_PRACTICE_PAGE.format(lens_ref.lower())


def none_choice_id(question_id: str) -> str:
    """The id of a question's "None of these" choice; reserved, so no KB id may take it."""
    return question_id + NONE_SUFFIX


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def find[T: _HasId](items: Iterable[T], ident: str, kind: str) -> T:
    """The item with ``ident``; every lookup in the model fails the same way (``KeyError``) when it is not there."""
    for item in items:
        if item.id == ident:
            return item
    raise KeyError(f"no {kind} '{ident}' in the knowledge base")


def _tuple(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(data.get(key) or ())


@dataclass(frozen=True)
class Reference:
    id: str
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Service:
    id: str
    name: str


@dataclass(frozen=True)
class Point:
    """A consideration or a step's point: a sentence that may name services and cite sources."""

    id: str
    text: str
    services: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Point:
        return cls(data["id"], data["text"], _tuple(data, "services"), _tuple(data, "cites"))


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    text: str
    services: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Practice:
        return cls(data["id"], data["title"], data["text"], _tuple(data, "services"), _tuple(data, "cites"))


@dataclass(frozen=True)
class Example:
    title: str
    industry: str
    text: str
    services: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Example:
        return cls(
            data["title"], data["industry"], data["text"], _tuple(data, "services"), _tuple(data, "cites")
        )


@dataclass(frozen=True)
class Outcome:
    relation: str
    label: str


@dataclass(frozen=True)
class Pillar:
    id: str
    name: str
    lens_pillar_id: str
    summary: str
    outcome: Outcome
    considerations: tuple[Point, ...]
    practices: tuple[Practice, ...]
    example: Example
    cites: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """The guide page's file name stem, e.g. ``cost-optimization``."""
        return self.id.replace("_", "-")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pillar:
        return cls(
            id=data["id"],
            name=data["name"],
            lens_pillar_id=data["lens_pillar_id"],
            summary=data["summary"],
            outcome=Outcome(**data["outcome"]),
            considerations=tuple(Point.from_dict(p) for p in data["considerations"]),
            practices=tuple(Practice.from_dict(p) for p in data["practices"]),
            example=Example.from_dict(data["example"]),
            cites=_tuple(data, "cites"),
        )


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    summary: str
    points: tuple[Point, ...]
    cites: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        points = tuple(Point.from_dict(p) for p in data["points"])
        return cls(data["id"], data["name"], data["summary"], points, _tuple(data, "cites"))


@dataclass(frozen=True)
class PriorityRule:
    id: str
    impact: str
    effort: str
    action: str
    text: str
    example: str = ""


@dataclass(frozen=True)
class Prioritization:
    summary: str
    rules: tuple[PriorityRule, ...]
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    tool: str
    summary: str
    steps: tuple[Step, ...]
    prioritization: Prioritization
    example: Example | None = None
    cites: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assessment:
        prio = data["prioritization"]
        return cls(
            tool=data["tool"],
            summary=data["summary"],
            steps=tuple(Step.from_dict(s) for s in data["steps"]),
            prioritization=Prioritization(
                prio["summary"], tuple(PriorityRule(**r) for r in prio["rules"]), _tuple(prio, "cites")
            ),
            example=Example.from_dict(data["example"]) if data.get("example") else None,
            cites=_tuple(data, "cites"),
        )


@dataclass(frozen=True)
class Framework:
    name: str
    summary: str
    closing: str
    outlook: str = ""
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuizOption:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    prompt: str
    options: tuple[QuizOption, ...]
    explanation: str
    multi: bool = False
    cites: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuizQuestion:
        return cls(
            id=data["id"],
            prompt=data["prompt"],
            options=tuple(QuizOption(o["text"], bool(o.get("correct"))) for o in data["options"]),
            explanation=data["explanation"],
            multi=bool(data.get("multi")),
            cites=_tuple(data, "cites"),
        )


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    questions: tuple[QuizQuestion, ...]
    pillar: str = ""
    intro: str = ""
    shuffle: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quiz:
        return cls(
            id=data["id"],
            title=data["title"],
            questions=tuple(QuizQuestion.from_dict(q) for q in data["questions"]),
            pillar=data.get("pillar", ""),
            intro=data.get("intro", ""),
            shuffle=bool(data.get("shuffle")),
        )


@dataclass(frozen=True)
class Choice:
    """A best practice a team can tick; while it is missing it exposes ``impact`` and costs ``effort``."""

    id: str
    title: str
    impact: str
    effort: str
    improvement: str
    reference: str
    lens_refs: tuple[str, ...] = ()

    @property
    def reference_is_url(self) -> bool:
        """``reference`` is either a KB reference id or a helpful resource's https URL."""
        return self.reference.startswith("https://")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Choice:
        return cls(
            id=data["id"],
            title=data["title"],
            impact=data["impact"],
            effort=data["effort"],
            improvement=data["improvement"],
            reference=data["reference"],
            lens_refs=_tuple(data, "lens_refs"),
        )


@dataclass(frozen=True)
class RiskRule:
    condition: str
    risk: str


@dataclass(frozen=True)
class Question:
    """A checklist question; ``none_choice`` is its implicit "None of these" answer."""

    id: str
    pillar: str
    focus: str
    title: str
    description: str
    choices: tuple[Choice, ...]
    risk_rules: tuple[RiskRule, ...]

    @property
    def none_choice(self) -> str:
        return none_choice_id(self.id)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        return cls(
            id=data["id"],
            pillar=data["pillar"],
            focus=data["focus"],
            title=data["title"],
            description=data["description"],
            choices=tuple(Choice.from_dict(c) for c in data["choices"]),
            risk_rules=tuple(RiskRule(r["condition"], r["risk"]) for r in data["risk_rules"]),
        )


Cell = tuple[str, str]  # (impact, effort)


def cells(impact: str, effort: str) -> tuple[Cell, ...]:
    """The impact x effort cells a rule names; effort ``any`` stands for every effort."""
    return tuple((impact, e) for e in (EFFORTS if effort == "any" else (effort,)))


@dataclass(frozen=True)
class Bucket:
    """A group of the plan: the cells of one assessment prioritization rule, plus the middle values
    (medium impact or effort, which the rules do not name) that the KB declares for it."""

    id: str
    label: str
    description: str
    rule: str  # the assessment's prioritization rule this bucket applies ("" for middle values only)
    middle: tuple[Cell, ...]
    cells: tuple[Cell, ...]

    def admits(self, impact: str, effort: str) -> bool:
        return (impact, effort) in self.cells

    @classmethod
    def from_dict(cls, data: dict[str, Any], rules: tuple[PriorityRule, ...]) -> Bucket:
        rule = data.get("rule", "")
        middle = tuple(cell for m in data.get("middle") or () for cell in cells(m["impact"], m["effort"]))
        own = cells(*next(((r.impact, r.effort) for r in rules if r.id == rule), ("", "")))
        return cls(data["id"], data["label"], data["description"], rule, middle, own + middle)


@dataclass(frozen=True)
class FocusArea:
    """An ML focus area (data, training, inference, security): questions are grouped by it in the results."""

    id: str
    label: str


@dataclass(frozen=True)
class Checklist:
    buckets: tuple[Bucket, ...]
    questions: tuple[Question, ...]
    focus_areas: tuple[FocusArea, ...] = ()
    intro: str = ""
    bucket_rationale: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any], rules: tuple[PriorityRule, ...]) -> Checklist:
        return cls(
            buckets=tuple(Bucket.from_dict(b, rules) for b in data["buckets"]),
            questions=tuple(Question.from_dict(q) for q in data["questions"]),
            focus_areas=tuple(FocusArea(f["id"], f["label"]) for f in data.get("focus_areas") or ()),
            intro=data.get("intro", ""),
            bucket_rationale=data.get("bucket_rationale", ""),
        )

    def question(self, question_id: str) -> Question:
        return find(self.questions, question_id, "checklist question")


@dataclass(frozen=True)
class KnowledgeBase:
    framework: Framework
    pillars: tuple[Pillar, ...]
    assessment: Assessment
    services: tuple[Service, ...]
    references: tuple[Reference, ...]
    quizzes: tuple[Quiz, ...] = ()
    checklist: Checklist | None = None
    # The validated plain data this model was built from: published as JSON for the browser's engine.
    source: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnowledgeBase:
        framework = data["framework"]
        assessment = Assessment.from_dict(data["assessment"])
        return cls(
            framework=Framework(
                name=framework["name"],
                summary=framework["summary"],
                closing=framework["closing"],
                outlook=framework.get("outlook", ""),
                cites=_tuple(framework, "cites"),
            ),
            pillars=tuple(Pillar.from_dict(p) for p in data["pillars"]),
            assessment=assessment,
            services=tuple(Service(**s) for s in data["services"]),
            references=tuple(Reference(**r) for r in data["references"]),
            quizzes=tuple(Quiz.from_dict(q) for q in data.get("quizzes") or ()),
            checklist=(
                Checklist.from_dict(data["checklist"], assessment.prioritization.rules)
                if data.get("checklist")
                else None
            ),
            source=data,
        )

    def pillar(self, pillar_id: str) -> Pillar:
        return find(self.pillars, pillar_id, "pillar")

    def service(self, service_id: str) -> Service:
        return find(self.services, service_id, "service")

    def reference(self, reference_id: str) -> Reference:
        return find(self.references, reference_id, "reference")

    def quiz(self, quiz_id: str) -> Quiz:
        """A quiz by id; ``self-check`` and ``self_check`` name the same quiz."""
        return find(self.quizzes, quiz_id.replace("-", "_"), "quiz")

    def pillar_quiz(self, pillar_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.pillar == pillar_id), None)

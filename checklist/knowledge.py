"""The knowledge base as typed, immutable objects, built from already-validated plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
        return f"{self.id}_no"

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


@dataclass(frozen=True)
class Bucket:
    id: str
    label: str
    description: str
    impact: tuple[str, ...]
    effort: tuple[str, ...]

    def admits(self, impact: str, effort: str) -> bool:
        return impact in self.impact and effort in self.effort


@dataclass(frozen=True)
class Checklist:
    buckets: tuple[Bucket, ...]
    questions: tuple[Question, ...]
    intro: str = ""
    bucket_rationale: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checklist:
        return cls(
            buckets=tuple(
                Bucket(b["id"], b["label"], b["description"], tuple(b["impact"]), tuple(b["effort"]))
                for b in data["buckets"]
            ),
            questions=tuple(Question.from_dict(q) for q in data["questions"]),
            intro=data.get("intro", ""),
            bucket_rationale=data.get("bucket_rationale", ""),
        )


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
        return cls(
            framework=Framework(
                name=framework["name"],
                summary=framework["summary"],
                closing=framework["closing"],
                outlook=framework.get("outlook", ""),
                cites=_tuple(framework, "cites"),
            ),
            pillars=tuple(Pillar.from_dict(p) for p in data["pillars"]),
            assessment=Assessment.from_dict(data["assessment"]),
            services=tuple(Service(**s) for s in data["services"]),
            references=tuple(Reference(**r) for r in data["references"]),
            quizzes=tuple(Quiz.from_dict(q) for q in data.get("quizzes") or ()),
            checklist=Checklist.from_dict(data["checklist"]) if data.get("checklist") else None,
            source=data,
        )

    def pillar(self, pillar_id: str) -> Pillar:
        for pillar in self.pillars:
            if pillar.id == pillar_id:
                return pillar
        raise KeyError(f"no pillar '{pillar_id}' in the knowledge base")

    def service(self, service_id: str) -> Service:
        return next(s for s in self.services if s.id == service_id)

    def reference(self, reference_id: str) -> Reference:
        return next(r for r in self.references if r.id == reference_id)

    def quiz(self, quiz_id: str) -> Quiz:
        """A quiz by id; ``self-check`` and ``self_check`` name the same quiz."""
        wanted = quiz_id.replace("-", "_")
        for quiz in self.quizzes:
            if quiz.id == wanted:
                return quiz
        raise KeyError(f"no quiz '{quiz_id}' in the knowledge base")

    def pillar_quiz(self, pillar_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.pillar == pillar_id), None)

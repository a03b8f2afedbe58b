"""The knowledge base as typed, immutable objects, built from already-validated plain data."""

from __future__ import annotations

from dataclasses import dataclass
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
class KnowledgeBase:
    framework: Framework
    pillars: tuple[Pillar, ...]
    assessment: Assessment
    services: tuple[Service, ...]
    references: tuple[Reference, ...]

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

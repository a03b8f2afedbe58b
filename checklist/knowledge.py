"""The knowledge base as typed, immutable objects, built from already-validated plain data."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cache, cached_property
from types import UnionType
from typing import Any, Protocol, Union, get_args, get_origin, get_type_hints

from checklist.awslenses import ML_LENS, ML_PAGE, AwsLens, LensArea, lens_of_ref, lens_practice_url
from checklist.result import LensLink
from checklist.result import Practice as ListedPractice
from checklist.scales import EFFORT_LEVELS, EFFORTS, UNRATED

__all__ = [
    "ML_LENS",
    "AwsLens",
    "LensArea",
    "lens_of_ref",
    "lens_practice_url",
]  # the lens model, re-exported

KB_FILENAME = "knowledge-base.yml"  # in the docs folder: the site's content and the CLI's default KB
NONE_SUFFIX = "_no"  # a question's implicit "None of these" choice is its id plus this
NONE_TITLE = "None of these"
# The identity of a KB that names none (a KB written before ``site`` existed): this project's own, whose
# storage keys saved answers are under.
DEFAULT_SITE_ID = "wa-ml"
DEFAULT_SITE_TITLE = "Well-Architected for AI/ML"


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


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _value(hint: Any, value: Any) -> Any:
    """Plain KB data as the field's type: a model object, a tuple of them, or the value itself."""
    if get_origin(hint) is tuple:
        return tuple(_value(get_args(hint)[0], item) for item in value or ())
    if get_origin(hint) in (Union, UnionType):  # ``X | None``
        (inner,) = (arg for arg in get_args(hint) if arg is not type(None))
        return None if value is None else _value(inner, value)
    if isinstance(hint, type) and is_dataclass(hint):
        return build(hint, value)
    return value


def build[T](cls: type[T], data: dict[str, Any]) -> T:
    """A model object from validated KB data, by its fields' types; absent optional fields keep defaults.

    One constructor for every class, so adding a field to the KB means adding it to one dataclass."""
    model: Any = cls  # a dataclass; ``type[T]`` cannot say so
    hints = _hints(model)
    return cls(
        **{f.name: _value(hints[f.name], data[f.name]) for f in fields(model) if f.init and f.name in data}
    )


@dataclass(frozen=True)
class Named:
    """A thing the KB names once and refers to by id elsewhere."""

    id: str
    name: str


@dataclass(frozen=True, kw_only=True)
class Cited:
    """Content that may cite references (a keyword field, so it follows each class's own fields)."""

    cites: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Sourced(Cited):
    """Content that may also name AWS services."""

    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Point(Sourced):
    """A consideration or a step's point: a sentence that may name services and cite sources."""

    id: str
    text: str


@dataclass(frozen=True)
class Practice(Sourced):
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Example(Sourced):
    title: str
    industry: str
    text: str


@dataclass(frozen=True)
class Outcome:
    """What a pillar brings to an AI/ML solution: an edge label and a node of the overview diagram."""

    relation: str
    label: str


@dataclass(frozen=True)
class Pillar(Named, Cited):
    """A pillar; a KB imported from a custom lens has only its id and name (the guide content is optional)."""

    lens_pillar_id: str
    summary: str = ""
    outcome: Outcome | None = None
    considerations: tuple[Point, ...] = ()
    practices: tuple[Practice, ...] = ()
    example: Example | None = None

    @property
    def slug(self) -> str:
        """The guide page's file name stem, e.g. ``cost-optimization``."""
        return self.id.replace("_", "-")

    @property
    def guide_path(self) -> str:
        """The guide's address relative to the site's root (the plan links to its sections)."""
        return f"pillars/{self.slug}/"


@dataclass(frozen=True)
class Step(Named, Cited):
    summary: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class PriorityRule:
    """One of the assessment's prioritization rules: what to do with an impact x effort (``any``) case."""

    id: str
    impact: str
    effort: str
    action: str
    text: str
    example: str = ""


@dataclass(frozen=True)
class Prioritization(Cited):
    summary: str
    rules: tuple[PriorityRule, ...]


@dataclass(frozen=True)
class Assessment(Cited):
    tool: str
    summary: str
    prioritization: Prioritization
    steps: tuple[Step, ...] = ()
    example: Example | None = None


@dataclass(frozen=True)
class Framework(Cited):
    """The home page's framing: why the framework matters for AI/ML, the outlook and the closing."""

    name: str
    summary: str
    closing: str = ""
    outlook: str = ""


@dataclass(frozen=True)
class QuizOption:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class QuizQuestion(Cited):
    """A quiz question; ``multi`` allows (and then needs) more than one correct option."""

    services: tuple[str, ...] = field(default=(), kw_only=True)  # named in it: their caveats follow it

    id: str
    prompt: str
    options: tuple[QuizOption, ...]
    explanation: str
    multi: bool = False


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    questions: tuple[QuizQuestion, ...]
    pillar: str = ""
    intro: str = ""
    shuffle: bool = False


@dataclass(frozen=True)
class Link:
    """A helpful resource: what to read (``text``), and where (``url``, optional as in a custom lens)."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class Resource(Link):
    """A further link of a choice (a custom lens's additionalResources): ``helpful`` or ``improvement``."""

    kind: str = "helpful"


@dataclass(frozen=True)
class Choice:
    """A best practice a team can tick; while it is missing it exposes ``impact`` and costs ``effort``."""

    id: str
    title: str
    impact: str
    effort: str
    improvement: str
    reference: str = ""  # a reference id or an https URL; "" links to the first ML Lens best practice
    lens_refs: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    phase: str = ""  # the ML lifecycle phase, when no lens_refs give it
    applies_if: str = ""  # a condition over scope options; "" applies to every workload
    helpful: Link | None = None
    resources: tuple[Resource, ...] = ()
    # The id a custom lens gives the choice where it differs from ``id``: the WA Tool scopes a choice id to
    # its question, so two questions of a lens may both have a ``choice1``; the KB's ids stay unique.
    lens_choice_id: str = ""
    impact_reason: str = ""  # why impact is below the first best practice's risk (checklist.ratings)
    effort_reason: str = ""  # why effort is below a level its text names (checklist.ratings)

    @property
    def lens_id(self) -> str:
        """The choice's id in the custom lens and the WA Tool (its answers, its risk rules)."""
        return self.lens_choice_id or self.id

    @property
    def reference_is_url(self) -> bool:
        """``reference`` is a KB reference id, an http(s) URL, or empty (the ML Lens page, if any)."""
        return self.reference.startswith(("https://", "http://"))

    @property
    def effort_rated(self) -> bool:
        return self.effort != UNRATED


@dataclass(frozen=True)
class RiskRule:
    condition: str
    risk: str


@dataclass(frozen=True)
class ChoiceFacts:
    """A choice as every plan shows it, whatever the answers: its reference link, its best practices each
    with its lens and page (``LensLink`` dicts, shared: read, never changed), the caveats of the retired or
    closed services it names, its section of the pillar guide (relative to the site's root), and the
    practice as a question's risk lists it in place or missing (a ``Practice`` dict, shared likewise: a
    large review lists thousands, and making each anew cost more than the rest of its question)."""

    reference: str
    lens_links: tuple[LensLink, ...]
    caveats: tuple[str, ...]
    guide: str
    practice: ListedPractice


@dataclass(frozen=True)
class Question:
    """A checklist question; ``none_choice`` is its implicit "None of these" answer."""

    id: str
    pillar: str
    title: str
    description: str
    choices: tuple[Choice, ...]
    risk_rules: tuple[RiskRule, ...]
    focus: str = ""  # a focus area's id ("" where the KB has none, as in one imported from a lens)
    area: str = ""  # for a question of a lens with areas (the Responsible AI Lens): its area's id
    applies_if: str = ""  # a condition over scope options; "" applies to every workload
    helpful: Link | None = None
    lens: str = ""  # an id of KnowledgeBase.lenses (from_dict sets the first where the KB names none)
    # The risk when none of ``risk_rules`` holds: set (by the lens import) only for a lens question whose
    # rules, kept as written, do not end with ``default``; "" when the last rule is ``default``.
    unmatched_risk: str = ""

    @property
    def none_choice(self) -> str:
        return none_choice_id(self.id)


Cell = tuple[str, str]  # (impact, effort)


def cells(impact: str, effort: str) -> tuple[Cell, ...]:
    """The impact x effort cells a rule names; effort ``any`` stands for every effort, unrated included."""
    return tuple((impact, e) for e in (EFFORT_LEVELS if effort == "any" else (effort,)))


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
class FocusArea(Named):
    """An ML focus area (data, training, inference, security): questions are grouped by it in the results."""


@dataclass(frozen=True)
class ScopeOption:
    id: str
    label: str


@dataclass(frozen=True)
class ScopeQuestion:
    """One 'About this workload' question; its first option is the default and keeps everything in scope.

    With ``applies_if`` (over the options of the scope questions before it) it is asked only when that
    holds; otherwise the workload counts as having the option ``otherwise``."""

    id: str
    question: str
    options: tuple[ScopeOption, ...]
    applies_if: str = ""
    otherwise: str = ""


@dataclass(frozen=True)
class EffortScale:
    """What each effort level means in team time, so ratings can be checked against one yardstick."""

    low: str
    medium: str
    high: str


@dataclass(frozen=True)
class EffortSignals:
    """Phrases that name work of a level of the effort scale (checklist.ratings holds efforts to them)."""

    high: tuple[str, ...] = ()
    medium: tuple[str, ...] = ()


@dataclass(frozen=True)
class DistinctPractices:
    """Two choices that read alike but are different practices, and why (checklist.similar)."""

    choices: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Move:
    """A question or choice id that was merged, renamed or removed, and the id that replaced it ("" if none)."""

    id: str
    why: str
    to: str = ""


@dataclass(frozen=True)
class Checklist:
    buckets: tuple[Bucket, ...]
    questions: tuple[Question, ...]
    focus_areas: tuple[FocusArea, ...] = ()
    intro: str = ""
    bucket_rationale: str = ""
    effort_scale: EffortScale | None = None
    effort_scale_signals: EffortSignals | None = None
    scope: tuple[ScopeQuestion, ...] = ()
    moved: tuple[Move, ...] = ()
    distinct_practices: tuple[DistinctPractices, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any], rules: tuple[PriorityRule, ...]) -> Checklist:
        """Buckets need the assessment's prioritization rules: they apply them."""
        buckets = tuple(Bucket.from_dict(b, rules) for b in data["buckets"])
        return replace(build(cls, {**data, "buckets": ()}), buckets=buckets)

    def question(self, question_id: str) -> Question:
        return find(self.questions, question_id, "checklist question")

    @cached_property
    def efforts(self) -> tuple[str, ...]:
        """The effort levels the plan's grid shows: the rated three if any choice is rated, then "unrated"
        if any choice is not (a KB imported from a custom lens has no effort estimates)."""
        used = {choice.effort for question in self.questions for choice in question.choices}
        return (EFFORTS if used - {UNRATED} else ()) + ((UNRATED,) if UNRATED in used else ())

    @cached_property
    def bucket_of_cell(self) -> dict[Cell, Bucket]:
        """Each impact x effort cell's bucket (the first that takes it), looked up once per KB."""
        found: dict[Cell, Bucket] = {}
        for bucket in self.buckets:
            for cell in bucket.cells:
                found.setdefault(cell, bucket)
        return found


@dataclass(frozen=True)
class Reference:
    """A source the site cites; ``note`` says where its title misleads or its content has aged."""

    id: str
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class ServiceStatus:
    state: str  # retired (no longer available) | closed_to_new_customers
    since: str  # YYYY-MM-DD: the day AWS stopped offering it to new customers
    replacement: str
    reference: str = ""


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Service(Named):
    """An AWS service named by practices, points and examples, by its current name (checklist.names)."""

    status: ServiceStatus | None = None
    former_names: tuple[str, ...] = ()

    @property
    def caveat(self) -> str:
        """The one sentence every page shows wherever a retired or closed service is named ("" if neither)."""
        if self.status is None:
            return ""
        year, month, day = self.status.since.split("-")
        when = f"{_MONTHS[int(month) - 1]} {int(day)}, {year}"
        if self.status.state == "retired":
            return (
                f"{self.name} is no longer available (AWS stopped offering it to new customers on {when}); "
                f"use {self.status.replacement} instead."
            )
        return (
            f"{self.name} is closed to new customers since {when} (existing customers can keep using it); "
            f"new workloads should use {self.status.replacement}."
        )


@dataclass(frozen=True)
class LensPhase(Named):
    """An ML lifecycle phase of the ML Lens; guides list best practices phase by phase."""


@dataclass(frozen=True)
class LensPractice:
    """An AWS lens best practice that choices cite: its risk when missing, its ML lifecycle phase (ML Lens
    practices only), what it protects against and the services it uses; ``url`` is its page in its lens."""

    id: str
    pillar: str
    risk: str
    title: str
    phase: str = ""
    protects: str = ""
    services: tuple[str, ...] = ()
    url: str = field(default="", compare=False)


@dataclass(frozen=True)
class SourceLens:
    """The AWS custom lens a KB was imported from: its name, description and version, kept as written."""

    name: str
    description: str
    version: str = ""
    schema_version: str = ""


@dataclass(frozen=True)
class SiteIdentity:
    """What a site calls itself: ``id`` keys its storage, caches and tracker labels (so sites on one origin,
    and their tickets in one tracker, stay apart); ``title`` names the site, its reports and its tickets."""

    id: str
    title: str


def lens_site_id(lens_name: str) -> str:
    """A lens site's id, from the lens's name: the storage prefix such sites have always used."""
    return "lens-" + (re.sub(r"[^a-z0-9]+", "-", lens_name.lower()).strip("-")[:48] or "custom")


def _site_of(data: dict[str, Any]) -> dict[str, str]:
    """The KB's ``site``, or for a KB written before it existed the identity it had: its lens's, or ours."""
    if data.get("site"):
        return dict(data["site"])
    if data.get("lens"):
        name = str(data["lens"]["name"])
        return {"id": lens_site_id(name), "title": name}
    return {"id": DEFAULT_SITE_ID, "title": DEFAULT_SITE_TITLE}


@dataclass(frozen=True)
class KnowledgeBase:
    framework: Framework
    pillars: tuple[Pillar, ...]
    assessment: Assessment
    services: tuple[Service, ...]
    references: tuple[Reference, ...]
    quizzes: tuple[Quiz, ...] = ()
    checklist: Checklist | None = None
    lens_phases: tuple[LensPhase, ...] = ()
    lens_practices: tuple[LensPractice, ...] = ()
    aws_lenses: tuple[AwsLens, ...] = ()
    lens: SourceLens | None = None
    site: SiteIdentity = SiteIdentity(DEFAULT_SITE_ID, DEFAULT_SITE_TITLE)
    # The validated plain data this model was built from: published as JSON for the browser's engine.
    source: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnowledgeBase:
        kb = build(cls, {**data, "site": _site_of(data), "checklist": None, "source": data})
        lenses = kb.lenses
        kb = replace(
            kb,
            lens_practices=tuple(replace(p, url=lens_practice_url(p.id, lenses)) for p in kb.lens_practices),
        )
        if not data.get("checklist"):
            return kb
        # Every question names its lens (the first where it names none), so "which lenses" is a plain set.
        checklist = data["checklist"]
        questions = [{**q, "lens": q.get("lens") or lenses[0].id} for q in checklist["questions"]]
        return replace(
            kb,
            checklist=Checklist.from_dict(
                {**checklist, "questions": questions}, kb.assessment.prioritization.rules
            ),
        )

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        """Lookups by id, built once per KB: the plan looks things up for every recommendation."""
        return {
            "pillar": {p.id: p for p in self.pillars},
            "service": {s.id: s for s in self.services},
            "reference": {r.id: r for r in self.references},
            "lens best practice": {p.id: p for p in self.lens_practices},
            "lens": {lens.id: lens for lens in self.lenses},
        }

    def _lookup(self, kind: str, ident: str) -> Any:
        try:
            return self._index[kind][ident]
        except KeyError:
            raise KeyError(f"no {kind} '{ident}' in the knowledge base") from None

    def pillar(self, pillar_id: str) -> Pillar:
        return self._lookup("pillar", pillar_id)  # type: ignore[no-any-return]

    def service(self, service_id: str) -> Service:
        return self._lookup("service", service_id)  # type: ignore[no-any-return]

    def reference(self, reference_id: str) -> Reference:
        return self._lookup("reference", reference_id)  # type: ignore[no-any-return]

    def quiz(self, quiz_id: str) -> Quiz:
        """A quiz by id; ``self-check`` and ``self_check`` name the same quiz."""
        return find(self.quizzes, quiz_id.replace("-", "_"), "quiz")

    def pillar_quiz(self, pillar_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.pillar == pillar_id), None)

    def lens_practice(self, practice_id: str) -> LensPractice:
        return self._lookup("lens best practice", practice_id)  # type: ignore[no-any-return]

    @property
    def lenses(self) -> tuple[AwsLens, ...]:
        """The lenses this KB reviews with, the default first: its ``aws_lenses``; without them the custom
        lens it was imported from, or the ML Lens alone (every KB written before lenses were named)."""
        if self.aws_lenses:
            return self.aws_lenses
        if self.lens is not None:
            return (AwsLens(self.site.id, self.lens.name, self.lens.name, "", ML_PAGE),)
        return (ML_LENS,)

    def aws_lens(self, lens_id: str) -> AwsLens:
        return self._lookup("lens", lens_id)  # type: ignore[no-any-return]

    def question_lens(self, question: Question) -> AwsLens:
        """The lens a question belongs to: its own ``lens``, or the KB's first."""
        return self.aws_lens(question.lens) if question.lens else self.lenses[0]

    def lens_url(self, lens_ref: str) -> str:
        """A best practice's page in its lens (by the longest prefix of the KB's lenses)."""
        return lens_practice_url(lens_ref, self.lenses)

    def phase_of(self, choice: Choice) -> str:
        """A choice's ML lifecycle phase: its own, or its first best practice's ("" for a practice of a lens
        without phases, such as the Generative AI Lens)."""
        return choice.phase or (self.lens_practice(choice.lens_refs[0]).phase if choice.lens_refs else "")

    @cached_property
    def choice_facts(self) -> dict[str, ChoiceFacts]:
        """What the plan says of each checklist choice that follows from the KB alone, worked out once per
        KB: an assessment lists every missing practice, hundreds of them in a large review, and looking
        these up anew each time made it slower per practice the larger the KB grew."""
        if self.checklist is None:
            return {}
        found: dict[str, ChoiceFacts] = {}
        for question in self.checklist.questions:
            guide = self.pillar(question.pillar).guide_path
            for choice in question.choices:
                links = tuple(
                    LensLink(id=ref, lens=f"{self.practice_lens(ref).short} Lens", url=self.lens_url(ref))
                    for ref in choice.lens_refs
                )
                caveats = tuple(self.service(s).caveat for s in choice.services if self.service(s).caveat)
                found[choice.id] = ChoiceFacts(
                    self.reference_url(choice),
                    links,
                    caveats,
                    f"{guide}#{choice.id}",
                    ListedPractice(choice=choice.id, title=choice.title),
                )
        return found

    def practice_lens(self, lens_ref: str) -> AwsLens:
        """The lens of a best-practice id (by the longest prefix of the KB's lenses; the ML Lens when none)."""
        return lens_of_ref(lens_ref, self.lenses) or ML_LENS

    def reference_url(self, choice: Choice) -> str:
        """Where a choice's reference link goes: its URL, its reference's, its best practice's page, or ""."""
        if choice.reference_is_url:
            return choice.reference
        if choice.reference:
            return self.reference(choice.reference).url
        return self.lens_url(choice.lens_refs[0]) if choice.lens_refs else ""

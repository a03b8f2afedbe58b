"""The shape of an assessment and of a comparison, shared by the engine, the reports, the API and the tests.

These are the JSON documents ``python -m checklist assess`` and ``compare`` print and the page draws, so
they are plain dictionaries (serialised once, by ``json``) typed here rather than classes.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Counts(TypedDict):
    high: int
    medium: int
    none: int
    not_applicable: int
    unanswered: int


class Summary(Counts):
    answered: int
    total: int  # questions in the workload's scope
    left_out: int  # questions the workload's scope left out (neither answered nor to answer)
    text: str  # "12 of 18 questions answered · 17 left out by …": the page's progress and the report alike


class GroupCounts(Counts):
    """Risk counts for one pillar or one focus area."""

    id: str
    name: str


class LensCounts(Summary):
    """One lens of the review: its risk counts and progress (as the summary has them), and per pillar."""

    id: str
    name: str
    short: str
    pillars: list[GroupCounts]  # the pillars with a question of this lens in scope, in KB order
    areas: list[GroupCounts]  # for a lens with areas of its own: those with a question in scope; else []


class Practice(TypedDict):
    choice: str
    title: str


class SetAside(TypedDict):
    """A practice the team marked not applicable (the WA Tool's NOT_APPLICABLE status)."""

    choice: str
    title: str
    reason: str  # the WA Tool's reason code
    label: str  # the reason as people read it: "Business priorities"
    notes: str
    text: str  # what stands beside the practice: "not applicable: Business priorities"


class QuestionRisk(TypedDict):
    id: str
    pillar: str
    lens: str  # the id of the AWS lens the question belongs to
    lens_name: str
    focus: str
    area: str  # the question's area in its lens, for a lens organised by areas (Responsible AI); else ""
    title: str
    risk: str
    reason: str  # why it is not applicable when the scope decided it ("out of scope: ..."), else ""
    in_place: list[Practice]  # the practices ticked, in KB order (these dicts are the KB's: read only)
    missing: list[Practice]  # those not ticked (and in scope), when the question is answered; else []
    notes: str  # the team's notes on the question
    from_template: NotRequired[str]  # "Landing zone 2": the answer is the applied template's (absent if not)
    # Only where the team marked practices not applicable (a result without them has neither key): those
    # practices, neither in place nor missing, and the sentence that says so.
    set_aside: NotRequired[list[SetAside]]
    set_aside_text: NotRequired[str]
    # Only where the team marked the question not applicable for another reason than the default (Out of
    # scope): that reason, as people read it.
    not_applicable_reason: NotRequired[str]


class LensLink(TypedDict):
    """A best practice a recommendation cites, with its lens (as messages name it) and its page there."""

    id: str
    lens: str  # "ML Lens", "GenAI Lens"
    url: str


class Recommendation(TypedDict):
    rank: int
    bucket: str
    pillar: str
    pillar_name: str
    lens: str  # the id of the AWS lens of the practice's question
    lens_name: str
    question: str
    question_title: str
    question_risk: str
    choice: str
    title: str
    improvement: str
    impact: str
    effort: str
    reference: str
    lens_refs: list[str]
    lens_links: list[LensLink]  # the same ids, each with its lens and page
    guide: str  # the guide section that explains the practice (relative to the site's root unless given)
    caveats: list[str]  # for retired or closed services the practice names
    decision: dict[str, str]  # status (and its label), owner, due, ticket, note, reason, review


class AcceptedRisk(TypedDict):
    choice: str
    title: str
    pillar_name: str
    lens_name: str
    question: str
    question_title: str
    impact: str
    reason: str
    review: str
    owner: str
    overdue: bool
    text: str
    decision: dict[str, str]  # the whole decision, as a plan item carries it: due, ticket and note too


class StartItem(TypedDict):
    """One of the first actions: a recommendation and one line on why it comes early."""

    rank: int
    choice: str
    title: str
    pillar_name: str
    why: str  # "High-risk question; high impact, low effort; prioritized pillar"


class Progress(TypedDict):
    planned: int
    total: int
    text: str  # "12 of 67 planned"


class StatusCount(TypedDict):
    id: str
    label: str
    count: int
    text: str  # "Planned (3)"


class PillarCount(TypedDict):
    id: str
    name: str
    count: int
    text: str  # "Security (3)"


class View(TypedDict):
    status: str
    owner: str
    pillar: str
    lens: str
    statuses: list[StatusCount]
    owners: list[str]
    pillars: list[PillarCount]  # every pillar, in KB order, with its count in the plan
    lenses: list[PillarCount]  # the lenses the plan draws on, with counts ([] when only one)
    visible: list[int]  # the ranks the filter leaves in view


class BucketGroup(TypedDict):
    id: str
    label: str
    heading: str  # "Implement first (4)"
    description: str
    count: int
    ranks: list[int]


class MatrixItem(TypedDict):
    rank: int
    title: str


class MatrixCell(TypedDict):
    effort: str
    label: str
    ranks: list[int]
    items: list[MatrixItem]  # the same recommendations, with their titles


class MatrixRow(TypedDict):
    impact: str
    label: str
    cells: list[MatrixCell]


class Matrix(TypedDict):
    """The plan by impact (rows, most urgent first) and effort (columns, cheapest first), as ranks."""

    caption: str
    corner: str
    rows: list[MatrixRow]


class ScopeChoice(TypedDict):
    question: str
    title: str
    option: str  # the option it counts as having (its ``otherwise`` when not asked)
    label: str
    not_asked: str  # why the question is not asked, and what it counts as; "" when it is asked


class ScopeResult(TypedDict):
    chosen: list[ScopeChoice]
    text: str  # "The scope leaves out 7 questions of 35 and 4 practices ..."
    questions: list[str]  # out of scope: hidden by the page
    choices: list[str]


class Result(TypedDict):
    site: dict[str, str]  # id, title: what the reports and tickets call the review (the KB's site)
    workload: dict[str, object]
    date: str  # the day of the assessment (YYYY-MM-DD), as the caller gave it ("" when not given)
    scope: ScopeResult
    summary: Summary
    pillars: list[GroupCounts]
    focus_areas: list[GroupCounts]
    lenses: list[LensCounts]  # the lenses with a question in the workload's scope, in the KB's order
    lenses_text: str  # "This review covers the … Lens and the … Lens." ("" where the KB names no aws_lenses)
    questions: list[QuestionRisk]
    recommendations: list[Recommendation]
    start_here: list[StartItem]  # the first actions: the plan's first ten, less those the team won't do
    progress: Progress
    view: View
    accepted: list[AcceptedRisk]
    plan_note: str  # the sentence shown where the plan would be, when it is empty ("" otherwise)
    disagreements: list[dict[str, str]]  # question, text: left by a team merge until resolved
    unfinished: dict[str, list[str]]  # practice id -> why its decision is set aside (the page's reading)
    buckets: list[BucketGroup]
    matrix: Matrix
    risk_labels: dict[str, str]
    warnings: list[str]


# A question whose risk moved between two milestones ("from" is a keyword, hence the functional form).
Change = TypedDict("Change", {"question": str, "title": str, "from": str, "to": str, "text": str})


class PracticeChange(TypedDict):
    """A practice ticked (added) or unticked (removed) between two milestones."""

    choice: str
    title: str
    question: str
    question_title: str
    text: str  # "Added: Track lineage" (the page and the report list them under the pillar)


# A recommendation whose decision changed between two milestones.
DecisionChange = TypedDict(
    "DecisionChange", {"choice": str, "title": str, "from": str, "to": str, "text": str}
)


class PillarChanges(TypedDict):
    id: str
    name: str
    resolved: list[Change]  # a risk then, none now (no risk or not applicable)
    improved: list[Change]  # a lower risk now, but still a risk (high to medium)
    worsened: list[Change]  # a higher risk now (including a question answered since, found at risk)
    added: list[PracticeChange]  # ticked since
    removed: list[PracticeChange]  # unticked since
    set_aside: list[PracticeChange]  # marked not applicable since (the WA Tool's status for a practice)
    applies_again: list[PracticeChange]  # marked not applicable then, not now


class Comparison(TypedDict):
    since: str
    summary_text: str
    before: Summary
    after: Summary
    pillars: list[PillarChanges]
    resolved: int
    improved: int
    worsened: int
    added: int
    removed: int
    set_aside: int
    applies_again: int
    risk_labels: dict[str, str]
    decisions: list[DecisionChange]

"""Where each part of the knowledge base is published, so links and back-links agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checklist.knowledge import AwsLens, Example, KnowledgeBase, Pillar, Question, Quiz

HOME = "index.md"
ASSESSMENT = "assessment.md"
CHECKLIST = "checklist.md"
PORTFOLIO = "portfolio.md"  # many workloads' state files side by side, by the checklist's engine
SELF_CHECK = "self-check.md"
# Quizzes that are not a pillar's (those end their pillar's guide), by the page that places them.
QUIZ_PAGES = {"self_check": SELF_CHECK}
# Quizzes that end a lens's guide page, by the lens (a KB without that lens shows none of them).
LENS_QUIZZES = {"generative_ai": "genai", "agentic_ai": "agentic", "responsible_ai": "responsible"}
REFERENCES = "references.md"
# Generated downloads and the in-browser checklist's assets (published by sitebuilder.publish).
LENS_DOWNLOADS = "assets/checklist/"  # the custom lens files (checklist.lens.file_name: one per AWS lens)
LENS_DOWNLOAD = LENS_DOWNLOADS + "custom-lens.json"  # a KB's only lens
SCHEMA = "schema/knowledge-base.schema.json"
CSP_TEXT = "content-security-policy.txt"
WORKER_SOURCE = "assets/javascripts/checklist-worker.mjs"
WORKER_MODULES = "assets/javascripts/checklist-worker/"  # what it imports, published beside it in the bundle
WORKER_BOOT = "assets/javascripts/checklist-boot.js"
EXAMPLE_ANCHOR = "example"
PRIORITIZATION_ANCHOR = "prioritization"
PLAN_ORDER_ANCHOR = "plan-order"
BEST_PRACTICES_ANCHOR = "best-practices"


def titled_pages(kb: KnowledgeBase) -> dict[str, str]:
    """The pages of a KB's site besides the pillar guides, in navigation order, with their navigation
    titles: each page a KB has content for (an imported lens has no assessment steps, say)."""
    found = {HOME: "Overview"}
    if kb.assessment.steps:
        found[ASSESSMENT] = "Assessment process"
    if kb.checklist is not None:
        found[CHECKLIST] = "Checklist"
        found[PORTFOLIO] = "Portfolio"
    if any(QUIZ_PAGES.get(quiz.id) == SELF_CHECK for quiz in kb.quizzes):
        found[SELF_CHECK] = "Self-check quiz"
    found[REFERENCES] = "References" if kb.references else "Links"
    return found


def lens_page(aws_lens: AwsLens) -> str:
    """A lens's guide page: ``generative-ai-lens.md`` for the lens ``generative_ai``."""
    return aws_lens.id.replace("_", "-") + "-lens.md"


def lens_guides(kb: KnowledgeBase) -> dict[str, AwsLens]:
    """The guide page of each lens after the first, the KB's default (the pillar guides are its guide); a
    KB with one lens has none."""
    return {lens_page(aws_lens): aws_lens for aws_lens in kb.lenses[1:]}


def nav(kb: KnowledgeBase) -> list[Any]:
    """The MkDocs navigation of a KB's site (this one's too: hooks/site.py sets it): the overview, the
    pillar guides, each further lens's guide, then the other pages."""
    pages = titled_pages(kb)
    entries: list[Any] = [{pages.pop(HOME): HOME}, {"Pillars": [pillar_page(p) for p in kb.pillars]}]
    entries += [{aws_lens.name: page} for page, aws_lens in lens_guides(kb).items()]
    return entries + [{title: page} for page, title in pages.items()]


def quiz_page(kb: KnowledgeBase, quiz: Quiz) -> str | None:
    """The page a quiz is on: its pillar's guide, the self-check page, or its lens's guide (None: none)."""
    owner = next((p for p in kb.pillars if p.id == quiz.pillar), None)
    if owner is not None:
        return pillar_page(owner)
    lens_pages = {LENS_QUIZZES.get(aws_lens.id): page for page, aws_lens in lens_guides(kb).items()}
    return QUIZ_PAGES.get(quiz.id) or lens_pages.get(quiz.id)


def pyodide_dir(version: str) -> str:
    """Versioned, so a new Pyodide never mixes with a browser's cached copy of the old one."""
    return f"assets/pyodide/{version}/"


def checklist_bundle_dir(content_hash: str) -> str:
    """The worker, the wheel, its lock file and the KB JSON, under a hash of all of them: a browser's
    cached copy of one can never meet a newer copy of another after a deploy."""
    return f"assets/checklist/{content_hash}/"


def pillar_page(pillar: Pillar) -> str:
    return pillar.guide_path.rstrip("/") + ".md"


@dataclass(frozen=True)
class Site:
    """A place that cites a reference: page, anchor on it, and a label for the back-link."""

    page: str
    anchor: str
    label: str


def citation_sites(kb: KnowledgeBase) -> dict[str, list[Site]]:
    """Every reference id with the places that cite it, in page order."""
    sites: dict[str, list[Site]] = {ref.id: [] for ref in kb.references}

    def add(cites: tuple[str, ...], page: str, anchor: str, label: str) -> None:
        for ref in cites:
            site = Site(page, anchor, label)
            if site not in sites[ref]:
                sites[ref].append(site)

    def add_example(example: Example | None, page: str, owner: str) -> None:
        if example:
            add(example.cites, page, EXAMPLE_ANCHOR, f"{owner}: example, {example.title}")

    add(kb.framework.cites, HOME, "", "Overview")
    for pillar in kb.pillars:
        page = pillar_page(pillar)
        add(pillar.cites, page, "", pillar.name)
        for point in pillar.considerations:
            add(point.cites, page, point.id, f"{pillar.name}: key considerations")
        for practice in pillar.practices:
            add(practice.cites, page, practice.id, f"{pillar.name}: {practice.title}")
        add_example(pillar.example, page, pillar.name)
    assessment = kb.assessment
    add(assessment.cites, ASSESSMENT, "", "Assessment process")
    for step in assessment.steps:
        add(step.cites, ASSESSMENT, step.id, f"Assessment: {step.name}")
        for point in step.points:
            add(point.cites, ASSESSMENT, point.id, f"Assessment: {step.name}")
    add(assessment.prioritization.cites, ASSESSMENT, PRIORITIZATION_ANCHOR, "Assessment: prioritization")
    add_example(assessment.example, ASSESSMENT, "Assessment")
    for quiz in kb.quizzes:
        on = quiz_page(kb, quiz)
        if on is None:
            continue
        for quiz_question in quiz.questions:
            add(quiz_question.cites, on, f"{quiz.id}-{quiz_question.id}", f"{quiz.title}: question")
    if kb.checklist:
        for question in kb.checklist.questions:
            for choice in question.choices:
                if choice.reference and not choice.reference_is_url:
                    add((choice.reference,), CHECKLIST, question.id, f"Checklist: {question.title}")
    return sites


def practice_anchor(lens_ref: str) -> str:
    """A lens best practice's section on its lens's guide page: its id in lower case (``genops01-bp01``)."""
    return lens_ref.lower()


def question_guide(kb: KnowledgeBase, question: Question) -> str:
    """The guide section that explains a question, relative to the site's root: for a question of a lens with
    its own guide page, the section of its first choice's practice there; else its own section where the
    guide lists questions (a KB imported from a lens), else its first practice, the anchor the plan links to."""
    own = kb.question_lens(question)
    guides = {aws_lens.id: page for page, aws_lens in lens_guides(kb).items()}
    if own.id in guides and question.choices and question.choices[0].lens_refs:
        page = guides[own.id].removesuffix(".md")
        return f"{page}/#{practice_anchor(question.choices[0].lens_refs[0])}"
    anchor = question.choices[0].id if kb.lens_phases and question.choices else question.id
    return f"{kb.pillar(question.pillar).guide_path}#{anchor}"

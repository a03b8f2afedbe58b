"""The macros pages call (``{{ pillar_guide("security") }}``), as plain functions of the KB and the page.

hooks/macros.py registers each with mkdocs-macros; nothing here knows MkDocs. Each imports the renderers
it calls: a build whose macro output is all kept from the last one (sitebuilder.derived) never imports them
(about 40 ms of a build).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checklist.knowledge import KnowledgeBase
from sitebuilder.pages import sitemap


@dataclass(frozen=True)
class Page:
    """The page a macro renders on: its docs-relative path, and how to reach another page or file from it."""

    here: str
    # A docs- or site-relative path -> its URL relative to this page, as the page's scripts read it.
    url_of: Callable[[str], str]
    # The same for an href or src in raw HTML, which a builder may read from elsewhere: MkDocs leaves raw
    # HTML as written, while Zensical re-bases its links as if written from the Markdown file's folder.
    href_of: Callable[[str], str]
    worker: str  # site-relative path of the checklist's worker (published with the bundle)


def _quiz(kb: KnowledgeBase, page: Page, quiz_id: str) -> str:
    """{{ quiz("self-check") }}: a named quiz anywhere on an opted-in page."""
    from sitebuilder.pages import quiz

    return quiz.render(kb, kb.quiz(quiz_id), page.href_of(sitemap.REFERENCES))


def _pillar_guide(kb: KnowledgeBase, page: Page, pillar_id: str) -> str:
    """The guide, ending with the pillar's own quiz."""
    from sitebuilder.pages import guide, quiz

    pillar = kb.pillar(pillar_id)
    body = guide.pillar_guide(kb, pillar, page.here)
    own = kb.pillar_quiz(pillar.id)
    return body if own is None else f"{body}\n{quiz.section(kb, own, page.href_of(sitemap.REFERENCES))}"


def _lens_guide(kb: KnowledgeBase, page: Page, lens_id: str) -> str:
    """{{ lens_guide("generative_ai") }}: a further lens's guide page, ending with its quiz."""
    from sitebuilder.pages import lensguide

    return lensguide.lens_guide(kb, kb.aws_lens(lens_id), page.here, page.href_of(sitemap.REFERENCES))


def _checklist_app(kb: KnowledgeBase, page: Page) -> str:
    from sitebuilder.pages import form

    root = page.url_of(sitemap.HOME).removesuffix("index.html") or "./"
    return form.app_shell(kb, page.url_of(page.worker), page.href_of(sitemap.WORKER_BOOT), root)


def _checklist_page(kb: KnowledgeBase, page: Page) -> str:
    """{{ checklist_page() }}: the whole checklist page, worded for the KB (docs/checklist.md)."""
    from sitebuilder.pages import checklist_page

    return checklist_page.render(kb, page.here, _checklist_app(kb, page))


def _portfolio_page(kb: KnowledgeBase, page: Page) -> str:
    """{{ portfolio_page() }}: the portfolio page (docs/portfolio.md), on the checklist's worker."""
    from sitebuilder.pages import portfolio_page

    return portfolio_page.render(kb, page.here, page.url_of(page.worker), page.href_of(sitemap.WORKER_BOOT))


def _overview(kb: KnowledgeBase, page: Page) -> str:
    from sitebuilder.pages import guide

    return guide.overview(kb, page.here)


def _assessment_process(kb: KnowledgeBase, page: Page) -> str:
    from sitebuilder.pages import guide

    return guide.assessment_process(kb, page.here)


def _references(kb: KnowledgeBase, page: Page) -> str:
    from sitebuilder.pages import guide

    return guide.references(kb, page.here)


MACROS: dict[str, Callable[..., str]] = {
    "checklist_page": _checklist_page,
    "portfolio_page": _portfolio_page,
    "quiz": _quiz,
    "pillar_guide": _pillar_guide,
    "lens_guide": _lens_guide,
    "overview": _overview,
    "assessment_process": _assessment_process,
    "references": _references,
}

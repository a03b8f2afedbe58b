"""Offline after one visit, and a new deployment taken cleanly: the service worker, in Chromium.

The site is built from the small fixture lens (a quick build) with the repository's own configuration, so
it has what any site has: pages, search, Mermaid diagrams and the checklist with its Pyodide bundle.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lensfixtures
import pytest
from conftest import service_worker_visit, wait_ready, wait_until
from siteserver import serving

from sitebuilder import kbsite, lensimport

pytestmark = [pytest.mark.browser, pytest.mark.build]

FIRST_CHOICE = "Transient failures are retried with backoff and a bounded number of attempts"
REVISED_CHOICE = "Retries back off and stop after a known number of attempts (revised)"


class Deployment:
    """A site folder behind a local server, rebuilt in place as a new deployment would be."""

    def __init__(self, site: Path, url: str) -> None:
        self.site, self.url = site, url

    def build(self, kb_text: str) -> None:
        saved = os.environ.get("SITE_URL")
        os.environ["SITE_URL"] = self.url
        try:
            kbsite.build(kb_text, "knowledge-base.yml", self.site)
        finally:
            if saved is None:
                del os.environ["SITE_URL"]
            else:
                os.environ["SITE_URL"] = saved


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    site = tmp_path / "site"
    site.mkdir()
    with serving(site) as (_, url):
        yield Deployment(site, url)


def kb_text() -> str:
    text, _ = lensimport.import_lens(
        lensfixtures.to_text(lensfixtures.small()).encode(), "lens.json", "kb.yml"
    )
    return text


@pytest.fixture
def visitor(browser: Any, deployment: Deployment) -> Iterator[tuple[Any, Any, list[str]]]:
    """A page whose service worker may run, and whose requests may reach only the local server."""
    with service_worker_visit(browser, deployment.url, open_shadow_roots=True) as visit:
        yield visit


def kept(page: Any, url: str) -> None:
    wait_until(page, f"(async () => Boolean(await caches.match({url!r})))()")


def diagram_drawn(page: Any) -> None:
    page.wait_for_function(
        "[...document.querySelectorAll('div.mermaid')].some((d) => d.shadowRoot?.querySelector('svg'))",
        timeout=30_000,
    )


def open_checklist(page: Any, url: str) -> None:
    page.goto(url + "checklist/")
    wait_ready(page, 60_000)


def plan_titles_after_none(page: Any) -> list[str]:
    """None of these on the first question (ticked now, or kept from the last visit): the engine's plan
    then lists that question's practices, by their titles in the engine's KB."""
    box = page.locator("fieldset[data-question='ingest_q1'] input[data-none]")
    if not box.is_checked():
        box.click()
    page.wait_for_function(
        "[...document.querySelectorAll('[data-plan] li strong')].length > 0 && "
        "document.querySelector('[data-risk-for=ingest_q1]').className.includes('kb-risk--high')",
        timeout=30_000,
    )
    return page.locator("[data-plan] li strong").all_inner_texts()


def open_portfolio(page: Any, url: str, state: Path) -> list[str]:
    """The portfolio page with one state file opened: its heat map's rows, as the page shows them."""
    page.goto(url + "portfolio/")
    page.wait_for_function("document.querySelector('#kb-portfolio.is-ready') !== null", timeout=60_000)
    page.set_input_files("input[data-files]", str(state))
    page.wait_for_function("document.querySelector('#kb-portfolio').dataset.drawn === '1'", timeout=30_000)
    rows: list[str] = page.locator("[data-section=pillars] tbody th").all_inner_texts()
    return rows


def test_after_one_visit_seen_pages_search_diagrams_and_the_checklist_work_offline(
    deployment: Deployment, visitor: tuple[Any, Any, list[str]], tmp_path: Path
) -> None:
    context, page, errors = visitor
    deployment.build(kb_text())
    url = deployment.url
    page.goto(url)
    diagram_drawn(page)
    kept(page, url + "index.html")  # loaded before the worker took control: kept all the same
    page.goto(url + "pillars/dataIngestion/")
    diagram_drawn(page)
    kept(page, url + "pillars/dataIngestion/index.html")
    open_checklist(page, url)
    page.wait_for_function("document.documentElement.dataset.offlineChecklist === 'kept'", timeout=60_000)
    state = tmp_path / "pipeline.json"
    state.write_text('{"version": 4, "workload": {"name": "Pipeline"}}', encoding="utf-8")
    assert open_portfolio(page, url, state) == ["Pipeline", "All workloads"]  # seen once, online

    context.set_offline(True)
    page.goto(url)
    assert page.locator("h1").inner_text().rstrip("¶") == "Serverless Data Pipeline Lens"
    diagram_drawn(page)
    page.goto(url + "pillars/dataIngestion/")
    diagram_drawn(page)
    page.locator(".md-search__input").click()
    page.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=15_000,
    )
    page.locator(".md-search__input").press_sequentially("idempotent")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert "Data Ingestion" in page.locator(".md-search-result").inner_text()
    open_checklist(page, url)
    titles = plan_titles_after_none(page)
    assert FIRST_CHOICE in titles
    # The portfolio page, offline: the same engine, from the cache, reads a file.
    assert open_portfolio(page, url, state) == ["Pipeline", "All workloads"]
    assert "Not fully answered" in page.locator("[data-section=pillars] tbody td").first.inner_text()
    assert errors == []


def test_a_new_deployment_is_offered_then_taken_whole_and_old_caches_go(
    deployment: Deployment, visitor: tuple[Any, Any, list[str]]
) -> None:
    _, page, errors = visitor
    first = kb_text()
    deployment.build(first)
    url = deployment.url
    open_checklist(page, url)
    page.wait_for_function("document.documentElement.dataset.offlineChecklist === 'kept'", timeout=60_000)
    old_caches = sorted(page.evaluate("caches.keys()"))
    assert len(old_caches) == 2

    deployment.build(first.replace(FIRST_CHOICE, REVISED_CHOICE))
    open_checklist(page, url)  # the next visit: still the old build, whole, from the cache
    form = page.locator("[data-choice-item='ingest_q1_retry'] label").inner_text().strip()
    assert form == FIRST_CHOICE
    assert FIRST_CHOICE in plan_titles_after_none(page)  # the engine's KB is the page's
    notice = page.locator(".kb-update")
    notice.wait_for(timeout=60_000)
    assert "This site has been updated." in notice.inner_text()

    with page.expect_navigation():
        notice.get_by_role("button", name="Reload").click()
    wait_ready(page, 60_000)
    form = page.locator("[data-choice-item='ingest_q1_retry'] label").inner_text().strip()
    assert form == REVISED_CHOICE
    assert REVISED_CHOICE in plan_titles_after_none(page)
    assert FIRST_CHOICE not in page.content()
    new_caches = wait_until(
        page,
        f"(async () => {{ const k = await caches.keys(); return k.some((n) => {old_caches!r}.includes(n)) ? null : k; }})()",
    )
    assert len(new_caches) >= 1 and not set(new_caches) & set(old_caches)
    assert errors == []

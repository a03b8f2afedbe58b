"""A review of two lenses in a real Chromium: the page says which lenses it covers, shows a risk table and
progress per lens, names each plan item's lens, and drops the table when the scope leaves one lens.

The site is the two-lens fixture KB (tests/fixtures/two-lens-kb.yml), built once per session by
``python -m sitebuilder.kbsite build`` and served from the shared origin at <origin>/two-lens/. Overriding
``site_url`` points conftest's ``offline`` page at it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import Offline, once, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.build]

FIXTURE = Path(__file__).parent / "fixtures" / "two-lens-kb.yml"
BOTH = "This review covers the Machine Learning Lens and the Generative AI Lens."


def _build(folder: Path, origin: tuple[Path, str]) -> dict[str, Any]:
    from sitebuilder import kbsite

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", origin[1] + "two-lens/")  # Material's instant navigation needs the address
        assert kbsite.main(["build", "--kb", str(FIXTURE), "--site-dir", str(folder / "site")]) == 0
    (origin[0] / "two-lens").symlink_to(folder / "site", target_is_directory=True)
    return {"url": origin[1] + "two-lens/"}


@pytest.fixture(scope="module")
def site_url(origin: tuple[Path, str]) -> str:
    """The two-lens fixture site (built once per session), where conftest's ``offline`` page goes."""
    return str(once("two-lens-site", lambda folder: _build(folder, origin))["url"])


def settled(page: Any, change: Any) -> None:
    """Make ``change``, then wait until the results drawn are those of the answers now saved."""
    page.evaluate(
        "window.__drawn = null; document.addEventListener('kb-checklist:assessed', (e) => { window.__drawn = e.detail; })"
    )
    change()
    page.wait_for_function(
        """() => { const key = document.getElementById('kb-app').dataset.store + ':checklist:state';
                   return window.__drawn !== null && window.__drawn === localStorage.getItem(key); }""",
        timeout=15_000,
    )


def lens_row(page: Any, lens: str) -> dict[str, str]:
    """A row of the lens table: each cell's risk (data-risk) and its count."""
    cells = page.locator(f"[data-lens-chart] tr[data-group={lens}] td[data-risk]")
    return {cell.get_attribute("data-risk"): cell.inner_text() for cell in cells.all()}


def test_the_page_shows_results_and_progress_per_lens(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "checklist/")
    wait_ready(page, 60_000)
    lens_results = page.locator("[data-lens-results]")
    page.wait_for_function(
        "() => document.querySelector('[data-lens-results] [data-lens-progress]').textContent"
    )
    # Which lenses: beside the scope and atop the results, in the engine's words.
    assert page.locator("#scope [data-lenses-text]").inner_text() == BOTH
    assert lens_results.is_visible()
    assert BOTH in (page.locator("[data-print-summary]").text_content() or "")  # the printed record too
    assert page.locator("[data-lens-progress]").inner_text() == (
        "ML Lens: 0 of 3 answered · GenAI Lens: 0 of 1 answered"
    )
    # Each question says its lens, where the checklist asks questions of both.
    assert (
        page.locator("fieldset[data-question=gen_evaluation] [data-lens]").inner_text()
        == "Generative AI Lens"
    )
    assert (
        page.locator("fieldset[data-question=data_quality] [data-lens]").inner_text()
        == "Machine Learning Lens"
    )
    headers = page.locator("[data-lens-chart] tbody th").all_inner_texts()
    assert headers == ["Machine Learning Lens", "Generative AI Lens"]

    # Grounding in place, logging missing: the GenAI question is at medium risk, and its lens says so.
    box = page.locator("fieldset[data-question=gen_evaluation]")
    settled(page, lambda: box.locator("input[data-choice][value=gen_evaluation_grounding]").set_checked(True))
    assert page.locator("[data-lens-progress]").inner_text() == (
        "ML Lens: 0 of 3 answered · GenAI Lens: 1 of 1 answered"
    )
    assert lens_row(page, "generative_ai")["medium"] == "1"
    assert lens_row(page, "machine_learning")["medium"] == "0"
    assert lens_row(page, "machine_learning")["unanswered"] == "3"
    metas = page.locator("[data-plan] .kb-plan__meta").all_inner_texts()
    assert any(meta.startswith("Generative AI Lens · Pillar Two · impact medium") for meta in metas), metas

    # A workload without generative AI: one lens left, so no lens table, and the sentence says so.
    settled(page, lambda: page.locator("input[data-scope=generative][value=no_generative_ai]").check())
    assert page.locator("#scope [data-lenses-text]").inner_text() == (
        "This review covers the Machine Learning Lens."
    )
    assert lens_results.is_hidden()
    assert all(
        not meta.startswith(("Generative", "Machine"))
        for meta in page.locator(".kb-plan__meta").all_inner_texts()
    )
    assert offline.blocked == [], offline.blocked

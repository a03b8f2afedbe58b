"""axe-core on every page type, in the light and the dark palette: no serious or critical violations."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import portfoliofiles
import pytest
from conftest import KB_PATH, ROOT, wait_ready

from sitebuilder import kbfile

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
KB = kbfile.load(KB_PATH)


def check_a_quiz_answer(page: Any) -> None:
    box = page.locator("fieldset.kb-quiz__question").first
    box.locator("label.kb-quiz__option").first.click()
    box.get_by_role("button", name="Check").click()


def answer_some_checklist_questions(page: Any) -> None:
    wait_ready(page, 60_000)
    for box in page.locator("fieldset[data-question]").all()[:6]:
        box.locator("input[data-choice]").first.check()
    page.wait_for_selector("[data-plan] li")


def open_five_workloads(page: Any) -> None:
    """The portfolio with its heat maps, shared gaps and decisions drawn (portfoliofiles' five workloads)."""
    page.wait_for_selector("#kb-portfolio.is-ready", timeout=60_000)
    with tempfile.TemporaryDirectory() as folder:
        page.set_input_files(
            "input[data-files]", [str(p) for p in portfoliofiles.write_five(KB, Path(folder))]
        )
    page.wait_for_selector("#kb-portfolio[data-drawn='1']", timeout=60_000)


PAGES: dict[str, tuple[str, Callable[[Any], None] | None]] = {
    "home": ("", None),
    "pillar guide": (f"pillars/{KB.pillars[1].slug}/", None),
    "assessment process": ("assessment/", None),
    "quiz": ("self-check/", check_a_quiz_answer),
    "checklist": ("checklist/", answer_some_checklist_questions),
    "portfolio": ("portfolio/", open_five_workloads),
    "references": ("references/", None),
}


AXE_RUN = """async () => {
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(1, 2).join(""))
    }));
}"""


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violations(browser: Any, site_url: str, name: str) -> None:
    """In the light palette, then in the dark one as the system switches to it: Material follows the
    system's preference on the same page, so the page is prepared (and the checklist's engine started) once."""
    path, prepare = PAGES[name]
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    page = context.new_page()
    page.goto(site_url + path)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    if prepare:
        prepare(page)
    diagrams = page.locator("pre.mermaid").count()  # wait until Material has replaced each with its SVG
    if diagrams:
        page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0", timeout=20_000)
    page.add_script_tag(path=str(AXE))
    found = {"light": page.evaluate(AXE_RUN)}
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=10_000)
    if diagrams:  # drawn again in the dark palette's colours
        page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0", timeout=20_000)
    found["dark"] = page.evaluate(AXE_RUN)
    context.close()
    assert found == {"light": [], "dark": []}, "\n".join(
        f"{scheme}: {v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"])
        for scheme, results in found.items()
        for v in results
    )

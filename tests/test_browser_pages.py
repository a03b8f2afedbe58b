"""Every generated page in a real Chromium, offline: diagrams render with their labels, nothing leaves."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import KB_PATH, Offline, site_search

from checklist.awslenses import lens_of_ref
from checklist.text import plural
from sitebuilder import kbfile
from sitebuilder.pages import sitemap

pytestmark = pytest.mark.browser

KB = kbfile.load(KB_PATH)

READ_DIAGRAMS = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  return svg ? svg.textContent.replace(/\\s+/g, " ") : null;
})
"""


def expected_diagrams() -> dict[str, list[list[str]]]:
    """Page path -> for each diagram on it, labels the rendered SVG must show."""
    pages: dict[str, list[list[str]]] = {
        "": [[KB.framework.name, *(p.name for p in KB.pillars), *(p.outcome.label for p in KB.pillars)]],
        "assessment/": [
            [step.name for step in KB.assessment.steps],
            [rule.action for rule in KB.assessment.prioritization.rules],
        ],
        "references/": [],
    }
    # Each further lens's page (GenAI, Agentic AI): the lens, its pillars and how many practices each has;
    # no diagram while the lens has no practices yet. A lens with areas of its own (Responsible AI) first
    # draws its areas in order, each with its count, then the pillars its practices count in.
    for aws_lens in KB.lenses[1:]:
        own = [p for p in KB.lens_practices if lens_of_ref(p.id, KB.lenses) == aws_lens]
        counted = [p for p in KB.pillars if any(x.pillar == p.id for x in own)]
        labels = [
            aws_lens.name,
            *(p.name for p in counted),
            *(plural(sum(x.pillar == p.id for x in own), "practice") for p in counted),
        ]
        areas = [
            f"{area.name}: {plural(sum(aws_lens.area_of(x.id) == area for x in own), 'practice')}"
            for area in aws_lens.areas
        ]
        diagrams = ([areas] if areas else []) + [labels]
        pages[sitemap.lens_page(aws_lens).removesuffix(".md") + "/"] = diagrams if own else []
    for pillar in KB.pillars:
        services = {KB.service(s).name for p in pillar.practices for s in p.services}
        pages[f"pillars/{pillar.slug}/"] = [
            [pillar.name, pillar.outcome.label, *(p.title for p in pillar.practices), *sorted(services)]
        ]
    return pages


PAGES = expected_diagrams()
SMALLEST_LABEL = """
() => Math.min(...[...document.querySelectorAll("div.mermaid")].flatMap((host) => {
  const svg = host.shadowRoot.querySelector("svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...host.shadowRoot.querySelectorAll(".nodeLabel, .edgeLabel")]
    .filter((label) => label.textContent.trim())
    .map((label) => parseFloat(getComputedStyle(label).fontSize) * scale);
}))
"""
READABLE_PX = 12  # issue 28: diagrams had shrunk to half the column, their labels to 7-8 px


def rendered_diagrams(page: Any, count: int) -> list[str]:
    page.wait_for_function(
        f"() => {{ const d = ({READ_DIAGRAMS})(); return d.length === {count} && d.every(Boolean); }}",
        timeout=20_000,
    )
    texts: list[str] = page.evaluate(READ_DIAGRAMS)
    return texts


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_its_diagrams_offline(offline: Offline, site_url: str, path: str) -> None:
    page = offline.page
    page.goto(site_url + path)
    expected = PAGES[path]
    if expected:
        texts = rendered_diagrams(page, len(expected))
        for text, labels in zip(texts, expected, strict=True):
            assert "Syntax error" not in text
            missing = [label for label in labels if " ".join(label.split()) not in text]
            assert not missing, f"{path}: labels missing from the diagram: {missing}"
        smallest = page.evaluate(SMALLEST_LABEL)
        assert smallest >= READABLE_PX, f"{path}: a label drawn at {smallest:.1f} px"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    else:
        page.wait_for_load_state("networkidle")
        assert page.locator(".mermaid").count() == 0
        assert not [url for url in offline.requested if "/vendor/mermaid/" in url], (
            "Mermaid loaded without a diagram"
        )
    assert page.locator("h1").first.is_visible()
    assert offline.errors == []
    assert offline.blocked == []


@pytest.mark.parametrize("path", ["assessment/", "generative-ai-lens/"])
def test_on_a_phone_diagrams_keep_their_label_size_and_scroll_inside_their_box(
    offline: Offline, site_url: str, path: str
) -> None:
    page = offline.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + path)
    rendered_diagrams(page, len(PAGES[path]))
    assert page.evaluate(SMALLEST_LABEL) >= READABLE_PX
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_diagram_s_source_never_shows_while_mermaid_loads(offline: Offline, site_url: str) -> None:
    """Issue 28: the raw Mermaid text showed for a moment before the home diagram was drawn."""
    page = offline.page
    held: list[Any] = []
    # Mermaid's module is held back until the source has been looked at.
    page.route("**/vendor/mermaid/mermaid.esm.min.mjs", lambda route: held.append(route))
    page.goto(site_url)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "Mermaid was never requested"
    source = page.locator("pre.mermaid").first
    assert source.count() == 1 and not source.is_visible()
    assert page.locator("h1").first.is_visible()
    held[0].continue_()
    rendered_diagrams(page, 1)


def test_no_floating_button_covers_the_text_while_scrolling_back_up(offline: Offline, site_url: str) -> None:
    """Issue 28: Material's floating "Back to top" button covered headings when the reader scrolled up."""
    page = offline.page
    page.goto(site_url + "pillars/security/")
    rendered_diagrams(page, 1)
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)  # scrolling up is when Material showed it
    page.wait_for_timeout(500)
    covering = page.evaluate(
        """() => {
          const text = [...document.querySelectorAll("article :is(h1, h2, h3, p, li)")]
            .map((e) => e.getBoundingClientRect())
            .filter((r) => r.bottom > 0 && r.top < innerHeight && r.width > 0);
          return [...document.querySelectorAll("body *")].filter((e) => {
            const style = getComputedStyle(e);
            if (style.position !== "fixed" || style.visibility === "hidden" || style.display === "none") return false;
            if (e.closest(".md-header, .md-dialog")) return false;
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth &&
              text.some((t) => r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom);
          }).map((e) => e.className || e.tagName);
        }"""
    )
    assert covering == []


def test_instant_navigation_renders_diagrams_without_a_reload(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "references/")
    page.evaluate("window.__samePage = true")
    security = KB.pillar("security")
    page.locator(".md-nav__link", has_text=security.name).first.click()
    page.wait_for_url(f"{site_url}pillars/{security.slug}/")
    texts = rendered_diagrams(page, 1)
    assert security.practices[0].title in texts[0]
    assert page.evaluate("window.__samePage === true"), "the page reloaded: instant navigation is off"
    page.locator(".md-nav__link", has_text="Assessment process").first.click()
    page.wait_for_url(f"{site_url}assessment/")
    assert len(rendered_diagrams(page, 2)) == 2
    assert offline.errors == []
    assert offline.blocked == []


def _label_colour(page: Any) -> str:
    fill: str = page.evaluate(
        """() => {
          const label = document.querySelector("div.mermaid").shadowRoot.querySelector(".nodeLabel");
          return getComputedStyle(label).color;
        }"""
    )
    return fill


def test_diagrams_follow_the_light_and_dark_palettes(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "pillars/security/")
    rendered_diagrams(page, 1)
    fills = {}
    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        fills[scheme] = _label_colour(page)
    assert fills["default"] != fills["slate"], fills


def test_palette_toggle_switches_to_dark_and_is_remembered(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url)
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    for _ in range(3):
        if page.evaluate(scheme) == "slate":
            break
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert page.evaluate(scheme) == "slate"
    page.reload()
    assert page.evaluate(scheme) == "slate"


@pytest.mark.site_search
def test_search_finds_kb_content_offline(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url)
    assert "Security" in site_search(page, "Macie")
    assert offline.blocked == []


def test_edit_this_page_links_to_the_source(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "pillars/security/")
    edit = page.locator("a.md-content__button[href*='/edit/']")
    assert edit.get_attribute("href").endswith("/edit/main/docs/pillars/security.md")

"""A custom lens's own site in a real Chromium, offline: its pages, diagrams, checklist risks by the lens's
rules, improvement plan and saved state.

The site is built once per session by ``python -m sitebuilder.kbsite lens`` (what ``make lens-site`` runs;
conftest's ``lens_site_url``). Overriding ``site_url`` here points conftest's ``offline`` page at that site
instead of the main one.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Offline, wait_ready
from lensfixtures import small

pytestmark = [pytest.mark.browser, pytest.mark.build]

LENS = small()
QUESTIONS: list[dict[str, Any]] = [q for pillar in LENS["pillars"] for q in pillar["questions"]]
RISKS = {"HIGH_RISK": "high", "MEDIUM_RISK": "medium", "NO_RISK": "none"}
TOKEN = re.compile(r"&&|\|\||!|\(|\)|\w+")
READ_DIAGRAMS = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  return svg ? svg.textContent.replace(/\\s+/g, " ") : null;
})
"""


@pytest.fixture(scope="module")
def site_url(lens_site_url: str) -> str:
    """The lens site (conftest's, built once per session), where conftest's ``offline`` page goes."""
    return lens_site_url


def non_none(question: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in question["choices"] if c["id"] != question["id"] + "_no"]


def lens_risk(question: dict[str, Any], selected: set[str]) -> str:
    """The question's risk by the lens's riskRules alone: the first rule whose condition holds."""
    for rule in question["riskRules"]:
        condition = rule["condition"]
        assert TOKEN.sub("", condition).strip() == "", f"unexpected characters in {condition!r}"
        words = {"&&": " and ", "||": " or ", "!": " not ", "(": "(", ")": ")", "default": " True "}
        python = "".join(words.get(t, f" ({t!r} in selected) ") for t in TOKEN.findall(condition))
        if eval(python, {"__builtins__": {}}, {"selected": selected}):
            return RISKS[rule["risk"]]
    raise AssertionError(f"no risk rule of {question['id']} holds for {sorted(selected)}")


def main_text(page: Any, url: str) -> str:
    page.goto(url)
    text: str = page.locator("main").inner_text()
    return text


def rendered_diagrams(page: Any, count: int) -> list[str]:
    page.wait_for_function(
        f"() => {{ const d = ({READ_DIAGRAMS})(); return d.length === {count} && d.every(Boolean); }}",
        timeout=20_000,
    )
    texts: list[str] = page.evaluate(READ_DIAGRAMS)
    assert not [t for t in texts if "Syntax error" in t], texts
    return texts


def heading_texts(page: Any, selector: str) -> list[str]:
    return [t.replace("¶", "").strip() for t in page.locator(selector).all_inner_texts()]


def test_home_page_and_navigation_are_the_lens(offline: Offline, site_url: str) -> None:
    page = offline.page
    texts = {
        path: main_text(page, site_url + path).lower()
        for path in ("pillars/dataIngestion/", "pillars/security/", "checklist/", "references/")
    }
    home = main_text(page, site_url)
    texts[""] = home.lower()
    assert heading_texts(page, "main h1") == [LENS["name"]]
    assert LENS["name"] in page.title()
    assert " ".join(LENS["description"].split()) in " ".join(home.split())
    assert "Lens version 1.2" in home
    nav = [" ".join(t.split()) for t in page.locator(".md-nav--primary .md-nav__link").all_text_contents()]
    for entry in ("Data Ingestion", "Security", "Checklist", "Links"):
        assert entry in nav, nav
    assert "Self-check quiz" not in nav and "Assessment process" not in nav, nav
    for path, text in texts.items():
        assert "ai/ml" not in text and "machine learning" not in text, f"{path or 'home'} mentions AI/ML"
    (diagram,) = rendered_diagrams(page, 1)
    for label in (LENS["name"], "Data Ingestion", "Security"):
        assert label in diagram, diagram
    assert offline.blocked == []


def test_pillar_page_shows_questions_choices_and_links(offline: Offline, site_url: str) -> None:
    page = offline.page
    pillar = LENS["pillars"][0]
    text = " ".join(main_text(page, site_url + "pillars/dataIngestion/").split())
    headings = heading_texts(page, "main :is(h1, h2, h3, h4)")
    assert headings[0] == pillar["name"]
    links: set[str] = set()
    for question in pillar["questions"]:
        assert question["title"] in headings
        links.add(question["helpfulResource"]["url"])
        for choice in non_none(question):
            assert choice["title"] in text
            for kind in ("helpfulResource", "improvementPlan"):
                links.update([choice[kind]["url"]] if "url" in choice.get(kind, {}) else [])
            links.update(c["url"] for r in choice.get("additionalResources", []) for c in r["content"])
    missing = [url for url in sorted(links) if page.locator(f'main a[href="{url}"]').count() == 0]
    assert not missing, f"links missing from the pillar page: {missing}"
    assert "Pillar map" in headings
    (diagram,) = rendered_diagrams(page, 1)
    assert pillar["name"] in diagram and "4 practices" in diagram and "3 practices" in diagram, diagram
    assert offline.blocked == []


def patterns() -> list[dict[str, set[str]]]:
    """Answers for every question: "None of these", everything, then subsets drawn by random.Random(7)."""
    found = [{q["id"]: {q["id"] + "_no"} for q in QUESTIONS}]
    found.append({q["id"]: {c["id"] for c in non_none(q)} for q in QUESTIONS})
    rng = random.Random(7)
    while len(found) < 8:
        pattern = {}
        for q in QUESTIONS:
            ticked = {c["id"] for c in non_none(q) if rng.random() < 0.5}
            pattern[q["id"]] = ticked or {q["id"] + "_no"}
        if pattern not in found:
            found.append(pattern)
    return found


def answer(page: Any, pattern: dict[str, set[str]]) -> None:
    """Tick exactly the pattern's boxes (untick "None of these" first, or the practices before ticking it),
    then wait until the results drawn are those of the answers now saved."""
    page.evaluate(
        "window.__drawn = null; document.addEventListener('kb-checklist:assessed', (e) => { window.__drawn = e.detail; })"
    )
    for question in QUESTIONS:
        box = page.locator(f"fieldset[data-question={question['id']}]")
        none = question["id"] + "_no" in pattern[question["id"]]
        if not none:
            box.locator("input[data-none]").set_checked(False)
        for choice in non_none(question):
            box.locator(f"input[data-choice][value={choice['id']}]").set_checked(
                choice["id"] in pattern[question["id"]]
            )
        if none:
            box.locator("input[data-none]").set_checked(True)
    page.wait_for_function(
        """() => { const key = document.getElementById('kb-app').dataset.store + ':checklist:state';
                   return window.__drawn !== null && window.__drawn === localStorage.getItem(key); }""",
        timeout=15_000,
    )


def test_checklist_risks_and_plan_follow_the_lens_rules_offline(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "checklist/")
    wait_ready(page, 60_000)
    for pattern in patterns():
        answer(page, pattern)
        expected_plan = []
        for question in QUESTIONS:
            risk = lens_risk(question, pattern[question["id"]])
            badge = page.locator(f"[data-risk-for={question['id']}]").get_attribute("class") or ""
            assert f"kb-risk--{risk}" in badge.split(), (
                question["id"],
                sorted(pattern[question["id"]]),
                badge,
            )
            if risk in ("high", "medium"):
                expected_plan += [
                    c["title"] for c in non_none(question) if c["id"] not in pattern[question["id"]]
                ]
        plan = page.locator("[data-plan] li > strong").all_text_contents()
        assert sorted(plan) == sorted(expected_plan), pattern
    assert offline.blocked == [], offline.blocked
    assert offline.errors == []


def test_saved_state_uses_the_lens_ids(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "checklist/")
    wait_ready(page, 60_000)
    pattern = patterns()[3]
    answer(page, pattern)
    button = page.locator("button[data-action=download-state]")
    menu = page.locator("details.kb-export")
    if button.locator("xpath=ancestor::details").count() and not menu.evaluate("d => d.open"):
        menu.locator("summary").click()
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename.endswith("-state.json")
    answers = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["answers"]
    assert set(answers) == {q["id"] for q in QUESTIONS}
    for question in QUESTIONS:
        lens_ids = {c["id"] for c in question["choices"]}
        selected = answers[question["id"]]["selected"]
        assert set(selected) <= lens_ids and set(selected) == pattern[question["id"]], (
            question["id"],
            selected,
        )
    assert offline.blocked == []

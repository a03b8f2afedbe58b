"""The Agentic AI and Responsible AI lenses as a new user meets them, in Chromium (issue 25): an agentic
assistant on Amazon Bedrock (agents that call tools, no training of its own) answered end to end gets a plan
that draws on the GenAI, Agentic AI and Responsible AI lenses, and on the ML Lens where its questions stay in
scope; the Responsible AI Lens's results come area by area too, and the questions can be shown one lens at a
time.

The questions are read, by lens, from the KB JSON the built site gives the browser, so the test follows the
lens's content as it grows; it needs at least one Agentic AI question. One page load. The ML-only workload
that never sees the lens is covered without a browser in test_agentic_scope.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Offline
from test_browser_checklist import assessed, downloaded, engine_result, open_checklist
from test_browser_genai import scope, visible_questions

pytestmark = pytest.mark.browser

SCOPE = {
    "model_source": "prebuilt_ai_only",
    "inference_mode": "realtime_inference",
    "data_sensitivity": "sensitive_data",
    "generative_ai": "uses_generative_ai",
    "agents": "uses_agents",
}


def built_questions(site: Path) -> dict[str, list[dict[str, Any]]]:
    """The checklist questions the built site's KB JSON holds, by lens id (a question naming none is of the
    first lens)."""
    kb = json.loads(next(site.glob("assets/checklist/*/knowledge-base.json")).read_text(encoding="utf-8"))
    first = kb["aws_lenses"][0]["id"]
    found: dict[str, list[dict[str, Any]]] = {lens["id"]: [] for lens in kb["aws_lenses"]}
    for question in kb["checklist"]["questions"]:
        found[question.get("lens", first)].append(question)
    return found


def for_this_workload(questions: list[dict[str, Any]]) -> set[str]:
    """Those a workload that trains and hosts no model of its own is asked (by the lens's convention, a
    question that needs one says `own_models` in its condition)."""
    return {q["id"] for q in questions if "own_models" not in q.get("applies_if", "")}


def test_an_agentic_assistant_on_bedrock_gets_a_plan_from_every_ai_lens_that_applies(
    offline: Offline, site_url: str, built_site: Path
) -> None:
    by_lens = built_questions(built_site)
    agentic, genai = for_this_workload(by_lens["agentic_ai"]), for_this_workload(by_lens["generative_ai"])
    responsible = for_this_workload(by_lens["responsible_ai"])
    assert agentic and responsible, (
        "the built KB has no Agentic AI or Responsible AI question for this workload (is the content in?)"
    )
    page = offline.page
    open_checklist(page, site_url)
    page.fill("#workload-name", "Order-support agent")
    scope(page, **SCOPE)
    assert page.locator("input[data-scope=agents][value=uses_agents]").is_enabled()
    shown = visible_questions(page)
    assert set(shown) >= agentic | genai | responsible
    own_models = {q["id"] for qs in by_lens.values() for q in qs} - {
        qid for qs in by_lens.values() for qid in for_this_workload(qs)
    }
    assert not own_models & set(shown), "a question about training or hosting its own models"
    # Each shown question of the lens says which lens it belongs to.
    tags = page.locator("fieldset[data-question]:visible [data-lens=agentic_ai]")
    assert tags.count() == len(set(shown) & {q["id"] for q in by_lens["agentic_ai"]})
    # Some practices in place, some "None of these": each lens's first question shown is one of the latter,
    # so every lens leaves something in the plan.
    lens_of = {q["id"]: lens_id for lens_id, qs in by_lens.items() for q in qs}
    firsts = {
        next(qid for qid in shown if lens_of[qid] == lens_id) for lens_id in set(map(lens_of.get, shown))
    }
    answers = []
    for n, qid in enumerate(shown):
        box = page.locator(f"fieldset#{qid}")
        none = n % 3 == 0 or qid in firsts
        answers.append(box.locator("input[data-none]" if none else "input[data-choice]:visible").first)
    # Answered as fast as a user clicks: the page folds the changes into the assessments it asks for, and
    # the results drawn at the end are those of every answer.
    assessed(page, lambda: [answer.check() for answer in answers])
    assert page.locator("[data-progress-text]").inner_text().startswith(f"{len(shown)} of {len(shown)}")

    result = engine_result(page)
    names = [lens["name"] for lens in result["lenses"]]
    ml_shown = set(shown) & {q["id"] for q in by_lens["machine_learning"]}
    expected = ["Machine Learning Lens"] * bool(ml_shown) + [
        "Generative AI Lens",
        "Agentic AI Lens",
        "Responsible AI Lens",
    ]
    assert names == expected
    assert page.locator("[data-lens-chart] tbody th").all_inner_texts() == expected
    listed = ", ".join(f"the {name}" for name in expected[:-1]) + f" and the {expected[-1]}"
    assert page.locator("#scope [data-lenses-text]").inner_text() == f"This review covers {listed}."
    metas = page.locator("[data-plan] .kb-plan__meta").all_inner_texts()
    for name in ("Generative AI Lens", "Agentic AI Lens", "Responsible AI Lens"):
        assert any(meta.startswith(f"{name} · ") for meta in metas), (name, metas)
    # The Responsible AI Lens, organised by its own areas, is counted area by area as well.
    areas = next(lens["areas"] for lens in result["lenses"] if lens["id"] == "responsible_ai")
    assert len(areas) > 1
    assert page.locator("[data-area-chart] thead th").first.inner_text() == "Responsible AI Lens area"
    assert page.locator("[data-area-chart] tbody th").all_inner_texts() == [a["name"] for a in areas]
    assert [item["lens_name"] for item in result["recommendations"]] == [
        meta.split(" · ")[0] for meta in metas
    ]
    # The plan can be worked through lens by lens: the engine filters, the page hides what it leaves out.
    lens_filter = page.locator("[data-filter=lens]")
    assert lens_filter.is_visible()
    assert lens_filter.locator("option").all_inner_texts() == ["All lenses"] + [
        lens["text"] for lens in result["view"]["lenses"]
    ]
    assessed(page, lambda: lens_filter.select_option("agentic_ai"))
    lens_of_choice = {item["choice"]: item["lens"] for item in result["recommendations"]}
    visible = page.locator("[data-plan] li[data-choice]:visible").all()
    assert visible and {lens_of_choice[li.get_attribute("data-choice")] for li in visible} == {"agentic_ai"}
    # The questions can be worked through lens by lens: the bar shows one lens's and counts them.
    view = page.locator("[data-lens-view]")
    assert view.locator("option:not([hidden])").all_inner_texts() == ["Every lens", *expected]
    view.select_option("responsible_ai")
    boxes = page.locator("fieldset[data-question]:visible")
    assert boxes.count() == len(responsible & set(shown))
    assert {boxes.nth(n).get_attribute("data-lens") for n in range(boxes.count())} == {"responsible_ai"}
    assert page.locator("[data-progress-text]").inner_text() == (
        f"Responsible AI Lens: {len(responsible & set(shown))} of {len(responsible & set(shown))} answered"
    )
    pillars = {q["pillar"] for q in by_lens["responsible_ai"] if q["id"] in shown}
    for heading in page.locator("h2[id^=pillar-]").all():
        pillar = (heading.get_attribute("id") or "").removeprefix("pillar-")
        assert heading.is_visible() == (pillar in pillars), pillar
    # The contents list only those pillars, each with the lens's own count.
    toc = page.locator(".md-sidebar a.md-nav__link[href*='#pillar-']:visible")
    assert {(link.get_attribute("href") or "").split("#pillar-")[1] for link in toc.all()} == pillars
    own = sum(q["pillar"] == "security" for q in by_lens["responsible_ai"] if q["id"] in shown)
    security = page.locator(
        ".md-sidebar a.md-nav__link[href$='#pillar-security'] .kb-toc-count [aria-hidden]"
    )
    assert security.first.inner_text() == f"{own}/{own}"
    # A link to a question of another lens (as the results tables and the plan give) shows every lens again.
    other = next(qid for qid in shown if lens_of[qid] == "agentic_ai")
    page.evaluate(f"location.hash = '#{other}'")
    page.locator(f"fieldset#{other}").wait_for(state="visible")
    assert view.input_value() == ""
    assert page.locator("fieldset[data-question]:visible").count() == len(shown)
    _, report = downloaded(page, "download-report")
    assert all(name in report.decode() for name in expected)
    assert offline.blocked == [] and offline.errors == []

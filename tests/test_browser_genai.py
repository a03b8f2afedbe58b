"""The Generative AI Lens as a new user meets it, in Chromium (issue 24): its guide page's quiz (and every
further lens page's), a customer-support assistant on Amazon Bedrock answered end to end, and a classic ML
workload that never sees the lens. The lens page's diagram is checked with every page's in
test_browser_pages."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Offline
from test_browser_checklist import KB, QUESTIONS, assessed, downloaded, engine_result, open_checklist

from checklist.knowledge import AwsLens
from sitebuilder.pages import sitemap

pytestmark = pytest.mark.browser

# The Responsible AI Lens applies to every AI workload (issue 25).
COVERED = ("Machine Learning Lens", "Generative AI Lens", "Responsible AI Lens")
GENAI = {q.id for q in QUESTIONS if q.lens == "generative_ai"}
AGENTIC = {q.id for q in QUESTIONS if q.lens == "agentic_ai"}
# Questions about training or hosting models of its own: they never fit a workload that only calls pre-built AI.
OWN_MODELS = {q.id for q in QUESTIONS if "own_models" in (q.applies_if or "")}


def scope(page: Any, **chosen: str) -> None:
    """Choose scope options (those not already chosen), each waiting for the results it brings."""
    for question, option in chosen.items():
        box = page.locator(f"input[data-scope={question}][value={option}]")
        if not box.is_checked():
            assessed(page, box.check)
        assert box.is_checked(), (question, option)


def visible_questions(page: Any) -> list[str]:
    return [
        str(q)
        for q in page.locator("fieldset[data-question]:visible").evaluate_all(
            "boxes => boxes.map((box) => box.dataset.question)"
        )
    ]


@pytest.mark.parametrize("aws_lens", KB.lenses[1:], ids=lambda aws_lens: aws_lens.id)
def test_the_lens_page_s_quiz_checks_an_answer(offline: Offline, site_url: str, aws_lens: AwsLens) -> None:
    """Each lens page after the first (GenAI, Agentic AI) ends with its quiz, which checks an answer."""
    quiz_id = sitemap.LENS_QUIZZES[aws_lens.id]
    quiz = KB.quiz(quiz_id)
    first = next(q for q in quiz.questions if not q.multi)
    right = " ".join(next(o.text for o in first.options if o.correct).split())
    page = offline.page
    page.goto(site_url + sitemap.lens_page(aws_lens).removesuffix(".md") + "/")
    box = page.locator(f"fieldset#{quiz_id}-{first.id}")
    box.locator("label.kb-quiz__option", has_text=right).click()
    box.get_by_role("button", name="Check").click()
    assert box.locator(".kb-quiz__verdict").inner_text() == "Correct."
    total = len(quiz.questions)
    assert (
        page.locator(f"#quiz-{quiz_id} .kb-quiz__score").inner_text()
        == f"1 of {total} correct (1 of {total} checked)"
    )
    assert offline.blocked == [] and offline.errors == []


def test_a_support_assistant_on_bedrock_gets_a_review_of_each_lens_that_applies(
    offline: Offline, site_url: str
) -> None:
    """The issue's new user: calls Amazon Bedrock models with retrieval over company documents, and no agents
    (an agentic assistant is test_browser_agentic's); answers every question it is shown, some practices in
    place and some "None of these"."""
    page = offline.page
    open_checklist(page, site_url)
    page.fill("#workload-name", "Customer-support assistant")
    scope(
        page,
        model_source="prebuilt_ai_only",
        inference_mode="realtime_inference",
        data_sensitivity="sensitive_data",
        generative_ai="uses_generative_ai",
        agents="no_agents",
    )
    shown = visible_questions(page)
    assert set(shown) >= GENAI
    assert not AGENTIC & set(shown), "a question of the Agentic AI Lens"
    assert not OWN_MODELS & set(shown), "a question about training its own models"
    answers = [
        page.locator(f"fieldset#{qid}")
        .locator("input[data-none]" if n % 3 == 0 else "input[data-choice]:visible")
        .first
        for n, qid in enumerate(shown)
    ]
    # Answered as fast as a user clicks; the results drawn at the end are those of every answer.
    assessed(page, lambda: [answer.check() for answer in answers])
    assert page.locator("[data-progress-text]").inner_text().startswith(f"{len(shown)} of {len(shown)}")

    result = engine_result(page)
    assert set(result["scope"]["questions"]) >= OWN_MODELS  # what it was not shown, the engine left out
    metas = page.locator("[data-plan] .kb-plan__meta").all_inner_texts()
    assert any(meta.startswith("Generative AI Lens · ") for meta in metas), metas
    assert page.locator("[data-lens-chart] tbody th").all_inner_texts() == list(COVERED)
    _, report = downloaded(page, "download-report")
    assert all(name in report.decode() for name in COVERED)
    assert offline.blocked == []


def test_a_classic_ml_workload_sees_no_question_of_the_genai_lens(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    scope(
        page, model_source="own_models", inference_mode="realtime_inference", generative_ai="no_generative_ai"
    )
    shown = set(visible_questions(page))
    assert shown and not shown & (GENAI | AGENTIC)
    assert page.locator("input[data-scope=agents][value=no_agents]").is_checked()
    assert page.locator("input[data-scope=agents]").first.is_disabled()
    assert (
        page.locator("fieldset[data-scope-group=agents] [data-scope-note]").inner_text()
        == "Not asked with “No”: it counts as “No: they only answer or generate”."
    )
    assert page.locator("fieldset[data-question]:visible [data-lens=generative_ai]").count() == 0
    # Responsible AI applies to every AI workload: the review covers it beside the ML Lens.
    assert page.locator("[data-lens-results]").is_visible()
    assert (
        page.locator("#scope [data-lenses-text]").inner_text()
        == "This review covers the Machine Learning Lens and the Responsible AI Lens."
    )

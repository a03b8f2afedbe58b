"""Quizzes in a real Chromium: answering by mouse and keyboard, score, persistence, and no JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import KB_PATH, Offline

from checklist.knowledge import QuizQuestion
from sitebuilder import kbfile

pytestmark = pytest.mark.browser

KB = kbfile.load(KB_PATH)
SELF_CHECK = KB.quiz("self_check")


def right_texts(question: QuizQuestion) -> list[str]:
    return [o.text for o in question.options if o.correct]


def wrong_text(question: QuizQuestion) -> str:
    return next(o.text for o in question.options if not o.correct)


def fieldset(page: Any, quiz_id: str, question: QuizQuestion) -> Any:
    return page.locator(f"fieldset#{quiz_id}-{question.id}")


def option(page: Any, quiz_id: str, question: QuizQuestion, text: str) -> Any:
    return fieldset(page, quiz_id, question).locator("label.kb-quiz__option", has_text=" ".join(text.split()))


def score(page: Any, quiz_id: str) -> str:
    text: str = page.locator(f"#quiz-{quiz_id} .kb-quiz__score").inner_text()
    return text


def test_answer_by_mouse_and_by_keyboard(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "self-check/")
    first, second = SELF_CHECK.questions[:2]
    total = len(SELF_CHECK.questions)

    # Mouse: the right answer.
    option(page, "self_check", first, right_texts(first)[0]).click()
    fieldset(page, "self_check", first).get_by_role("button", name="Check").click()
    feedback = fieldset(page, "self_check", first).locator(".kb-quiz__feedback")
    assert feedback.locator(".kb-quiz__verdict").inner_text() == "Correct."
    assert " ".join(first.explanation.split())[:50] in feedback.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('kb-quiz__feedback')")
    assert "your answer, correct" in option(page, "self_check", first, right_texts(first)[0]).inner_text()

    # Keyboard only: Tab into the second question's options, arrow to a wrong one, Tab to Check, Enter.
    second_inputs = fieldset(page, "self_check", second).locator("input")
    second_inputs.first.focus()
    page.keyboard.press("Space")
    target = wrong_text(second)
    for _ in range(len(second.options)):
        focused = page.evaluate("document.activeElement.closest('label').innerText")
        if " ".join(target.split()) in focused:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "check", page.evaluate(
        "document.activeElement.outerHTML.slice(0, 200)"
    )
    page.keyboard.press("Enter")
    feedback = fieldset(page, "self_check", second).locator(".kb-quiz__feedback")
    assert feedback.locator(".kb-quiz__verdict").inner_text() == "Not quite."
    assert "your answer, not correct" in option(page, "self_check", second, target).inner_text()
    assert "correct answer" in option(page, "self_check", second, right_texts(second)[0]).inner_text()
    assert score(page, "self_check") == f"1 of {total} correct (2 of {total} checked)"
    assert offline.blocked == []


def test_answers_persist_across_reload_and_instant_navigation(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "self-check/")
    first = SELF_CHECK.questions[0]
    total = len(SELF_CHECK.questions)
    option(page, "self_check", first, right_texts(first)[0]).click()
    fieldset(page, "self_check", first).get_by_role("button", name="Check").click()
    expected = f"1 of {total} correct (1 of {total} checked)"
    assert score(page, "self_check") == expected

    # Kept under the site's id (the KB's site.id; this site's keys are the ones saved answers have).
    saved = page.evaluate("JSON.parse(localStorage.getItem('wa-ml:quiz:self_check'))")
    assert saved["checked"] == {first.id: True}
    page.reload()
    assert option(page, "self_check", first, right_texts(first)[0]).locator("input").is_checked()
    assert score(page, "self_check") == expected

    page.evaluate("window.__samePage = true")
    page.locator(".md-nav__link", has_text="References").first.click()
    page.wait_for_url(site_url + "references/")
    page.locator(".md-nav__link", has_text="Self-check quiz").first.click()
    page.wait_for_url(site_url + "self-check/")
    assert page.evaluate("window.__samePage === true")
    assert score(page, "self_check") == expected
    assert fieldset(page, "self_check", first).locator(".kb-quiz__verdict").inner_text() == "Correct."

    page.get_by_role("button", name="Retry").click()
    assert score(page, "self_check") == f"0 of {total} correct (0 of {total} checked)"
    page.reload()
    assert not option(page, "self_check", first, right_texts(first)[0]).locator("input").is_checked()
    assert offline.blocked == []


def test_every_pillar_guide_ends_with_its_quiz(offline: Offline, site_url: str) -> None:
    page = offline.page
    for pillar in KB.pillars:
        quiz = KB.pillar_quiz(pillar.id)
        assert quiz is not None and len(quiz.questions) >= 2
        page.goto(f"{site_url}pillars/{pillar.slug}/")
        form = page.locator(f"form#quiz-{quiz.id}")
        assert form.locator("fieldset").count() == len(quiz.questions)
        last_heading = page.locator("article h2").last.inner_text()
        assert quiz.title in last_heading
    assert offline.blocked == []


def test_multi_answer_question_needs_every_right_option(offline: Offline, site_url: str) -> None:
    quiz, question = next((q, x) for q in KB.quizzes if q.pillar for x in q.questions if x.multi)
    pillar = KB.pillar(quiz.pillar)
    page = offline.page
    page.goto(f"{site_url}pillars/{pillar.slug}/")
    box = fieldset(page, quiz.id, question)
    assert box.locator("input[type=checkbox]").count() == len(question.options)
    rights = right_texts(question)
    option(page, quiz.id, question, rights[0]).click()
    box.get_by_role("button", name="Check").click()
    assert box.locator(".kb-quiz__verdict").inner_text() == "Not quite."
    for text in rights[1:]:
        option(page, quiz.id, question, text).click()
    box.get_by_role("button", name="Check").click()
    assert box.locator(".kb-quiz__verdict").inner_text() == "Correct."


@pytest.fixture
def no_js_page(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False)
    blocked: list[str] = []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(site_url)
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    yield context.new_page()
    context.close()
    assert blocked == []


def test_without_javascript_the_answers_are_in_details(no_js_page: Any, site_url: str) -> None:
    page = no_js_page
    page.goto(site_url + "self-check/")
    for question in SELF_CHECK.questions:
        box = fieldset(page, "self_check", question)
        assert box.locator("label.kb-quiz__option").count() == len(question.options)
        assert not box.get_by_role("button", name="Check").is_visible()
        answer = box.locator("details.kb-quiz__answer")
        assert not answer.locator(".kb-quiz__explanation").is_visible()
        answer.locator("summary").click()
        assert answer.locator(".kb-quiz__explanation").is_visible()
        assert " ".join(right_texts(question)[0].split()) in answer.locator(".kb-quiz__solution").inner_text()

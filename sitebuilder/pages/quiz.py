"""Quiz markup: readable and answerable without JavaScript, graded in the page by docs/assets/javascripts/quiz.js.

Without JavaScript each question lists its options and a ``<details>`` reveals the answer; the script
un-hides the Check and Retry buttons and uses the same ``<details>`` content as its feedback.
"""

from __future__ import annotations

import random
from string import ascii_uppercase

from checklist.knowledge import KnowledgeBase, Quiz, QuizOption, QuizQuestion
from sitebuilder.pages.markdown import caveat_spans, html_text, text


def option_order(quiz: Quiz, question: QuizQuestion) -> list[int]:
    """Indices of the options in display order: shuffled with a seed from the ids, so every build agrees."""
    order = list(range(len(question.options)))
    if quiz.shuffle:
        random.Random(f"{quiz.id}/{question.id}").shuffle(order)
    return order


def _option(quiz: Quiz, question: QuizQuestion, index: int, letter: str, option: QuizOption) -> str:
    kind = "checkbox" if question.multi else "radio"
    correct = ' data-correct=""' if option.correct else ""
    return (
        f'<li><label class="kb-quiz__option"><input type="{kind}" name="{quiz.id}-{question.id}" '
        f'value="{index}"{correct}> <span class="kb-quiz__letter">{letter}.</span> '
        f'<span class="kb-quiz__text">{html_text(option.text)}</span><span class="kb-quiz__mark"></span>'
        "</label></li>"
    )


def _question(kb: KnowledgeBase, quiz: Quiz, number: int, question: QuizQuestion, references_url: str) -> str:
    order = option_order(quiz, question)
    letters = dict(zip(order, ascii_uppercase, strict=False))
    options = "\n".join(
        _option(quiz, question, index, letters[index], question.options[index]) for index in order
    )
    right = [
        f"{letters[i]}. {html_text(question.options[i].text)}" for i in order if question.options[i].correct
    ]
    hint = ' <span class="kb-quiz__hint">(select all that apply)</span>' if question.multi else ""
    sources = ", ".join(
        f'<a href="{html_text(references_url)}#{ref}">{html_text(kb.reference(ref).title)}</a>'
        for ref in question.cites
    )
    source = f'<p class="kb-quiz__source">Source: {sources}</p>' if sources else ""
    label = "Answers" if len(right) > 1 else "Answer"
    return f"""<fieldset class="kb-quiz__question" id="{quiz.id}-{question.id}" data-question="{question.id}">
<legend><span class="kb-quiz__number">{number}.</span> {html_text(question.prompt)}{hint}</legend>
<ol class="kb-quiz__options">
{options}
</ol>
<div class="kb-quiz__feedback" tabindex="-1" aria-live="polite"></div>
<details class="kb-quiz__answer">
<summary>Show the answer</summary>
<p class="kb-quiz__solution"><strong>{label}:</strong> {"; ".join(right)}</p>
<p class="kb-quiz__explanation">{html_text(question.explanation)}{caveat_spans(kb, question.services)}</p>
{source}
</details>
<p class="kb-quiz__actions" hidden><button type="button" class="md-button" data-action="check">Check</button></p>
</fieldset>"""


def section(kb: KnowledgeBase, quiz: Quiz, references_url: str) -> str:
    """A quiz under its own heading, as a pillar guide ends."""
    return f"## {text(quiz.title)}\n\n{render(kb, quiz, references_url)}"


def render(kb: KnowledgeBase, quiz: Quiz, references_url: str) -> str:
    """The quiz as one HTML block (Markdown leaves raw HTML blocks alone)."""
    intro = f'<p class="kb-quiz__intro">{html_text(quiz.intro)}</p>\n' if quiz.intro else ""
    questions = "\n".join(
        _question(kb, quiz, number, question, references_url)
        for number, question in enumerate(quiz.questions, start=1)
    )
    total = len(quiz.questions)
    return f"""<form class="kb-quiz" id="quiz-{quiz.id}" data-quiz="{quiz.id}" data-store="{kb.site.id}" aria-label="{html_text(quiz.title)}">
{intro}{questions}
<div class="kb-quiz__summary" hidden>
<p class="kb-quiz__score" role="status" aria-live="polite">0 of {total} correct</p>
<button type="button" class="md-button" data-action="retry">Retry</button>
</div>
</form>
"""

"""Completing an assessment in Chromium: way-finding, focus and keyboard, in-page links that keep the
engine, honest loading, and the narrow-screen results and share dialog (GitHub issue 17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Offline, wait_ready
from test_browser_checklist import (
    KB,
    QUESTIONS,
    assessed,
    engine_result,
    import_state,
    open_checklist,
)

from checklist.scales import RISK_LABELS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BAR = "[data-progress-bar]"
NEXT = "button[data-action=next-unanswered]"
RISKS = ("high", "medium", "none", "not_applicable", "unanswered")

# Counts the checklist's workers (Material starts a search worker of its own) across the page view: a page
# fetched again by instant navigation keeps this document, so a restarted engine counts twice.
COUNT_WORKERS = """
window.__checklistWorkers = 0;
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(url, options) {
    super(url, options);
    if (String(url).includes("checklist-worker")) window.__checklistWorkers += 1;
  }
};
"""

# The WCAG contrast of an element's focus outline against what lies behind it (its parent's background,
# layers of translucent backgrounds composed down to the first opaque one).
OUTLINE_CONTRAST = """(el) => {
  const ring = el.matches("input[type=checkbox], input[type=radio], input[type=file]") ? el.closest("label") : el;
  const style = getComputedStyle(ring);
  const rgba = (text) => {
    const [r, g, b, a = 1] = text.match(/[\\d.]+/g).map(Number);
    return [r, g, b, a];
  };
  const layers = [];
  for (let node = ring.parentElement; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour[3] > 0) layers.push(colour);
    if (colour[3] === 1) break;
  }
  let back = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) back = [r * a + back[0] * (1 - a), g * a + back[1] * (1 - a), b * a + back[2] * (1 - a)];
  const luminance = ([r, g, b]) => {
    const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const [lo, hi] = [luminance(rgba(style.outlineColor)), luminance(back)].sort((x, y) => x - y);
  return {
    visible: el.matches(":focus-visible"),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    colour: style.outlineColor,
    contrast: (hi + 0.05) / (lo + 0.05),
  };
}"""


def phone(page: Any) -> None:
    page.set_viewport_size(PHONE)


def focused(page: Any) -> str:
    """What has the keyboard focus: a question's input as ``question/value``, else a short description."""
    return str(
        page.evaluate("""() => {
        const el = document.activeElement;
        const box = el.closest("fieldset[data-question]");
        if (box && el.matches("input")) return `${box.dataset.question}/${el.value}`;
        return `${el.tagName.toLowerCase()}:${(el.dataset.action || el.getAttribute("href") || el.textContent).trim()}`;
    }""")
    )


def on_guide_link(page: Any, question: Any) -> bool:
    """Whether the keyboard focus is on the question's link to its guide section (before its choices)."""
    return bool(
        page.evaluate(
            "id => document.activeElement.matches(`fieldset[data-question='${id}'] a.kb-question__guide`)",
            question.id,
        )
    )


def first_choice(question: Any) -> str:
    return f"{question.id}/{question.choices[0].id}"


@pytest.mark.parametrize("width", [1280, 390])
def test_progress_stays_in_view_and_next_unanswered_jumps(
    offline: Offline, site_url: str, width: int
) -> None:
    page = offline.page
    if width < 1280:
        phone(page)
    open_checklist(page, site_url)
    bar = page.locator(BAR)
    assert bar.is_visible()
    assert bar.locator("[data-progress-text]").inner_text() == f"0 of {len(QUESTIONS)} questions answered"

    # From the top, the first question; answered by keyboard, the next one.
    page.locator(NEXT).click()
    assert focused(page) == first_choice(QUESTIONS[0])
    assessed(page, lambda: page.keyboard.press("Space"))
    assert bar.locator("[data-progress-text]").inner_text() == f"1 of {len(QUESTIONS)} questions answered"
    page.locator(NEXT).click()
    assert focused(page) == first_choice(QUESTIONS[1])
    # The question jumped to sits below the header and the bar, not under them.
    header = page.locator(".md-header").bounding_box()
    stuck = bar.bounding_box()
    assert stuck["y"] == pytest.approx(header["y"] + header["height"], abs=1)
    legend = page.locator(f"fieldset#{QUESTIONS[1].id} legend").bounding_box()
    assert legend["y"] >= stuck["y"] + stuck["height"]
    page.screenshot(path=f"/tmp/wayfinding-sticky-{width}.png")

    # Far down the page the bar is still in view, under the header.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight * 0.7)")
    stuck = bar.bounding_box()
    assert stuck["y"] == pytest.approx(header["y"] + header["height"], abs=1)

    # From the middle of the page it goes on from there, not back to the top.
    middle = len(QUESTIONS) // 2
    page.evaluate(f"document.getElementById('{QUESTIONS[middle].id}').scrollIntoView({{ block: 'start' }})")
    page.locator(NEXT).click()
    assert focused(page) == first_choice(QUESTIONS[middle + 1])
    # Past the last question it wraps round to the first unanswered one.
    page.evaluate(f"document.getElementById('{QUESTIONS[-1].id}').scrollIntoView({{ block: 'start' }})")
    page.locator(NEXT).click()
    assert focused(page) == first_choice(QUESTIONS[1])
    assert offline.blocked == []


def narrow_the_scope(page: Any, site_url: str) -> Any:
    """Open the checklist and answer its first scope question with an option that leaves questions out."""
    open_checklist(page, site_url)
    assert KB.checklist is not None
    scope_question = KB.checklist.scope[0]
    option = scope_question.options[1]
    assessed(page, lambda: page.locator(f"input[data-scope={scope_question.id}][value={option.id}]").check())
    return scope_question


def test_next_unanswered_skips_questions_out_of_scope(offline: Offline, site_url: str) -> None:
    page = offline.page
    narrow_the_scope(page, site_url)
    hidden = set(engine_result(page)["scope"]["questions"])
    ids = [q.id for q in QUESTIONS]
    gap = next(n for n in range(1, len(ids) - 1) if ids[n] in hidden and ids[n - 1] not in hidden)
    after = next(q for q in QUESTIONS[gap:] if q.id not in hidden)
    page.evaluate(f"document.getElementById('{ids[gap - 1]}').scrollIntoView({{ block: 'start' }})")
    page.locator(NEXT).click()
    assert focused(page).split("/")[0] == after.id


def test_table_of_contents_counts_unanswered_marks_and_links(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.context.add_init_script(COUNT_WORKERS)
    open_checklist(page, site_url)
    first = QUESTIONS[0]
    assessed(page, lambda: page.locator(f"input[value={first.choices[0].id}]").check())
    result = engine_result(page)

    # Per-pillar answered counts in Material's table of contents, from the engine's per-pillar counts.
    toc = page.locator(".md-sidebar--secondary")
    for pillar in result["pillars"]:
        total = sum(pillar[risk] for risk in RISKS)  # type: ignore[literal-required]
        link = toc.locator(f"a.md-nav__link[href$='#pillar-{pillar['id']}']")
        count = link.locator(".kb-toc-count")
        assert count.locator("[aria-hidden]").inner_text() == f"{total - pillar['unanswered']}/{total}"
        assert f"{total - pillar['unanswered']} of {total} answered" in count.text_content()
    assert toc.locator(f"a[href$='#pillar-{first.pillar}'] .kb-toc-count").inner_text().startswith("1/")

    # Unanswered questions say so, in a badge and a class; answered ones do not.
    for question in result["questions"]:
        box = page.locator(f"fieldset#{question['id']}")
        badge = box.locator(f"[data-risk-for={question['id']}]")
        assert badge.inner_text() == RISK_LABELS[question["risk"]]
        unanswered = question["risk"] == "unanswered"
        assert ("is-unanswered" in (box.get_attribute("class") or "")) == unanswered
        assert ("kb-risk--unanswered" in (badge.get_attribute("class") or "")) == unanswered
    assert page.locator("fieldset.is-unanswered").count() == len(QUESTIONS) - 1

    # The pillar table's Unanswered count links to the pillar's first unanswered question.
    for pillar in result["pillars"]:
        own = [q for q in result["questions"] if q["pillar"] == pillar["id"] and q["risk"] == "unanswered"]
        link = page.locator(f"[data-pillar-chart] tr[data-group={pillar['id']}] td[data-risk=unanswered] a")
        assert link.inner_text() == str(pillar["unanswered"])
        assert link.get_attribute("href") == f"#{own[0]['id']}"
    second = QUESTIONS[1]
    page.locator(f"[data-pillar-chart] tr[data-group={first.pillar}] td[data-risk=unanswered] a").click()
    page.wait_for_url(f"{site_url}checklist/#{second.id}")
    page.wait_for_timeout(300)
    bar = page.locator(BAR).bounding_box()
    legend = page.locator(f"fieldset#{second.id} legend").bounding_box()
    assert bar["y"] + bar["height"] <= legend["y"] < 900
    assert page.evaluate("window.__checklistWorkers") == 1


def test_in_page_links_keep_the_page_and_its_worker(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.context.add_init_script(COUNT_WORKERS)
    open_checklist(page, site_url, wait=False)
    page.wait_for_selector(f"{BAR}:not([hidden])")
    page.evaluate("window.__samePage = true")
    # Right after load, before the engine is ready: the results, then a pillar in the table of contents.
    page.locator(f"{BAR} a[href$='#results']").click()
    page.wait_for_url(f"{site_url}checklist/#results")
    pillar = KB.pillars[1]
    page.locator(f".md-sidebar--secondary a.md-nav__link[href$='#pillar-{pillar.id}']").click()
    page.wait_for_url(f"{site_url}checklist/#pillar-{pillar.id}")
    wait_ready(page, 60_000)
    # And Back through them, with the engine ready.
    page.go_back()
    page.wait_for_url(f"{site_url}checklist/#results")
    page.go_back()
    page.wait_for_url(f"{site_url}checklist/")
    page.locator(f"{BAR} a[href$='#results']").click()
    page.wait_for_url(f"{site_url}checklist/#results")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__samePage === true")
    assert page.evaluate("window.__checklistWorkers") == 1
    assert offline.requested.count(f"{site_url}checklist/") == 1
    assert page.locator("[data-status]").inner_text().startswith("Ready")
    assert offline.blocked == []


def test_answers_count_and_keep_while_the_engine_loads(offline: Offline, site_url: str) -> None:
    page = offline.page
    held: list[Any] = []
    # The biggest download, held back for a while (the worker's requests go through the context's routes;
    # the last one added answers first).
    page.context.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    open_checklist(page, site_url, wait=False)
    page.wait_for_function("document.querySelector('[data-download]')?.textContent !== ''", timeout=30_000)
    status = page.locator(".kb-status").inner_text()
    assert "Downloading the assessment engine…" in status and " MB" in status, status
    assert "your answers are kept" in status
    page.locator(f"input[value={QUESTIONS[0].choices[0].id}]").check()
    page.locator(f"fieldset#{QUESTIONS[3].id} input[data-na]").check()
    # Counted by the page until the engine answers, in the engine's words (and by its rule: ticked or N/A).
    assert page.locator("[data-progress-text]").inner_text() == f"2 of {len(QUESTIONS)} questions answered"
    saved = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    assert saved["answers"][QUESTIONS[0].id]["selected"] == [QUESTIONS[0].choices[0].id]
    assert saved["answers"][QUESTIONS[3].id]["not_applicable"] is True
    assert held, "the engine's runtime was requested"
    held[0].continue_()
    wait_ready(page, 60_000)
    page.wait_for_function(
        f"document.querySelector('[data-progress-text]').textContent === '2 of {len(QUESTIONS)} questions answered'"
    )
    ready = page.locator(".kb-status").inner_text().strip()
    assert ready == "Ready: answers are assessed in this browser; nothing is sent anywhere.", ready
    assert page.locator("[data-meanwhile]").is_hidden()


@pytest.mark.parametrize("offline", ["light", "dark"], indirect=True)
def test_focus_is_visible_on_every_control(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme in ("default", "slate")
    # None of these: a high risk, so the plan has links and buttons to focus too.
    assessed(page, lambda: page.locator(f"fieldset#{QUESTIONS[0].id} input[data-none]").check())
    page.locator("[data-filter=status] option").first.wait_for(state="attached")
    controls = {
        "checkbox row": f"fieldset#{QUESTIONS[1].id} input[data-choice] >> nth=0",
        "none of these": f"fieldset#{QUESTIONS[1].id} input[data-none]",
        "not applicable": f"fieldset#{QUESTIONS[1].id} input[data-na]",
        "radio": "input[data-scope] >> nth=0",
        "environment radio": "input[name=environment] >> nth=0",
        "text field": "#workload-name",
        "notes": f"textarea[name={QUESTIONS[1].id}__notes]",
        "toolbar button": "button[data-action=download-state]",
        "summary": "details.kb-export > summary",
        "file import": "input[data-action=import]",
        "next unanswered": NEXT,
        "bar link": f"{BAR} a[href$='#results']",
        "table of contents": ".md-sidebar--secondary a.md-nav__link >> nth=0",
        "results link": "[data-pillar-chart] td[data-risk=unanswered] a >> nth=0",
        "plan link": "[data-plan] a.kb-plan__question >> nth=0",
        "plan button": "[data-plan] button[data-decide] >> nth=0",
        "select": "[data-filter=status]",
    }
    page.keyboard.press("Shift")  # keyboard modality: focus from here on is keyboard focus
    failures = []
    for name, selector in controls.items():
        control = page.locator(selector)
        control.focus()
        ring = control.evaluate(OUTLINE_CONTRAST)
        if not (ring["visible"] and ring["style"] != "none" and ring["width"] >= 2 and ring["contrast"] >= 3):
            failures.append(f"{name}: {ring}")
        if name == "checkbox row":
            control.evaluate("el => el.scrollIntoView({ block: 'center' })")
            page.mouse.move(1, 1)  # no hover highlight in the picture
            page.screenshot(path=f"/tmp/wayfinding-focus-{scheme}.png")
    assert failures == [], "\n".join(failures)


def test_heading_permalinks_are_out_of_the_tab_order(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    links = page.locator("article a.headerlink")
    assert links.count() > len(KB.pillars)
    assert set(links.evaluate_all("links => links.map((a) => a.tabIndex)")) == {-1}
    assert links.evaluate_all("links => links.filter((a) => a.title).length") == 0
    assert set(links.evaluate_all("links => links.map((a) => a.getAttribute('aria-label'))")) == {
        "Permanent link"
    }
    # From the last workload control, Tab goes straight to the first question: its guide link, then its
    # first choice.
    page.locator("input[name=pillar_priorities]").last.focus()
    page.keyboard.press("Tab")
    assert on_guide_link(page, QUESTIONS[0]), focused(page)
    page.keyboard.press("Tab")
    assert focused(page) == first_choice(QUESTIONS[0])
    # Hovering a pillar's permalink puts no tooltip over the question title below it.
    pillar = KB.pillars[1]
    page.locator(f"#pillar-{pillar.id} a.headerlink").hover()
    page.wait_for_timeout(400)
    shown = page.evaluate(
        "[...document.querySelectorAll('.md-tooltip2')].filter((t) => getComputedStyle(t).display !== 'none'"
        " && t.getBoundingClientRect().height > 0 && t.classList.contains('md-tooltip2--active')).length"
    )
    assert shown == 0


def test_keyboard_only_answer_and_results(offline: Offline, site_url: str) -> None:
    """Tab, Space and Enter only: reach Next unanswered, answer the first question, go on to the next
    one, back to the bar's "See your results" and on to the results (tabbing through every question of
    four lenses would take a thousand presses: a keyboard user takes the bar's link)."""
    page = offline.page
    open_checklist(page, site_url)

    def tab_until(condition: str, limit: int, key: str = "Tab") -> int:
        for presses in range(1, limit + 1):
            page.keyboard.press(key)
            if page.evaluate(condition):
                return presses
        raise AssertionError(f"not reached in {limit} Tab presses: {condition}")

    to_bar = tab_until("document.activeElement.matches('button[data-action=next-unanswered]')", 200)
    page.keyboard.press("Enter")
    question = QUESTIONS[0]
    assert focused(page) == first_choice(question)
    assessed(page, lambda: page.keyboard.press("Space"))
    assert page.locator(f"input[value={question.choices[0].id}]").is_checked()
    per_question = tab_until(
        f"document.activeElement.closest('fieldset[data-question]')?.id === '{QUESTIONS[1].id}'", 50
    )
    assert on_guide_link(page, QUESTIONS[1]), focused(page)
    # Each choice, None of these, Not applicable and the notes, then the next question's guide link.
    assert per_question == len(question.choices) + 3
    page.keyboard.press("Tab")
    assert focused(page) == first_choice(QUESTIONS[1])
    back = tab_until("document.activeElement.matches('.kb-progress a[href$=\"#results\"]')", 200, "Shift+Tab")
    page.keyboard.press("Enter")
    to_results = tab_until("Boolean(document.activeElement.closest('#kb-results'))", 50)
    page.keyboard.press("Enter")  # the first Unanswered count: back to that pillar's first open question
    page.wait_for_timeout(300)
    print(
        f"\nkeyboard: {to_bar} Tab presses from the top to Next unanswered; {per_question} per question "
        f"({len(question.choices)} choices); {back} back to See your results, then {to_results} into them"
    )
    assert page.locator("[data-progress-text]").inner_text() == f"1 of {len(QUESTIONS)} questions answered"
    page.keyboard.press("Tab")  # the link moved the starting point of Tab to the question
    assert on_guide_link(page, QUESTIONS[1]), focused(page)
    page.keyboard.press("Tab")
    assert focused(page) == first_choice(QUESTIONS[1])


def test_pillar_results_stack_on_a_phone(offline: Offline, site_url: str) -> None:
    page = offline.page
    phone(page)
    open_checklist(page, site_url)
    assessed(page, lambda: page.locator(f"input[value={QUESTIONS[0].choices[0].id}]").check())
    page.locator(f"{BAR} a[href$='#results']").click()
    page.wait_for_url(f"{site_url}checklist/#results")
    chart = page.locator("[data-pillar-chart]")
    assert chart.locator("thead").bounding_box()["height"] <= 1  # read by screen readers, not shown
    rows = chart.locator("tbody tr")
    assert rows.count() == len(KB.pillars)
    labels = list(RISK_LABELS.values())
    for n in range(rows.count()):
        row = rows.nth(n)
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        shown = row.locator("td[data-risk]").evaluate_all(
            "cells => cells.map((td) => getComputedStyle(td, '::before').content)"
        )
        assert shown == [json.dumps(label) for label in labels]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    chart.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/wayfinding-stacked-390.png")


def test_share_dialog_names_both_workloads_and_keeps_by_default(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    shared = {
        "version": 1,
        "workload": {"name": "Fraud scoring"},
        "answers": {QUESTIONS[0].id: {"selected": [QUESTIONS[0].none_choice]}},
    }
    assessed(page, lambda: import_state(page, shared, tmp_path))
    page.locator("button[data-action=share]").click()
    page.wait_for_function("document.querySelector('[data-share-url]').value !== ''")
    link = page.locator("[data-share-url]").input_value()
    page.fill("#workload-name", "Churn model")
    assessed(page, lambda: page.locator(f"input[value={QUESTIONS[5].choices[0].id}]").check())

    for mine, named in (("Churn model", "“Churn model”"), ("", "an unnamed workload")):
        page.fill("#workload-name", mine)
        page.goto("about:blank")
        page.goto(link)
        page.wait_for_selector("dialog[open]", timeout=60_000)
        assert page.locator("[data-dialog-text]").inner_text() == (
            f"Replace your answers for {named} with those for “Fraud scoring” from the share link?"
        )
        assert page.evaluate("document.activeElement.matches('[data-dialog-no]')")
        page.keyboard.press("Enter")  # the default keeps the answers
        page.wait_for_selector("dialog[open]", state="hidden")
        assert page.input_value("#workload-name") == mine
        assert page.locator(f"input[value={QUESTIONS[5].choices[0].id}]").is_checked()


def test_on_a_phone_the_file_actions_fit_and_clear_looks_destructive(offline: Offline, site_url: str) -> None:
    page = offline.page
    phone(page)
    open_checklist(page, site_url)
    toolbar = page.locator(".kb-toolbar")
    boxes = [b.bounding_box() for b in toolbar.locator(":scope > *").all()]
    middles = sorted(box["y"] + box["height"] / 2 for box in boxes if box)
    rows = [y for n, y in enumerate(middles) if n == 0 or y - middles[n - 1] > 20]
    assert len(rows) <= 3, middles  # the exports are one menu, not six buttons on four rows
    downloads = toolbar.locator("details.kb-export button[data-format]")
    assert downloads.count() >= 6 and not downloads.first.is_visible()  # folded until the menu opens
    clear = toolbar.locator("button[data-action=reset]")
    other = toolbar.locator("button[data-action=share]")
    assert clear.evaluate("b => getComputedStyle(b).color") != other.evaluate(
        "b => getComputedStyle(b).color"
    )


@pytest.mark.parametrize("offline", ["light", "dark"], indirect=True)
@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_the_open_export_menu_fits_the_screen(
    offline: Offline, site_url: str, width: int, tmp_path: Path
) -> None:
    """Issue 28: at 390 px the open Export menu ran to 452 px and the page scrolled sideways."""
    page = offline.page
    page.set_viewport_size({"width": width, "height": 844})
    open_checklist(page, site_url)
    page.locator("details.kb-export > summary").click()
    downloads = page.locator("details.kb-export button[data-format]")
    assert downloads.first.is_visible()
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], wide
    for button in downloads.all():
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    if width == 390:
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        page.locator(".kb-toolbar").screenshot(path=str(tmp_path / f"export-{scheme}.png"))


def test_a_link_to_a_question_the_scope_left_out_says_why_and_the_way_back(
    offline: Offline, site_url: str
) -> None:
    """A guide's link to a question the scope hides lands on it, greyed, with the engine's reason."""
    page = offline.page
    scope_question = narrow_the_scope(page, site_url)
    result = engine_result(page)
    hidden = result["scope"]["questions"]
    assert hidden
    target = hidden[0]
    reason = next(q["reason"] for q in result["questions"] if q["id"] == target)
    assert reason
    box = page.locator(f"#{target}")
    assert not box.is_visible()
    page.evaluate(f"location.hash = '{target}'")
    note = box.locator("[data-left-out-for]")
    note.wait_for(state="visible")
    assert reason in note.inner_text()
    assert "is-left-out" in (box.get_attribute("class") or "")
    assert box.is_visible() and box.bounding_box()["y"] < 844
    note.locator("a[href$='#scope']").click()
    box.wait_for(state="hidden")  # the jump away hides it again (on hashchange, a moment later)
    assessed(page, lambda: page.locator(f"input[data-scope={scope_question.id}]").first.check())
    assert box.is_visible() and not note.is_visible()

"""No answers lost, in Chromium: two tabs of the checklist stay consistent, and storage that is full, turned
off or holds something unreadable is said at once, never written over, and leaves the page working."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Offline, wait_ready
from playwright.sync_api import expect
from test_browser_checklist import QUESTIONS, open_checklist

from checklist.scales import RISK_LABELS

pytestmark = pytest.mark.browser

STORE = "wa-ml:checklist:state"
NOTE = "[data-changed-elsewhere]"
A, B = QUESTIONS[0], QUESTIONS[1]
STORAGE_MESSAGE = "Your answers are kept in this page only: save the state file to keep them."

# Lets a test hold back the storage events a tab receives (as if the other tab's save had not reached it
# yet), and make its next read of the saved state return an older text (as a tab whose copy of the storage
# has not caught up yet). The page's own listener comes later, so a held event never reaches it.
HOLD_EVENTS = """
window.__held = [];
window.__hold = false;
window.addEventListener("storage", (event) => {
  if (!window.__hold) return;
  event.stopImmediatePropagation();
  window.__held.push({ key: event.key, oldValue: event.oldValue, newValue: event.newValue, url: event.url });
}, true);
window.__release = () => {
  window.__hold = false;
  for (const held of window.__held.splice(0)) {
    window.dispatchEvent(new StorageEvent("storage", { ...held, storageArea: localStorage }));
  }
};
const realGetItem = Storage.prototype.getItem;
Storage.prototype.getItem = function (key) {
  if (window.__stale !== undefined && key.endsWith(":checklist:state")) {
    const stale = window.__stale;
    window.__stale = undefined;
    return stale;
  }
  return realGetItem.call(this, key);
};
"""

FULL_STORAGE = """
Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""

NO_STORAGE = """
Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("denied", "SecurityError"); },
});
"""


@pytest.fixture
def tabs(offline: Offline, site_url: str) -> Iterator[tuple[Any, Any]]:
    """Two tabs of the checklist in one browser context (one origin's storage), both with the engine ready."""
    first = offline.page
    first.context.add_init_script(HOLD_EVENTS)
    second = first.context.new_page()
    second.on("pageerror", lambda error: offline.errors.append(str(error)))
    open_checklist(first, site_url)
    open_checklist(second, site_url)
    yield first, second
    assert offline.blocked == []


def choice(page: Any, question: Any, n: int = 0) -> Any:
    return page.locator(f"fieldset#{question.id} input[value={question.choices[n].id}]")


def none_of_these(page: Any, question: Any) -> Any:
    return page.locator(f"fieldset#{question.id} input[data-none]")


def badge(page: Any, question: Any) -> Any:
    return page.locator(f"[data-risk-for={question.id}]")


def saved(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(page.evaluate(f"localStorage.getItem({STORE!r})"))
    return state


def selected(state: dict[str, Any], question: Any) -> list[str]:
    picks: list[str] = state["answers"].get(question.id, {}).get("selected", [])
    return picks


def answered_in(page: Any, question: Any) -> None:
    """Wait until this tab has assessed ``question`` as answered."""
    expect(badge(page, question)).not_to_have_text(RISK_LABELS["unanswered"], timeout=10_000)
    expect(badge(page, question)).not_to_have_text("", timeout=10_000)


def test_an_answer_in_one_tab_appears_in_the_other(tabs: tuple[Any, Any]) -> None:
    first, second = tabs
    expect(badge(second, A)).to_have_text(RISK_LABELS["unanswered"])
    choice(first, A).check()
    answered_in(first, A)
    expect(choice(second, A)).to_be_checked()
    expect(badge(second, A)).to_have_text(badge(first, A).inner_text())
    expect(second.locator("[data-progress-text]")).to_have_text(
        first.locator("[data-progress-text]").inner_text()
    )
    assert second.locator(NOTE).count() == 0  # nothing this tab had answered was changed


def test_concurrent_edits_to_different_questions_are_both_kept(tabs: tuple[Any, Any], site_url: str) -> None:
    first, second = tabs
    for page in tabs:
        page.evaluate("window.__hold = true")  # neither tab hears of the other's save
    choice(first, A).check()
    answered_in(first, A)
    none_of_these(second, B).check()  # the second tab has not seen A answered
    answered_in(second, B)
    # Its save kept A (another tab's answer) and shows it; the first tab has not heard yet.
    expect(choice(second, A)).to_be_checked()
    assert not none_of_these(first, B).is_checked()
    for page in tabs:
        page.evaluate("window.__release()")
    for page in tabs:
        expect(choice(page, A)).to_be_checked()
        expect(none_of_these(page, B)).to_be_checked()
        answered_in(page, B)
        assert page.locator(NOTE).count() == 0
    state = saved(first)
    assert selected(state, A) == [A.choices[0].id]
    assert selected(state, B) == [B.none_choice]
    # A third tab, and both tabs reloaded, find both answers.
    third = first.context.new_page()
    open_checklist(third, site_url)
    for page in tabs:
        page.reload()
        wait_ready(page, 60_000)
    for page in (third, *tabs):
        expect(choice(page, A)).to_be_checked()
        expect(none_of_these(page, B)).to_be_checked()
    third.close()


def test_a_save_from_an_older_read_gives_back_what_it_missed(tabs: tuple[Any, Any]) -> None:
    """A tab's copy of the storage catches up a moment after another tab saves: a save in between is merged
    from the older text and drops the other tab's answer. The other tab's event then brings it back."""
    first, second = tabs
    before = first.evaluate(f"localStorage.getItem({STORE!r})")
    first.evaluate("window.__hold = true")
    none_of_these(second, B).check()
    answered_in(second, B)
    first.evaluate(f"window.__stale = {json.dumps(before)}")
    choice(first, A).check()
    answered_in(first, A)
    assert selected(saved(first), B) == []  # the older read lost B, for now
    first.evaluate("window.__release()")
    for page in tabs:
        expect(choice(page, A)).to_be_checked()
        expect(none_of_these(page, B)).to_be_checked()
        answered_in(page, B)
    first.wait_for_function(
        f"JSON.parse(localStorage.getItem({STORE!r})).answers[{B.id!r}].selected.length === 1"
    )
    state = saved(first)
    assert selected(state, A) == [A.choices[0].id]
    assert selected(state, B) == [B.none_choice]
    expect(second.locator(NOTE)).to_have_count(0)  # B went and came back: nothing to say in the end


def test_the_same_question_in_two_tabs_the_later_wins_and_the_other_says_so(tabs: tuple[Any, Any]) -> None:
    first, second = tabs
    choice(first, A).check()
    answered_in(first, A)
    expect(choice(second, A)).to_be_checked()
    none_of_these(second, A).check()  # later, and different: "None of these" clears the practice
    expect(badge(second, A)).to_have_text(RISK_LABELS["high"])
    for page in tabs:
        expect(none_of_these(page, A)).to_be_checked()
        expect(choice(page, A)).not_to_be_checked()
        expect(badge(page, A)).to_have_text(RISK_LABELS["high"])
    note = first.locator(f"fieldset#{A.id} {NOTE}")
    expect(note).to_have_text("Changed in another tab.")
    expect(note).to_have_attribute("role", "status")
    assert second.locator(NOTE).count() == 0  # its own edit
    assert selected(saved(first), A) == [A.none_choice]
    # The first tab's next edit of A is its own again: the note goes, and the second tab now says so.
    choice(first, A, 1).check()
    expect(note).to_have_count(0)
    expect(choice(second, A, 1)).to_be_checked()
    expect(second.locator(f"fieldset#{A.id} {NOTE}")).to_have_text("Changed in another tab.")


def put_saved_state(page: Any, site_url: str, state: dict[str, Any]) -> str:
    """Save ``state`` the way the page does, before any storage trouble starts; its text."""
    page.goto(site_url + "checklist/")
    text = json.dumps(state)
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [STORE, text])
    return text


def storage_message(page: Any) -> Any:
    return page.locator("[data-messages]").filter(has_text=STORAGE_MESSAGE)


def test_full_storage_is_said_at_once_and_nothing_saved_is_overwritten(
    offline: Offline, site_url: str
) -> None:
    page = offline.page
    state = {
        "version": 1,
        "workload": {"name": "Kept"},
        "answers": {A.id: {"selected": [A.none_choice], "not_applicable": False, "notes": ""}},
    }
    original = put_saved_state(page, site_url, state)
    page.context.add_init_script(FULL_STORAGE)
    page.goto(site_url + "checklist/")
    message = storage_message(page)
    expect(message).to_be_visible(timeout=5_000)  # at start, before any answer
    assert "storage is full or turned off" in message.inner_text()
    assert page.input_value("#workload-name") == "Kept"
    expect(none_of_these(page, A)).to_be_checked()
    wait_ready(page, 60_000)
    # Answering still assesses, in this page only.
    choice(page, B).check()
    answered_in(page, B)
    expect(page.locator("[data-progress-text]")).to_have_text(f"2 of {len(QUESTIONS)} questions answered")
    expect(message).to_have_count(1)  # said once
    with page.expect_download() as info:
        message.get_by_role("button", name="Save state file").click()
    kept = json.loads(Path(info.value.path()).read_text())
    assert kept["workload"]["name"] == "Kept"
    assert selected(kept, A) == [A.none_choice]
    assert selected(kept, B) == [B.choices[0].id]
    assert page.evaluate(f"localStorage.getItem({STORE!r})") == original
    # A milestone cannot be kept either: the page says so and goes on.
    page.locator("button[data-action=save-milestone]").click()
    expect(page.locator("[data-messages]")).to_contain_text("The milestone could not be saved")
    assert page.evaluate(f"localStorage.getItem({STORE!r})") == original


def from_the_theme(exception: dict[str, Any]) -> bool:
    """Whether an uncaught exception was thrown in Material's own scripts: its head script's __md_get and
    its bundle read localStorage unguarded, which throws where storage is turned off (not this page's)."""
    frames = exception.get("stackTrace", {}).get("callFrames", [])
    return any(f["functionName"] == "__md_get" or "/assets/javascripts/bundle." in f["url"] for f in frames)


def test_storage_turned_off_the_page_still_works(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    context.add_init_script(NO_STORAGE)
    page = context.new_page()
    thrown: list[dict[str, Any]] = []
    session = context.new_cdp_session(page)
    session.on("Runtime.exceptionThrown", lambda event: thrown.append(event["exceptionDetails"]))
    session.send("Runtime.enable")
    page.goto(site_url + "checklist/")
    expect(storage_message(page)).to_be_visible(timeout=5_000)
    assert "storage is full or turned off" in page.locator("[data-messages]").inner_text()
    wait_ready(page, 60_000)
    page.fill("#workload-name", "In memory")
    choice(page, A).check()
    answered_in(page, A)
    expect(page.locator("[data-progress-text]")).to_have_text(f"1 of {len(QUESTIONS)} questions answered")
    with page.expect_download() as info:
        storage_message(page).get_by_role("button", name="Save state file").click()
    kept = json.loads(Path(info.value.path()).read_text())
    assert kept["workload"]["name"] == "In memory"
    assert selected(kept, A) == [A.choices[0].id]
    context.close()
    assert [e for e in thrown if not from_the_theme(e)] == [], "uncaught errors in the checklist's scripts"


def test_an_unreadable_saved_state_is_left_as_it_is(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "checklist/")
    page.evaluate("([key]) => localStorage.setItem(key, '{not a state')", [STORE])
    page.reload()
    message = page.locator("[data-messages]")
    expect(message).to_contain_text("cannot be read", timeout=5_000)
    expect(message).to_contain_text(STORAGE_MESSAGE)
    wait_ready(page, 60_000)
    choice(page, A).check()
    answered_in(page, A)
    assert page.evaluate(f"localStorage.getItem({STORE!r})") == "{not a state"
    # "Clear answers" is explicit: it may write over what could not be read.
    page.locator("button[data-action=reset]").click()
    page.locator("[data-dialog-yes]").click()
    expect(message).to_contain_text("Cleared all answers.")
    assert saved(page)["answers"][A.id]["selected"] == []

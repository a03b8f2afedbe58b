"""The checklist page in a real Chromium, offline: answering, results, files, import, share link, failure."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_PATH, Offline, run_cli, wait_ready

from checklist.assess import assess
from checklist.migrate import VERSION
from checklist.result import Result
from checklist.scales import RISK_LABELS
from checklist.state import parse_state
from sitebuilder import kbfile

pytestmark = pytest.mark.browser

KB = kbfile.load(KB_PATH)
assert KB.checklist is not None
QUESTIONS = KB.checklist.questions


def open_checklist(page: Any, site_url: str, wait: bool = True) -> None:
    page.goto(site_url + "checklist/")
    if wait:
        wait_ready(page, 60_000)


def assessed(page: Any, action: Any) -> None:
    """Run ``action``, then wait until the results drawn are those of the answers now saved."""
    page.evaluate(
        "window.__drawn = null; document.addEventListener('kb-checklist:assessed', (e) => { window.__drawn = e.detail; })"
    )
    action()
    page.wait_for_function(
        "window.__drawn !== null && window.__drawn === localStorage.getItem('wa-ml:checklist:state')",
        timeout=10_000,
    )


def cli_bytes(state: dict[str, Any], fmt: str, tmp_path: Path, site_url: str) -> bytes:
    """What ``python -m checklist assess STATE --format FMT`` writes for ``state`` (links to the site, dated
    today: the page passes the browser's date, the same machine's)."""
    today = datetime.date.today().isoformat()
    return cli_output(tmp_path, "assess", state, "--format", fmt, "--site-url", site_url, "--today", today)


def cli_output(tmp_path: Path, command: str, *args: dict[str, Any] | str) -> bytes:
    """The bytes a CLI command writes; dict arguments become state files."""
    argv = []
    for n, arg in enumerate(args):
        if isinstance(arg, dict):
            path = tmp_path / f"cli-input-{n}.json"
            path.write_text(json.dumps(arg))
            arg = str(path)
        argv.append(arg)
    out = tmp_path / "cli-output"
    result = run_cli(command, *argv, "-o", out)
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


def engine_result(page: Any) -> Result:
    """The engine's result, computed here in CPython, for the answers the page has saved."""
    saved = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    return assess(KB, parse_state(saved, KB))


def downloaded(page: Any, action: str) -> tuple[str, bytes]:
    """Click a download (opening the Export menu first when it is there) and read what the page saved."""
    button = page.locator(f"button[data-action={action}]")
    menu = page.locator("details.kb-export")
    if button.locator("xpath=ancestor::details").count() and not menu.evaluate("d => d.open"):
        menu.locator("summary").click()
    with page.expect_download() as info:
        button.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_answer_by_mouse_and_keyboard_and_see_results(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    page.fill("#workload-name", "Fraud scoring")
    first = QUESTIONS[0]
    box = page.locator(f"fieldset#{first.id}")
    assessed(page, lambda: box.locator(f"input[value={first.choices[0].id}]").click())
    badge = box.locator(f"[data-risk-for={first.id}]")
    assert badge.inner_text() in ("High risk", "Medium risk", "No risk")
    assert page.locator("[data-progress-text]").inner_text() == f"1 of {len(QUESTIONS)} questions answered"

    # Keyboard: focus "None of these" of the second question and press Space.
    second = QUESTIONS[1]
    page.locator(f"fieldset#{second.id} input[data-none]").focus()
    assessed(page, lambda: page.keyboard.press("Space"))
    assert page.locator(f"[data-risk-for={second.id}]").inner_text() == "High risk"
    # Ticking a practice clears "None of these" (they exclude each other), again by keyboard.
    page.keyboard.press("Shift+Tab")
    assessed(page, lambda: page.keyboard.press("Space"))
    assert not page.locator(f"fieldset#{second.id} input[data-none]").is_checked()

    plan = page.locator("[data-plan]")
    expected = engine_result(page)["recommendations"]
    assert expected, "the answers above leave practices to recommend"
    titles = plan.locator("li > strong").all_inner_texts()
    assert titles == [item["title"] for item in expected]
    first_item = plan.locator("li").first
    assert first_item.get_attribute("id") == "plan-1"
    assert page.locator("[data-pillar-chart] tbody tr").count() == len(KB.pillars)
    assert page.locator(".kb-quadrant__item").count() == plan.locator("li").count()
    assert offline.blocked == []


def states() -> list[dict[str, Any]]:
    """A few different states: empty, partial with a workload, and all answered in mixed ways."""
    partial = {
        "version": 1,
        "workload": {
            "name": "Churn | *model*",
            "description": "Scores customers.",
            "industry": "Telecom",
            "regions": ["eu-west-1"],
            "owner": "Ana",
            "stakeholders": ["Sales", "Data"],
            "environment": "pre-production",
            "pillar_priorities": [KB.pillars[2].id, KB.pillars[0].id],
        },
        "answers": {
            QUESTIONS[0].id: {
                "selected": [QUESTIONS[0].choices[0].id],
                "not_applicable": False,
                "notes": "n",
            },
            QUESTIONS[3].id: {"selected": [], "not_applicable": True, "notes": ""},
        },
    }
    full: dict[str, Any] = {"version": 1, "workload": {"name": "Everything"}, "answers": {}}
    for n, question in enumerate(QUESTIONS):
        picks = [c.id for c in question.choices][:: (n % 3) + 1] if n % 4 else [question.none_choice]
        full["answers"][question.id] = {"selected": picks, "not_applicable": False, "notes": ""}
    return [{"version": 1, "workload": {}, "answers": {}}, partial, full]


def import_state(page: Any, state: dict[str, Any], tmp_path: Path, name: str = "state.json") -> None:
    path = tmp_path / name
    path.write_text(json.dumps(state))
    page.locator("input[data-action=import]").set_input_files(str(path))


@pytest.mark.parametrize("index", [0, 1, 2])
def test_downloads_equal_the_cli_bytes(offline: Offline, site_url: str, tmp_path: Path, index: int) -> None:
    page = offline.page
    state = states()[index]
    open_checklist(page, site_url)
    assessed(page, lambda: import_state(page, state, tmp_path))
    name, report = downloaded(page, "download-report")
    assert name.endswith("-report.md")
    assert report == cli_bytes(state, "markdown", tmp_path, site_url)
    name, backlog = downloaded(page, "download-backlog")
    assert name.endswith("-backlog.csv")
    assert backlog == cli_bytes(state, "csv", tmp_path, site_url)
    # The state file is the engine's: byte for byte what `python -m checklist state` writes.
    name, saved = downloaded(page, "download-state")
    assert name.endswith("-state.json")
    assert saved == cli_output(tmp_path, "state", state)
    assert json.loads(saved)["answers"] == {
        q: {"selected": a["selected"], "not_applicable": a["not_applicable"], "notes": a["notes"]}
        for q, a in state["answers"].items()
    }
    assert offline.blocked == []


def test_reload_keeps_answers(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    page.fill("#workload-name", "Kept")
    question = QUESTIONS[4]
    assessed(page, lambda: page.locator(f"input[value={question.choices[1].id}]").check())
    page.reload()
    wait_ready(page, 60_000)
    assert page.input_value("#workload-name") == "Kept"
    assert page.locator(f"input[value={question.choices[1].id}]").is_checked()
    assert page.locator("[data-progress-text]").inner_text().startswith("1 of")


BAD_IMPORTS = [
    ("not-json.json", "this is not JSON", "not valid JSON"),
    ("version.json", json.dumps({"version": 9}), "version: must be a number from 1 to 4 (got 9)"),
    (
        "types.json",
        json.dumps({"version": 1, "answers": {QUESTIONS[0].id: {"selected": "all"}}}),
        f"answers.{QUESTIONS[0].id}.selected: must be a list of strings, not a string",
    ),
    (
        "ids.json",
        json.dumps({"version": 1, "answers": {QUESTIONS[0].id: {"selected": ["made_up_choice"]}}}),
        f"answers.{QUESTIONS[0].id}.selected[0]: unknown choice 'made_up_choice' for this question",
    ),
    (
        "big.json",
        json.dumps({"version": 1, "workload": {"description": "x" * 1_100_000}}),
        "a state file may be at most 1,000,000 bytes",
    ),
]


def test_good_and_bad_imports(offline: Offline, site_url: str, tmp_path: Path) -> None:
    page = offline.page
    open_checklist(page, site_url)
    good = states()[1]
    assessed(page, lambda: import_state(page, good, tmp_path, "good.json"))
    assert "Imported the file good.json." in page.locator("[data-messages]").inner_text()
    assert page.input_value("#workload-name") == good["workload"]["name"]
    before = page.evaluate("localStorage.getItem('wa-ml:checklist:state')")
    for name, text, problem in BAD_IMPORTS:
        path = tmp_path / name
        path.write_text(text)
        page.locator("input[data-action=import]").set_input_files(str(path))
        message = page.locator("[data-messages]")
        message.filter(has_text=name).wait_for(timeout=10_000)
        assert "was not imported, and your answers are unchanged" in message.inner_text()
        assert problem in message.inner_text(), message.inner_text()
        assert page.evaluate("localStorage.getItem('wa-ml:checklist:state')") == before
        assert page.input_value("#workload-name") == good["workload"]["name"]


def test_share_link_round_trip_asks_before_replacing(offline: Offline, site_url: str, tmp_path: Path) -> None:
    page = offline.page
    open_checklist(page, site_url)
    shared = states()[1]
    assessed(page, lambda: import_state(page, shared, tmp_path))
    page.locator("button[data-action=share]").click()
    page.wait_for_function("document.querySelector('[data-share-url]').value !== ''")
    link = page.locator("[data-share-url]").input_value()
    assert link.startswith(site_url + "checklist/#state=")
    assert "Churn" not in link  # compressed, not plain text

    # Someone else, with answers of their own, opens the link.
    other = page.context.browser.new_context(bypass_csp=True)
    other.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    theirs = other.new_page()
    open_checklist(theirs, site_url)
    theirs.fill("#workload-name", "Their own")
    assessed(theirs, lambda: theirs.locator(f"input[value={QUESTIONS[5].choices[0].id}]").check())
    theirs.goto("about:blank")
    theirs.goto(link)
    theirs.wait_for_selector("dialog[open]", timeout=60_000)
    assert "Replace your" in theirs.locator("[data-dialog-text]").inner_text()
    theirs.locator("[data-dialog-yes]").click()
    theirs.wait_for_function(
        f"document.getElementById('workload-name').value === {json.dumps(shared['workload']['name'])}"
    )
    assert "#state=" not in theirs.url
    assert not theirs.locator(f"input[value={QUESTIONS[5].choices[0].id}]").is_checked()
    other.close()


# How the page wrote share links before the engine did: the browser's raw DEFLATE, then base64url.
BROWSER_LINK = """async (text) => {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
}"""
BROWSER_INFLATE = """async (value) => {
  const bytes = Uint8Array.from(atob(value.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return await new Response(stream).text();
}"""


def test_share_links_keep_their_format_on_both_sides(offline: Offline, site_url: str) -> None:
    """A link the page made with the browser's own compressor (before the engine made them) opens, and
    the engine's links are what the browser's decompressor reads: one format, two implementations."""
    page = offline.page
    open_checklist(page, site_url)
    shared = states()[1]
    fragment = page.evaluate(BROWSER_LINK, json.dumps(shared))
    page.goto(f"{site_url}checklist/#state={fragment}")
    page.wait_for_function(
        f"document.getElementById('workload-name').value === {json.dumps(shared['workload']['name'])}",
        timeout=60_000,
    )
    assert "Imported the share link" in page.locator("[data-messages]").inner_text()
    page.locator("button[data-action=share]").click()
    page.wait_for_function("document.querySelector('[data-share-url]').value !== ''")
    link = page.locator("[data-share-url]").input_value()
    text = page.evaluate(BROWSER_INFLATE, link.split("#state=", 1)[1])
    assert json.loads(text)["workload"]["name"] == shared["workload"]["name"]


def test_milestone_compare(offline: Offline, site_url: str, tmp_path: Path) -> None:
    page = offline.page
    open_checklist(page, site_url)
    question = QUESTIONS[0]
    assessed(page, lambda: page.locator(f"fieldset#{question.id} input[data-none]").check())
    page.fill("[data-milestone-name]", "Before")
    page.locator("button[data-action=save-milestone]").click()
    for choice in question.choices:
        page.locator(f"input[value={choice.id}]").check()
    page.wait_for_function(
        f"document.querySelector('[data-risk-for={question.id}]').textContent === 'No risk'"
    )
    page.locator("button[data-action=compare]").click()
    comparison = page.locator("[data-comparison]")
    comparison.locator("li").first.wait_for()
    assert (
        comparison.locator("[data-comparison-summary]").inner_text()
        == f"Since “Before”: 1 risk resolved, 0 improved, 0 worsened; {len(question.choices)} practices added, "
        "0 removed."
    )
    assert f"Resolved: {question.title} (High risk → No risk)" in comparison.inner_text()
    # The page shows the engine's sentences, and offers them as the CLI writes them.
    old = page.evaluate("JSON.parse(localStorage.getItem('wa-ml:checklist:milestones'))[0].state")
    new = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    with page.expect_download() as info:
        comparison.get_by_role("button", name="Download comparison (Markdown)").click()
    text = Path(info.value.path()).read_bytes()
    assert text == cli_output(tmp_path, "compare", old, new, "--since", "Before", "--format", "markdown")
    for line in comparison.locator("li").all_inner_texts():
        assert f"- {line}".encode() in text


def test_questions_show_without_javascript(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "checklist/")
    assert page.locator("fieldset[data-question]").count() == len(QUESTIONS)
    for question in QUESTIONS[:3]:
        box = page.locator(f"fieldset#{question.id}")
        assert question.title in box.locator("legend").inner_text()
        assert box.locator("input[data-choice]").count() == len(question.choices)
        assert box.locator("input[data-none]").count() == 1
    assert page.locator(f"fieldset#{QUESTIONS[-1].id} legend").is_visible()
    assert not page.locator("#kb-app").is_visible()
    context.close()


@pytest.fixture
def no_pyodide(browser: Any, site_url: str) -> Iterator[Any]:
    """The site with its Pyodide files unreachable, as on a host that failed to upload them."""
    context = browser.new_context()
    context.route(
        "**/*",
        lambda r: (
            r.abort()
            if "/assets/pyodide/" in r.request.url or not r.request.url.startswith(site_url)
            else r.continue_()
        ),
    )
    yield context.new_page()
    context.close()


def test_without_pyodide_the_page_says_so_and_keeps_answers(
    no_pyodide: Any, site_url: str, tmp_path: Path
) -> None:
    page = no_pyodide
    page.goto(site_url + "checklist/")
    page.wait_for_selector("#kb-app.is-failed", timeout=30_000)
    assert "could not load" in page.locator("[data-status]").inner_text()
    assert page.locator("button[data-action=download-report]").is_disabled()
    page.fill("#workload-name", "Offline")
    page.locator(f"input[value={QUESTIONS[0].choices[0].id}]").check()
    page.reload()
    page.wait_for_selector("#kb-app.is-failed", timeout=30_000)
    assert page.input_value("#workload-name") == "Offline"
    assert page.locator(f"input[value={QUESTIONS[0].choices[0].id}]").is_checked()
    # Without the engine the page writes the state file itself; the CLI reads it all the same.
    _, saved = downloaded(page, "download-state")
    assert json.loads(saved)["answers"][QUESTIONS[0].id]["selected"] == [QUESTIONS[0].choices[0].id]
    rewritten = json.loads(cli_output(tmp_path, "state", json.loads(saved)))
    assert rewritten["workload"]["name"] == "Offline"
    assert list(rewritten["answers"]) == [QUESTIONS[0].id]


def test_instant_navigation_to_the_checklist(offline: Offline, site_url: str) -> None:
    page = offline.page
    page.goto(site_url + "references/")
    page.evaluate("window.__samePage = true")
    page.locator(".md-nav__link", has_text="Checklist").first.click()
    page.wait_for_url(site_url + "checklist/")
    wait_ready(page, 60_000)
    assert page.evaluate("window.__samePage === true")
    assert offline.blocked == []


def test_text_from_files_and_links_is_never_html(offline: Offline, site_url: str, tmp_path: Path) -> None:
    page = offline.page
    open_checklist(page, site_url)
    hostile = '<img src=x onerror="window.__owned=1"><b id="injected">bold</b>'
    state = {
        "version": 1,
        "workload": {"name": hostile, "owner": hostile},
        "answers": {QUESTIONS[0].id: {"selected": [QUESTIONS[0].none_choice], "notes": hostile}},
    }
    assessed(page, lambda: import_state(page, state, tmp_path))
    assert page.input_value("#workload-name") == hostile
    assert page.input_value(f"textarea[name={QUESTIONS[0].id}__notes]") == hostile
    page.fill("[data-milestone-name]", hostile)
    page.locator("button[data-action=save-milestone]").click()
    page.locator("button[data-action=compare]").click()
    page.locator("[data-comparison] p").first.wait_for()
    assert hostile in page.locator("[data-comparison]").inner_text()
    assert hostile in page.locator("[data-milestone-select]").inner_text()
    assert page.locator("#injected").count() == 0
    assert page.evaluate("window.__owned") is None
    _, report = downloaded(page, "download-report")
    assert b"\\<img src=x onerror=" in report  # Markdown escaping in the report, not raw HTML
    # The same answers through a share link, opened by someone else.
    page.locator("button[data-action=share]").click()
    page.wait_for_function("document.querySelector('[data-share-url]').value !== ''")
    link = page.locator("[data-share-url]").input_value()
    other = page.context.browser.new_context(bypass_csp=True)
    other.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    theirs = other.new_page()
    theirs.goto(link)
    wait_ready(theirs, 60_000)
    theirs.wait_for_function(f"document.getElementById('workload-name').value === {json.dumps(hostile)}")
    assert theirs.locator("#injected").count() == 0
    assert theirs.evaluate("window.__owned") is None
    other.close()


def test_escape_in_the_dialog_keeps_the_answers(offline: Offline, site_url: str, tmp_path: Path) -> None:
    page = offline.page
    open_checklist(page, site_url)
    assessed(page, lambda: import_state(page, states()[1], tmp_path, "first.json"))
    # A second import asks before replacing; accept it, so the dialog last answered "yes".
    page.locator("input[data-action=import]").set_input_files(str(tmp_path / "first.json"))
    page.wait_for_selector("dialog[open]")
    page.locator("[data-dialog-yes]").click()
    page.locator("[data-messages]").filter(has_text="Imported").wait_for()
    # Now "Clear answers", and Esc: nothing may be cleared.
    page.locator("button[data-action=reset]").click()
    page.wait_for_selector("dialog[open]")
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog[open]", state="hidden")
    assert page.input_value("#workload-name") == states()[1]["workload"]["name"]
    assert page.locator("input[data-choice]:checked").count() == 1


def test_leaving_mid_assessment_and_coming_back_still_updates(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    page.evaluate("window.__samePage = true")
    # Change an answer and leave at once, while the worker is still assessing it.
    page.locator(f"input[value={QUESTIONS[2].choices[0].id}]").check()
    page.locator(".md-nav__link", has_text="References").first.click()
    page.wait_for_url(site_url + "references/")
    page.locator(".md-nav__link", has_text="Checklist").first.click()
    page.wait_for_url(site_url + "checklist/")
    wait_ready(page, 60_000)
    assert page.evaluate("window.__samePage === true")
    assessed(page, lambda: page.locator(f"input[value={QUESTIONS[3].choices[0].id}]").check())
    risks = {q["id"]: q["risk"] for q in engine_result(page)["questions"]}
    assert risks[QUESTIONS[3].id] != "unanswered"
    label = RISK_LABELS[risks[QUESTIONS[3].id]]
    assert page.locator(f"[data-risk-for={QUESTIONS[3].id}]").inner_text() == label
    assert page.locator("[data-progress-text]").inner_text().startswith("2 of")


def test_scope_hides_what_does_not_apply_and_reports_it(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    assert KB.checklist is not None
    scope_question = KB.checklist.scope[0]
    option = scope_question.options[1]  # the first option is the default and keeps everything
    assessed(page, lambda: page.locator(f"input[data-scope={scope_question.id}][value={option.id}]").check())
    expected = engine_result(page)["scope"]
    assert expected["questions"], "the first scope question's second option leaves questions out"
    for question in QUESTIONS:
        assert page.locator(f"fieldset#{question.id}").is_hidden() == (question.id in expected["questions"])
    for choice_id in expected["choices"]:
        assert page.locator(f"[data-choice-item={choice_id}]").is_hidden()
    assert page.locator("[data-scope-text]").inner_text() == expected["text"]
    saved = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    _, report = downloaded(page, "download-report")
    assert report == cli_bytes(saved, "markdown", tmp_path, site_url)
    hidden = next(q for q in QUESTIONS if q.id in expected["questions"])
    assert f"- **{hidden.title}** (" in report.decode()
    assert f"Not applicable (out of scope: {option.label})" in report.decode()
    # Back to the default: everything shows again.
    assessed(
        page,
        lambda: page.locator(
            f"input[data-scope={scope_question.id}][value={scope_question.options[0].id}]"
        ).check(),
    )
    assert page.locator("fieldset[data-question]:visible").count() == len(QUESTIONS)


def test_a_scope_question_that_would_contradict_is_disabled_with_the_engine_s_reason(
    offline: Offline, site_url: str
) -> None:
    # A saved state that says "pre-built AI services only" yet "self-managed compute" (as the page saved
    # it before the hosting question had its condition) opens, and the user is told what it counts as.
    page = offline.page
    open_checklist(page, site_url, wait=False)
    stale = {"version": 3, "scope": {"model_source": "prebuilt_ai_only", "hosting": "self_managed_compute"}}
    page.evaluate(
        "([key, text]) => localStorage.setItem(key, text)", ["wa-ml:checklist:state", json.dumps(stale)]
    )
    page.reload()
    wait_ready(page, 60_000)
    hosting = page.locator("fieldset[data-scope-group=hosting]")
    page.wait_for_function("document.querySelector('fieldset[data-scope-group=hosting]').disabled")
    (sentence,) = parse_state(stale, KB).warnings
    page.locator("[data-messages]", has_text=sentence).wait_for()
    chosen = {c["question"]: c for c in engine_result(page)["scope"]["chosen"]}["hosting"]
    assert chosen["not_asked"] and chosen["option"] == "managed_only"
    assert hosting.locator("[data-scope-note]").inner_text() == chosen["not_asked"]
    assert hosting.locator("input[value=managed_only]").is_checked()
    saved = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    assert saved["scope"]["hosting"] == "managed_only"
    # Own models: the question is asked again, with the answer the file had, and it can change.
    assessed(page, lambda: page.locator("input[data-scope=model_source][value=own_models]").check())
    page.wait_for_function(
        "document.querySelector('fieldset[data-scope-group=hosting] input[value=self_managed_compute]').checked"
    )
    assert not hosting.evaluate("f => f.disabled")
    assert hosting.locator("[data-scope-note]").is_hidden()
    assessed(page, lambda: hosting.locator("input[value=managed_only]").check())
    assessed(page, lambda: hosting.locator("input[value=self_managed_compute]").check())
    # Pre-built only once more: the page sets the answer the engine counts, and saves it.
    assessed(page, lambda: page.locator("input[data-scope=model_source][value=prebuilt_ai_only]").check())
    assert hosting.locator("input[value=managed_only]").is_checked()
    assert hosting.evaluate("f => f.disabled")
    # Own models again: the user's own answer comes back (a slip of the first question loses nothing).
    assessed(page, lambda: page.locator("input[data-scope=model_source][value=own_models]").check())
    page.wait_for_function(
        "document.querySelector('fieldset[data-scope-group=hosting] input[value=self_managed_compute]').checked"
    )
    saved = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    assert saved["scope"].get("hosting", "self_managed_compute") == "self_managed_compute"
    assert not hosting.evaluate("f => f.disabled")


def test_an_older_state_file_imports_and_plan_items_link_to_their_guide(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    question = QUESTIONS[0]
    old = {
        "version": 1,
        "workload": {"name": "From version 1"},
        "answers": {question.id: {"selected": [question.none_choice]}},
    }
    assessed(page, lambda: import_state(page, old, tmp_path, "old.json"))
    assert "Imported the file old.json." in page.locator("[data-messages]").inner_text()
    assert page.locator(f"fieldset#{question.id} input[data-none]").is_checked()
    saved = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    assert saved["version"] == VERSION
    first = page.locator("[data-plan] li").first
    choice = first.get_attribute("data-choice")
    pillar = KB.pillar(str(first.get_attribute("data-pillar")))
    first.get_by_role("link", name="Guide").click()
    page.wait_for_url(f"{site_url}{pillar.guide_path}#{choice}")
    page.wait_for_selector(f"[id='{choice}']", state="attached")  # instant navigation swaps the page in
    assert page.locator(f"[id='{choice}']").count() == 1


WAITING = "document.querySelectorAll('[data-questions] > noscript').length === 0"


def test_questions_go_in_a_few_per_frame_and_a_link_lands_on_its_question(
    offline: Offline, site_url: str
) -> None:
    """The questions arrive in a <noscript> per pillar (the browser reads them as one string: neither the
    parse nor Material's walk of the page meets the form, the long task a review of several lenses made);
    the page puts them all in within moments, the section a link points into first, and the linked
    question is in view."""
    page = offline.page
    html = page.request.get(site_url + "checklist/").text()
    sections = len(re.findall(r'<div class="kb-questions" data-questions="[^"]+"><noscript>', html))
    assert sections == len({q.pillar for q in QUESTIONS}), sections
    last = QUESTIONS[-1]
    page.goto(site_url + f"checklist/#{last.id}")
    page.wait_for_function(WAITING, timeout=10_000)
    assert page.locator("[data-questions]").count() == sections
    wait_ready(page, 60_000)
    box = page.locator(f"fieldset#{last.id}").bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height, (box, height)


def test_back_to_the_checklist_returns_to_the_question_left(offline: Offline, site_url: str) -> None:
    """Back to the checklist restores the page where its reader left it: every section is shown at once
    there (the restored scroll position needs the whole page's height)."""
    page = offline.page
    open_checklist(page, site_url)
    question = QUESTIONS[len(QUESTIONS) * 2 // 3]
    page.locator(f"fieldset#{question.id}").scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 1000
    page.goto(site_url + "references/")
    page.go_back()
    wait_ready(page, 60_000)
    page.wait_for_function(f"Math.abs(window.scrollY - {before}) < 80", timeout=5_000)
    box = page.locator(f"fieldset#{question.id}").bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"] and box["y"] + box["height"] > 0


def test_the_questions_show_even_when_the_checklist_script_does_not_run(browser: Any, site_url: str) -> None:
    context = browser.new_context(service_workers="block")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    context.route("**/assets/javascripts/checklist.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(site_url + "checklist/")
    page.wait_for_function(WAITING, timeout=10_000)
    assert page.locator("fieldset[data-question]").count() == len(QUESTIONS)
    assert page.locator(f"fieldset#{QUESTIONS[-1].id} legend").is_visible()
    context.close()

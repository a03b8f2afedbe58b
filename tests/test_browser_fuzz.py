"""Hostile files and share links in Chromium, and an engine that stops: never a raw error, never a dead page.

After each hostile import or link: the answers are as they were, the message is the engine's own (or the
page's plain sentence), no uncaught error fired, and the next change is still assessed. A forced Pyodide
fatal error restarts the worker once with the answers kept; a second one leaves the "could not load" state.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from conftest import Offline, wait_ready
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_browser_checklist import QUESTIONS

pytestmark = pytest.mark.browser

RAW_ERRORS = ("RangeError", "TypeError", "Traceback", "internal error", "PythonError", "Maximum call stack")


def open_checklist(page: Any, site_url: str) -> None:
    page.goto(site_url + "checklist/")
    wait_ready(page, 60_000)


def answer(page: Any, index: int) -> None:
    """Tick None of these on a question and wait for its badge: the engine assessed the change."""
    question = QUESTIONS[index]
    page.locator(f"fieldset#{question.id} input[data-none]").check()
    page.wait_for_function(
        f"document.querySelector('[data-risk-for={question.id}]').className.includes('kb-risk--high')",
        timeout=60_000,
    )


def answers(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "input[data-choice]:checked, input[data-none]:checked", "els => els.map(e => e.value)"
    )


def message(page: Any) -> str:
    return str(page.locator("[data-messages]").inner_text())


def import_bytes(page: Any, tmp_path: Path, name: str, content: bytes) -> None:
    """Import a file as a user would; were the page to ask to replace the answers, keep them."""
    path = tmp_path / name
    path.write_bytes(content)
    page.evaluate("document.querySelector('[data-messages]').replaceChildren()")
    page.locator("input[data-action=import]").set_input_files(str(path))
    said_or_kept(page)


def said_or_kept(page: Any, timeout: int = 60_000) -> None:
    """Wait for the page's message; were it to ask to replace the answers instead, keep them."""
    page.wait_for_function(
        "document.querySelector('[data-messages]').textContent.trim() !== '' || "
        "document.querySelector('dialog[data-dialog][open]') !== null",
        timeout=timeout,
    )
    keep = page.locator("dialog[data-dialog][open] [data-dialog-no]")
    if keep.count():
        keep.click()
        page.wait_for_function("document.querySelector('[data-messages]').textContent.trim() !== ''")


def share_link(payload: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(payload) + compressor.flush()
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


HOSTILE_FILES = {
    "deep.json": b'{"version":3,"workload":' + b"[" * 100_000 + b"]" * 100_000 + b',"answers":{}}',
    "not-utf8.json": b'{"version": 3, "answers": {"\xff\xfe\xc3\x28": 1}}',
    "nan.json": b'{"version": NaN, "answers": {"x": {"selected": [Infinity]}}}',
    "duplicate-keys.json": b'{"version": 3, "version": 3, "answers": [], "answers": {"x": 1}}',
    "huge-number.json": b'{"version": 1' + b"0" * 5000 + b', "answers": {}}',
}


def test_hostile_imports_and_links_leave_the_answers_and_the_engine_as_they_were(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    answer(page, 0)
    before = answers(page)
    for name, content in HOSTILE_FILES.items():
        import_bytes(page, tmp_path, name, content)
        text = message(page)
        assert "your answers are unchanged" in text or text == "Kept your current answers.", (name, text)
        assert not any(raw in text for raw in RAW_ERRORS), (name, text)
        assert answers(page) == before, name
    # Share links: a decompression bomb (50 MB of spaces in 50 KB) and a payload nested 100,000 deep.
    for payload in (b" " * 50_000_000, HOSTILE_FILES["deep.json"]):
        page.evaluate("document.querySelector('[data-messages]').replaceChildren()")
        page.goto(f"{site_url}checklist/#state={share_link(payload)}")
        page.wait_for_function(
            "document.querySelector('[data-messages]').textContent.trim() !== ''", timeout=60_000
        )
        text = message(page)
        assert "your answers are unchanged" in text.lower() or "not opened" in text, text
        assert not any(raw in text for raw in RAW_ERRORS), text
        assert answers(page) == before
    answer(page, 1)  # the engine still assesses
    assert offline.errors == []


BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
A_STATE = json.dumps({"version": 3, "workload": {"name": "Shared"}, "answers": {}}).encode()


@st.composite
def link_fragments(draw: st.DrawFn) -> str:
    """What may follow ``#state=`` in a link someone sends: every layer of the link broken in turn."""
    kind = draw(st.sampled_from(["bytes", "cut state", "spliced state", "not deflate", "flipped"]))
    if kind == "bytes":  # any bytes, well packed: not UTF-8, not JSON, or JSON of any shape
        return share_link(draw(st.binary(max_size=3000)))
    if kind == "cut state":
        return share_link(A_STATE[: draw(st.integers(0, len(A_STATE)))])
    if kind == "spliced state":
        at = draw(st.integers(0, len(A_STATE)))
        return share_link(A_STATE[:at] + draw(st.binary(min_size=1, max_size=8)) + A_STATE[at:])
    if kind == "not deflate":  # base64 text of any length, padding rules broken included
        return draw(st.text(alphabet=BASE64URL, min_size=1, max_size=600))
    good = share_link(A_STATE)  # a good link with one character changed
    at = draw(st.integers(0, len(good) - 1))
    return good[:at] + draw(st.sampled_from(BASE64URL)) + good[at + 1 :]


@settings(
    max_examples=max(10, settings.default.max_examples // 2),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fragment=link_fragments())
def test_any_share_link_opens_or_is_refused_and_the_answers_stay(
    offline: Offline, site_url: str, fragment: str
) -> None:
    """Generated share links, opened in one page in turn (a link pasted into the address bar changes only
    the fragment): each opens (and the page asks before replacing the answers) or is refused in words."""
    page = offline.page
    if "/checklist/" not in page.url:
        open_checklist(page, site_url)
        answer(page, 0)
    before = answers(page)
    page.evaluate("document.querySelector('[data-messages]').replaceChildren()")
    page.evaluate("(fragment) => { location.hash = 'state=' + fragment; }", fragment)
    said_or_kept(page, timeout=30_000)
    text = message(page)
    assert "not opened" in text or "unchanged" in text.lower() or text == "Kept your current answers.", text
    assert not any(raw in text for raw in RAW_ERRORS), text
    assert answers(page) == before
    assert offline.errors == []
    assert page.evaluate("location.hash") == ""  # the link is not left in the address bar


def test_script_like_text_in_an_imported_file_stays_text(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    name = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    state = {
        "version": 3,
        "workload": {"name": name},
        "answers": {QUESTIONS[0].id: {"selected": [QUESTIONS[0].none_choice], "notes": name}},
    }
    import_bytes(page, tmp_path, "state.json", json.dumps(state).encode())
    assert "Imported" in message(page)
    assert page.locator("#workload-name").input_value() == name
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert offline.errors == []


def crashing_worker(route: Any) -> None:
    """The real worker, but an import of a file saying CRASH first puts Pyodide into its fatal-error state
    (its own fatal_error, as a crash inside the WebAssembly runtime would): every later call then fails."""
    response = route.fetch()
    body = response.text().replace(
        "const reply = session.handle(JSON.stringify(data.request));",
        'if (data.request.op === "import" && data.request.text.includes("CRASH")) {\n'
        '      engine._api.fatal_error(new Error("forced by the test"));\n'
        '      throw new Error("forced by the test");\n    }\n'
        "    const reply = session.handle(JSON.stringify(data.request));",
    )
    assert "CRASH" in body
    route.fulfill(response=response, body=body)


def test_a_fatal_engine_error_restarts_the_worker_once_with_the_answers_kept(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    page.context.route("**/checklist-worker.mjs", crashing_worker)
    open_checklist(page, site_url)
    answer(page, 0)
    before = answers(page)
    import_bytes(page, tmp_path, "crash.json", b'{"CRASH": 1}')
    assert "restarted" in message(page) or "started again" in message(page), message(page)
    assert not any(raw in message(page) for raw in RAW_ERRORS), message(page)
    wait_ready(page, 60_000)
    assert answers(page) == before
    answer(page, 1)  # the fresh worker assesses
    # A second stop: the engine is reported unavailable, the answers still there.
    import_bytes(page, tmp_path, "crash-again.json", b'{"CRASH": 2}')
    page.wait_for_selector("#kb-app.is-failed", timeout=60_000)
    assert "could not load" in page.locator("[data-status]").inner_text()
    assert answers(page) == [*before, QUESTIONS[1].none_choice] or set(answers(page)) >= set(before)
    assert offline.errors == []

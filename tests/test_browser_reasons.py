"""The WA Tool's reasons on the checklist page, in a real Chromium, offline: one journey."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_PATH, Offline
from test_browser_checklist import assessed, cli_output, downloaded, import_state, open_checklist

from checklist.migrate import VERSION
from sitebuilder import kbfile

pytestmark = pytest.mark.browser

KB = kbfile.load(KB_PATH)
assert KB.checklist is not None
QUESTIONS = KB.checklist.questions


def test_a_reason_for_not_applicable_is_saved_and_an_imported_practice_mark_shows(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    first, second, third = QUESTIONS[0], QUESTIONS[1], QUESTIONS[2]
    marked = second.choices[1]
    imported: dict[str, Any] = {
        "version": VERSION,
        "workload": {"name": "From the WA Tool"},
        "answers": {
            first.id: {"selected": [first.choices[0].id], "not_applicable": False, "notes": ""},
            second.id: {
                "selected": [second.choices[0].id],
                "not_applicable": False,
                "notes": "",
                "choices": {marked.id: {"status": "not_applicable", "reason": "BUSINESS_PRIORITIES"}},
            },
        },
    }
    assessed(page, lambda: import_state(page, imported, tmp_path, "from-tool.json"))
    # The imported practice shows its mark, in the engine's words; the other questions have no select.
    mark = page.locator(f"fieldset#{second.id} [data-choice-item='{marked.id}'] [data-na-mark]")
    assert mark.locator("span").inner_text() == "not applicable: Business priorities"
    assert page.locator("select[data-reason]").count() == 0
    # Marking a question not applicable offers the WA Tool's reasons, worded for people.
    box = page.locator(f"fieldset#{third.id}")
    assessed(page, lambda: box.locator("input[data-na]").check())
    reason = box.locator("select[data-reason]")
    assert reason.is_visible()
    assert reason.locator("option").all_inner_texts() == [
        "Out of scope",
        "Business priorities",
        "Architecture constraints",
        "Other",
        "None given",
    ]
    assert reason.input_value() == "OUT_OF_SCOPE"
    assessed(page, lambda: reason.select_option(label="Architecture constraints"))
    _, saved = downloaded(page, "download-state")
    answers = json.loads(saved)["answers"]
    assert answers[third.id]["reason"] == "ARCHITECTURE_CONSTRAINTS"
    assert answers[second.id]["choices"] == imported["answers"][second.id]["choices"]
    expected = json.loads(json.dumps(imported))
    expected["answers"][third.id] = {
        "selected": [],
        "not_applicable": True,
        "notes": "",
        "reason": "ARCHITECTURE_CONSTRAINTS",
    }
    assert saved == cli_output(tmp_path, "state", expected)  # the engine's bytes
    # The marked practice leaves the plan; ticking it drops its mark (a practice is one or the other).
    result = json.loads(page.evaluate("window.__drawn"))  # the answers the drawing shows
    assert result["answers"][second.id]["choices"]
    planned = page.locator("[data-plan] li[data-choice]").evaluate_all(
        "items => items.map((i) => i.dataset.choice)"
    )
    assert marked.id not in planned and second.choices[2].id in planned  # the question is at risk
    assessed(page, lambda: page.locator(f"fieldset#{second.id} input[value='{marked.id}']").check())
    assert mark.count() == 0
    saved_now = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    assert "choices" not in saved_now["answers"][second.id]
    # From the plan, another practice is marked not applicable, with a reason and notes (the tool's 250).
    other = second.choices[2]
    dialog = page.locator("[data-practice-dialog]")
    page.locator(f"[data-plan] li[data-choice='{other.id}'] [data-mark-na]").click()
    assert dialog.locator("[data-practice-title]").inner_text() == other.title
    dialog.locator("[data-practice-reason]").select_option(label="Other")
    dialog.locator("[data-practice-notes]").fill("x" * 300)  # the field keeps what the API keeps
    assessed(page, lambda: dialog.get_by_role("button", name="Mark not applicable").click())
    other_mark = page.locator(f"fieldset#{second.id} [data-na-mark='{other.id}']")
    assert other_mark.locator("span").inner_text() == "not applicable: Other"
    saved_now = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    assert saved_now["answers"][second.id]["choices"] == {
        other.id: {"status": "not_applicable", "reason": "OTHER", "notes": "x" * 250}
    }
    assert page.locator(f"[data-plan] li[data-choice='{other.id}']").count() == 0
    assessed(page, lambda: other_mark.get_by_role("button", name="Applies after all").click())
    assert other_mark.count() == 0
    assert page.locator(f"[data-plan] li[data-choice='{other.id}']").count() == 1
    # Back to applicable: the select goes, and the saved answer has no reason.
    assessed(page, lambda: box.locator("input[data-na]").uncheck())
    assert not reason.is_visible()
    saved_now = json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))
    assert "reason" not in saved_now["answers"].get(third.id, {})
    assert offline.blocked == []

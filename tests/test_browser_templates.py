"""Review templates on the checklist page: one platform team's journey, from saving a template to applying
a newer version over a workload's own change (the rules themselves are tested in tests/test_templates.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_PATH, Offline, run_cli, wait_ready
from test_browser_checklist import KB, assessed, downloaded, open_checklist

from checklist.state import parse_state
from checklist.templates import save

pytestmark = pytest.mark.browser

assert KB.checklist is not None
FIRST, SECOND = KB.checklist.questions[:2]
STORE = "wa-ml:checklist:state"


def saved_state(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(page.evaluate(f"localStorage.getItem('{STORE}')"))
    return state


def marks(page: Any) -> dict[str, str]:
    """Question id -> the mark shown beside its answer."""
    found: dict[str, str] = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('[data-template-mark]')]"
        ".map((mark) => [mark.dataset.templateMark, mark.textContent]))"
    )
    return found


def apply_file(page: Any, path: Path) -> None:
    page.locator("input[data-action=apply-template]").set_input_files(str(path))


def test_save_apply_override_and_re_apply_a_newer_template(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    # The platform team answers two account-wide questions and saves them as a template.
    assessed(page, lambda: page.locator(f"input[value={FIRST.choices[0].id}]").check())
    assessed(page, lambda: page.locator(f"fieldset#{SECOND.id} input[data-none]").check())
    page.locator("button[data-action=save-template]").click()
    dialog = page.locator("[data-template-dialog]")
    dialog.get_by_label("Template name").fill("Landing zone")
    dialog.get_by_label("Template version").fill("1")
    with page.expect_download() as info:
        dialog.get_by_role("button", name="Download template").click()
    assert info.value.suggested_filename == "landing-zone-1.template.json"
    v1 = Path(info.value.path())
    platform = tmp_path / "platform.json"
    platform.write_text(json.dumps(saved_state(page)))
    cli = run_cli("template", "save", platform, "--name", "Landing zone", "--version", "1", "--kb", KB_PATH)
    assert v1.read_text() == cli.stdout  # the engine's bytes, as the command line writes them

    # A workload's fresh page applies it: the answers fill in, marked, and the engine lists what changed.
    page.evaluate("localStorage.clear()")
    page.reload()
    wait_ready(page)
    assessed(page, lambda: apply_file(page, v1))
    assert page.locator(f"input[value={FIRST.choices[0].id}]").is_checked()
    assert page.locator(f"fieldset#{SECOND.id} input[data-none]").is_checked()
    assert (
        page.locator("[data-messages]")
        .inner_text()
        .startswith("Applied the template Landing zone 1: 2 filled in.")
    )
    changes = page.locator("[data-template-changes]")
    assert changes.locator("strong").all_inner_texts() == ["Filled in from the template"]
    assert f"“{FIRST.title}”: ticked: {FIRST.choices[0].title}" in changes.inner_text()
    assert marks(page) == {
        FIRST.id: "from template Landing zone 1",
        SECOND.id: "from template Landing zone 1",
    }

    # The workload overrides one answer: it becomes its own, and its mark goes.
    assessed(page, lambda: page.locator(f"input[value={SECOND.choices[0].id}]").check())
    assert marks(page) == {FIRST.id: "from template Landing zone 1"}

    # Version 2 changes both answers: the template's own is updated, the workload's own is kept.
    newer = {
        "version": 4,
        "answers": {
            FIRST.id: {"selected": [c.id for c in FIRST.choices[:2]]},
            SECOND.id: {"not_applicable": True},
        },
    }
    v2 = tmp_path / "v2.json"
    v2.write_text(save(KB, parse_state(newer, KB), "Landing zone", "2").to_json(KB))
    # A decision still being filled in (an accepted risk without its reason yet) must outlive the apply.
    unfinished = {FIRST.choices[-1].id: {"status": "risk_accepted", "owner": "Ana"}}
    stored = saved_state(page) | {"decisions": unfinished}
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [STORE, json.dumps(stored)])
    page.reload()
    wait_ready(page)
    assessed(page, lambda: apply_file(page, v2))
    assert saved_state(page)["decisions"] == unfinished
    assert [page.locator(f"input[value={c.id}]").is_checked() for c in FIRST.choices[:2]] == [True, True]
    assert page.locator(f"input[value={SECOND.choices[0].id}]").is_checked()
    assert not page.locator(f"fieldset#{SECOND.id} input[data-na]").is_checked()
    assert (
        page.locator("[data-messages]")
        .inner_text()
        .startswith("Applied the template Landing zone 2: 1 updated, 1 kept because you changed it.")
    )
    assert changes.locator("strong").all_inner_texts() == [
        "Updated to the template's new answer",
        "Kept because you changed them",
    ]
    assert f"“{SECOND.title}”: you changed it; the template now says not applicable" in changes.inner_text()
    assert marks(page) == {FIRST.id: "from template Landing zone 2"}
    _, report = downloaded(page, "download-report")
    assert report.decode().count("From template Landing zone 2") == 1

    # A file that is not a template leaves the answers as they were, and says why.
    before = page.evaluate(f"localStorage.getItem('{STORE}')")
    apply_file(page, platform)
    message = page.locator("[data-messages]")
    message.filter(has_text="was not applied").wait_for(timeout=10_000)
    assert (
        "The template platform.json was not applied, and your answers are unchanged" in message.inner_text()
    )
    assert "workload: a template carries no workload: is this a state file?" in message.inner_text()
    assert page.evaluate(f"localStorage.getItem('{STORE}')") == before
    assert marks(page) == {FIRST.id: "from template Landing zone 2"}
    assert offline.blocked == []

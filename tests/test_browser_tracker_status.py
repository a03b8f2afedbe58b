"""Tracker status back into decisions, in Chromium: a GitHub CLI export read into the plan's decisions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Offline
from test_browser_checklist import assessed, open_checklist
from test_browser_plan import answer_none, decide, saved

pytestmark = pytest.mark.browser


def issue(number: int, state: str, *labels: str) -> dict[str, Any]:
    """One issue as ``gh issue list --json number,title,state,labels,url`` prints it."""
    return {
        "labels": [{"color": "ededed", "description": "", "id": f"LA_{n}", "name": n} for n in labels],
        "number": number,
        "state": state,
        "title": f"Issue {number}",
        "url": f"https://github.com/example/churn/issues/{number}",
    }


def test_a_github_export_updates_the_decisions_and_reports_what_it_did(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 2)
    plan = page.locator("[data-plan] li[data-choice]")
    done, doing, refused = (str(plan.nth(n).get_attribute("data-choice")) for n in range(3))
    decide(page, 2, status="wont_do", reason="Out of scope for this team.")
    export = tmp_path / "issues.json"
    export.write_text(
        json.dumps(
            [
                issue(1, "CLOSED", "wa-ml", f"wa-ml:{done}"),
                issue(2, "OPEN", "wa-ml", f"wa-ml:{doing}", "in progress"),
                issue(3, "OPEN", "wa-ml", f"wa-ml:{refused}"),
                issue(4, "OPEN", "bug"),
            ]
        )
    )
    assessed(page, lambda: page.locator("input[data-action=tracker-status]").set_input_files(str(export)))
    report = page.locator("[data-tracker-report]")
    assert report.is_visible()
    text = report.inner_text()
    assert text.startswith(
        "Read 4 items of the GitHub export: 2 decisions updated, 1 to tick, 1 conflict, 0 already up to date, "
        "1 not matched."
    )
    assert "Conflicts, left as they are: change the decision or the ticket (1)" in text
    assert "the decision is Won't do (“Out of scope for this team.”), but #3 is “open”." in text
    decisions = saved(page)["decisions"]
    assert decisions[done] == {"status": "in_progress", "ticket": "https://github.com/example/churn/issues/1"}
    assert decisions[doing] == {
        "status": "in_progress",
        "ticket": "https://github.com/example/churn/issues/2",
    }
    assert decisions[refused] == {"status": "wont_do", "reason": "Out of scope for this team."}
    line = page.locator(f"[data-plan] li[data-choice={done}] .kb-decision-line")
    assert line.inner_text().startswith("In progress")
    assert (
        line.locator("a", has_text="Ticket").get_attribute("href")
        == "https://github.com/example/churn/issues/1"
    )
    # Done in the tracker: the team ticks the practice from the report, once it has seen it in place.
    assessed(page, lambda: report.locator(f"button[data-done={done}]").click())
    assert page.locator(f"input[data-choice][value={done}]").is_checked()
    assert page.locator(f"[data-plan] li[data-choice={done}]").count() == 0
    # A broken export changes nothing and says what is wrong.
    export.write_text('[{"number": 1, "state": "open", "labels": [], "url": "https://github.com/x"}]')
    before = saved(page)
    page.locator("input[data-action=tracker-status]").set_input_files(str(export))
    page.wait_for_function("document.querySelector('[data-messages]').innerText.includes('was not read')")
    assert "[0].state: must be OPEN or CLOSED (got 'open')" in page.locator("[data-messages]").inner_text()
    assert saved(page) == before and report.is_hidden()

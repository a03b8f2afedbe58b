"""From plan to work done, in Chromium: decisions, filters, accepted risks, merge, tracker files, print."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CONTRAST_JS, Offline, wait_ready
from pypdf import PdfReader
from test_browser_checklist import (
    QUESTIONS,
    assessed,
    cli_bytes,
    downloaded,
    engine_result,
    import_state,
    open_checklist,
)

pytestmark = pytest.mark.browser


def answer_none(page: Any, count: int) -> None:
    """Tick "None of these" on the first ``count`` questions: their practices fill the plan."""
    for question in QUESTIONS[:count]:
        assessed(page, lambda q=question: page.locator(f"fieldset#{q.id} input[data-none]").check())


def decide(page: Any, nth: int, **fields: str) -> str:
    """Open the decision dialog of the plan's ``nth`` visible item, fill ``fields``, save; its practice id."""
    item = page.locator("[data-plan] li[data-choice]:visible").nth(nth)
    choice = str(item.get_attribute("data-choice"))
    item.locator("[data-decide]").click()
    dialog = page.locator("[data-decision-dialog]")
    for name, value in fields.items():
        control = dialog.locator(f"[name={name}]")
        if name == "status":
            control.select_option(value)
        else:
            control.fill(value)
    assessed(page, lambda: dialog.locator("button[value=save]").click())
    return choice


def saved(page: Any) -> dict[str, Any]:
    return json.loads(page.evaluate("localStorage.getItem('wa-ml:checklist:state')"))


def test_a_decision_survives_reload_save_and_import_and_filters_the_plan(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 3)
    first = decide(
        page, 0, status="planned", owner="Ana", due="2026-12-15", ticket="https://tracker.example/ML-1"
    )
    decide(page, 1, status="in_progress", owner="Bo")
    item = page.locator(f"[data-plan] li[data-choice={first}]")
    assert "Planned · Ana · 2026-12-15" in item.inner_text()
    progress = page.locator("[data-plan-progress]").inner_text()
    assert progress.startswith("2 of ") and progress.endswith(" planned")
    # The engine filters; the page only hides what is out of view.
    assessed(page, lambda: page.locator("[data-filter=owner]").select_option("Bo"))
    assert page.locator("[data-plan] li[data-choice]:visible").count() == 1
    assessed(page, lambda: page.locator("[data-filter=owner]").select_option(""))
    page.reload()
    wait_ready(page, 60_000)
    assert "Planned · Ana" in page.locator(f"[data-plan] li[data-choice={first}]").inner_text()
    _, file = downloaded(page, "download-state")
    state = json.loads(file)
    assert state["decisions"][first] == {
        "status": "planned",
        "owner": "Ana",
        "due": "2026-12-15",
        "ticket": "https://tracker.example/ML-1",
    }
    assessed(
        page, lambda: page.locator("[data-action=reset]").click() or page.locator("[data-dialog-yes]").click()
    )
    assert page.locator(f"[data-plan] li[data-choice={first}]").count() == 0
    assessed(page, lambda: import_state(page, state, tmp_path))
    assert "Planned · Ana" in page.locator(f"[data-plan] li[data-choice={first}]").inner_text()
    # Trackers, the report and the backlog get the same bytes as the command line's, decisions included.
    formats = {
        "download-jira": "jira",
        "download-github": "github",
        "download-report": "markdown",
        "download-backlog": "csv",
    }
    texts: dict[str, str] = {}
    for action, fmt in formats.items():
        _, file = downloaded(page, action)
        assert file == cli_bytes(saved(page), fmt, tmp_path, site_url)
        texts[fmt] = file.decode("utf-8")
    assert (
        "  - Status: Planned; Owner: Ana; Due: 2026-12-15; Ticket: <https://tracker.example/ML-1>\n"
        in texts["markdown"]
    )
    assert "  - Status: In progress; Owner: Bo\n" in texts["markdown"]
    rows = {row[0]: row for row in csv.reader(io.StringIO(texts["csv"], newline=""))}
    assert rows["Id"][12:16] == ["Status", "Owner", "Due", "Ticket"]
    assert rows[first][12:16] == ["Planned", "Ana", "2026-12-15", "https://tracker.example/ML-1"]


def test_accepting_a_risk_moves_it_out_of_the_plan_and_done_ticks_the_practice(
    offline: Offline, site_url: str
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 2)
    before = page.locator("[data-plan] li[data-choice]").count()
    # Half-filled: the page says what is missing and keeps the item in the plan.
    choice = decide(page, 0, status="risk_accepted")
    assert "needs a reason" in page.locator(f"[data-plan] li[data-choice={choice}]").inner_text()
    decide(page, 0, status="risk_accepted", reason="Synthetic data only.", review="2020-01-31")
    assert page.locator(f"[data-plan] li[data-choice={choice}]").count() == 0
    accepted = page.locator(f"[data-accepted] li[data-accepted-choice={choice}]")
    assert "Synthetic data only." in accepted.inner_text()
    assert "Review by 2020-01-31: the review date has passed" in accepted.inner_text()
    assert "kb-overdue" in str(accepted.get_attribute("class"))
    assert page.locator("[data-plan] li[data-choice]").count() == before - 1
    done = str(page.locator("[data-plan] li[data-choice]").first.get_attribute("data-choice"))
    assessed(page, lambda: page.locator(f"[data-plan] li[data-choice={done}] [data-done]").click())
    assert page.locator(f"input[data-choice][value={done}]").is_checked()
    assert page.locator(f"[data-plan] li[data-choice={done}]").count() == 0


def test_merging_a_teammates_file_marks_disagreements_until_resolved(
    offline: Offline, site_url: str, tmp_path: Path
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    # A decision still being filled in here (an accepted risk without its reason yet) outlives the merge.
    unfinished = {QUESTIONS[1].choices[0].id: {"status": "risk_accepted", "owner": "Ana"}}
    page.evaluate(
        "(text) => localStorage.setItem('wa-ml:checklist:state', text)",
        json.dumps({"version": 4, "decisions": unfinished}),
    )
    page.reload()
    wait_ready(page)
    question = QUESTIONS[0]
    both, mine_only = question.choices[0], question.choices[1]
    assessed(page, lambda: page.locator(f"input[value={both.id}]").check())
    assessed(page, lambda: page.locator(f"input[value={mine_only.id}]").check())
    teammate = {"version": 3, "answers": {question.id: {"selected": [both.id]}}}
    path = tmp_path / "Bo.json"
    path.write_text(json.dumps(teammate))
    assessed(page, lambda: page.locator("input[data-action=merge]").set_input_files(str(path)))
    assert page.locator("[data-messages]").inner_text().startswith("Merged: 1 question answered differently")
    assert page.locator(f"input[value={both.id}]").is_checked()
    assert not page.locator(f"input[value={mine_only.id}]").is_checked()  # the cautious answer
    note = page.locator(f"[data-disagreement-for={question.id}]")
    assert "Answered differently: Bo: ticked: " in note.inner_text() and "You: ticked: " in note.inner_text()
    assessed(page, lambda: note.get_by_role("button", name="Resolved").click())
    assert note.inner_text() == ""
    assert saved(page)["disagreements"] == []
    assert saved(page)["decisions"] == unfinished


def test_the_printed_review_is_the_whole_record_in_order_with_nothing_to_click(
    offline: Offline, site_url: str
) -> None:
    """Print media in Chromium: the workload, its scope, the counts and Start here, then every plan item
    (folded buckets unfolded) with its decision, the accepted risks and the answers; no button, no
    navigation, and no page left nearly empty by a forced break."""
    page = offline.page
    open_checklist(page, site_url)
    page.fill("#workload-name", "Fraud scoring")
    page.fill("#workload-description", "Scores card payments as they happen")
    page.fill("#workload-owner", "Risk platform team")
    answer_none(page, 10)
    decide(page, 0, status="planned", owner="Ana", due="2026-12-15")
    result = engine_result(page)
    titles = [item["title"] for item in result["recommendations"]]
    folded = page.locator("[data-plan] li[data-choice][hidden]").count()
    assert folded > 0  # a long bucket is folded on screen
    page.emulate_media(media="print")
    assert page.locator("button:visible").count() == 0
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    pages = [p.extract_text() for p in pdf.pages]
    everything = " ".join(" ".join(pages).split())
    assert everything.startswith("Executive summary: Fraud scoring")
    missing = [title for title in titles if " ".join(title.split()) not in everything]
    assert missing == [], f"{len(missing)} of {len(titles)} plan items did not print"
    assert "Planned · Ana · 2026-12-15" in everything
    order = [
        "Scores card payments as they happen",
        "Risk platform team",
        "About this workload",
        "Start here",
        "Improvement plan",
        "Accepted risks",
        "Answers",
        f"{QUESTIONS[0].title}: High risk",
    ]
    # Each part is looked for after the one before it (a plan item may say "Answers" too).
    place, before = -1, "the start"
    for part in order:
        place = everything.find(part, place + 1)
        assert place > -1, f"{part!r} does not follow {before!r}"
        before = part
    for control in (
        "Decide…",
        "Mark done",
        "Does not apply…",
        "Show all",
        "Show the first few",
        "Save decision",
        "Print or save",
    ):
        assert control not in everything, control
    for chrome in ("Table of contents", "Self-check quiz", "Search", "Save state (JSON)"):
        assert chrome not in everything, chrome
    fullest = max(len(text) for text in pages)
    assert len(pages) > 1 and all(len(text) > fullest / 3 for text in pages[:-1]), [len(t) for t in pages]


def test_the_printed_first_actions_are_start_here_with_a_wont_do_decision(
    offline: Offline, site_url: str
) -> None:
    """The review meeting reads the list the screen shows: a practice decided "Won't do" leaves both."""
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 6)
    first_title = page.locator("[data-start-here] li a").first.inner_text()
    dropped = decide(page, 0, status="wont_do", reason="Another team owns it")
    result = engine_result(page)
    assert dropped not in [item["choice"] for item in result["start_here"]]
    assert dropped in [item["choice"] for item in result["recommendations"][:10]]  # the first ten hold it
    on_screen = [
        (li.get_attribute("value"), li.locator("a").inner_text())
        for li in page.locator("[data-start-here] li").all()
    ]
    assert first_title not in [title for _, title in on_screen]
    assert len(on_screen) == len(result["start_here"]) > 0
    page.emulate_media(media="print")
    summary = page.locator("[data-print-summary]")
    assert summary.is_visible()
    assert summary.locator("h3", has_text="Start here").count() == 1
    printed = [
        (li.get_attribute("value"), li.locator("strong").inner_text())
        for li in summary.locator("[data-first-actions] li").all()
    ]
    assert printed == on_screen
    assert all(li.is_visible() for li in summary.locator("[data-first-actions] li").all())


def test_start_here_folded_buckets_grid_titles_and_the_pillar_filter(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 8)
    result = engine_result(page)
    start = page.locator("[data-start-here] li")
    shown = [" ".join(text.split()) for text in start.all_inner_texts()]
    assert shown == [f"{i['title']} ({i['pillar_name']}) {i['why']}" for i in result["start_here"]]
    assert 0 < start.count() <= 10
    # A long bucket shows its first five items until "Show all".
    first = next(b for b in result["buckets"] if b["count"] > 5)
    plan = page.locator("[data-plan]")
    assert plan.locator(f"li#plan-{first['ranks'][5]}").is_hidden()
    assessed(page, lambda: plan.locator(f"[data-unfold={first['id']}]").click())
    assert plan.locator(f"li#plan-{first['ranks'][5]}").is_visible()
    # Grid cells list their items' titles, shown on demand.
    cell = page.locator("[data-quadrant] details").first
    cell.locator("summary").click()
    titles = cell.locator("li").all_inner_texts()
    assert titles and set(titles) <= {r["title"] for r in result["recommendations"]}
    # The engine filters by pillar; the page hides what it leaves out.
    pillar = result["recommendations"][0]["pillar"]
    assessed(page, lambda: page.locator("[data-filter=pillar]").select_option(pillar))
    shown = {li.get_attribute("data-pillar") for li in plan.locator("li[data-choice]:visible").all()}
    assert shown == {pillar}


def test_a_saved_milestone_is_confirmed_next_to_its_button(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    page.fill("[data-milestone-name]", "Kick-off")
    page.locator("button[data-action=save-milestone]").click()
    assert page.locator("[data-milestone-status]").inner_text() == "Saved the milestone “Kick-off”."


EDGE_CONTRAST = (
    "(dialog) => {"
    + CONTRAST_JS
    + """ return [...dialog.querySelectorAll("input, select, textarea")].map((field) => {
      const style = getComputedStyle(field);
      return { name: field.name, width: parseFloat(style.borderTopWidth), ratio: contrast(style.borderTopColor, dialog) };
    }); }"""
)


@pytest.mark.parametrize("offline", ["light", "dark"], indirect=True)
def test_the_decision_dialog_s_fields_have_a_visible_edge(offline: Offline, site_url: str) -> None:
    """Issue 28: the dialog's Owner and Ticket fields had no visible border. Every field's edge keeps 3:1
    against the dialog (WCAG 1.4.11), in both palettes."""
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 1)
    page.locator("[data-plan] li[data-choice] [data-decide]").first.click()
    dialog = page.locator("[data-decision-dialog]")
    assert dialog.is_visible()
    fields = dialog.evaluate(EDGE_CONTRAST)
    assert {f["name"] for f in fields} >= {"owner", "ticket", "due", "status", "reason", "note"}
    faint = [f for f in fields if f["width"] < 1 or f["ratio"] < 3]
    assert faint == [], faint

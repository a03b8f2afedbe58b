"""Numbers that mean what they say (GitHub issue 28, part 3): the progress counts the questions in scope,
the questions shown are numbered in order, and the impact/effort grid shows what its note says, drawn as
counts to unfold rather than as editable notes."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import CONTRAST_JS, Offline
from test_browser_checklist import KB, QUESTIONS, assessed, engine_result, open_checklist
from test_browser_plan import answer_none

from checklist.assess import MATRIX_NOTE

pytestmark = pytest.mark.browser

PROGRESS = "[data-progress-text]"


def set_narrow_scope(page: Any) -> list[str]:
    """Choose the first scope question's second option (it leaves questions out); their ids."""
    assert KB.checklist is not None
    scope = KB.checklist.scope[0]
    option = scope.options[1]  # the first option is the default and keeps everything
    assessed(page, lambda: page.locator(f"input[data-scope={scope.id}][value={option.id}]").check())
    left_out = list(engine_result(page)["scope"]["questions"])
    assert left_out, "the first scope question's second option leaves questions out"
    return left_out


def test_after_a_narrow_scope_the_progress_reads_0_of_those_in_scope_and_numbers_run_in_order(
    offline: Offline, site_url: str
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    left_out = set_narrow_scope(page)
    in_scope = [q for q in QUESTIONS if q.id not in left_out]
    # Before the fix it read "17 of 35": the left-out questions counted as answered.
    words = f"{len(left_out)} left out by the workload's scope"
    assert page.locator(PROGRESS).inner_text() == f"0 of {len(in_scope)} questions answered · {words}"
    assert page.locator("progress[data-progress]").evaluate("(bar) => [bar.value, bar.max]") == [
        0,
        len(in_scope),
    ]
    # The questions shown read 1, 2, 3… with no gap where the scope hid one.
    shown = page.locator("fieldset[data-question]:visible")
    assert [box.get_attribute("id") for box in shown.all()] == [q.id for q in in_scope]
    numbers = shown.locator(".kb-question__number").all_inner_texts()
    assert numbers == [f"{n}." for n in range(1, len(in_scope) + 1)]
    # One answer in scope counts one.
    first = in_scope[0]
    assessed(page, lambda: page.locator(f"fieldset#{first.id} input[data-none]").check())
    assert page.locator(PROGRESS).inner_text() == f"1 of {len(in_scope)} questions answered · {words}"
    # Back to the default scope: every question counts and is numbered again, and nothing is left out.
    assert KB.checklist is not None
    scope = KB.checklist.scope[0]
    assessed(page, lambda: page.locator(f"input[data-scope={scope.id}][value={scope.options[0].id}]").check())
    assert page.locator(PROGRESS).inner_text() == f"1 of {len(QUESTIONS)} questions answered"
    last = page.locator(f"fieldset#{QUESTIONS[-1].id} .kb-question__number").inner_text()
    assert last == f"{len(QUESTIONS)}."


def test_the_grid_numbers_count_each_cell_as_its_note_says_and_do_not_look_editable(
    offline: Offline, site_url: str
) -> None:
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 8)
    result = engine_result(page)
    grid = page.locator("[data-quadrant]")
    note = page.locator("[data-quadrant-note]")
    assert note.inner_text() == MATRIX_NOTE and "how many recommendations" in MATRIX_NOTE
    assert "how many recommendations" in grid.locator("caption").inner_text().lower()
    counted = 0
    for row in result["matrix"]["rows"]:
        for cell in row["cells"]:
            td = grid.locator(f"td[data-impact={row['impact']}][data-effort={cell['effort']}]")
            shown = td.locator(".kb-quadrant__count").inner_text()
            # Each number is how many recommendations the cell holds (as the note says), not a rank.
            assert shown == (str(len(cell["items"])) if cell["items"] else "\u2013")  # an empty cell: a dash
            if cell["items"]:
                listed = td.locator("li")
                assert listed.count() == len(cell["items"])
                # Opened, the cell lists them numbered by their rank in the plan, as the note says.
                values = [int(v or 0) for v in listed.evaluate_all("(items) => items.map((li) => li.value)")]
                assert values == [item["rank"] for item in cell["items"]]
            counted += len(cell["items"])
    assert counted == len(result["recommendations"]) > 0
    # A count to unfold, not a note to edit: no admonition pencil, box or tinted bar (Material's details).
    summary = grid.locator("details summary").first
    assert summary.evaluate("(s) => getComputedStyle(s, '::before').display") == "none"
    assert summary.evaluate("(s) => getComputedStyle(s).backgroundColor") == "rgba(0, 0, 0, 0)"
    details = grid.locator("details").first
    assert details.evaluate(
        "(d) => getComputedStyle(d).borderTopStyle + ' ' + getComputedStyle(d).boxShadow"
    ) == ("none none")


TEXT_CONTRAST = (
    "(element) => {" + CONTRAST_JS + " return contrast(getComputedStyle(element).color, element); }"
)


@pytest.mark.parametrize("offline", ["light", "dark"], indirect=True)
def test_the_grid_counts_are_readable_on_their_tinted_cells_in_both_palettes(
    offline: Offline, site_url: str
) -> None:
    """In the dark palette the high-impact cells' counts took Material's light admonition text colour on
    their pale tint (about 1.3:1)."""
    page = offline.page
    open_checklist(page, site_url)
    answer_none(page, 4)
    counts = page.locator("[data-quadrant] td summary.kb-quadrant__count")
    assert counts.count() > 0
    ratios = [count.evaluate(TEXT_CONTRAST) for count in counts.all()]
    assert min(ratios) >= 4.5, ratios

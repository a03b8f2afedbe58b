"""Decisions on recommendations: kept in the state file by practice id, checked, and reflected in the plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checklist.assess import assess
from checklist.errors import StateError
from checklist.state import parse_state
from sitebuilder import kbfile

KB = kbfile.load(Path(__file__).parent / "fixtures" / "engine-kb.yml")
# Both questions at risk: every practice of data_quality and model_review is a recommendation.
ANSWERS = {
    "data_quality": {"selected": ["data_quality_no"]},
    "model_review": {"selected": ["model_review_no"]},
}


def with_decisions(decisions: dict[str, Any], version: int = 3) -> dict[str, Any]:
    return {"version": version, "answers": ANSWERS, "decisions": decisions}


def test_an_accepted_risk_leaves_the_plan_and_is_listed_with_its_review() -> None:
    before = assess(KB, parse_state(with_decisions({}), KB))
    accepted = {
        "status": "risk_accepted",
        "reason": "The data is synthetic and public.",
        "review": "2026-06-30",
        "owner": "Ana",
    }
    result = assess(
        KB, parse_state(with_decisions({"data_quality_version": accepted}), KB), today="2026-11-29"
    )
    assert "data_quality_version" in [r["choice"] for r in before["recommendations"]]
    assert "data_quality_version" not in [r["choice"] for r in result["recommendations"]]
    assert [r["rank"] for r in result["recommendations"]] == list(range(1, len(before["recommendations"])))
    assert result["accepted"] == [
        {
            "choice": "data_quality_version",
            "title": "Version datasets",
            "pillar_name": "Pillar One",
            "lens_name": "Machine Learning Lens",
            "question": "data_quality",
            "question_title": "How do you keep training data sound?",
            "impact": "high",
            "reason": "The data is synthetic and public.",
            "review": "2026-06-30",
            "owner": "Ana",
            "overdue": True,
            "text": "Review by 2026-06-30: the review date has passed",
            "decision": {**accepted, "label": "Risk accepted", "due": "", "ticket": "", "note": ""},
        }
    ]
    on_time = assess(
        KB, parse_state(with_decisions({"data_quality_version": accepted}), KB), today="2026-06-01"
    )
    assert on_time["accepted"][0]["overdue"] is False


def test_progress_and_the_plan_filters_come_from_the_decisions() -> None:
    decisions = {
        "data_quality_profile": {"status": "planned", "owner": "Ana", "due": "2026-12-15"},
        "model_review_metrics": {
            "status": "in_progress",
            "owner": "Bo",
            "ticket": "https://tracker.example/T-1",
        },
        "model_review_signoff": {"status": "wont_do", "reason": "One person owns every release."},
    }
    result = assess(KB, parse_state(with_decisions(decisions), KB))
    total = len(result["recommendations"])
    assert result["progress"] == {"planned": 2, "total": total, "text": f"2 of {total} planned"}
    assert result["view"]["owners"] == ["Ana", "Bo"]
    by_choice = {r["choice"]: r["rank"] for r in result["recommendations"]}
    assert assess(KB, parse_state(with_decisions(decisions), KB), owner="Bo")["view"]["visible"] == [
        by_choice["model_review_metrics"]
    ]
    planned = assess(KB, parse_state(with_decisions(decisions), KB), status="planned")
    assert planned["view"]["visible"] == [by_choice["data_quality_profile"]]
    counts = {s["id"]: s["count"] for s in result["view"]["statuses"]}
    assert result["view"]["statuses"][1]["text"] == "Planned (1)"
    assert counts == {"open": total - 3, "planned": 1, "in_progress": 1, "wont_do": 1}
    item = next(r for r in result["recommendations"] if r["choice"] == "model_review_metrics")
    assert item["decision"] == {
        "status": "in_progress",
        "owner": "Bo",
        "due": "",
        "ticket": "https://tracker.example/T-1",
        "note": "",
        "reason": "",
        "review": "",
        "label": "In progress",
    }


@pytest.mark.parametrize(
    ("decision", "problem"),
    [
        (
            {"status": "done"},
            "decisions.data_quality_profile.status: must be one of open, planned, in_progress, "
            "risk_accepted, wont_do (got 'done')",
        ),
        (
            {"status": "wont_do"},
            'decisions.data_quality_profile.reason: a decision of "Won\'t do" needs a reason',
        ),
        (
            {"status": "risk_accepted", "reason": "Fine."},
            "decisions.data_quality_profile.review: an accepted risk needs a review date",
        ),
        (
            {"due": "31/12/2026"},
            "decisions.data_quality_profile.due: must be a date as YYYY-MM-DD (got '31/12/2026')",
        ),
        (
            {"ticket": "javascript:alert(1)"},
            "decisions.data_quality_profile.ticket: must be a web address starting "
            "with https:// (got 'javascript:alert(1)')",
        ),
        ({"owner": 7}, "decisions.data_quality_profile.owner: must be a string, not a number"),
        ({"colour": "red"}, "decisions.data_quality_profile.colour: unknown field"),
    ],
)
def test_bad_decisions_are_refused_with_every_problem(decision: dict[str, Any], problem: str) -> None:
    with pytest.raises(StateError) as caught:
        parse_state(with_decisions({"data_quality_profile": decision}), KB)
    assert problem in caught.value.problems


def test_decisions_are_saved_by_practice_id_with_only_what_was_set() -> None:
    decisions = {
        "model_review_bias": {"status": "planned", "owner": "Ana"},
        "data_quality_profile": {"status": "open"},
    }
    saved = json.loads(parse_state(with_decisions(decisions), KB).to_json(KB))
    assert saved["decisions"] == {"model_review_bias": {"status": "planned", "owner": "Ana"}}
    assert parse_state(saved, KB) == parse_state(with_decisions(decisions), KB)


def test_older_files_and_moved_practices_keep_their_decisions() -> None:
    v2 = {"version": 2, "answers": ANSWERS, "scope": {}}
    assert json.loads(parse_state(v2, KB).to_json(KB))["decisions"] == {}
    moved = with_decisions(
        {"model_review_fairness": {"status": "planned", "owner": "Ana"}, "gone_practice": {}}
    )
    state = parse_state(moved, KB)
    assert state.decision("model_review_bias").owner == "Ana"
    assert state.warnings == (
        "the decision on 'model_review_fairness' now belongs to 'model_review_bias'",
        "dropped the decision on 'gone_practice', a practice this checklist does not have",
    )


def test_compare_reports_decision_changes() -> None:
    from checklist import compare

    old = parse_state(with_decisions({"data_quality_profile": {"status": "planned", "owner": "Ana"}}), KB)
    new = parse_state(
        with_decisions(
            {
                "data_quality_profile": {"status": "in_progress", "owner": "Ana"},
                "model_review_bias": {"status": "wont_do", "reason": "Out of budget."},
            }
        ),
        KB,
    )
    comparison = compare.compare(KB, old, new, "Sprint 1")
    assert [c["text"] for c in comparison["decisions"]] == [
        "Profile source data: Planned (Ana) → In progress (Ana)",
        "Check for bias: Open → Won't do",
    ]
    assert (
        "## Decisions\n\n- Profile source data: Planned (Ana) → In progress (Ana)\n"
        in compare.to_markdown(comparison)
    )

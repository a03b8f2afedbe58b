"""checklist.words: the page's counts, plan lines, empty states and print summary come from the engine,
and the printed first actions are the on-screen "Start here"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from checklist.assess import assess
from checklist.state import parse_state
from checklist.words import NO_ACCEPTED_RISKS, page_words
from sitebuilder import kbfile

FIXTURES = Path(__file__).parent / "fixtures"
KB = kbfile.load(FIXTURES / "engine-kb.yml")
EARLY = json.loads((FIXTURES / "states" / "early.json").read_text())


def words_for(state: dict[str, Any], today: str = "2026-03-01") -> tuple[Any, Any]:
    result = assess(KB, parse_state(state, KB, lenient_decisions=True), "", today)
    return result, page_words(result)


def none_of_these(*questions: str) -> dict[str, Any]:
    return {"version": 3, "answers": {q: {"selected": [f"{q}_no"]} for q in questions}}


def test_group_counts_carry_their_totals_and_the_answered_words() -> None:
    _, words = words_for(EARLY)
    one, two = words["groups"]["pillars"]
    assert (one["id"], one["answered"], one["total"], one["short"], one["text"]) == (
        "pillar_one",
        2,
        2,
        "2/2",
        "2 of 2 answered",
    )
    assert one["first_unanswered"] is None
    assert [(p["risk"], p["count"]) for p in one["parts"]] == [
        ("high", 1),
        ("medium", 1),
        ("none", 0),
        ("not_applicable", 0),
        ("unanswered", 0),
    ]
    assert [p["percent"] for p in one["parts"]] == [50.0, 50.0, 0.0, 0.0, 0.0]
    assert one["parts"][0]["title"] == "High risk: 1"
    assert two["total"] == 1 and two["answered"] == 1
    # Focus areas too, where the KB has them: "security" holds no question.
    security = words["groups"]["focus_areas"][-1]
    assert (security["id"], security["total"], security["short"]) == ("security", 0, "0/0")
    assert all(p["percent"] == 0 for p in security["parts"])


def test_group_counts_leave_out_what_the_scope_left_out_as_the_progress_does() -> None:
    # endpoint_scaling, pillar_two's one question, is out of scope with batch jobs only: the pillar's count
    # (the table of contents' "1/1") must not call it answered (issue 28); its share bar still shows it.
    state = {**none_of_these("endpoint_scaling"), "scope": {"inference_mode": "batch_only"}}
    _, words = words_for(state)
    one, two = words["groups"]["pillars"]
    assert (two["answered"], two["total"], two["short"], two["text"]) == (0, 0, "0/0", "0 of 0 answered")
    assert [(p["risk"], p["count"], p["percent"]) for p in two["parts"] if p["count"]] == [
        ("not_applicable", 1, 100.0)
    ]
    assert (one["answered"], one["total"]) == (0, 2)


def test_the_first_unanswered_question_of_a_group_is_named() -> None:
    _, words = words_for(none_of_these("endpoint_scaling"))
    one = words["groups"]["pillars"][0]
    assert one["first_unanswered"] == {"id": "data_quality", "title": KB.checklist.questions[0].title}
    assert one["short"] == "0/2"
    # The unanswered count links there; no other count links anywhere.
    linked = [(p["risk"], p["question"]) for p in one["parts"] if p["question"]]
    assert linked == [("unanswered", one["first_unanswered"])]
    assert not [p for p in words["groups"]["pillars"][1]["parts"] if p["question"]]
    assert words["unanswered"] == ["data_quality", "model_review"]


def test_plan_lines_say_pillar_impact_effort_and_the_decision_facts() -> None:
    state = none_of_these("data_quality")
    first = "data_quality_profile"
    state["decisions"] = {first: {"status": "planned", "owner": "Ana", "due": "2026-04-01"}}
    result, words = words_for(state)
    assert [line["rank"] for line in words["plan"]] == [item["rank"] for item in result["recommendations"]]
    by_choice = {
        item["choice"]: line for item, line in zip(result["recommendations"], words["plan"], strict=True)
    }
    item = next(i for i in result["recommendations"] if i["choice"] == first)
    assert (
        by_choice[first]["meta"]
        == f"{item['pillar_name']} · impact {item['impact']} · effort {item['effort']}"
    )
    assert by_choice[first]["decision"] == "Planned · Ana · 2026-04-01"
    other = next(line for choice, line in by_choice.items() if choice != first)
    assert other["decision"] == "Open"


def test_an_unrated_effort_is_said_not_rated() -> None:
    from checklist.words import plan_line

    result, _ = words_for(none_of_these("data_quality"))
    item = {**result["recommendations"][0], "effort": "unrated"}
    assert plan_line(item)["meta"].endswith("· effort not rated")


def test_empty_states() -> None:
    _, words = words_for({"version": 3, "answers": {}})
    assert words["accepted_note"] == NO_ACCEPTED_RISKS
    assert words["plan"] == []
    assert words["print_summary"]["heading"] == "Executive summary: Unnamed workload"
    assert words["print_summary"]["actions"] == []
    state = none_of_these("data_quality")
    state["decisions"] = {
        "data_quality_profile": {"status": "risk_accepted", "reason": "Budget", "review": "2027-01-01"}
    }
    _, words = words_for(state)
    assert words["accepted_note"] == ""


def test_the_printed_first_actions_are_start_here_without_what_the_team_wont_do() -> None:
    state = none_of_these("data_quality", "model_review", "endpoint_scaling")
    plan, _ = words_for(state)
    first = plan["recommendations"][0]["choice"]
    state["decisions"] = {first: {"status": "wont_do", "reason": "Another team owns it", "owner": "Bo"}}
    result, words = words_for(state)
    summary = words["print_summary"]
    assert [a["rank"] for a in summary["actions"]] == [s["rank"] for s in result["start_here"]]
    assert [a["title"] for a in summary["actions"]] == [s["title"] for s in result["start_here"]]
    assert first not in [s["choice"] for s in result["start_here"]]
    assert summary["actions_heading"] == "Start here"  # the screen's name for the same list
    start = result["start_here"][0]
    assert summary["actions"][0]["text"] == f" ({start['pillar_name']}) · Open"


def test_the_print_summary_names_the_workload_the_day_and_the_counts() -> None:
    result, words = words_for(EARLY, today="2026-03-01")
    summary = words["print_summary"]
    assert summary["heading"] == f"Executive summary: {EARLY['workload']['name']}"
    assert summary["line"] == f"2026-03-01 · {result['summary']['text']} · {result['progress']['text']}"
    assert summary["columns"] == list(result["risk_labels"].values())
    assert [row["name"] for row in summary["rows"]] == [p.name for p in KB.pillars]
    assert summary["rows"][0]["counts"] == [1, 1, 0, 0, 0]


def test_the_replace_question_names_both_workloads() -> None:
    from checklist.words import replace_question

    assert replace_question(" Churn model ", "", "the file b.json") == (
        "Replace your answers for “Churn model” with those for an unnamed workload from the file b.json?"
    )


def test_the_page_scripts_hold_no_risk_ids_defaults_or_result_words() -> None:
    """The rule of this module, checked where it could break: the page's JavaScript names no risk, status,
    environment or effort of the engine's, and none of the sentences the engine words."""
    from checklist.assess import NOTHING_ANSWERED, NOTHING_TO_IMPROVE
    from checklist.decisions import STATUSES
    from checklist.portfolio import LEVELS as PORTFOLIO_LEVELS
    from checklist.reasons import NOT_APPLICABLE, PRACTICE_MARK, REASON_LABEL, REASONS
    from checklist.scales import EFFORT_LEVELS, RISK_LABELS
    from checklist.state import ENVIRONMENTS
    from checklist.words import UNNAMED_WORKLOAD

    scripts = Path(__file__).parent.parent / "docs" / "assets" / "javascripts"
    page = [scripts / "checklist.js", scripts / "portfolio.js", *sorted((scripts / "checklist").glob("*.js"))]
    assert len(page) > 5  # the entries and their modules
    ids = [*RISK_LABELS, *STATUSES, *ENVIRONMENTS, *EFFORT_LEVELS, *REASONS, NOT_APPLICABLE]
    words = [
        *(label for label in REASONS.values() if " " in label),  # "Other" is any page's word too
        REASON_LABEL,
        PRACTICE_MARK.split("{")[0],
        NO_ACCEPTED_RISKS,
        UNNAMED_WORKLOAD,
        "unnamed workload",
        "questions answered",
        "left out by",
        "not rated",
        NOTHING_ANSWERED,
        NOTHING_TO_IMPROVE,
        # The portfolio's (checklist.portfolio): its levels, headings and lines.
        *(label for label, _ in PORTFOLIO_LEVELS.values()),
        "Missing in",
        "Overdue",
        "Assessed on",
        "All workloads",
        "Files left out",
    ]
    for path in page:
        text = path.read_text(encoding="utf-8")
        for ident in ids:
            assert f'"{ident}"' not in text and f"'{ident}'" not in text, (path.name, ident)
        for sentence in words:
            assert sentence not in text, (path.name, sentence)
        for label in RISK_LABELS.values():  # as a word: "nextUnanswered" is a name, not the label
            assert not re.search(rf"(?<![A-Za-z]){label}(?![A-Za-z])", text), (path.name, label)


def test_the_print_words_hold_the_workload_its_scope_and_every_answer_as_the_report_words_them() -> None:
    """The print is the whole review: the workload's filled-in facts, the scope, then (after the plan)
    every question in scope as answered, in the Markdown report's own words."""
    from checklist.report import to_markdown

    result, words = words_for(EARLY)
    summary = words["print_summary"]
    facts = {f["label"]: f["value"] for f in summary["workload"]}
    assert facts["Description"] == EARLY["workload"]["description"]
    assert facts["Owner"] == "Ana Müller"
    assert facts["Regions"] == "eu-west-1, eu-central-1"
    assert "Name" not in facts  # the heading names it
    assert summary["scope"][-1] == {"label": "Left out", "value": result["scope"]["text"]}
    printed = [q["title"] for pillar in summary["answers"] for q in pillar["questions"]]
    assert printed == [q["title"] for q in result["questions"] if not q["reason"]]
    assert len(printed) == len(KB.checklist.questions)  # this state's scope leaves none out
    report = to_markdown(result)
    notes = next(
        q for p in summary["answers"] for q in p["questions"] if q["title"] == result["questions"][0]["title"]
    )
    assert notes["facts"] and all(f"  - {fact}" in report for fact in notes["facts"])
    assert "Notes: Profiling runs weekly." in notes["facts"]

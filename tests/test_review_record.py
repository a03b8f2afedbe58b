"""Completing an assessment: the Markdown report as the review record, the CSV backlog's ids, and
milestones that tell resolved, improved and worsened risks apart and list the practices added and removed."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from checklist import compare, report
from checklist.assess import assess
from checklist.knowledge import KnowledgeBase
from checklist.result import Result
from checklist.state import parse_state
from sitebuilder import kbfile

KB = kbfile.load(Path(__file__).parent / "fixtures" / "engine-kb.yml")


def pick(*choices: str, notes: str = "") -> dict[str, Any]:
    return {"selected": list(choices), "not_applicable": False, "notes": notes}


def state(answers: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"version": 3, "workload": {"name": "Churn"}, "answers": answers, **extra}


def result_for(data: dict[str, Any], today: str = "") -> Result:
    return assess(KB, parse_state(data, KB), today=today)


RECORD = state(
    {
        "data_quality": pick("data_quality_profile", notes="Profiling runs weekly."),
        "model_review": pick("model_review_no"),
    },
    scope={"inference_mode": "batch_only", "data_sensitivity": "no_sensitive_data"},
    decisions={
        "model_review_metrics": {
            "status": "risk_accepted",
            "reason": "The model is advisory only.",
            "review": "2026-03-01",
            "owner": "Ana",
        }
    },
)


def section(text: str, heading: str) -> str:
    """The text of one "## " section of the report."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


# --- the questions as answered ---------------------------------------------------------------------------------


def test_each_question_carries_its_practices_and_notes() -> None:
    questions = {q["id"]: q for q in result_for(RECORD)["questions"]}
    assert questions["data_quality"]["in_place"] == [
        {"choice": "data_quality_profile", "title": "Profile source data"}
    ]
    assert [p["choice"] for p in questions["data_quality"]["missing"]] == [
        "data_quality_version",
        "data_quality_lineage",
        "data_quality_catalog",
    ]
    assert questions["data_quality"]["notes"] == "Profiling runs weekly."
    # "None of these" is no practice; the bias check is out of scope, so it is not missing either.
    assert questions["model_review"]["in_place"] == []
    assert [p["choice"] for p in questions["model_review"]["missing"]] == [
        "model_review_metrics",
        "model_review_signoff",
    ]
    # Out of scope, or not answered: nothing is missing.
    assert questions["endpoint_scaling"]["risk"] == "not_applicable"
    assert questions["endpoint_scaling"]["missing"] == []


# --- the Markdown report ---------------------------------------------------------------------------------------


def test_the_report_carries_the_date_only_when_given() -> None:
    dated = report.to_markdown(result_for(RECORD, today="2026-05-01"))
    assert result_for(RECORD, today="2026-05-01")["date"] == "2026-05-01"
    assert dated.startswith(
        "# Well-Architected for AI/ML review: Churn\n\nAssessed on 2026-05-01.\n\n## Workload\n"
    )
    undated = report.to_markdown(result_for(RECORD))
    assert result_for(RECORD)["date"] == ""
    assert "Assessed on" not in undated
    assert undated.startswith("# Well-Architected for AI/ML review: Churn\n\n## Workload\n")


def test_the_report_records_every_question_by_pillar() -> None:
    answers = {**RECORD["answers"], "endpoint_scaling": {"selected": [], "not_applicable": True, "notes": ""}}
    user_na = report.to_markdown(result_for({**RECORD, "scope": {}, "answers": answers}))
    assert "- **How do endpoints handle load?** (Inference): Not applicable\n" in user_na
    assert "  - Marked not applicable by the team\n" in user_na
    text = report.to_markdown(result_for(RECORD))
    assert section(text, "Questions") == "\n".join(
        [
            "",
            "## Questions",
            "",
            "### Pillar One",
            "",
            "- **How do you keep training data sound?** (Data): Medium risk",
            "  - In place: Profile source data",
            "  - Missing: Version datasets; Track lineage; Catalog datasets",
            "  - Notes: Profiling runs weekly.",
            "- **How do you review models before release?** (Training): High risk",
            "  - In place: none",
            "  - Missing: Agree on metrics; Sign-off",
            "",
            "### Pillar Two",
            "",
            "- **How do endpoints handle load?** (Inference): Not applicable",
            "  - Not applicable (out of scope: Batch jobs only)",
            "",
        ]
    )
    # The record's order: workload, risks, questions, the plan, then the accepted risks.
    order = ["## Workload", "## Risk summary", "## Questions", "## Improvement plan", "## Accepted risks"]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)


@pytest.mark.parametrize(
    ("today", "review"),
    [
        ("2026-02-01", "  - Review by 2026-03-01"),
        ("2026-04-01", "  - **Review by 2026-03-01: the review date has passed**"),
    ],
)
def test_the_report_lists_accepted_risks_and_flags_an_overdue_review(today: str, review: str) -> None:
    text = report.to_markdown(result_for(RECORD, today=today))
    assert section(text, "Accepted risks") == "\n".join(
        [
            "",
            "## Accepted risks",
            "",
            "- **Agree on metrics** (Pillar One; How do you review models before release?; impact high)",
            "  - Reason: The model is advisory only.",
            review,
            "  - Owner: Ana",
            "",
        ]
    )
    assert "**Agree on metrics**:" not in text  # an accepted risk is not a task of the plan
    assert "## Accepted risks" not in report.to_markdown(result_for({**RECORD, "decisions": {}}))


def test_the_backlog_starts_with_the_stable_id_and_names_the_workload() -> None:
    result = result_for(RECORD)
    rows = list(csv.reader(io.StringIO(report.to_csv(result), newline="")))
    workload = rows[0].index("Workload")
    assert rows[0][0] == "Id" and workload == 11  # the decision's columns come after it
    # The plan in rank order, then the accepted risks (no rank).
    assert [row[0] for row in rows[1:]] == [r["choice"] for r in result["recommendations"]] + [
        "model_review_metrics"
    ]
    assert {row[workload] for row in rows[1:]} == {"Churn"}


DECIDED = {
    **RECORD,
    "workload": {"name": "Churn", "description": "Scores *churn* risk.", "owner": "Ana"},
    "decisions": {
        **RECORD["decisions"],
        "data_quality_version": {
            "status": "planned",
            "owner": "Bo",
            "due": "2026-06-30",
            "ticket": "https://tracker.example/browse/ML_1",
            "note": "Needs *storage* budget.",
        },
        "model_review_signoff": {"status": "wont_do", "reason": "One person ships; no one to sign."},
        "data_quality_lineage": {"owner": "Cy"},
    },
}


def test_each_plan_item_carries_its_decision_in_the_report() -> None:
    plan = [*section(report.to_markdown(result_for(DECIDED)), "Improvement plan").splitlines(), ""]

    def after(title: str) -> str:
        return plan[next(n for n, line in enumerate(plan) if line.startswith(f"- [ ] **{title}**")) + 1]

    # Every fact set shows, in the trackers' words; the ticket is a link, the team's text stays literal.
    assert after("Version datasets") == (
        "  - Status: Planned; Owner: Bo; Due: 2026-06-30; Ticket: <https://tracker.example/browse/ML_1>; "
        "Note: Needs \\*storage\\* budget."
    )
    assert after("Sign-off") == "  - Status: Won't do; Reason: One person ships; no one to sign."
    assert after("Track lineage") == "  - Status: Open; Owner: Cy"  # an owner on an open item counts
    assert not after("Catalog datasets").startswith("  - Status")  # untouched: the line reads as before
    # The accepted risk keeps its own section, with its reason and review date.
    accepted = section(report.to_markdown(result_for(DECIDED)), "Accepted risks")
    assert "  - Reason: The model is advisory only.\n  - Review by 2026-03-01\n" in accepted


def test_the_report_header_has_the_workloads_description_owner_and_scope() -> None:
    result = result_for(DECIDED)
    text = report.to_markdown(result)
    workload = section(text, "Workload")
    assert "| Description | Scores \\*churn\\* risk. |" in workload
    assert "| Owner | Ana |" in workload
    # The scope's effect as the engine words it, once.
    assert result["scope"]["text"].startswith("The scope leaves out 1 question of 3")
    assert f"| Scope | {result['scope']['text']} |" in workload
    assert text.count(result["scope"]["text"]) == 1


def test_the_backlog_has_the_decision_as_columns_after_the_existing_ones() -> None:
    result = result_for(DECIDED)
    header, *rows = csv.reader(io.StringIO(report.to_csv(result), newline=""))
    assert header[11:-1] == ["Workload", "Status", "Owner", "Due", "Ticket", "Note", "Reason", "Review by"]
    assert header[-1] == "Lens"  # appended after the decision: importers' column mappings still hold
    by_id = {row[0]: dict(zip(header[12:-1], row[12:-1], strict=True)) for row in rows}
    assert by_id["data_quality_version"] == {
        "Status": "Planned",
        "Owner": "Bo",
        "Due": "2026-06-30",
        "Ticket": "https://tracker.example/browse/ML_1",
        "Note": "Needs *storage* budget.",
        "Reason": "",
        "Review by": "",
    }
    assert by_id["model_review_signoff"]["Status"] == "Won't do"
    assert by_id["model_review_signoff"]["Reason"] == "One person ships; no one to sign."
    assert by_id["data_quality_catalog"] == dict.fromkeys(header[12:-1], "") | {"Status": "Open"}
    assert {row[-1] for row in rows} == {"Machine Learning Lens"}  # the accepted risk's row too
    # The accepted risk comes last, without a rank or bucket, with its reason, review date and owner.
    last = rows[-1]
    assert (last[0], last[1], last[2], last[5]) == ("model_review_metrics", "", "", "Agree on metrics")
    assert by_id["model_review_metrics"] == {
        "Status": "Risk accepted",
        "Owner": "Ana",
        "Due": "",
        "Ticket": "",
        "Note": "",
        "Reason": "The model is advisory only.",
        "Review by": "2026-03-01",
    }


def test_a_plan_without_decisions_reads_as_before() -> None:
    result = result_for({**RECORD, "decisions": {}})
    text = report.to_markdown(result)
    assert "Status:" not in text
    assert text.count("- [ ] ") == len(result["recommendations"])
    header, *rows = csv.reader(io.StringIO(report.to_csv(result), newline=""))
    assert header == list(report.CSV_COLUMNS)
    assert [row[0] for row in rows] == [r["choice"] for r in result["recommendations"]]
    assert {tuple(row[12:-1]) for row in rows} == {("Open", "", "", "", "", "", "")}


# --- milestones ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("was", "now", "kind"),
    [
        ("high", "none", "resolved"),
        ("medium", "not_applicable", "resolved"),
        ("high", "medium", "improved"),
        ("medium", "high", "worsened"),
        ("none", "medium", "worsened"),
        ("unanswered", "high", "worsened"),  # answered since, and found at risk
        ("high", "unanswered", ""),  # an answer taken back resolves nothing
        ("high", "high", ""),
        ("none", "not_applicable", ""),
    ],
)
def test_a_risk_change_is_resolved_improved_or_worsened(was: str, now: str, kind: str) -> None:
    assert compare.risk_change(was, now) == kind


def test_a_milestone_tells_each_kind_of_change_apart() -> None:
    old = state(
        {
            "data_quality": pick("data_quality_no"),  # high
            "model_review": pick("model_review_metrics", "model_review_bias"),  # none
            "endpoint_scaling": pick("endpoint_scaling_no"),  # high
        }
    )
    new = state(
        {
            "data_quality": pick("data_quality_profile"),  # medium: improved
            "model_review": pick("model_review_metrics"),  # high: worsened
            "endpoint_scaling": pick("endpoint_scaling_auto", "endpoint_scaling_multi_az"),  # none: resolved
        }
    )
    comparison = compare.compare(KB, parse_state(old, KB), parse_state(new, KB), "Sprint 1")
    assert comparison["summary_text"] == (
        "Since “Sprint 1”: 1 risk resolved, 1 improved, 1 worsened; 3 practices added, 1 removed."
    )
    one, two = comparison["pillars"]
    texts = {kind: [c["text"] for c in one[kind]] for kind in ("resolved", "improved", "worsened")}
    assert texts == {
        "resolved": [],
        "improved": ["Improved: How do you keep training data sound? (High risk → Medium risk)"],
        "worsened": ["Worsened: How do you review models before release? (No risk → High risk)"],
    }
    assert [c["text"] for c in one["added"]] == ["Added: Profile source data"]
    assert one["removed"] == [
        {
            "choice": "model_review_bias",
            "title": "Check for bias",
            "question": "model_review",
            "question_title": "How do you review models before release?",
            "text": "Removed: Check for bias",
        }
    ]
    assert [c["text"] for c in two["resolved"]] == [
        "Resolved: How do endpoints handle load? (High risk → No risk)"
    ]
    assert [c["text"] for c in two["added"]] == ["Added: Scale automatically", "Added: Span zones"]
    counts = [comparison[k] for k in ("resolved", "improved", "worsened", "added", "removed")]
    assert counts == [1, 1, 1, 3, 1]
    text = compare.to_markdown(comparison)
    assert (
        "\n## Pillar One\n\n"
        + "\n".join(
            [
                "- Improved: How do you keep training data sound? (High risk → Medium risk)",
                "- Worsened: How do you review models before release? (No risk → High risk)",
                "- Added: Profile source data",
                "- Removed: Check for bias",
            ]
        )
        in text
    )
    assert "\n## Pillar Two\n\n- Resolved: How do endpoints handle load? (High risk → No risk)\n" in text


def test_nothing_changed_says_so_in_numbers() -> None:
    same = parse_state(RECORD, KB)
    comparison = compare.compare(KB, same, same, "Sprint 1")
    assert comparison["summary_text"] == (
        "Since “Sprint 1”: 0 risks resolved, 0 improved, 0 worsened; 0 practices added, 0 removed."
    )
    assert "\n## Pillar" not in compare.to_markdown(comparison)


def test_the_report_is_headed_with_the_kbs_site_title() -> None:
    other = KnowledgeBase.from_dict(
        {**KB.source, "site": {"id": "lens-pipeline", "title": "Pipeline *Lens*"}}
    )
    text = report.to_markdown(assess(other, parse_state(RECORD, other)))
    assert text.startswith("# Pipeline \\*Lens\\* review: Churn\n\n## Workload\n")
    assert "AI/ML" not in text


def test_an_accepted_risk_keeps_its_whole_decision_in_the_report_and_the_backlog() -> None:
    """An accepted risk's ticket, due date and note were dropped: blank in its CSV row, absent from the
    Markdown record (issue 28's record keeps every decision)."""
    decided = {
        "status": "risk_accepted",
        "reason": "The model is advisory only.",
        "review": "2026-03-01",
        "owner": "Ana",
        "due": "2026-02-15",
        "ticket": "https://tracker.example/browse/ML_9",
        "note": "Revisit once the *advisory* flag goes.",
    }
    result = result_for({**RECORD, "decisions": {"model_review_metrics": decided}})
    header, *rows = csv.reader(io.StringIO(report.to_csv(result), newline=""))
    row = dict(zip(header, rows[-1], strict=True))
    assert {key: row[key] for key in ("Owner", "Due", "Ticket", "Note", "Reason", "Review by")} == {
        "Owner": "Ana",
        "Due": "2026-02-15",
        "Ticket": "https://tracker.example/browse/ML_9",
        "Note": "Revisit once the *advisory* flag goes.",
        "Reason": "The model is advisory only.",
        "Review by": "2026-03-01",
    }
    accepted = section(report.to_markdown(result), "Accepted risks")
    assert (
        "  - Owner: Ana; Due: 2026-02-15; Ticket: <https://tracker.example/browse/ML_9>; "
        "Note: Revisit once the \\*advisory\\* flag goes."
    ) in accepted

"""The WA Tool's reasons in the state file: a not-applicable question's reason code, and per-practice
statuses (not applicable with a reason, notes). Parsed strictly, carried by moved KB ids, and read by the
assessment as the tool reads them: a practice marked not applicable is neither in place nor missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checklist import report
from checklist.assess import assess
from checklist.errors import StateError
from checklist.migrate import VERSION
from checklist.state import Answer, ChoiceAnswer, parse_state, parse_state_text
from sitebuilder import kbfile

KB = kbfile.load(Path(__file__).parent / "fixtures" / "engine-kb.yml")
MARKED = {
    "version": VERSION,
    "answers": {
        "data_quality": {
            "selected": ["data_quality_profile"],
            "not_applicable": False,
            "notes": "",
            "choices": {
                "data_quality_version": {"status": "not_applicable", "reason": "BUSINESS_PRIORITIES"},
                "data_quality_profile": {"notes": "weekly, by the data team"},
            },
        },
        "model_review": {
            "selected": [],
            "not_applicable": True,
            "notes": "a batch scorer",
            "reason": "ARCHITECTURE_CONSTRAINTS",
        },
    },
}


def test_reasons_and_practice_statuses_are_read_and_written_back_byte_for_byte() -> None:
    state = parse_state(MARKED, KB)
    assert state.answers["model_review"].reason == "ARCHITECTURE_CONSTRAINTS"
    # Kept in the question's order (profile before version), whatever the file's order.
    assert state.answers["data_quality"].choices == {
        "data_quality_profile": ChoiceAnswer(False, "OUT_OF_SCOPE", "weekly, by the data team"),
        "data_quality_version": ChoiceAnswer(True, "BUSINESS_PRIORITIES", ""),
    }
    text = state.to_json(KB)
    again = parse_state_text(text, KB)
    assert again.answers == state.answers and again.to_json(KB) == text
    written = json.loads(text)["answers"]
    assert written["data_quality"]["choices"] == {
        "data_quality_profile": {"notes": "weekly, by the data team"},
        "data_quality_version": {"status": "not_applicable", "reason": "BUSINESS_PRIORITIES"},
    }
    assert written["model_review"]["reason"] == "ARCHITECTURE_CONSTRAINTS"


def test_the_default_reason_is_not_written_and_a_file_without_reasons_is_unchanged() -> None:
    plain = {"selected": [], "not_applicable": True, "notes": ""}
    named = {**plain, "reason": "OUT_OF_SCOPE"}
    for answer in (plain, named):
        state = parse_state({"version": VERSION, "answers": {"model_review": answer}}, KB)
        assert state.answers["model_review"] == Answer((), True, "")
        assert state.answers["model_review"].not_applicable_reason == "OUT_OF_SCOPE"
        assert json.loads(state.to_json(KB))["answers"]["model_review"] == plain
    # A practice marked not applicable without a reason has the default, written out.
    data = {"choices": {"model_review_bias": {"status": "not_applicable"}}}
    state = parse_state({"version": VERSION, "answers": {"model_review": data}}, KB)
    assert json.loads(state.to_json(KB))["answers"]["model_review"]["choices"] == {
        "model_review_bias": {"status": "not_applicable", "reason": "OUT_OF_SCOPE"}
    }


def test_a_question_with_only_a_practice_marked_is_kept() -> None:
    data = {"choices": {"endpoint_scaling_test": {"status": "not_applicable", "reason": "OTHER"}}}
    state = parse_state({"version": VERSION, "answers": {"endpoint_scaling": data}}, KB)
    assert not state.answers["endpoint_scaling"].answered
    assert "endpoint_scaling" in json.loads(state.to_json(KB))["answers"]


@pytest.mark.parametrize(
    ("answer", "problems"),
    [
        (
            {"selected": [], "not_applicable": True, "reason": "NOT_RELEVANT"},
            [
                "answers.model_review.reason: must be one of OUT_OF_SCOPE, BUSINESS_PRIORITIES, "
                'ARCHITECTURE_CONSTRAINTS, OTHER, NONE (got "NOT_RELEVANT")'
            ],
        ),
        (
            {"selected": ["model_review_metrics"], "reason": "OTHER"},
            [
                "answers.model_review.reason: a reason is for a question marked not applicable (not_applicable)"
            ],
        ),
        (
            {
                "selected": ["model_review_metrics", "model_review_bias"],
                "choices": {"model_review_bias": {"status": "not_applicable", "reason": "OTHER"}},
            },
            [
                "answers.model_review.choices.model_review_bias: the practice is both selected and marked "
                "not applicable"
            ],
        ),
        (
            {
                "choices": {
                    "model_review_magic": {"status": "not_applicable"},
                    "model_review_no": {"status": "not_applicable"},
                    "model_review_metrics": {"status": "selected", "owner": "Ana"},
                    "model_review_bias": {"reason": "OTHER"},
                    "model_review_signoff": {"status": "not_applicable", "reason": 3, "notes": "x" * 251},
                }
            },
            [
                "answers.model_review.choices.model_review_magic: unknown practice for this question",
                "answers.model_review.choices.model_review_no: unknown practice for this question",
                "answers.model_review.choices.model_review_metrics.status: must be 'not_applicable' (a "
                'selected practice is in selected), not "selected"',
                "answers.model_review.choices.model_review_metrics.owner: unknown field",
                "answers.model_review.choices.model_review_bias.reason: a reason is for a practice marked "
                "not applicable (status)",
                "answers.model_review.choices.model_review_signoff.reason: must be one of OUT_OF_SCOPE, "
                "BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER, NONE (got 3)",
                "answers.model_review.choices.model_review_signoff.notes: 251 characters; the WA Tool keeps "
                "at most 250 on a practice",
            ],
        ),
        (
            # The API counts UTF-16 units: 125 emoji are 250 (fine), 126 are 252.
            {"choices": {"model_review_bias": {"notes": "\U0001f600" * 126}}},
            [
                "answers.model_review.choices.model_review_bias.notes: 252 characters; the WA Tool keeps at "
                "most 250 on a practice"
            ],
        ),
        (
            {"choices": ["model_review_bias"]},
            ["answers.model_review.choices: must be an object, not a list"],
        ),
    ],
)
def test_bad_reasons_and_statuses_are_named(answer: dict[str, Any], problems: list[str]) -> None:
    with pytest.raises(StateError) as raised:
        parse_state({"version": VERSION, "answers": {"model_review": answer}}, KB)
    assert raised.value.problems == problems


def test_notes_of_250_utf16_units_are_kept() -> None:
    data = {"choices": {"model_review_bias": {"notes": "\U0001f600" * 125}}}
    state = parse_state({"version": VERSION, "answers": {"model_review": data}}, KB)
    assert state.answers["model_review"].choices["model_review_bias"].notes == "\U0001f600" * 125


def test_moved_practices_carry_their_marks_as_ticks_are_carried() -> None:
    """The fixture's moves: model_review_data_checks went to data_quality_profile (another question),
    model_review_fairness was renamed model_review_bias, endpoint_scaling_manual is no longer asked, and
    the question release_gates is now model_review."""
    old: dict[str, Any] = {
        "version": 3,
        "answers": {
            "release_gates": {
                "selected": ["model_review_metrics"],
                "not_applicable": False,
                "notes": "",
                "choices": {
                    "model_review_data_checks": {
                        "status": "not_applicable",
                        "reason": "OTHER",
                        "notes": "n/a",
                    },
                    "model_review_fairness": {"status": "not_applicable", "reason": "BUSINESS_PRIORITIES"},
                },
            },
            "endpoint_scaling": {
                "selected": ["endpoint_scaling_auto"],
                "choices": {"endpoint_scaling_manual": {"notes": "we scale by hand"}},
            },
        },
    }
    state = parse_state(old, KB)
    assert state.answers["model_review"].choices == {
        "model_review_bias": ChoiceAnswer(True, "BUSINESS_PRIORITIES", "")
    }
    assert state.answers["data_quality"].choices == {
        "data_quality_profile": ChoiceAnswer(True, "OTHER", "n/a")
    }
    assert state.answers["endpoint_scaling"].choices == {}
    assert (
        "'model_review_fairness' is now 'model_review_bias' in the same question; its mark went with it"
        in (state.warnings)
    )
    assert any(w.startswith("'model_review_data_checks' moved to the question") for w in state.warnings)
    assert any(
        w.startswith("'endpoint_scaling_manual' is no longer asked") and "what it was marked was dropped" in w
        for w in state.warnings
    )
    # Where the practice's new question ticks it already, the tick wins (a practice is one or the other).
    old["answers"]["data_quality"] = {"selected": ["data_quality_profile"]}
    state = parse_state(old, KB)
    assert state.answers["data_quality"] == Answer(("data_quality_profile",))
    assert any("the tick wins over its not-applicable mark" in w for w in state.warnings)


def test_a_practice_marked_not_applicable_is_neither_missing_nor_recommended() -> None:
    """model_review: metrics && bias is no risk, else high. With bias marked not applicable, metrics alone
    is no risk (the rule is read over the practices that apply, as the WA Tool leaves such a choice out)."""
    plain = {"selected": ["model_review_metrics"], "not_applicable": False, "notes": ""}
    before = assess(KB, parse_state({"version": VERSION, "answers": {"model_review": plain}}, KB))
    marked = {**plain, "choices": {"model_review_bias": {"status": "not_applicable", "reason": "OTHER"}}}
    after = assess(KB, parse_state({"version": VERSION, "answers": {"model_review": marked}}, KB))
    (was,) = [q for q in before["questions"] if q["id"] == "model_review"]
    (now,) = [q for q in after["questions"] if q["id"] == "model_review"]
    assert was["risk"] == "high" and now["risk"] == "none"
    assert [p["choice"] for p in was["missing"]] == ["model_review_bias", "model_review_signoff"]
    assert [p["choice"] for p in now["missing"]] == ["model_review_signoff"]  # bias is not missing
    assert "set_aside" not in was and "set_aside_text" not in was
    assert now["set_aside"] == [
        {
            "choice": "model_review_bias",
            "title": KB.checklist.question("model_review").choices[1].title,  # type: ignore[union-attr]
            "reason": "OTHER",
            "label": "Other",
            "notes": "",
            "text": "not applicable: Other",
        }
    ]
    assert now["set_aside_text"].startswith("Marked not applicable, so neither in place nor missing")
    assert now["set_aside_text"].endswith("(Other).")
    # Still at risk (signoff alone), the marked practice is not recommended; the others are.
    risky = {**marked, "selected": ["model_review_signoff"]}
    result = assess(KB, parse_state({"version": VERSION, "answers": {"model_review": risky}}, KB))
    (question,) = [q for q in result["questions"] if q["id"] == "model_review"]
    assert question["risk"] == "high"
    assert [p["choice"] for p in question["missing"]] == ["model_review_metrics"]
    assert [r["choice"] for r in result["recommendations"] if r["question"] == "model_review"] == [
        "model_review_metrics"
    ]


def test_the_report_says_which_practices_are_not_applicable_and_why_the_question_is_not() -> None:
    text = report.FORMATS["markdown"](assess(KB, parse_state(MARKED, KB)))
    version = KB.checklist.question("data_quality").choices[1].title  # type: ignore[union-attr]
    assert f"  - Practices marked not applicable: {version} (Business priorities)\n" in text
    assert "  - Marked not applicable by the team (Architecture constraints)\n" in text
    # The default reason says nothing new: the line reads as it always did.
    plain = {"version": VERSION, "answers": {"model_review": {"selected": [], "not_applicable": True}}}
    assert "  - Marked not applicable by the team\n" in report.FORMATS["markdown"](
        assess(KB, parse_state(plain, KB))
    )


def test_a_milestone_comparison_names_the_practices_marked_not_applicable_since_and_those_that_apply_again() -> (
    None
):
    from checklist import compare

    milestone = parse_state(MARKED, KB)
    later = json.loads(json.dumps(MARKED))
    choices = later["answers"]["data_quality"]["choices"]
    del choices["data_quality_version"]  # applies again
    choices["data_quality_lineage"] = {"status": "not_applicable", "reason": "OTHER"}
    comparison = compare.compare(KB, milestone, parse_state(later, KB), since="Q3 review")
    assert (comparison["set_aside"], comparison["applies_again"]) == (1, 1)
    texts = [item["text"] for section in compare.sections(comparison) for item in section["items"]]
    title = {c.id: c.title for q in KB.checklist.questions for c in q.choices}  # type: ignore[union-attr]
    assert f"Marked not applicable: {title['data_quality_lineage']} (Other)" in texts
    assert f"Applies again: {title['data_quality_version']}" in texts
    assert comparison["summary_text"].endswith("; 1 practice marked not applicable, 1 applying again.")
    markdown = compare.to_markdown(comparison)
    assert f"- Applies again: {title['data_quality_version']}" in markdown


def test_a_mark_renamed_in_its_question_gives_way_to_a_tick_or_to_the_new_id_s_own_mark() -> None:
    """model_review_fairness is now model_review_bias (engine-kb.yml): a file saved before the rename still
    opens, as it does where the practice moved to another question."""
    ticked = {
        "selected": ["model_review_bias"],
        "choices": {"model_review_fairness": {"status": "not_applicable"}},
    }
    state = parse_state({"version": VERSION, "answers": {"model_review": ticked}}, KB)
    assert state.answers["model_review"].selected == ("model_review_bias",)
    assert state.answers["model_review"].choices == {}
    assert "the tick wins over its not-applicable mark" in state.warnings[0]
    both = {
        "selected": [],
        "choices": {"model_review_fairness": {"notes": "a"}, "model_review_bias": {"notes": "b"}},
    }
    state = parse_state({"version": VERSION, "answers": {"model_review": both}}, KB)
    assert state.answers["model_review"].choices == {"model_review_bias": ChoiceAnswer(notes="b")}
    assert "has a mark of its own" in state.warnings[0]


def test_a_mark_carried_to_another_question_keeps_the_mark_already_there_and_says_so() -> None:
    """model_review_data_checks moved to data_quality as data_quality_profile (engine-kb.yml)."""
    answers = {
        "model_review": {"selected": [], "choices": {"model_review_data_checks": {"notes": "old"}}},
        "data_quality": {"selected": [], "choices": {"data_quality_profile": {"notes": "new"}}},
    }
    state = parse_state({"version": VERSION, "answers": answers}, KB)
    assert state.answers["data_quality"].choices == {"data_quality_profile": ChoiceAnswer(notes="new")}
    assert any("has a mark of its own" in warning for warning in state.warnings)

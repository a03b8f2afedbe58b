"""Scope ("About this workload") and the state file's history, on the engine's fixture KB.

The fixture's scope: endpoint_scaling applies only with real-time endpoints; the practice model_review_bias
only with personal data. Its moved ids: a practice moved to another question, one renamed in place, one
no longer asked, and a question renamed. The last test reads the real KB: practices merged there keep
old answers working.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_PATH

from checklist.assess import assess
from checklist.errors import StateError
from checklist.migrate import VERSION
from checklist.state import parse_state
from sitebuilder import kbfile

KB = kbfile.load(Path(__file__).parent / "fixtures" / "engine-kb.yml")


def state(
    answers: dict[str, list[str]], scope: dict[str, str] | None = None, version: int = 2
) -> dict[str, Any]:
    data: dict[str, Any] = {"version": version, "answers": {q: {"selected": s} for q, s in answers.items()}}
    if scope is not None:
        data["scope"] = scope
    return data


def test_the_default_scope_keeps_everything() -> None:
    result = assess(KB, parse_state(state({"endpoint_scaling": ["endpoint_scaling_no"]}), KB))
    assert result["scope"]["questions"] == [] and result["scope"]["choices"] == []
    assert result["scope"]["text"] == "Every question applies to this workload."
    assert [q["risk"] for q in result["questions"] if q["id"] == "endpoint_scaling"] == ["high"]


def test_an_out_of_scope_question_is_not_applicable_with_its_reason() -> None:
    data = state({"endpoint_scaling": ["endpoint_scaling_no"]}, {"inference_mode": "batch_only"})
    result = assess(KB, parse_state(data, KB))
    (question,) = [q for q in result["questions"] if q["id"] == "endpoint_scaling"]
    assert (question["risk"], question["reason"]) == ("not_applicable", "out of scope: Batch jobs only")
    assert not [r for r in result["recommendations"] if r["question"] == "endpoint_scaling"]
    assert result["scope"]["questions"] == ["endpoint_scaling"]
    assert (
        result["scope"]["text"]
        == "The scope leaves out 1 question of 3 and 0 practices in the questions that remain."
    )
    assert result["summary"]["not_applicable"] == 1


def test_an_out_of_scope_practice_is_hidden_neutral_in_the_rules_and_not_recommended() -> None:
    data = state({"model_review": ["model_review_metrics"]}, {"data_sensitivity": "no_sensitive_data"})
    result = assess(KB, parse_state(data, KB))
    assert result["scope"]["choices"] == ["model_review_bias"]
    # metrics && bias gives no risk: bias does not apply, so it is neutral and metrics alone decides.
    assert [q["risk"] for q in result["questions"] if q["id"] == "model_review"] == ["none"]
    in_scope = assess(KB, parse_state(state({"model_review": ["model_review_metrics"]}), KB))
    assert [q["risk"] for q in in_scope["questions"] if q["id"] == "model_review"] == ["high"]
    assert "model_review_bias" in [r["choice"] for r in in_scope["recommendations"]]


def test_scope_is_checked_and_written_only_when_not_the_default() -> None:
    with pytest.raises(StateError) as caught:
        parse_state(state({}, {"inference_mode": "streaming", "colour": "red"}), KB)
    assert caught.value.problems == [
        'scope.inference_mode: must be one of realtime_inference, batch_only (got "streaming")',
        "scope.colour: unknown scope question",
    ]
    parsed = parse_state(
        state({}, {"inference_mode": "realtime_inference", "data_sensitivity": "no_sensitive_data"}), KB
    )
    assert parsed.to_dict(KB)["scope"] == {"data_sensitivity": "no_sensitive_data"}


def test_a_version_1_file_opens_and_is_saved_as_the_current_version() -> None:
    old = json.loads((Path(__file__).parent / "fixtures" / "states" / "early.json").read_text())
    assert old["version"] == 1 and "scope" not in old
    parsed = parse_state(old, KB)
    saved = json.loads(parsed.to_json(KB))
    assert saved["version"] == VERSION == 4
    assert saved["scope"] == {}
    assert saved["answers"] == old["answers"]
    assert parsed.warnings == ()


def test_moved_ids_keep_old_answers_working_and_say_what_moved() -> None:
    old = {
        "version": 1,
        "answers": {
            "release_gates": {
                "selected": ["model_review_metrics", "model_review_fairness", "model_review_data_checks"]
            },
            "endpoint_scaling": {"selected": ["endpoint_scaling_auto", "endpoint_scaling_manual"]},
        },
    }
    parsed = parse_state(old, KB)
    assert parsed.answers["model_review"].selected == ("model_review_metrics", "model_review_bias")
    assert parsed.answers["data_quality"].selected == ("data_quality_profile",)
    assert parsed.answers["endpoint_scaling"].selected == ("endpoint_scaling_auto",)
    assert "release_gates" not in parsed.answers
    assert parsed.warnings == (
        "question 'release_gates' is now 'How do you review models before release?': its answer moved there",
        "'endpoint_scaling_manual' is no longer asked (Manual scaling is no longer asked about.); its tick was dropped",
        "'model_review_fairness' is now 'model_review_bias' in the same question",
        "'model_review_data_checks' moved to the question 'How do you keep training data sound?'; its tick went with it",
    )


def test_a_moved_tick_does_not_override_none_of_these_where_it_lands() -> None:
    old = state(
        {"model_review": ["model_review_data_checks"], "data_quality": ["data_quality_no"]}, version=1
    )
    parsed = parse_state(old, KB)
    assert parsed.answers["data_quality"].selected == ("data_quality_no",)
    assert parsed.answers["model_review"].selected == ()
    assert "review that question" in parsed.warnings[0]


def test_the_same_old_file_gives_the_same_state_every_time() -> None:
    old = state(
        {"release_gates": ["model_review_fairness"], "model_review": ["model_review_signoff"]}, version=1
    )
    first, second = parse_state(old, KB), parse_state(old, KB)
    assert first == second
    assert old["answers"] == {  # the input is not changed in place
        "release_gates": {"selected": ["model_review_fairness"]},
        "model_review": {"selected": ["model_review_signoff"]},
    }


def test_a_scoped_workload_exports_its_own_lens() -> None:
    from checklist import lens

    data = state({}, {"inference_mode": "batch_only", "data_sensitivity": "no_sensitive_data"})
    document = lens.build(KB, parse_state(data, KB))
    questions = {q["id"]: q for p in document["pillars"] for q in p["questions"]}
    assert "endpoint_scaling" not in questions  # out of scope: and pillar_two is left with no question
    assert [p["id"] for p in document["pillars"]] == ["pillarOne"]
    review = questions["model_review"]
    assert [c["id"] for c in review["choices"]] == [
        "model_review_metrics",
        "model_review_signoff",
        "model_review_no",
    ]
    # "metrics && bias" with bias out of scope (neutral: neither missing nor in place) is "metrics".
    assert review["riskRules"] == [
        {"condition": "model_review_metrics", "risk": "NO_RISK"},
        {"condition": "default", "risk": "HIGH_RISK"},
    ]
    assert lens.problems(document) == []
    assert lens.build(KB) == lens.build(KB, parse_state(state({}), KB))  # the default scope changes nothing


@pytest.mark.parametrize(
    ("condition", "out", "expected"),
    [
        ("a && (b || c)", {"b"}, "a && c"),
        ("a && b", {"a", "b"}, None),
        ("!a || b", {"a"}, "b"),
        ("a || b", {"c"}, "a || b"),
        ("!(a && b) && c", {"a"}, "!b && c"),
        ("!a", {"a"}, None),
        ("(a || b) && !c", set(), "(a || b) && !c"),
        ("a && (b || (c && d))", {"b"}, "a && c && d"),
        ("default", {"a"}, "default"),
    ],
)
def test_conditions_lose_their_out_of_scope_practices_as_the_engine_reads_them(
    condition: str, out: set[str], expected: str | None
) -> None:
    # The workload's custom lens leaves its out-of-scope practices out, so its rules are rewritten
    # without them; the rewrite holds exactly when the engine's in-scope reading does.
    from itertools import chain, combinations

    from checklist.rules import drop, parse, to_text

    tree = parse(condition)
    result = drop(tree, frozenset(out))
    assert (None if result is None else to_text(result)) == expected
    if result is not None:
        assert parse(to_text(result)) == result  # what is written parses back to the same tree
    names = sorted(set(tree.ids()))
    for selected in chain.from_iterable(combinations(names, n) for n in range(len(names) + 1)):
        ticked = frozenset(selected)
        written = result is not None and result.holds(ticked)
        assert tree.holds_in_scope(ticked, frozenset(out)) == written


# --- progress counts the questions in scope (issue 28: the left-out ones counted as answered) -------------


def test_progress_counts_answered_among_the_questions_in_scope_and_says_how_many_are_left_out() -> None:
    # Answering the left-out question (a saved answer from before the scope changed) does not count it.
    data = state({"endpoint_scaling": ["endpoint_scaling_no"]}, {"inference_mode": "batch_only"})
    totals = assess(KB, parse_state(data, KB))["summary"]
    assert (totals["answered"], totals["total"], totals["left_out"]) == (0, 2, 1)
    assert totals["text"] == "0 of 2 questions answered · 1 left out by the workload's scope"
    data["answers"]["data_quality"] = {"selected": ["data_quality_profile"]}
    totals = assess(KB, parse_state(data, KB))["summary"]
    assert totals["text"] == "1 of 2 questions answered · 1 left out by the workload's scope"


def test_progress_names_no_left_out_questions_when_the_scope_keeps_them_all() -> None:
    totals = assess(KB, parse_state(state({}), KB))["summary"]
    assert (totals["answered"], totals["total"], totals["left_out"]) == (0, 3, 0)
    assert totals["text"] == "0 of 3 questions answered"
    # A question the user marks not applicable is answered (their word), unlike one the scope leaves out.
    data = state({})
    data["answers"]["data_quality"] = {"selected": [], "not_applicable": True}
    assert assess(KB, parse_state(data, KB))["summary"]["text"] == "1 of 3 questions answered"


# --- the real KB's merged practices (issue 23: each ML Lens practice asked once) ---------------------------


def test_answers_on_practices_merged_in_the_real_kb_land_on_what_replaced_them_and_say_so() -> None:
    """A file saved before the merge ticks two retired practices: one merged within its question, one moved
    to another pillar's question. Both ticks land where the practice is now asked, nothing doubles, the
    user is told each move, and the merged question's risk follows its rewritten rules."""
    real = kbfile.load(KB_PATH)
    assert real.checklist is not None
    titles = {q.id: q.title for q in real.checklist.questions}
    old = state(
        {
            "sec_threat_detection": ["sec_threat_detection_guardduty", "sec_threat_detection_access_logs"],
            "sus_lean_training": ["sus_lean_training_reuse", "sus_lean_training_efficient_tuning"],
        },
        version=3,
    )
    parsed = parse_state(old, real)
    assert parsed.answers["sec_threat_detection"].selected == ("sec_threat_detection_guardduty",)
    assert parsed.answers["sus_lean_training"].selected == ("sus_lean_training_reuse",)
    assert parsed.answers["cost_training_compute"].selected == ("cost_training_compute_tuning",)
    assert parsed.warnings == (
        "'sec_threat_detection_access_logs' is now 'sec_threat_detection_guardduty' in the same question",
        f"'sus_lean_training_efficient_tuning' moved to the question '{titles['cost_training_compute']}'; "
        "its tick went with it",
    )
    result = assess(real, parsed)
    risks = {q["id"]: q["risk"] for q in result["questions"]}
    # Detection without a rehearsed response is a medium risk; the playbook is what is left to do.
    assert risks["sec_threat_detection"] == "medium"
    assert "sec_threat_detection_playbook" in [r["choice"] for r in result["recommendations"]]
    retired = {"sec_threat_detection_access_logs", "sus_lean_training_efficient_tuning"}
    assert not retired & {r["choice"] for r in result["recommendations"]}
    assert result["warnings"] == list(parsed.warnings)  # the report tells the user too


def test_a_file_from_before_the_genai_lens_keeps_its_answers_and_its_guardrails_tick_moves_to_the_lens() -> (
    None
):
    """Issue 24: a state saved before the Generative AI Lens joined the KB ticked the ML checklist's one
    generative AI practice (guardrails). It loads with every answer kept; the guardrails tick lands on the
    GenAI question that now asks it, the user is told, and the GenAI questions it never saw are unanswered."""
    real = kbfile.load(KB_PATH)
    assert real.checklist is not None
    titles = {q.id: q.title for q in real.checklist.questions}
    old = state(
        {
            "sec_model_protection": [
                "sec_model_protection_endpoint_auth",
                "sec_model_protection_fm_guardrails",
            ],
            "oe_data_quality": ["oe_data_quality_profiling"],
        },
        version=3,
    )
    old["scope"] = {"generative_ai": "uses_generative_ai"}
    parsed = parse_state(old, real)
    assert parsed.answers["sec_model_protection"].selected == ("sec_model_protection_endpoint_auth",)
    assert parsed.answers["oe_data_quality"].selected == ("oe_data_quality_profiling",)
    assert parsed.answers["sec_gen_misuse"].selected == ("sec_gen_misuse_output_guardrails",)
    assert parsed.warnings == (
        f"'sec_model_protection_fm_guardrails' moved to the question '{titles['sec_gen_misuse']}'; "
        "its tick went with it",
    )
    result = assess(real, parsed)
    risks = {q["id"]: q for q in result["questions"]}
    assert risks["sec_gen_misuse"]["lens"] == "generative_ai"
    assert risks["oe_gen_quality"]["risk"] == "unanswered"  # new questions wait for an answer

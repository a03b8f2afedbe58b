"""Scope never hides risk (issue 23): properties over every combination of the real KB's scope answers.

A practice the scope leaves out is neutral in its question's risk rules (checklist.rules). So, for every
workload the scope questions can describe and every question it keeps: "None of these" is never "no
risk", ticking one more practice never raises the risk, and ticking every practice in scope reaches the
question's lowest rung. A question whose rules name no practice left in scope is out of scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, combinations, product
from pathlib import Path
from typing import Any

import pytest

from checklist import lens
from checklist.assess import assess, question_risk
from checklist.knowledge import KnowledgeBase, Question
from checklist.report import to_markdown
from checklist.scope import NO_RULE_LEFT, scope_of
from checklist.state import Answer, State, parse_state
from sitebuilder import kbfile

ROOT = Path(__file__).parent.parent
KB = kbfile.load(ROOT / "docs" / "knowledge-base.yml")
ORDER = {"none": 0, "medium": 1, "high": 2}


def combinations_of_scope(kb: KnowledgeBase) -> Iterator[dict[str, str]]:
    """Every answer to every scope question, contradictory ones included."""
    assert kb.checklist is not None
    questions = kb.checklist.scope
    for options in product(*[[option.id for option in q.options] for q in questions]):
        yield {q.id: option for q, option in zip(questions, options, strict=True)}


def subsets(ids: list[str]) -> Iterator[tuple[str, ...]]:
    return chain.from_iterable(combinations(ids, n) for n in range(len(ids) + 1))


def risk(question: Question, ticked: tuple[str, ...], out: frozenset[str]) -> str:
    return question_risk(question, Answer(ticked or (question.none_choice,)), out)


def test_the_real_kb_has_the_scope_this_test_walks() -> None:
    assert KB.checklist is not None
    combos = list(combinations_of_scope(KB))
    assert (
        len(combos) == 2 ** len(KB.checklist.scope) == 128
    )  # seven questions of two options (agents and multi_agent: issue 25)


def test_scope_never_hides_risk_for_any_workload_or_question() -> None:
    """(a) "None of these" is never "no risk"; (b) one more tick never raises the risk; (c) every practice
    in scope ticked gives the question's lowest rung. Every subset of each question's practices in scope
    (at most 2**6), for each of the 128 workloads."""
    assert KB.checklist is not None
    failures: list[str] = []
    checked = 0
    for combo in combinations_of_scope(KB):
        scope = scope_of(KB.checklist, State(scope=combo))
        out = frozenset(scope.choices)
        where = "+".join(scope.chosen[q] for q in combo)
        for question in KB.checklist.questions:
            if question.id in scope.questions:
                continue
            in_scope = [c.id for c in question.choices if c.id not in out]
            risks = {ticked: risk(question, ticked, out) for ticked in subsets(in_scope)}
            checked += 1
            if risks[()] == "none":
                failures.append(f"{where}: {question.id}: 'None of these' gives no risk")
            for ticked, level in risks.items():
                for more in in_scope:
                    if more in ticked:
                        continue
                    after = risks[tuple(c for c in in_scope if c in ticked or c == more)]
                    if ORDER[after] > ORDER[level]:
                        failures.append(
                            f"{where}: {question.id}: {ticked} + {more} raises {level} to {after}"
                        )
            lowest = min((rule.risk for rule in question.risk_rules), key=ORDER.__getitem__)
            if risks[tuple(in_scope)] != lowest:
                failures.append(
                    f"{where}: {question.id}: every practice ticked gives {risks[tuple(in_scope)]}"
                )
    assert failures == []
    assert checked > 128 * 20  # most questions stay in scope for most workloads: the walk is not empty


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        ("perf_data_access", {"model_source": "prebuilt_ai_only"}),
        ("oe_model_monitoring", {"model_source": "prebuilt_ai_only"}),
        ("sec_model_protection", {"model_source": "prebuilt_ai_only"}),
        ("perf_explainability", {"model_source": "prebuilt_ai_only"}),
        ("sec_data_protection", {"data_sensitivity": "no_sensitive_data"}),
        ("cost_inference_spend", {"inference_mode": "batch_only"}),
        ("rel_endpoint_resilience", {"inference_mode": "realtime_inference"}),
    ],
)
def test_none_of_these_reports_the_high_risk_the_scope_used_to_hide(
    question: str, scope: dict[str, str]
) -> None:
    # The review's S1 cases: "no risk" (the first two named by the issue) or "never high" before.
    data = {"version": 3, "scope": scope, "answers": {question: {"selected": [f"{question}_no"]}}}
    result = assess(KB, parse_state(data, KB))
    (found,) = [q for q in result["questions"] if q["id"] == question]
    assert (found["risk"], found["reason"]) == ("high", "")
    assert found["missing"], "the plan says what is missing"


def test_a_batch_only_workload_is_not_asked_about_keeping_endpoints_available() -> None:
    # Its one practice left in scope could not change the risk (S3): the question is out of scope.
    data = {"version": 3, "scope": {"inference_mode": "batch_only"}, "answers": {}}
    result = assess(KB, parse_state(data, KB))
    (found,) = [q for q in result["questions"] if q["id"] == "rel_endpoint_resilience"]
    assert (found["risk"], found["reason"]) == ("not_applicable", "out of scope: Batch jobs only")


# --- a question whose rules name no practice left in scope (the engine's fixture KB) -------------------

FIXTURE = (ROOT / "tests" / "fixtures" / "engine-kb.yml").read_text()
RULE = "    - condition: model_review_metrics && model_review_bias\n"


def fixture_with_rule(condition: str) -> KnowledgeBase:
    assert FIXTURE.count(RULE) == 1
    return kbfile.load_text(FIXTURE.replace(RULE, f"    - condition: {condition}\n"), "engine-kb.yml")


def state(answers: dict[str, list[str]], scope: dict[str, str]) -> dict[str, Any]:
    return {"version": 3, "scope": scope, "answers": {q: {"selected": s} for q, s in answers.items()}}


def test_a_question_no_practice_in_scope_can_move_is_out_of_scope_with_the_engine_s_reason() -> None:
    kb = fixture_with_rule("model_review_bias")  # only a practice for personal data decides its risk
    data = state({"model_review": ["model_review_no"]}, {"data_sensitivity": "no_sensitive_data"})
    result = assess(kb, parse_state(data, kb))
    (found,) = [q for q in result["questions"] if q["id"] == "model_review"]
    assert found["risk"] == "not_applicable"
    assert found["reason"] == f"out of scope: No personal data; {NO_RULE_LEFT}"
    assert "model_review" in result["scope"]["questions"]
    assert not [r for r in result["recommendations"] if r["question"] == "model_review"]
    document = lens.build(kb, parse_state(data, kb))
    assert "model_review" not in [q["id"] for p in document["pillars"] for q in p["questions"]]
    # With personal data the practice applies, and "None of these" is high risk.
    kept = assess(kb, parse_state(state({"model_review": ["model_review_no"]}, {}), kb))
    assert [q["risk"] for q in kept["questions"] if q["id"] == "model_review"] == ["high"]


def test_an_out_of_scope_practice_earns_no_alternative() -> None:
    # "metrics || bias" once held for any answer when bias was out of scope (counted as in place).
    kb = fixture_with_rule("model_review_metrics || model_review_bias")
    scope = {"data_sensitivity": "no_sensitive_data"}
    for ticked, expected in ((["model_review_no"], "high"), (["model_review_signoff"], "high")):
        result = assess(kb, parse_state(state({"model_review": ticked}, scope), kb))
        assert [q["risk"] for q in result["questions"] if q["id"] == "model_review"] == [expected]
    result = assess(kb, parse_state(state({"model_review": ["model_review_metrics"]}, scope), kb))
    assert [q["risk"] for q in result["questions"] if q["id"] == "model_review"] == ["none"]


# --- a contradictory scope: pre-built AI services only, yet self-managed compute -------------------------

HOSTING_NOTE = (
    "Not asked with “It only calls pre-built AI services (no training or hosting of its own)”: it counts "
    "as “Only on managed services such as Amazon SageMaker AI”."
)


def test_hosting_is_not_asked_of_a_pre_built_only_workload_and_counts_as_managed_only() -> None:
    data = state({"cost_value_case": ["cost_value_case_no"]}, {"model_source": "prebuilt_ai_only"})
    result = assess(KB, parse_state(data, KB))
    hosting = {c["question"]: c for c in result["scope"]["chosen"]}["hosting"]
    assert (hosting["option"], hosting["not_asked"]) == ("managed_only", HOSTING_NOTE)
    # S2: it is no longer told to move training and hosting off self-managed clusters it does not have.
    assert "cost_value_case_managed" in result["scope"]["choices"]
    assert "cost_value_case_managed" not in [r["choice"] for r in result["recommendations"]]
    record = to_markdown(result)  # the review record says it too
    assert (
        f"| Where does its ML compute run? | Only on managed services such as Amazon SageMaker AI {HOSTING_NOTE} |"
        in record
    )
    asked = assess(KB, parse_state(state({"cost_value_case": ["cost_value_case_no"]}, {}), KB))
    assert {c["question"]: c["not_asked"] for c in asked["scope"]["chosen"]}["hosting"] == ""
    assert "cost_value_case_managed" in [r["choice"] for r in asked["recommendations"]]


@pytest.mark.parametrize("version", [2, 3])
def test_a_saved_contradictory_scope_still_opens_resolved_and_the_user_is_told(version: int) -> None:
    for scope in (
        {"model_source": "prebuilt_ai_only"},  # self-managed by default: a file the CLI saved
        {"model_source": "prebuilt_ai_only", "hosting": "self_managed_compute"},  # as the page saves it
    ):
        data = {"version": version, "scope": scope, "answers": {}}
        parsed = parse_state(data, KB)
        assert parsed.warnings == (
            "the scope question “Where does its ML compute run?” had “At least partly on self-managed "
            f"compute (Amazon EKS or EC2)”, which does not fit the answers before it. {HOSTING_NOTE}",
        )
        saved = parsed.to_dict(KB)
        assert saved["scope"] == {"hosting": "managed_only", "model_source": "prebuilt_ai_only"}
        assert parse_state(saved, KB).warnings == ()  # brought up to date once
    fitting = parse_state({"version": 3, "scope": {"hosting": "managed_only"}, "answers": {}}, KB)
    assert fitting.warnings == () and fitting.scope == {"hosting": "managed_only"}


def test_the_checklist_page_says_what_a_practice_outside_the_scope_means_for_risk() -> None:
    from checklist.scope import RISK_IN_SCOPE
    from sitebuilder.pages import checklist_page

    page = checklist_page.render(KB, "checklist.md", "")
    ordered = page.split("## How the plan is ordered", 1)[1].split("## Use it elsewhere", 1)[0]
    assert RISK_IN_SCOPE in ordered
    assert '<fieldset class="kb-choices" data-scope-group="hosting">' in page
    assert '<fieldset class="kb-choices" data-scope-group="agents">' in page
    # Only the scope questions that may not be asked have a note: hosting, agents and multi_agent (issue 25).
    assert page.count("data-scope-note") == 3

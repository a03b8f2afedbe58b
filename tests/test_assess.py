"""The engine's rules: risk, recommendations, buckets, order, counts, and refusing invalid state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checklist.assess import assess
from checklist.state import MAX_BYTES, StateError, parse_state, parse_state_text
from sitebuilder import kbfile

FIXTURES = Path(__file__).parent / "fixtures"
KB = kbfile.load(FIXTURES / "engine-kb.yml")
REAL_KB = Path(__file__).parent.parent / "docs" / "knowledge-base.yml"


def state(answers: dict[str, Any] | None = None, **workload: Any) -> dict[str, Any]:
    return {"version": 1, "workload": workload, "answers": answers or {}}


def run(answers: dict[str, Any] | None = None, **workload: Any) -> dict[str, Any]:
    return assess(KB, parse_state(state(answers, **workload), KB))


def pick(*choices: str) -> dict[str, Any]:
    return {"selected": list(choices), "not_applicable": False, "notes": ""}


def risks(result: dict[str, Any]) -> dict[str, str]:
    return {q["id"]: q["risk"] for q in result["questions"]}


# --- risk ---------------------------------------------------------------------------------------------------


def test_unanswered_and_not_applicable() -> None:
    result = run(
        {
            "model_review": {"selected": [], "not_applicable": True, "notes": ""},
            "endpoint_scaling": {"selected": [], "not_applicable": False, "notes": "only a note"},
        }
    )
    assert risks(result) == {
        "data_quality": "unanswered",
        "model_review": "not_applicable",
        "endpoint_scaling": "unanswered",
    }


@pytest.mark.parametrize(
    ("selected", "risk"),
    [
        (
            ["data_quality_profile", "data_quality_version"],
            "none",
        ),  # first rule: profile && (version || lineage)
        (["data_quality_profile", "data_quality_lineage"], "none"),  # the parentheses at work
        (["data_quality_version", "data_quality_lineage"], "medium"),  # first rule fails without profile
        (["data_quality_profile"], "medium"),
        (["data_quality_catalog"], "high"),  # only default holds
        (["data_quality_no"], "high"),  # "None of these" answers the question
    ],
)
def test_first_rule_that_holds_sets_the_risk(selected: list[str], risk: str) -> None:
    assert risks(run({"data_quality": pick(*selected)}))["data_quality"] == risk


def test_not_applicable_wins_over_a_selection() -> None:
    answer = {"selected": ["data_quality_catalog"], "not_applicable": True, "notes": ""}
    assert risks(run({"data_quality": answer}))["data_quality"] == "not_applicable"


# --- recommendations, buckets and order ----------------------------------------------------------------------


def test_recommendations_are_the_missing_choices_of_risky_questions() -> None:
    result = run(
        {
            "data_quality": pick("data_quality_profile"),  # medium
            "model_review": pick("model_review_metrics", "model_review_bias"),  # none: no recommendations
            "endpoint_scaling": {"selected": [], "not_applicable": True, "notes": ""},  # n/a: none either
        }
    )
    assert [r["choice"] for r in result["recommendations"]] == [
        "data_quality_version",  # plan_long_term
        "data_quality_lineage",  # schedule_next
        "data_quality_catalog",  # consider_if_aligned
    ]
    assert [r["rank"] for r in result["recommendations"]] == [1, 2, 3]
    assert all(not r["choice"].endswith("_no") for r in result["recommendations"])


def test_none_of_these_recommends_every_choice() -> None:
    result = run({"model_review": pick("model_review_no")})
    assert [r["choice"] for r in result["recommendations"]] == [
        "model_review_metrics",
        "model_review_bias",
        "model_review_signoff",
    ]


def test_bucket_is_the_first_that_admits_impact_and_effort() -> None:
    result = run({"data_quality": pick("data_quality_no")})
    assert {r["choice"]: r["bucket"] for r in result["recommendations"]} == {
        "data_quality_profile": "implement_first",  # high, low
        "data_quality_version": "plan_long_term",  # high, high
        "data_quality_lineage": "schedule_next",  # medium, medium
        "data_quality_catalog": "consider_if_aligned",  # low, low
    }
    assert [(b["id"], b["count"]) for b in result["buckets"]] == [
        ("implement_first", 1),
        ("plan_long_term", 1),
        ("schedule_next", 1),
        ("consider_if_aligned", 1),
    ]


def test_order_within_a_bucket_impact_effort_risk_pillar_kb() -> None:
    answers = {
        "data_quality": pick("data_quality_profile"),  # medium risk, pillar one
        "model_review": pick("model_review_no"),  # high risk, pillar one
        "endpoint_scaling": pick("endpoint_scaling_no"),  # high risk, pillar two
    }
    first = [r["choice"] for r in run(answers)["recommendations"] if r["bucket"] == "implement_first"]
    # effort low before medium; among (high, low): high risk before medium risk is moot here, then pillar
    # order (KB order: one, two), then KB order of questions and choices.
    assert first == ["model_review_metrics", "endpoint_scaling_auto", "model_review_bias"]
    prioritized = run(answers, pillar_priorities=["pillar_two"])
    first = [r["choice"] for r in prioritized["recommendations"] if r["bucket"] == "implement_first"]
    assert first == ["endpoint_scaling_auto", "model_review_metrics", "model_review_bias"]


def test_question_risk_orders_equal_impact_and_effort() -> None:
    answers = {
        "data_quality": pick("data_quality_profile"),  # medium risk: version (high, high) missing
        "endpoint_scaling": pick("endpoint_scaling_auto"),  # medium risk: multi_az (high, high) missing
        "model_review": pick("model_review_no"),  # high risk
    }
    plan = run({**answers, "data_quality": pick("data_quality_catalog")})["recommendations"]  # now high
    long_term = [r["choice"] for r in plan if r["bucket"] == "plan_long_term"]
    assert long_term == ["data_quality_version", "endpoint_scaling_multi_az"]  # KB order
    answers["endpoint_scaling"] = pick("endpoint_scaling_no")  # high risk now, data quality medium
    long_term = [r["choice"] for r in run(answers)["recommendations"] if r["bucket"] == "plan_long_term"]
    assert long_term == ["endpoint_scaling_multi_az", "data_quality_version"]  # risk before pillar order


# The fixture with data quality at medium risk, and model review and endpoint scaling at high risk.
MIXED = {
    "data_quality": pick("data_quality_profile"),
    "model_review": pick("model_review_no"),
    "endpoint_scaling": pick("endpoint_scaling_no"),
}


@pytest.mark.parametrize(
    ("priorities", "order"),
    [
        (
            [],  # bucket, impact, effort, the question's risk, pillar KB order, KB order
            [
                "model_review_metrics",  # implement first: (high, low), high risk, pillar one
                "endpoint_scaling_auto",  # (high, low), high risk, pillar two
                "model_review_bias",  # (high, medium)
                "endpoint_scaling_multi_az",  # plan long term: high risk
                "data_quality_version",  # medium risk
                "endpoint_scaling_test",  # schedule next: (medium, low)
                "data_quality_lineage",  # (medium, medium)
                "model_review_signoff",  # consider if aligned: (low, low), high risk
                "data_quality_catalog",  # (low, low), medium risk
            ],
        ),
        (
            ["pillar_one"],  # in every bucket pillar one first, whatever the effort or the risk
            [
                "model_review_metrics",
                "model_review_bias",  # medium effort, before pillar two's low effort
                "endpoint_scaling_auto",
                "data_quality_version",  # medium risk, before pillar two's high risk
                "endpoint_scaling_multi_az",
                "data_quality_lineage",  # medium effort, before pillar two's low effort
                "endpoint_scaling_test",
                "model_review_signoff",  # then, within the pillar, risk as before
                "data_quality_catalog",
            ],
        ),
        (
            ["pillar_two", "pillar_one"],
            [
                "endpoint_scaling_auto",
                "model_review_metrics",
                "model_review_bias",
                "endpoint_scaling_multi_az",
                "data_quality_version",
                "endpoint_scaling_test",
                "data_quality_lineage",
                "model_review_signoff",
                "data_quality_catalog",
            ],
        ),
    ],
)
def test_full_order_bucket_then_priorities_then_impact_effort_risk_kb(
    priorities: list[str], order: list[str]
) -> None:
    plan = run(MIXED, pillar_priorities=priorities)["recommendations"]
    assert [r["choice"] for r in plan] == order
    assert KB.checklist is not None
    buckets = [r["bucket"] for r in plan]
    assert buckets == sorted(buckets, key=[b.id for b in KB.checklist.buckets].index)


def test_prioritized_pillars_lead_every_bucket_in_the_real_kb() -> None:
    kb = kbfile.load(REAL_KB)
    assert kb.checklist is not None
    nothing = {"version": 3, "answers": {q.id: pick(q.none_choice) for q in kb.checklist.questions}}
    plain = assess(kb, parse_state(nothing, kb))["recommendations"]
    nothing["workload"] = {"pillar_priorities": ["security"]}
    plan = assess(kb, parse_state(nothing, kb))["recommendations"]
    assert sorted(r["choice"] for r in plan) == sorted(r["choice"] for r in plain)  # the same work
    levels = {"high": 0, "medium": 1, "low": 2}
    risk = {"high": 0, "medium": 1}
    led = 0
    for bucket in kb.checklist.buckets:
        items = [r for r in plan if r["bucket"] == bucket.id]
        security = [r for r in items if r["pillar"] == "security"]
        if not security:
            continue
        led += 1
        assert items[0]["pillar"] == "security", bucket.id
        assert items[: len(security)] == security, bucket.id  # no other pillar before the last Security item
        # The other pillars rank as equals: impact, then effort (cheapest first), then the riskier question.
        others = items[len(security) :]
        keys = [(levels[r["impact"]], 2 - levels[r["effort"]], risk[r["question_risk"]]) for r in others]
        assert keys == sorted(keys), bucket.id
        # ... in the order they had without priorities.
        assert [r["choice"] for r in others] == [
            r["choice"] for r in plain if r["bucket"] == bucket.id and r["pillar"] != "security"
        ]
    assert led >= 2  # Security has work in more than one bucket, so the rule was tested more than once


def test_buckets_and_matrix_list_the_ranks_the_page_draws() -> None:
    result = run({"data_quality": pick("data_quality_no"), "model_review": pick("model_review_no")})
    ranks = [r["rank"] for r in result["recommendations"]]
    assert sorted(rank for b in result["buckets"] for rank in b["ranks"]) == ranks
    rows = result["matrix"]["rows"]
    assert [(row["impact"], [c["effort"] for c in row["cells"]]) for row in rows] == [
        (i, ["low", "medium", "high"]) for i in ("high", "medium", "low")
    ]
    assert [row["label"] for row in rows] == ["High impact", "Medium impact", "Low impact"]
    assert [cell["label"] for cell in rows[0]["cells"]] == ["Low effort", "Medium effort", "High effort"]
    for row in rows:
        for cell in row["cells"]:
            for rank in cell["ranks"]:
                item = result["recommendations"][rank - 1]
                assert (item["rank"], item["impact"], item["effort"]) == (rank, row["impact"], cell["effort"])
    placed = sorted(rank for row in rows for cell in row["cells"] for rank in cell["ranks"])
    assert placed == ranks
    for bucket in result["buckets"]:
        assert all(result["recommendations"][rank - 1]["bucket"] == bucket["id"] for rank in bucket["ranks"])
        assert bucket["count"] == len(bucket["ranks"])


def test_matrix_cells_carry_the_titles_of_their_items() -> None:
    result = run(MIXED)
    cells = {(row["impact"], c["effort"]): c for row in result["matrix"]["rows"] for c in row["cells"]}
    assert cells[("high", "low")]["items"] == [
        {"rank": 1, "title": "Agree on metrics"},
        {"rank": 2, "title": "Scale automatically"},
    ]
    assert cells[("medium", "high")]["items"] == []
    titles = {r["rank"]: r["title"] for r in result["recommendations"]}
    for cell in cells.values():
        assert [item["rank"] for item in cell["items"]] == cell["ranks"]
        assert all(item["title"] == titles[item["rank"]] for item in cell["items"])


def test_start_here_is_the_first_ten_of_the_plan_with_a_reason_each() -> None:
    result = run(MIXED, pillar_priorities=["pillar_two"])
    plan = result["recommendations"]
    assert [s["rank"] for s in result["start_here"]] == [r["rank"] for r in plan][:10]
    assert result["start_here"][:2] == [
        {
            "rank": 1,
            "choice": "endpoint_scaling_auto",
            "title": "Scale automatically",
            "pillar_name": "Pillar Two",
            "why": "High-risk question; high impact, low effort; prioritized pillar",
        },
        {
            "rank": 2,
            "choice": "model_review_metrics",
            "title": "Agree on metrics",
            "pillar_name": "Pillar One",
            "why": "High-risk question; high impact, low effort",
        },
    ]
    assert [s["why"] for s in result["start_here"] if s["choice"] == "data_quality_catalog"] == [
        "Medium-risk question; low impact, low effort"
    ]


def test_start_here_stops_at_ten_and_leaves_out_what_the_team_will_not_do() -> None:
    kb = kbfile.load(REAL_KB)
    assert kb.checklist is not None
    nothing = {q.id: pick(q.none_choice) for q in kb.checklist.questions}
    result = assess(kb, parse_state({"version": 3, "answers": nothing}, kb))
    assert [s["rank"] for s in result["start_here"]] == list(range(1, 11))
    skipped = result["recommendations"][0]["choice"]
    decisions = {skipped: {"status": "wont_do", "reason": "Another team owns it."}}
    later = assess(kb, parse_state({"version": 3, "answers": nothing, "decisions": decisions}, kb))
    assert [s["rank"] for s in later["start_here"]] == list(range(2, 12))
    assert run()["start_here"] == []


def test_the_plan_filters_by_pillar() -> None:
    state_data = state(MIXED)
    result = assess(KB, parse_state(state_data, KB), pillar="pillar_two")
    by_rank = {r["rank"]: r for r in result["recommendations"]}
    assert result["view"]["pillar"] == "pillar_two"
    assert result["view"]["visible"] == [r["rank"] for r in by_rank.values() if r["pillar"] == "pillar_two"]
    assert result["view"]["pillars"] == [
        {"id": "pillar_one", "name": "Pillar One", "count": 6, "text": "Pillar One (6)"},
        {"id": "pillar_two", "name": "Pillar Two", "count": 3, "text": "Pillar Two (3)"},
    ]
    assert len(result["recommendations"]) == 9  # a filter hides ranks; the plan stays whole
    both = assess(KB, parse_state(state_data, KB), pillar="pillar_one", status="planned")
    assert both["view"]["visible"] == []
    unfiltered = run(MIXED)["view"]
    assert unfiltered["pillar"] == "" and len(unfiltered["visible"]) == 9


def test_the_plan_filters_by_lens_where_it_draws_on_several() -> None:
    """Issue 25: a review of several lenses can be worked through lens by lens; the plan stays whole and
    each lens it draws on is offered with its count. A plan of one lens offers no lens filter."""
    kb = kbfile.load(REAL_KB)
    assert kb.checklist is not None
    nothing = {q.id: pick(q.none_choice) for q in kb.checklist.questions}
    data = {"version": 3, "answers": nothing, "scope": {"model_source": "prebuilt_ai_only"}}
    whole = assess(kb, parse_state(data, kb))
    counts = {lens.id: sum(1 for r in whole["recommendations"] if r["lens"] == lens.id) for lens in kb.lenses}
    assert whole["view"]["lenses"] == [
        {
            "id": lens.id,
            "name": lens.name,
            "count": counts[lens.id],
            "text": f"{lens.name} ({counts[lens.id]})",
        }
        for lens in kb.lenses
        if counts[lens.id]
    ]
    assert len(whole["view"]["lenses"]) == 4  # every lens: the Responsible AI Lens reviews every workload
    agentic = assess(kb, parse_state(data, kb), lens="agentic_ai")
    assert agentic["view"]["lens"] == "agentic_ai"
    assert agentic["view"]["visible"] == [
        r["rank"] for r in agentic["recommendations"] if r["lens"] == "agentic_ai"
    ]
    assert len(agentic["view"]["visible"]) == counts["agentic_ai"] > 0
    assert len(agentic["recommendations"]) == len(whole["recommendations"])  # the plan stays whole
    ml_only = {"version": 3, "answers": nothing, "scope": {"generative_ai": "no_generative_ai"}}
    ml_lenses = assess(kb, parse_state(ml_only, kb))["view"]["lenses"]
    assert [lens["id"] for lens in ml_lenses] == ["machine_learning", "responsible_ai"]
    # With every Responsible AI practice in place, the plan draws on the ML Lens alone: no lens filter.
    rai_done = {
        q.id: pick(*(c.id for c in q.choices)) for q in kb.checklist.questions if q.lens == "responsible_ai"
    }
    ml_only["answers"] = nothing | rai_done
    assert assess(kb, parse_state(ml_only, kb))["view"]["lenses"] == []


def test_counts_per_pillar_and_overall() -> None:
    result = run({"data_quality": pick("data_quality_profile"), "model_review": pick("model_review_no")})
    assert result["summary"] == {
        "high": 1,
        "medium": 1,
        "none": 0,
        "not_applicable": 0,
        "unanswered": 1,
        "answered": 2,
        "total": 3,
        "left_out": 0,
        "text": "2 of 3 questions answered",
    }
    assert [(p["id"], p["high"], p["medium"], p["unanswered"]) for p in result["pillars"]] == [
        ("pillar_one", 1, 1, 0),
        ("pillar_two", 0, 0, 1),
    ]


def test_result_carries_the_keys_others_depend_on() -> None:
    result = run({"model_review": pick("model_review_no")})
    assert list(result) == [
        "site",
        "workload",
        "date",
        "scope",
        "summary",
        "pillars",
        "focus_areas",
        "lenses",
        "lenses_text",
        "questions",
        "recommendations",
        "start_here",
        "progress",
        "view",
        "accepted",
        "plan_note",
        "disagreements",
        "unfinished",
        "buckets",
        "matrix",
        "risk_labels",
        "warnings",
    ]
    assert set(result["recommendations"][0]) >= {
        "rank",
        "bucket",
        "pillar",
        "question",
        "choice",
        "title",
        "improvement",
        "impact",
        "effort",
        "reference",
    }
    assert result["recommendations"][0]["reference"] == KB.reference("ref_beta").url


# --- invalid state ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], ["the state must be a JSON object, not a list"]),
        ({"version": 9}, ["version: must be a number from 1 to 4 (got 9)"]),
        ({"version": True}, ["version: must be a number from 1 to 4 (got true)"]),
        ({"version": 1, "extra": 1}, ["extra: unknown field"]),
        (
            {"version": 1, "workload": {"name": 3, "regions": "eu-west-1"}},
            [
                "workload.name: must be a string, not a number",
                "workload.regions: must be a list of strings, not a string",
            ],
        ),
        (
            {"version": 1, "workload": {"environment": "staging"}},
            ["workload.environment: must be one of production, pre-production (got 'staging')"],
        ),
        (
            {"version": 1, "workload": {"pillar_priorities": ["pillar_nine", "pillar_one", "pillar_one"]}},
            [
                "workload.pillar_priorities[0]: unknown pillar 'pillar_nine'",
                "workload.pillar_priorities[2]: 'pillar_one' is listed twice",
            ],
        ),
        ({"version": 1, "answers": []}, ["answers: must be an object, not a list"]),
        (
            {"version": 1, "answers": {"data_quality": {"selected": ["nope"], "not_applicable": "no"}}},
            [
                "answers.data_quality.not_applicable: must be true or false, not a string",
                "answers.data_quality.selected[0]: unknown choice 'nope' for this question",
            ],
        ),
        (
            {
                "version": 1,
                "answers": {"data_quality": {"selected": ["data_quality_no", "data_quality_profile"]}},
            },
            [
                "answers.data_quality.selected: 'data_quality_no' (None of these) cannot be selected with other choices"
            ],
        ),
        (
            {"version": 1, "answers": {"data_quality": {"selected": ["model_review_metrics"]}}},
            ["answers.data_quality.selected[0]: unknown choice 'model_review_metrics' for this question"],
        ),
    ],
)
def test_invalid_state_lists_every_problem(data: Any, expected: list[str]) -> None:
    with pytest.raises(StateError) as caught:
        parse_state(data, KB)
    assert caught.value.problems == expected


def test_unknown_questions_are_dropped_with_a_warning() -> None:
    parsed = parse_state(state({"retired_question": pick("x"), "data_quality": pick("data_quality_no")}), KB)
    assert list(parsed.answers) == ["data_quality"]
    assert parsed.warnings == ("dropped answers to questions this checklist does not have: retired_question",)
    assert assess(KB, parsed)["warnings"] == list(parsed.warnings)


def test_text_that_is_not_json_or_too_large() -> None:
    with pytest.raises(StateError, match="not valid JSON: Expecting value at line 1, column 1"):
        parse_state_text("nope", KB)
    big = json.dumps(state({"data_quality": {"selected": [], "notes": "x" * MAX_BYTES}}))
    with pytest.raises(StateError, match="a state file may be at most 1,000,000 bytes"):
        parse_state_text(big, KB)


def test_each_bucket_description_in_the_real_kb_says_what_its_rule_does() -> None:
    """A bucket takes practices by their impact (and effort), not by their question's risk: its description
    names the impact of every cell it holds and never calls its items high- or low-risk (issue 28)."""
    kb = kbfile.load(REAL_KB)
    assert kb.checklist is not None
    for bucket in kb.checklist.buckets:
        words = " ".join(bucket.description.split()).lower()
        cells = [
            (impact, effort) for impact, effort in bucket.cells if impact
        ]  # a rule-less bucket: ("", "")
        for impact in {impact for impact, _ in cells}:
            assert f"rated {impact} impact" in words, (bucket.id, impact)
        assert "risk gaps" not in words and "gaps with a" not in words, bucket.id
        efforts = {effort for _, effort in cells}
        if efforts == {"high"}:
            assert "substantial work" in words, bucket.id
        elif "high" not in efforts:
            assert "little or moderate work" in words, bucket.id
        else:
            assert "whatever the work" in words, bucket.id

"""Which workloads the Agentic AI Lens reaches, on the real KB (issue 25): "uses agents" brings its questions
in, an ML-only workload is never asked about agents, and the default scope keeps everything in.

Each test asserts the scope of the ``agents`` question itself, then over every question of the lens the KB
has (none before the lens's content is written), then over a probe question scoped as the lens's questions
are (``applies_if: uses_agents``), so it says something today and keeps holding once the content lands.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from conftest import KB_PATH

from checklist.assess import assess
from checklist.knowledge import Choice, Question, RiskRule
from checklist.migrate import VERSION
from checklist.result import Result
from checklist.scope import scope_of
from checklist.state import parse_state
from sitebuilder import kbfile

KB = kbfile.load(KB_PATH)
assert KB.checklist is not None
CHECKLIST = KB.checklist
AGENTIC = [q.id for q in CHECKLIST.questions if q.lens == "agentic_ai"]
PROBE = Question(
    id="probe_agent_tools",
    pillar=KB.pillars[1].id,
    title="Probe: how are the agent's tool calls authorized?",
    description="",
    choices=(
        Choice(
            id="probe_agent_tools_gateway",
            title="Tool calls are authorized outside the model",
            impact="high",
            effort="medium",
            improvement="Authorize each tool call at a gateway.",
        ),
    ),
    risk_rules=(RiskRule("probe_agent_tools_gateway", "none"), RiskRule("default", "high")),
    applies_if="uses_agents",
    lens="agentic_ai",
)
WITH_PROBE = dataclasses.replace(CHECKLIST, questions=(*CHECKLIST.questions, PROBE))


def reviewed(**scope: str) -> tuple[Result, bool]:
    """The real KB's result for an unanswered workload of this scope, and whether the probe is in scope."""
    data: dict[str, Any] = {"version": VERSION, "answers": {}, "scope": scope}
    state = parse_state(data, KB)
    # A file without generative AI whose agents answer is "Yes, or not sure" (given, or left at that default,
    # as in a file saved before the question existed) is told once what it counts as now, as for hosting.
    contradictory = scope.get("generative_ai") == "no_generative_ai" and scope.get("agents") != "no_agents"
    assert [w for w in state.warnings if "act as agents" in w] == (
        [
            "the scope question “Do its models act as agents, planning steps and calling tools or other "
            "systems on someone's behalf?” had “Yes, or not sure”, which does not fit the answers before it. "
            "Not asked with “No”: it counts as “No: they only answer or generate”."
        ]
        if contradictory
        else []
    )
    return assess(KB, state), PROBE.id not in scope_of(WITH_PROBE, state).questions


def agents_question(result: Result) -> dict[str, str]:
    (chosen,) = [dict(c) for c in result["scope"]["chosen"] if c["question"] == "agents"]
    return chosen


def agentic_in_scope(result: Result) -> list[str]:
    """The Agentic AI questions the workload is asked (not left out by its scope)."""
    return [
        q["id"] for q in result["questions"] if q["lens"] == "agentic_ai" and q["risk"] != "not_applicable"
    ]


def test_the_lens_questions_are_scoped_to_agents() -> None:
    """Every question of the lens names `uses_agents` in its condition, so the scope question decides it."""
    assert [
        q.id for q in CHECKLIST.questions if q.lens == "agentic_ai" and "uses_agents" not in q.applies_if
    ] == []
    assert [s.id for s in CHECKLIST.scope if s.id == "agents"] == ["agents"]


@pytest.mark.parametrize(
    "scope",
    [
        {"model_source": "own_models", "generative_ai": "no_generative_ai"},
        # As the page saves it: the question not asked, stored as the option it counts as.
        {"model_source": "own_models", "generative_ai": "no_generative_ai", "agents": "no_agents"},
        # A contradictory file (agents without generative AI) counts as no agents too.
        {"model_source": "own_models", "generative_ai": "no_generative_ai", "agents": "uses_agents"},
    ],
    ids=["ml_only", "ml_only_as_saved", "ml_only_agents_given"],
)
def test_an_ml_only_workload_is_not_asked_about_agents_and_sees_no_agentic_question(
    scope: dict[str, str],
) -> None:
    result, probe = reviewed(**scope)
    agents = agents_question(result)
    assert agents["option"] == "no_agents"
    assert agents["not_asked"] == "Not asked with “No”: it counts as “No: they only answer or generate”."
    assert agentic_in_scope(result) == []
    assert set(AGENTIC) <= set(result["scope"]["questions"])
    assert not probe
    # The Responsible AI Lens reviews every AI workload, classic ML included (issue 25).
    assert [lens["id"] for lens in result["lenses"]] == ["machine_learning", "responsible_ai"]


def test_a_generative_ai_workload_without_agents_sees_no_agentic_question() -> None:
    result, probe = reviewed(
        model_source="prebuilt_ai_only", generative_ai="uses_generative_ai", agents="no_agents"
    )
    agents = agents_question(result)
    assert (agents["option"], agents["not_asked"]) == ("no_agents", "")
    assert agentic_in_scope(result) == []
    assert set(AGENTIC) <= set(result["scope"]["questions"])
    assert not probe
    assert "generative_ai" in [lens["id"] for lens in result["lenses"]]
    assert "agentic_ai" not in [lens["id"] for lens in result["lenses"]]


def test_the_default_scope_keeps_the_agentic_questions_in() -> None:
    result, probe = reviewed()
    agents = agents_question(result)
    assert (agents["option"], agents["not_asked"]) == ("uses_agents", "")
    assert agents["label"] == "Yes, or not sure"
    assert sorted(agentic_in_scope(result)) == sorted(AGENTIC)
    assert probe
    assert ("agentic_ai" in [lens["id"] for lens in result["lenses"]]) == bool(AGENTIC)
    # An agentic assistant that trains nothing (the workload) keeps them too.
    assistant, probe = reviewed(
        model_source="prebuilt_ai_only", generative_ai="uses_generative_ai", agents="uses_agents"
    )
    assert agents_question(assistant)["not_asked"] == ""
    kept = set(agentic_in_scope(assistant))
    assert {
        q.id for q in CHECKLIST.questions if q.lens == "agentic_ai" and "own_models" not in q.applies_if
    } <= kept
    assert bool(kept) == bool(AGENTIC)
    assert probe

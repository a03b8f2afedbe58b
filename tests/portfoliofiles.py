"""Five workloads' state files for the portfolio's tests (unit, CLI and browser): different answers, scopes
and decisions, so every level, list and lens of the portfolio has something in it."""

from __future__ import annotations

import json
from pathlib import Path

from checklist.knowledge import KnowledgeBase
from checklist.state import VERSION

TODAY = "2026-06-01"


def _answers(kb: KnowledgeBase, pattern: int, stop: int) -> dict[str, object]:
    """The first ``stop`` questions answered, each in one of four ways picked by ``pattern``."""
    assert kb.checklist is not None
    answers: dict[str, object] = {}
    for n, question in enumerate(kb.checklist.questions[:stop]):
        choices = [c.id for c in question.choices]
        way = (n + pattern) % 4
        selected = (
            choices[:1]
            if way == 0
            else choices
            if way == 1
            else [question.none_choice]
            if way == 2
            else choices[1:]
        )
        answers[question.id] = {"selected": selected or choices, "not_applicable": False, "notes": ""}
    return answers


def state(
    kb: KnowledgeBase,
    name: str,
    pattern: int,
    stop: int = 10_000,
    scope: dict[str, str] | None = None,
    decisions: dict[str, dict[str, str]] | None = None,
) -> dict[str, object]:
    return {
        "version": VERSION,
        "workload": {"name": name, "owner": "Ana"},
        "scope": scope or {},
        "answers": _answers(kb, pattern, stop),
        "decisions": decisions or {},
    }


def first_missing(kb: KnowledgeBase, data: dict[str, object]) -> list[str]:
    """The practices of the state's plan, first ones first (to hang decisions on)."""
    from checklist.assess import assess
    from checklist.state import parse_state

    return [item["choice"] for item in assess(kb, parse_state(data, kb))["recommendations"]]


def five(kb: KnowledgeBase) -> dict[str, dict[str, object]]:
    """File name -> state: two workloads share a name; one leaves the generative and agentic lenses out;
    one is half answered; decisions overdue, open and accepted risks past their review."""
    churn = state(kb, "Churn model", 0)
    plan = first_missing(kb, churn)
    churn["decisions"] = {
        plan[0]: {"status": "planned", "owner": "Ana", "due": "2026-01-31", "ticket": "https://t.example/1"},
        plan[1]: {"status": "in_progress", "owner": "Bo", "due": "2026-09-30"},
        plan[2]: {
            "status": "risk_accepted",
            "reason": "Batch only <b>for now</b>",
            "review": "2026-03-01",
            "owner": "Cy",
        },
        plan[3]: {"status": "risk_accepted", "reason": "Later", "review": "2027-03-01"},
    }
    chat = state(kb, "Support chat", 1, decisions={})
    chat_plan = first_missing(kb, chat)
    chat["decisions"] = {chat_plan[0]: {"status": "open", "owner": "Di"}}
    return {
        "churn.json": churn,
        "chat.json": chat,
        "forecast-eu.json": state(
            kb, "Forecast", 2, scope={"generative_ai": "no_generative_ai", "agents": "no_agents"}
        ),
        "forecast-us.json": state(kb, "Forecast", 3, stop=30),
        "unnamed.json": state(kb, "", 0, stop=5),
    }


def write_five(kb: KnowledgeBase, folder: Path) -> list[Path]:
    paths = []
    for name, data in five(kb).items():
        path = folder / name
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        paths.append(path)
    return paths

"""checklist.api.Session, the browser's only entry point, in CPython: each operation gives the CLI's
bytes, and bad input comes back as the engine's own problems, never as an exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checklist import compare, report
from checklist.api import Session
from checklist.assess import assess
from checklist.state import MAX_BYTES, parse_state
from checklist.words import page_words
from sitebuilder import kbfile

FIXTURES = Path(__file__).parent / "fixtures"
KB = kbfile.load(FIXTURES / "engine-kb.yml")
SESSION = Session(json.dumps(KB.source))
EARLY = json.loads((FIXTURES / "states" / "early.json").read_text())
LATER = json.loads((FIXTURES / "states" / "later.json").read_text())


def ask(**request: Any) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(SESSION.handle(json.dumps(request)))
    return reply


def test_assess_is_the_engine_result() -> None:
    reply = ask(op="assess", state=EARLY)
    result = assess(KB, parse_state(EARLY, KB))
    words = page_words(result)
    assert reply == {
        "ok": True,
        "result": json.loads(json.dumps(result)),
        "words": json.loads(json.dumps(words)),
    }


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv"])
def test_report_is_the_cli_text(fmt: str) -> None:
    reply = ask(op="report", state=EARLY, format=fmt)
    assert reply == {"ok": True, "text": report.FORMATS[fmt](assess(KB, parse_state(EARLY, KB)))}


def test_save_writes_the_state_file_once_for_everyone() -> None:
    padded = {**EARLY, "answers": {**EARLY["answers"], "endpoint_scaling": {"selected": [], "notes": ""}}}
    text = ask(op="save", state=padded)["text"]
    assert text == parse_state(padded, KB).to_json(KB)
    assert list(json.loads(text)["answers"]) == ["data_quality", "model_review"]
    assert "endpoint_scaling" not in json.loads(text)["answers"]  # empty answers are the engine's to drop
    assert text.endswith("}\n")


def test_import_checks_size_before_text() -> None:
    reply = ask(op="import", text=json.dumps(EARLY), size=MAX_BYTES + 1)
    assert reply == {
        "ok": False,
        "problems": [f"the file is {MAX_BYTES + 1:,} bytes; a state file may be at most {MAX_BYTES:,} bytes"],
    }
    reply = ask(op="import", text=json.dumps(EARLY))
    assert reply["ok"] and reply["state"] == parse_state(EARLY, KB).to_dict(KB) and reply["warnings"] == []


def test_compare_gives_sentences_and_the_cli_markdown() -> None:
    reply = ask(op="compare", old=EARLY, new=LATER, since="Sprint 1")
    expected = compare.compare(KB, parse_state(EARLY, KB), parse_state(LATER, KB), "Sprint 1")
    assert reply["comparison"] == json.loads(json.dumps(expected))
    assert reply["text"] == compare.to_markdown(expected)
    assert (
        reply["comparison"]["summary_text"]
        == "Since “Sprint 1”: 1 risk resolved, 0 improved, 1 worsened; 2 practices added, 1 removed."
    )
    kinds = ("resolved", "improved", "worsened", "added", "removed")
    changes = [c["text"] for p in reply["comparison"]["pillars"] for kind in kinds for c in p[kind]]
    assert changes and all(f"- {line}" in reply["text"] for line in changes)
    # The page lists the same changes, in the Markdown's order, under the pillars' names.
    listed = [item["text"] for section in reply["sections"] for item in section["items"] if item["kind"]]
    assert listed == changes
    assert [s["heading"] for s in reply["sections"]] == [
        p["name"] for p in reply["comparison"]["pillars"] if any(p[kind] for kind in kinds)
    ]


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        ({"op": "assess", "state": {"version": 7}}, "version: must be a number from 1 to 4 (got 7)"),
        ({"op": "import", "text": "{"}, "not valid JSON: Expecting property name enclosed in double quotes"),
        ({"op": "fly"}, "unknown operation 'fly'"),
        ({"op": "report", "state": EARLY, "format": "pdf"}, "internal error (KeyError): 'pdf'"),
    ],
)
def test_bad_requests_come_back_as_problems(request_: dict[str, Any], problem: str) -> None:
    reply = json.loads(SESSION.handle(json.dumps(request_)))
    assert reply["ok"] is False
    assert any(p.startswith(problem) for p in reply["problems"]), reply["problems"]


def test_a_decision_being_filled_in_is_set_aside_not_an_error() -> None:
    state = {**EARLY, "version": 3, "decisions": {"model_review_bias": {"status": "risk_accepted"}}}
    reply = ask(op="assess", state=state, today="2026-11-29")
    assert reply["ok"] is True
    assert reply["result"]["unfinished"] == {
        "model_review_bias": [
            "reason: a decision of 'Risk accepted' needs a reason",
            "review: an accepted risk needs a review date",
        ]
    }
    assert "model_review_bias" in [r["choice"] for r in reply["result"]["recommendations"]]  # still open
    assert json.loads(ask(op="save", state=state)["text"])["decisions"] == {}
    # A file someone imports is read strictly: the same decision is a problem there.
    refused = ask(op="import", text=json.dumps(state))
    assert refused["ok"] is False and len(refused["problems"]) == 2

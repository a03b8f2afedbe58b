"""Lenses the WA Tool takes that the checklist once refused: choice ids repeated across questions, and risk
rules without `default`. Each imports with its warnings, makes a valid KB, exports back to the same lens, and
round-trips answers with the WA Tool; the KB's own ids stay unique for state files, decisions and trackers.
(The site of each lens is built once, in tests/test_kbsite.py.)
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import lensfixtures
import pytest
import yaml
from test_lens_import import lens_risk, without_version
from test_watool import LENS_ARN, WORKLOAD, choices_of, recorded_answers, run_with_stub

from checklist import lens, trackers, watool
from checklist.assess import assess, question_risk
from checklist.errors import InputError
from checklist.knowledge import KnowledgeBase
from checklist.state import Answer, parse_state
from sitebuilder import kbfile, lensimport

SOURCE = "lens.json"
TEMPLATE_IDS = ["choice1", "choice2", "choice3", "risk_mitigated"]


def imported(made: dict[str, Any]) -> tuple[str, KnowledgeBase, list[str]]:
    """The KB text and model of a lens imported in process, and the warning lines."""
    text, warnings = lensimport.import_lens(lensfixtures.to_text(made).encode(), SOURCE, "kb.yml")
    return text, kbfile.load_text(text, "kb.yml"), warnings


def lens_questions(made: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for p in made["pillars"] for q in p["questions"]]


@pytest.fixture(scope="module")
def repeated() -> tuple[dict[str, Any], KnowledgeBase, list[str]]:
    made = lensfixtures.repeated_choice_ids()
    _, kb, warnings = imported(made)
    return made, kb, warnings


def test_repeated_choice_ids_import_with_one_warning_and_unique_kb_ids(
    repeated: tuple[dict[str, Any], KnowledgeBase, list[str]],
) -> None:
    made, kb, warnings = repeated
    assert warnings == [
        f"{SOURCE}: warning: pillars[0].questions[0].choices[0].id: choice ids repeat across questions "
        "(choice1, choice2, choice3, risk_mitigated), as the WA Tool allows: the checklist puts the question "
        "in front of each such id (ops_q1_choice1); the lens export and the WA Tool script use the lens's own ids"
    ]
    assert kb.checklist is not None
    kb_ids = [c.id for q in kb.checklist.questions for c in q.choices]
    assert len(kb_ids) == len(set(kb_ids)) == 16
    for ours, theirs in zip(kb.checklist.questions, lens_questions(made), strict=True):
        # The lens's own ids, in its order, each kept beside the KB's.
        assert [c.lens_id for c in ours.choices] + [ours.none_choice] == [c["id"] for c in theirs["choices"]]
    first = kb.checklist.question("ops_q1")
    assert [c.id for c in first.choices] == [f"ops_q1_{cid}" for cid in TEMPLATE_IDS]
    # A long question id is not repeated in front of its choices: its place in the lens (4th) stands in.
    last = kb.checklist.question(lensfixtures.LONG_QUESTION_ID)
    assert [c.id for c in last.choices] == [f"q4_{cid}" for cid in TEMPLATE_IDS]
    assert last.risk_rules[0].condition == "q4_choice1 && q4_choice2 && (q4_choice3 || q4_risk_mitigated)"


@pytest.mark.parametrize("make", [lensfixtures.repeated_choice_ids, lensfixtures.no_default])
def test_import_then_export_gives_back_the_lens_s_ids_and_rules_as_written(make: Any) -> None:
    made = make()
    _, kb, _ = imported(made)
    assert json.loads(lens.export(kb)) == without_version(made)


def test_three_rules_without_default_import_as_written_with_a_warning_each() -> None:
    made = lensfixtures.no_default()
    text, kb, warnings = imported(made)
    assert warnings == [
        f"{SOURCE}: warning: pillars[{p}].questions[0].riskRules: no 'default' rule: the rules are kept as "
        "written, and an answer none of them covers counts as high risk (unmatched_risk in the KB)"
        for p in (0, 1)
    ]
    assert kb.checklist is not None
    for question_id in ("ingest_q1", "sec_q1"):
        question = kb.checklist.question(question_id)
        assert len(question.risk_rules) == 3 and question.unmatched_risk == "high"
    assert kb.checklist.question("ingest_q2").unmatched_risk == ""  # its lens rules end with default
    # An answer none of the three rules covers: the risk the import states.
    ingest = kb.checklist.question("ingest_q1")
    assert question_risk(ingest, Answer(selected=("ingest_q1_idempotent",))) == "high"
    assert question_risk(ingest, Answer(selected=("ingest_q1_retry",))) == "medium"
    assert "unmatched_risk: high" in text


@pytest.mark.parametrize("make", [lensfixtures.repeated_choice_ids, lensfixtures.no_default])
def test_every_question_s_risk_agrees_with_the_lens_s_own_rules(make: Any) -> None:
    """Random answers (fixed seed), in the lens's ids, rated by the lens's rules (with `default: HIGH_RISK`
    where it has none, as the import states) and by the engine on the KB."""
    made = make()
    _, kb, _ = imported(made)
    assert kb.checklist is not None
    rng = random.Random(22)
    for theirs in lens_questions(made):
        ours = kb.checklist.question(theirs["id"])
        to_kb = {c.lens_id: c.id for c in ours.choices} | {ours.none_choice: ours.none_choice}
        rated = copy.deepcopy(theirs)
        if rated["riskRules"][-1]["condition"] != "default":
            rated["riskRules"].append({"condition": "default", "risk": "HIGH_RISK"})
        lens_ids = [c["id"] for c in theirs["choices"] if c["id"] != ours.none_choice]
        answers = [{ours.none_choice}, set(lens_ids)]
        answers += [{c for c in lens_ids if rng.random() < share} for share in (0.3, 0.5, 0.8) * 10]
        for selected in (a for a in answers if a):
            got = question_risk(ours, Answer(selected=tuple(to_kb[c] for c in selected)))
            assert got == lens_risk(rated, selected), (theirs["id"], sorted(selected))


STATE = {
    "version": 3,
    "workload": {"name": "Template lens workload"},
    "answers": {
        "ops_q1": {"selected": ["ops_q1_choice1", "ops_q1_risk_mitigated"], "notes": "ops one"},
        "ops_q2": {"selected": ["ops_q2_choice2"]},
        "sec_q1": {"selected": ["sec_q1_no"]},
    },
    "decisions": {"ops_q2_choice1": {"status": "planned", "owner": "ana"}},
}


def test_state_decisions_and_trackers_name_each_repeated_choice_once(
    repeated: tuple[dict[str, Any], KnowledgeBase, list[str]],
) -> None:
    _, kb, _ = repeated
    state = parse_state(json.loads(json.dumps(STATE)), kb)
    assert state.warnings == ()
    result = assess(kb, state)
    plan = {item["choice"]: item for item in result["recommendations"]}
    # ops_q2's choice1 is planned; ops_q1's choice1 is ticked, sec_q1's is open: one decision, one choice.
    assert plan["ops_q2_choice1"]["decision"]["status"] == "planned"
    assert "ops_q1_choice1" not in plan
    assert plan["sec_q1_choice1"]["decision"]["status"] == "open"
    assert len(plan) == len(set(plan)) == len(result["recommendations"])
    ids = [trackers.stable_id(result, item) for item in trackers.active(result)]
    assert len(ids) == len(set(ids)) and f"{trackers.base_label(result)}:ops_q2_choice1" in ids
    # The state file names the KB's ids: read back, it is the same state.
    assert parse_state(json.loads(state.to_json(kb)), kb) == state


def test_wa_tool_round_trip_sends_and_reads_the_lens_s_ids_per_question(
    repeated: tuple[dict[str, Any], KnowledgeBase, list[str]], tmp_path: Path
) -> None:
    _, kb, _ = repeated
    assert kb.checklist is not None
    state = parse_state(json.loads(json.dumps(STATE)), kb)
    script = tmp_path / "to-wa-tool.sh"
    script.write_text(watool.script(kb, state, WORKLOAD, LENS_ARN), encoding="utf-8")
    sent = recorded_answers(run_with_stub(script, tmp_path))
    # The tool knows each question's choices by the lens's ids.
    assert {q: sorted(selected) for q, (selected, _, _) in sent.items()} == {
        "ops_q1": ["choice1", "risk_mitigated"],
        "ops_q2": ["choice2"],
        "sec_q1": ["sec_q1_no"],
    }
    # What list-answers then prints (every question, the tool's choices) maps back to the same answers.
    listed = {
        "WorkloadId": WORKLOAD,
        "LensAlias": LENS_ARN,
        "AnswerSummaries": [
            {
                "QuestionId": q.id,
                "Choices": [{"ChoiceId": c["ChoiceId"]} for c in choices_of(kb, q.id)],
                "SelectedChoices": sent.get(q.id, ([], True, ""))[0],
                "IsApplicable": True,
            }
            for q in kb.checklist.questions
        ],
    }
    back = watool.read_answers(kb, listed)
    assert {q: a.selected for q, a in back.answers.items() if a.selected} == {
        q: a.selected for q, a in state.answers.items()
    }
    # A KB id is not the tool's: sent back as a choice it is refused, not guessed.
    listed["AnswerSummaries"][1]["SelectedChoices"] = ["ops_q2_choice1"]
    with pytest.raises(watool.WaToolError) as refused:
        watool.read_answers(kb, listed)
    assert refused.value.problems == [
        "AnswerSummaries[1] (ops_q2): choices not in this checklist: 'ops_q2_choice1'"
    ]


def kb_problems(text: str, change: Any) -> list[str]:
    data = yaml.safe_load(text)
    change(data["checklist"]["questions"][0])
    with pytest.raises(InputError) as refused:
        kbfile.load_text(yaml.safe_dump(data, sort_keys=False), "kb.yml")
    return refused.value.problems


def test_the_kb_checks_keep_the_lens_s_ids_and_rules_usable() -> None:
    """A hand edit that would break the export or leave an answer without a risk is one located error."""
    text, _, _ = imported(lensfixtures.repeated_choice_ids())
    clash = kb_problems(text, lambda q: q["choices"][1].update(lens_choice_id="choice1"))
    assert [p.split(": ", 1)[1] for p in clash] == [
        "checklist.questions[0].choices[1].lens_choice_id: 'choice1' is already a choice of this question in the lens"
    ]
    text, _, _ = imported(lensfixtures.no_default())
    never = kb_problems(
        text, lambda q: q["risk_rules"].__setitem__(-1, {"condition": "default", "risk": "none"})
    )
    assert any("unmatched_risk never applies" in p for p in never), never
    gone = kb_problems(text, lambda q: q.pop("unmatched_risk"))
    assert any("the last rule must be 'default'" in p for p in gone), gone


def test_a_workload_scope_that_leaves_out_what_a_lens_s_rules_name_rewrites_or_leaves_out_the_question(
    tmp_path: Path,
) -> None:
    """Out of its scope a practice is neutral: a lens rule on its absence is dropped from the workload's
    lens, the rules a lens gave without ``default`` stay so, and a question whose rules name only
    out-of-scope practices is left out (no answer could change its risk)."""
    made = lensfixtures.no_default()
    ingest = made["pillars"][0]["questions"][0]
    ingest["riskRules"] = [
        {"condition": "!ingest_q1_retry", "risk": "HIGH_RISK"},
        {"condition": "!ingest_q1_dlq && !ingest_q1_retry", "risk": "MEDIUM_RISK"},
    ]
    text, _, _ = imported(made)
    data = yaml.safe_load(text)
    data["checklist"]["scope"] = [
        {
            "id": "retries",
            "question": "Does the pipeline retry?",
            "options": [{"id": "retry_yes", "label": "Yes"}, {"id": "retry_no", "label": "No"}],
        }
    ]
    choices = data["checklist"]["questions"][0]["choices"]
    assert [c["id"] for c in choices[:2]] == ["ingest_q1_retry", "ingest_q1_dlq"]
    choices[0]["applies_if"] = "retry_yes"
    kb = kbfile.load_text(yaml.safe_dump(data, sort_keys=False), "kb.yml")
    state = parse_state({"version": 3, "scope": {"retries": "retry_no"}}, kb)
    question = next(q for q in lens.build(kb, state)["pillars"][0]["questions"] if q["id"] == "ingest_q1")
    assert question["riskRules"] == [{"condition": "!ingest_q1_dlq", "risk": "MEDIUM_RISK"}]
    assert [c["id"] for c in question["choices"]] == [
        "ingest_q1_dlq",
        "ingest_q1_idempotent",
        "ingest_q1_replay",
        "ingest_q1_no",
    ]
    choices[1]["applies_if"] = "retry_yes"
    kb = kbfile.load_text(yaml.safe_dump(data, sort_keys=False), "kb.yml")
    state = parse_state({"version": 3, "scope": {"retries": "retry_no"}}, kb)
    assert "ingest_q1" not in [q["id"] for q in lens.build(kb, state)["pillars"][0]["questions"]]
    (found,) = [q for q in assess(kb, state)["questions"] if q["id"] == "ingest_q1"]
    assert found["risk"] == "not_applicable" and found["reason"].endswith(
        "no practice left in it can change its risk"
    )

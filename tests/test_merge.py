"""Team merge: answers from several people become one state, cautious where they differ, in any order."""

from __future__ import annotations

import json
from itertools import permutations
from pathlib import Path
from typing import Any

from conftest import run_cli

from checklist import merge
from checklist.state import parse_state
from sitebuilder import kbfile

TESTS = Path(__file__).parent
KB_FILE = TESTS / "fixtures" / "engine-kb.yml"
KB = kbfile.load(KB_FILE)


def person(answers: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"version": 3, "answers": answers, **extra}


ANA = person(
    {
        "data_quality": {
            "selected": ["data_quality_profile", "data_quality_version"],
            "notes": "Profiled weekly.",
        },
        "model_review": {"selected": ["model_review_metrics"]},
        "endpoint_scaling": {"selected": ["endpoint_scaling_auto"]},
    },
    workload={"name": "Churn", "owner": "Ana", "regions": ["eu-west-1"]},
    decisions={"model_review_bias": {"status": "planned", "owner": "Ana"}},
)
BO = person(
    {
        "data_quality": {"selected": ["data_quality_profile"]},
        "model_review": {"selected": ["model_review_metrics"]},
        "endpoint_scaling": {"selected": [], "not_applicable": True, "notes": "Batch only, I think."},
    },
    workload={"name": "Churn model", "regions": ["eu-central-1", "eu-west-1"]},
    decisions={
        "model_review_bias": {"status": "risk_accepted", "reason": "Low stakes.", "review": "2027-01-31"}
    },
)
CY = person({"data_quality": {"selected": ["data_quality_no"]}})


def merged(*named: tuple[str, dict[str, Any]]) -> Any:
    return merge.merge(KB, [(who, parse_state(data, KB)) for who, data in named])


def test_where_teammates_differ_the_cautious_answer_is_kept_and_the_disagreement_recorded() -> None:
    state = merged(("Ana", ANA), ("Bo", BO))
    assert state.answers["data_quality"].selected == ("data_quality_profile",)  # only what both ticked
    assert state.answers["data_quality"].notes == "Ana: Profiled weekly."
    assert state.answers["model_review"].selected == ("model_review_metrics",)  # agreed: no disagreement
    endpoint = state.answers["endpoint_scaling"]
    # Bo's "not applicable" ticked nothing: the practice is not in place, and the question stays applicable.
    assert (endpoint.selected, endpoint.not_applicable) == (("endpoint_scaling_no",), False)
    assert [(d.question, dict(d.answers)) for d in state.disagreements] == [
        (
            "data_quality",
            {"Ana": "ticked: Profile source data; Version datasets", "Bo": "ticked: Profile source data"},
        ),
        ("endpoint_scaling", {"Ana": "ticked: Scale automatically", "Bo": "not applicable"}),
    ]
    assert state.decision("model_review_bias").status == "planned"  # kept in the plan, not accepted away
    assert state.workload.name == "Churn" and state.workload.regions == ("eu-west-1", "eu-central-1")


def test_nothing_in_common_means_none_of_these() -> None:
    state = merged(("Ana", ANA), ("Cy", CY))
    assert state.answers["data_quality"].selected == ("data_quality_no",)
    assert dict(state.disagreements[0].answers)["Cy"] == "None of these"


def test_two_not_applicable_and_one_tick_leave_the_practice_unticked_and_the_question_applicable() -> None:
    """The rule the team asked for: where answers differ, nothing is ticked on one person's word."""
    ticked = person({"endpoint_scaling": {"selected": ["endpoint_scaling_auto", "endpoint_scaling_test"]}})
    skipped = person({"endpoint_scaling": {"selected": [], "not_applicable": True}})
    for order in permutations([("Ana", ticked), ("Bo", skipped), ("Cy", skipped)]):
        state = merged(*order)
        endpoint = state.answers["endpoint_scaling"]
        assert endpoint.not_applicable is False
        assert (
            "endpoint_scaling_auto" not in endpoint.selected
            and "endpoint_scaling_test" not in endpoint.selected
        )
        assert [(d.question, dict(d.answers)) for d in state.disagreements] == [
            (
                "endpoint_scaling",
                {
                    "Ana": "ticked: Scale automatically; Load test",
                    "Bo": "not applicable",
                    "Cy": "not applicable",
                },
            )
        ]
    # Where everyone says not applicable, it is not applicable, with no disagreement.
    state = merged(("Bo", skipped), ("Cy", skipped))
    assert state.answers["endpoint_scaling"].not_applicable is True and not state.disagreements


def test_merging_gives_the_same_state_in_any_order() -> None:
    people = [("Ana", ANA), ("Bo", BO), ("Cy", CY)]
    for group in (people[:2], people):
        results = {merged(*order).to_json(KB) for order in permutations(group)}
        assert len(results) == 1


def test_the_agenda_lists_every_disagreement_with_who_said_what() -> None:
    state = merged(("Ana", ANA), ("Bo", BO), ("Cy", CY))
    text = merge.agenda(KB, state)
    assert text.startswith("# Review agenda: where the team disagreed\n\n2 questions to settle.")
    for item in state.disagreements:
        question = next(q for q in KB.checklist.questions if q.id == item.question)  # type: ignore[union-attr]
        assert f". {question.title}\n" in text
        for who, what in item.answers:
            assert f"- **{who}**: {what}" in text
    assert "- Merged for now: None of these" in text


def test_the_merged_file_carries_its_disagreements_and_reopens(tmp_path: Path) -> None:
    paths = []
    for who, data in (("ana", ANA), ("bo", BO)):
        path = tmp_path / f"{who}.json"
        path.write_text(json.dumps(data))
        paths.append(str(path))
    out = tmp_path / "merged.json"
    run = run_cli("merge", *paths, "--kb", KB_FILE, "-o", out)
    assert run.returncode == 0, run.stderr
    saved = json.loads(out.read_text())
    assert [d["question"] for d in saved["disagreements"]] == ["data_quality", "endpoint_scaling"]
    assert saved["disagreements"][1]["answers"] == {
        "ana": "ticked: Scale automatically",
        "bo": "not applicable",
    }
    again = parse_state(saved, KB)
    assert (
        again.disagreements
        == merge.merge(KB, [("ana", parse_state(ANA, KB)), ("bo", parse_state(BO, KB))]).disagreements
    )
    agenda = run_cli("merge", *paths, "--kb", KB_FILE, "--format", "markdown")
    assert agenda.stdout == merge.agenda(KB, again)
    one = run_cli("merge", paths[0], "--kb", KB_FILE)
    assert (one.returncode, one.stderr) == (2, "merge needs two or more state files\n")


def _marked(reason: str, notes: str = "") -> dict[str, Any]:
    return {"status": "not_applicable", "reason": reason} | ({"notes": notes} if notes else {})


def test_a_practice_is_set_aside_only_where_everyone_set_it_aside() -> None:
    """The WA Tool's per-practice "not applicable" follows the cautious rule too: one teammate's mark does
    not take a practice out of the risk while another counts it."""
    both = {
        "selected": ["endpoint_scaling_auto"],
        "choices": {"endpoint_scaling_multi_az": _marked("ARCHITECTURE_CONSTRAINTS")},
    }
    state = merged(("Ana", person({"endpoint_scaling": both})), ("Bo", person({"endpoint_scaling": both})))
    answer = state.answers["endpoint_scaling"]
    assert answer.set_aside["endpoint_scaling_multi_az"].reason == "ARCHITECTURE_CONSTRAINTS"
    assert not state.disagreements
    one = person({"endpoint_scaling": {"selected": ["endpoint_scaling_auto"]}})
    for order in permutations([("Ana", person({"endpoint_scaling": both})), ("Cy", one)]):
        state = merged(*order)
        answer = state.answers["endpoint_scaling"]
        assert answer.selected == ("endpoint_scaling_auto",) and not answer.set_aside
        assert dict(state.disagreements[0].answers) == {
            "Ana": "ticked: Scale automatically; does not apply: Span zones",
            "Cy": "ticked: Scale automatically",
        }
    # A teammate who said the whole question does not apply sets no practice aside on the others' word.
    skipped = person({"endpoint_scaling": {"selected": [], "not_applicable": True}})
    state = merged(("Ana", person({"endpoint_scaling": both})), ("Bo", skipped))
    assert not state.answers["endpoint_scaling"].set_aside
    assert not state.answers["endpoint_scaling"].not_applicable


def test_a_reason_is_kept_where_everyone_gave_it_and_differing_ones_are_a_disagreement() -> None:
    def skipped(reason: str) -> dict[str, Any]:
        return person({"endpoint_scaling": {"selected": [], "not_applicable": True, "reason": reason}})

    state = merged(("Ana", skipped("BUSINESS_PRIORITIES")), ("Bo", skipped("BUSINESS_PRIORITIES")))
    answer = state.answers["endpoint_scaling"]
    assert (answer.not_applicable, answer.reason, state.disagreements) == (True, "BUSINESS_PRIORITIES", ())
    state = merged(("Ana", skipped("BUSINESS_PRIORITIES")), ("Bo", skipped("OTHER")))
    answer = state.answers["endpoint_scaling"]
    assert (answer.not_applicable, answer.reason) == (True, "")  # not applicable to all; the default reason
    assert dict(state.disagreements[0].answers) == {
        "Ana": "not applicable (Business priorities)",
        "Bo": "not applicable (Other)",
    }


def test_practice_notes_stay_on_the_practice_when_one_was_given_and_go_to_the_question_when_several(
    tmp_path: Path,
) -> None:
    def noted(text: str) -> dict[str, Any]:
        answer = {
            "selected": ["endpoint_scaling_auto"],
            "choices": {"endpoint_scaling_auto": {"notes": text}},
        }
        return person({"endpoint_scaling": answer})

    plain = person({"endpoint_scaling": {"selected": ["endpoint_scaling_auto"]}})
    state = merged(("Ana", noted("Target tracking on p95.")), ("Bo", plain))
    assert (
        state.answers["endpoint_scaling"].choices["endpoint_scaling_auto"].notes == "Target tracking on p95."
    )
    long = "x" * 240
    state = merged(("Ana", noted(long)), ("Bo", noted("Step scaling.")))
    answer = state.answers["endpoint_scaling"]
    assert "endpoint_scaling_auto" not in answer.choices  # 250 characters at most on a practice
    assert answer.notes == f"Ana (Scale automatically): {long}\nBo (Scale automatically): Step scaling."
    assert parse_state(json.loads(state.to_json(KB)), KB) == state  # the merged file reopens as it is


def test_an_answer_of_practice_marks_alone_is_merged_by_the_same_rule() -> None:
    """A WA Tool import can give a question no tick but a practice marked not applicable: two teammates
    with that same mark keep it; one with another mark is a disagreement, and nothing is set aside."""
    marked = person({"data_quality": {"selected": [], "choices": {"data_quality_lineage": _marked("OTHER")}}})
    state = merged(("Ana", marked), ("Bo", marked))
    assert state.answers["data_quality"].set_aside["data_quality_lineage"].reason == "OTHER"
    assert not state.disagreements
    other = person({"data_quality": {"selected": [], "choices": {"data_quality_version": _marked("OTHER")}}})
    state = merged(("Ana", marked), ("Cy", other))
    assert "data_quality" not in state.answers or not state.answers["data_quality"].set_aside
    assert [d.question for d in state.disagreements] == ["data_quality"]

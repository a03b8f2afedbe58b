"""The round trip with the AWS Well-Architected Tool: the sh script of AWS CLI calls, and its answers read back.

The script runs under ``sh`` against a stub ``aws`` that records its arguments, and (when awscli is
installed) against the real AWS CLI pointed at a recording server on 127.0.0.1. The tool's answers are
written in the shapes of the API reference (ListAnswers' AnswerSummary, GetAnswer's Answer).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote

import pytest
from test_cli import cli

from checklist import lens, watool
from checklist.assess import question_risk
from checklist.knowledge import KnowledgeBase
from checklist.migrate import VERSION
from checklist.state import Answer, ChoiceAnswer, State, parse_state, parse_state_text
from sitebuilder import kbfile

TESTS = Path(__file__).parent
FIXTURE_KB = TESTS / "fixtures" / "engine-kb.yml"
WORKLOAD = "0123456789abcdef0123456789abcdef"
REGION = "eu-west-1"
LENS_ARN = f"arn:aws:wellarchitected:{REGION}:123456789012:lens/4b1c0e8a9f2d4c6b8a7e5d3c1b0a9f8e"
# Everything sh would act on outside single quotes: none of it may run.
HOSTILE = (
    'It\'s "not" ours: $(touch pwned-dollar) `touch pwned-tick` ${HOME} $HOME; touch pwned-semicolon\n'
    "'; touch pwned-quote; echo ' \\ & | > pwned-redirect * ~ !"
)
STATE = {
    "version": 3,
    "workload": {"name": "Churn prediction"},
    "scope": {},
    "answers": {
        "data_quality": {
            "selected": ["data_quality_version", "data_quality_profile"],
            "not_applicable": False,
            "notes": "- profiled weekly\n--",
        },
        "model_review": {"selected": [], "not_applicable": True, "notes": HOSTILE},
        "endpoint_scaling": {"selected": ["endpoint_scaling_no"], "not_applicable": False, "notes": ""},
    },
    "decisions": {},
    "disagreements": [],
}
UPDATE = [
    "wellarchitected",
    "update-answer",
    "--region",
    REGION,
    "--workload-id",
    WORKLOAD,
    "--lens-alias",
    LENS_ARN,
]
EXPECTED_CALLS = [
    [
        *UPDATE,
        "--question-id",
        "data_quality",
        "--selected-choices",
        "data_quality_profile",
        "data_quality_version",
        "--is-applicable",
        "--notes=- profiled weekly\n--",
    ],
    [
        *UPDATE,
        "--question-id",
        "model_review",
        "--no-is-applicable",
        "--reason",
        "OUT_OF_SCOPE",
        "--notes=" + HOSTILE,
    ],
    [
        *UPDATE,
        "--question-id",
        "endpoint_scaling",
        "--selected-choices",
        "endpoint_scaling_no",
        "--is-applicable",
    ],
    [
        "wellarchitected",
        "create-milestone",
        "--region",
        REGION,
        "--workload-id",
        WORKLOAD,
        "--milestone-name=Checklist import",
    ],
]
TARGET = ["--workload-id", WORKLOAD, "--lens-arn", LENS_ARN]
STUB = """#!{python}
import json, os, sys
with open(os.environ["AWS_STUB_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return kbfile.load(FIXTURE_KB)


def write_script(tmp_path: Path, state: dict[str, Any], *options: str) -> Path:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(state), encoding="utf-8")
    out = tmp_path / "to-wa-tool.sh"
    result = cli("wa-tool", "script", state_file, "--kb", FIXTURE_KB, *TARGET, *options, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    return out


def run_with_stub(script: Path, tmp_path: Path) -> list[list[str]]:
    """Run ``script`` with sh, a stub ``aws`` first on PATH; the argument lists it was called with."""
    bin_dir, run_dir, log = tmp_path / "bin", tmp_path / "run", tmp_path / "aws-calls.jsonl"
    bin_dir.mkdir()
    run_dir.mkdir()
    stub = bin_dir / "aws"
    stub.write_text(STUB.format(python=sys.executable), encoding="utf-8")
    stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "AWS_STUB_LOG": str(log)}
    result = subprocess.run(
        ["sh", str(script)], capture_output=True, text=True, env=env, cwd=run_dir, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert list(run_dir.iterdir()) == [], "the script created files: something in it ran"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_script_shape_and_determinism(tmp_path: Path) -> None:
    script = write_script(tmp_path, STATE)
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n# ")
    assert "\nset -eu\n" in text
    assert "AWS CLI v2" in text and "credentials" in text
    assert f"# Workload: {WORKLOAD}\n# Lens: {LENS_ARN}\n# 3 answers (1 not applicable)" in text
    assert text.count("aws wellarchitected update-answer") == 3
    assert text.rstrip().splitlines()[-2].startswith("aws wellarchitected create-milestone")
    assert "--notes='It'\\''s \"not\" ours: $(touch pwned-dollar)" in text  # every value single-quoted
    assert subprocess.run(["sh", "-n", str(script)], capture_output=True, timeout=60).returncode == 0
    state_file = tmp_path / "state.json"
    again = cli("wa-tool", "script", state_file, "--kb", FIXTURE_KB, *TARGET)
    assert again.returncode == 0 and again.stdout == text, "standard output and -o FILE differ"


def test_the_script_calls_aws_with_exactly_the_answers(tmp_path: Path) -> None:
    calls = run_with_stub(write_script(tmp_path, STATE), tmp_path)
    assert calls == EXPECTED_CALLS  # nothing from the notes ran, and the milestone comes last


def test_notes_are_cut_to_the_api_limit_on_whole_characters(kb: KnowledgeBase, tmp_path: Path) -> None:
    notes = "a" * 2083 + "\U0001f600" + "b" * 10  # the emoji is two UTF-16 units: it would straddle the limit
    state = json.loads(json.dumps(STATE))
    state["answers"]["data_quality"]["notes"] = notes
    script = write_script(tmp_path, state, "--milestone", "Q3 review")
    assert "# The notes are cut to the API's 2,084 characters.\n" in script.read_text(encoding="utf-8")
    calls = run_with_stub(script, tmp_path)
    assert calls[0][-1] == "--notes=" + "a" * 2083
    assert calls[-1][-1] == "--milestone-name=Q3 review"
    emoji = "\U0001f600" * 1100  # 2,200 units: 1,042 whole emoji fit
    text = watool.script(kb, State(answers={"model_review": Answer((), True, emoji)}), WORKLOAD, LENS_ARN)
    assert "--notes='" + "\U0001f600" * 1042 + "'" in text
    assert "\ud83d" not in text


def test_the_script_and_the_lens_name_the_kbs_site(kb: KnowledgeBase) -> None:
    state = State(answers={"model_review": Answer((), True, "")})
    ours = watool.script(kb, state, WORKLOAD, LENS_ARN)
    assert (
        "\n# Sends the answers of a Well-Architected for AI/ML checklist to a workload in the AWS\n" in ours
    )
    assert lens.build(kb)["name"] == "Well-Architected for AI/ML checklist"
    other = KnowledgeBase.from_dict({**kb.source, "site": {"id": "team-x", "title": "Team X"}})
    assert "\n# Sends the answers of a Team X checklist to a workload in the AWS\n" in watool.script(
        other, state, WORKLOAD, LENS_ARN
    )
    assert lens.build(other)["name"] == "Team X checklist"


def test_notes_the_aws_cli_would_load_from_a_file_go_in_json(kb: KnowledgeBase, tmp_path: Path) -> None:
    state = json.loads(json.dumps(STATE))
    state["answers"]["endpoint_scaling"]["notes"] = "file:///etc/passwd"
    calls = run_with_stub(write_script(tmp_path, state), tmp_path)
    assert calls[2][-2:] == ["--cli-input-json", '{"Notes": "file:///etc/passwd"}']
    assert not any(arg.startswith("--notes") for arg in calls[2])


@pytest.mark.parametrize(
    ("options", "errors"),
    [
        (
            ["--workload-id", "0123456789ABCDEF0123456789abcde", "--lens-arn", LENS_ARN],
            [
                "--workload-id '0123456789ABCDEF0123456789abcde' has 31 characters; a workload id has 32",
                "--workload-id '0123456789ABCDEF0123456789abcde' has upper-case letters; workload ids are lower case",
            ],
        ),
        (
            ["--workload-id", "wl-42", "--lens-arn", "arn:aws:wellarchitected:us-east-1::lens/serverless"],
            [
                "--workload-id 'wl-42' has 5 characters; a workload id has 32",
                "--workload-id 'wl-42' has '-', 'l', 'w': a workload id has only 0-9 and a-f",
                "--lens-arn 'arn:aws:wellarchitected:us-east-1::lens/serverless' has no account: it names an AWS "
                "official lens; this checklist is a custom lens (import the file from `python -m sitebuilder.cli lens -o custom-lens.json`, "
                "or `lens -o FOLDER` for a checklist of several lenses, and pass the ARN the tool gives it)",
            ],
        ),
        (
            ["--workload-id", WORKLOAD, "--lens-arn", "arn:aws:wellarchitected:EU:1234:workload/abc"],
            [
                "--lens-arn 'arn:aws:wellarchitected:EU:1234:workload/abc': the Region 'EU' is not a Region code "
                "such as us-east-1",
                "--lens-arn 'arn:aws:wellarchitected:EU:1234:workload/abc': the account '1234' is not a 12-digit "
                "AWS account id",
                "--lens-arn 'arn:aws:wellarchitected:EU:1234:workload/abc': the resource is 'workload/abc'; a lens "
                "ARN ends in lens/ID",
            ],
        ),
        (
            ["--workload-id", WORKLOAD, "--lens-arn", "lens/abc", "--milestone", "Q3"],
            [
                "--lens-arn 'lens/abc' is not a lens ARN: a custom lens ARN looks like "
                "arn:aws:wellarchitected:REGION:ACCOUNT:lens/ID",
                "--milestone 'Q3' has 2 characters; a milestone name has 3 to 100",
            ],
        ),
        (
            ["--workload-id", WORKLOAD, "--lens-arn", LENS_ARN, "--milestone", "file://milestone.txt"],
            [
                "--milestone 'file://milestone.txt' starts with file://, which makes the AWS CLI read that file or URL instead"
            ],
        ),
    ],
)
def test_script_arguments_are_checked(tmp_path: Path, options: list[str], errors: list[str]) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(STATE), encoding="utf-8")
    out = tmp_path / "to-wa-tool.sh"
    result = cli("wa-tool", "script", state_file, "--kb", FIXTURE_KB, *options, "-o", out)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == errors
    assert not out.exists()


def test_a_state_with_no_answer_gives_no_script(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps({"version": 3}), encoding="utf-8")
    result = cli("wa-tool", "script", state_file, "--kb", FIXTURE_KB, *TARGET)
    assert result.returncode == 2
    assert (
        result.stderr
        == f"{state_file}: the state answers no question of the lens: there is nothing to send\n"
    )


def choices_of(kb: KnowledgeBase, question_id: str) -> list[dict[str, Any]]:
    """A question's choices as the tool lists them (ListAnswers' and GetAnswer's Choice objects)."""
    document = lens.build(kb)
    question = next(q for p in document["pillars"] for q in p["questions"] if q["id"] == question_id)
    return [
        {
            "ChoiceId": c["id"],
            "Title": c["title"],
            "Description": c.get("improvementPlan", {}).get("displayText", ""),
        }
        for c in question["choices"]
    ]


RISK = {
    "high": "HIGH",
    "medium": "MEDIUM",
    "none": "NONE",
    "unanswered": "UNANSWERED",
    "not_applicable": "NOT_APPLICABLE",
}


def list_answers(kb: KnowledgeBase, answers: dict[str, tuple[list[str], bool]]) -> dict[str, Any]:
    """What ``aws wellarchitected list-answers`` prints for the lens, every question listed (ListAnswersOutput)."""
    assert kb.checklist is not None
    summaries = []
    for question in kb.checklist.questions:
        selected, applicable = answers.get(question.id, ([], True))
        risk = question_risk(question, Answer(tuple(selected), not applicable))
        summaries.append(
            {
                "QuestionId": question.id,
                "PillarId": kb.pillar(question.pillar).lens_pillar_id,
                "QuestionTitle": question.title,
                "Choices": choices_of(kb, question.id),
                "SelectedChoices": selected,
                "ChoiceAnswerSummaries": [
                    {"ChoiceId": c, "Status": "SELECTED", "Reason": "NONE"} for c in selected
                ],
                "IsApplicable": applicable,
                "Risk": RISK[risk],
                "Reason": "NONE" if applicable else "OUT_OF_SCOPE",
                "QuestionType": "PRIORITIZED",
            }
        )
    return {"WorkloadId": WORKLOAD, "LensAlias": LENS_ARN, "LensArn": LENS_ARN, "AnswerSummaries": summaries}


def get_answer(
    kb: KnowledgeBase, question_id: str, selected: list[str], applicable: bool, notes: str
) -> dict[str, Any]:
    """What ``aws wellarchitected get-answer`` prints (GetAnswerOutput)."""
    assert kb.checklist is not None
    question = kb.checklist.question(question_id)
    return answer_output(
        kb,
        question_id,
        {
            "QuestionDescription": question.description,
            "SelectedChoices": selected,
            "ChoiceAnswers": [
                {"ChoiceId": c, "Status": "SELECTED", "Reason": "NONE", "Notes": ""} for c in selected
            ],
            "IsApplicable": applicable,
            "Risk": RISK[question_risk(question, Answer(tuple(selected), not applicable))],
            "Notes": notes,
            "Reason": "NONE" if applicable else "OUT_OF_SCOPE",
        },
    )


def answer_output(kb: KnowledgeBase, question_id: str, answer: dict[str, Any]) -> dict[str, Any]:
    """GetAnswerOutput around ``answer``: the workload, the lens, and the question as the lens has it."""
    assert kb.checklist is not None
    question = kb.checklist.question(question_id)
    return {
        "WorkloadId": WORKLOAD,
        "LensAlias": LENS_ARN,
        "LensArn": LENS_ARN,
        "Answer": {
            "QuestionId": question_id,
            "PillarId": kb.pillar(question.pillar).lens_pillar_id,
            "QuestionTitle": question.title,
            "Choices": choices_of(kb, question_id),
            **answer,
        },
    }


def import_answers(tmp_path: Path, data: object) -> tuple[subprocess.CompletedProcess[str], Path]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(data, indent=2), encoding="utf-8")
    out = tmp_path / "imported.json"
    return cli("wa-tool", "import", answers, "--kb", FIXTURE_KB, "-o", out), out


def test_import_list_answers(kb: KnowledgeBase, tmp_path: Path) -> None:
    data = list_answers(kb, {"data_quality": (["data_quality_profile"], True), "model_review": ([], False)})
    result, out = import_answers(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert "list-answers does not give notes" in result.stderr
    state = parse_state_text(out.read_text(encoding="utf-8"), kb)
    assert {q: a.to_dict() for q, a in state.answers.items()} == {
        "data_quality": {"selected": ["data_quality_profile"], "not_applicable": False, "notes": ""},
        "model_review": {"selected": [], "not_applicable": True, "notes": ""},
    }
    assert out.read_text(encoding="utf-8") == state.to_json(kb)  # written as the page saves it


def test_import_get_answer_keeps_the_notes(kb: KnowledgeBase, tmp_path: Path) -> None:
    data = get_answer(
        kb, "endpoint_scaling", ["endpoint_scaling_auto", "endpoint_scaling_test"], True, HOSTILE
    )
    result, out = import_answers(tmp_path, data)
    assert result.returncode == 0 and result.stderr == ""
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["answers"] == {
        "endpoint_scaling": {
            "selected": ["endpoint_scaling_auto", "endpoint_scaling_test"],
            "not_applicable": False,
            "notes": HOSTILE,
        }
    }


def test_import_refuses_ids_that_are_not_ours_and_writes_nothing(kb: KnowledgeBase, tmp_path: Path) -> None:
    data = list_answers(kb, {"data_quality": (["data_quality_profile", "data_quality_magic"], True)})
    data["AnswerSummaries"][0]["Choices"].append({"ChoiceId": "data_quality_extra", "Title": "Extra"})
    data["AnswerSummaries"].append({**data["AnswerSummaries"][1], "QuestionId": "retired_question"})
    result, out = import_answers(tmp_path, data)
    answers = tmp_path / "answers.json"
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{answers}: AnswerSummaries[0] (data_quality): choices not in this checklist: 'data_quality_extra', "
        "'data_quality_magic'",
        f"{answers}: AnswerSummaries[3]: the question 'retired_question' is not in this checklist",
    ]
    assert not out.exists()


def test_import_refuses_another_lens(tmp_path: Path) -> None:
    official = "arn:aws:wellarchitected::aws:lens/wellarchitected"
    summary = {
        "QuestionId": "priorities",
        "PillarId": "operationalExcellence",
        "QuestionTitle": "How do you determine what your priorities are?",
        "Choices": [
            {"ChoiceId": "ops_priorities_ext_cust_needs", "Title": "Evaluate external customer needs"}
        ],
        "SelectedChoices": ["ops_priorities_ext_cust_needs"],
        "ChoiceAnswerSummaries": [{"ChoiceId": "ops_priorities_ext_cust_needs", "Status": "SELECTED"}],
        "IsApplicable": True,
        "Risk": "MEDIUM",
        "Reason": "NONE",
    }
    data = {
        "WorkloadId": WORKLOAD,
        "LensAlias": "wellarchitected",
        "LensArn": official,
        "AnswerSummaries": [summary],
    }
    result, out = import_answers(tmp_path, data)
    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert lines[0].endswith(
        f"these answers are for another lens ({official}): none of their 1 questions is in this checklist"
    )
    assert lines[1].endswith("AnswerSummaries[0]: the question 'priorities' is not in this checklist")
    assert not out.exists()
    for wrong, message in [
        ({"Answers": []}, "not the output of `aws wellarchitected list-answers`"),
        # A list holds outputs (one per lens review), not the answers of one.
        ([summary], "[0]: one answer, not an output: pass all that list-answers or get-answer printed"),
    ]:
        result, out = import_answers(tmp_path, wrong)
        assert result.returncode == 2 and message in result.stderr and not out.exists()
    (tmp_path / "answers.json").write_text("WorkloadId  0123\n", encoding="utf-8")
    result = cli("wa-tool", "import", tmp_path / "answers.json", "--kb", FIXTURE_KB, "-o", out)
    assert result.returncode == 2 and "not valid JSON" in result.stderr and "--output json" in result.stderr


def recorded_answers(calls: list[list[str]]) -> dict[str, tuple[list[str], bool, str]]:
    """What the recorded update-answer calls set: question id -> (SelectedChoices, IsApplicable, Notes)."""
    answers = {}
    for call in calls:
        if call[1] != "update-answer":
            continue
        args = call[2:]
        question = args[args.index("--question-id") + 1]
        selected: list[str] = []
        if "--selected-choices" in args:
            for arg in args[args.index("--selected-choices") + 1 :]:
                if arg.startswith("--"):
                    break
                selected.append(arg)
        notes = next((a.removeprefix("--notes=") for a in args if a.startswith("--notes=")), "")
        if "--cli-input-json" in args:
            notes = json.loads(args[args.index("--cli-input-json") + 1])["Notes"]
        answers[question] = (selected, "--is-applicable" in args, notes)
    return answers


@pytest.mark.parametrize("unanswered", [(), ("endpoint_scaling",)])
def test_round_trip_state_script_tool_state(
    kb: KnowledgeBase, tmp_path: Path, unanswered: tuple[str, ...]
) -> None:
    original = json.loads(json.dumps(STATE))
    for question_id in unanswered:
        del original["answers"][question_id]
    calls = run_with_stub(write_script(tmp_path, original), tmp_path)
    sent = recorded_answers(calls)
    assert set(sent) == set(original["answers"])
    # The tool answers list-answers with what it was sent (and every question of the lens).
    listed = list_answers(kb, {q: (selected, applicable) for q, (selected, applicable, _) in sent.items()})
    result, out = import_answers(tmp_path, listed)
    assert result.returncode == 0, result.stderr
    back = parse_state_text(out.read_text(encoding="utf-8"), kb)
    before = parse_state(original, kb)
    assert {q: (set(a.selected), a.not_applicable) for q, a in back.answers.items()} == {
        q: (set(a.selected), a.not_applicable) for q, a in before.answers.items()
    }
    # Notes come back through get-answer, exactly as written.
    selected, applicable, notes = sent["model_review"]
    result, out = import_answers(tmp_path, get_answer(kb, "model_review", selected, applicable, notes))
    assert result.returncode == 0, result.stderr
    assert parse_state_text(out.read_text(encoding="utf-8"), kb).answers["model_review"] == Answer(
        (), True, HOSTILE
    )


class _Recorder(BaseHTTPRequestHandler):
    """The Well-Architected API's part the script uses: records each request, answers minimal valid JSON."""

    requests: ClassVar[list[tuple[str, str, dict[str, Any]]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.requests.append((self.command, self.path, body))
        workload = self.path.split("/")[2] if self.path.startswith("/workloads/") else ""
        reply: dict[str, Any] = {}
        if self.command == "POST" and self.path.endswith("/milestones"):
            reply = {"WorkloadId": workload, "MilestoneNumber": 1}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[tuple[str, list[tuple[str, str, dict[str, Any]]]]]:
    requests: ClassVar[list[tuple[str, str, dict[str, Any]]]] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_real_aws_cli_sends_the_bodies_the_api_documents(
    tmp_path: Path, recording_server: tuple[str, list[tuple[str, str, dict[str, Any]]]]
) -> None:
    """The script's parameters pass the AWS CLI's own checks and become UpdateAnswer and CreateMilestone
    requests as the API reference shows them. Needs awscli (version 1 is on the package index)."""
    pytest.importorskip(
        "awscli", reason="awscli is not installed (pip install awscli): the real AWS CLI is not run"
    )
    endpoint, requests = recording_server
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    state = json.loads(json.dumps(STATE))
    state["answers"]["endpoint_scaling"]["notes"] = f"file://{secret}"
    script = write_script(tmp_path, state, "--milestone", "-Q3 'review'")
    run_with_aws_cli(script, tmp_path, endpoint)
    answers = f"/workloads/{WORKLOAD}/lensReviews/{quote(LENS_ARN, safe='')}/answers/"
    assert [(method, path) for method, path, _ in requests] == [
        ("PATCH", answers + "data_quality"),
        ("PATCH", answers + "model_review"),
        ("PATCH", answers + "endpoint_scaling"),
        ("POST", f"/workloads/{WORKLOAD}/milestones"),
    ]
    assert unquote(requests[0][1]).split("/")[4:6] == LENS_ARN.split("/")  # the ARN is one path segment
    bodies = [body for _, _, body in requests]
    assert bodies[:3] == [
        {
            "SelectedChoices": ["data_quality_profile", "data_quality_version"],
            "IsApplicable": True,
            "Notes": "- profiled weekly\n--",
        },
        {"IsApplicable": False, "Reason": "OUT_OF_SCOPE", "Notes": HOSTILE},
        {"SelectedChoices": ["endpoint_scaling_no"], "IsApplicable": True, "Notes": f"file://{secret}"},
    ]
    token = bodies[3].pop("ClientRequestToken")  # the AWS CLI makes the idempotency token
    assert isinstance(token, str) and token
    assert bodies[3] == {"MilestoneName": "-Q3 'review'"}


def run_with_aws_cli(script: Path, tmp_path: Path, endpoint: str) -> None:
    """Run ``script`` with sh and this interpreter's awscli, sending to ``endpoint`` with made-up keys."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"  # this interpreter's awscli, whatever else is on PATH
    aws.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m awscli "$@"\n', encoding="utf-8")
    aws.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "not-a-real-key",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
        "NO_PROXY": "127.0.0.1",
    }
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    result = subprocess.run(
        ["sh", str(script)], capture_output=True, text=True, env=env, cwd=run_dir, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert list(run_dir.iterdir()) == []


@pytest.mark.parametrize("command", [["wa-tool"], ["wa-tool", "script"], ["wa-tool", "import"]])
def test_help(command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.returncode == 0 and "usage: python -m sitebuilder.cli wa-tool" in result.stdout


# --- a checklist of two lenses: one custom lens, one ARN and one lens review each -------------------------

TWO_LENS_KB = TESTS / "fixtures" / "two-lens-kb.yml"
GEN_ARN = f"arn:aws:wellarchitected:{REGION}:123456789012:lens/9f8e7d6c5b4a39281706f5e4d3c2b1a0"
TWO_LENS_TARGET = [
    "--workload-id",
    WORKLOAD,
    "--lens-arn",
    f"machine_learning={LENS_ARN}",
    "--lens-arn",
    f"generative_ai={GEN_ARN}",
]
TWO_LENS_STATE = {
    "version": 3,
    "answers": {
        "data_quality": {"selected": ["data_quality_profile"], "not_applicable": False, "notes": "weekly"},
        "gen_evaluation": {
            "selected": ["gen_evaluation_grounding", "gen_evaluation_logging"],
            "not_applicable": False,
            "notes": "",
        },
    },
}


@pytest.fixture(scope="module")
def two_lens_kb() -> KnowledgeBase:
    return kbfile.load(TWO_LENS_KB)


def two_lens_script(tmp_path: Path, *target: str) -> subprocess.CompletedProcess[str]:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(TWO_LENS_STATE), encoding="utf-8")
    return cli("wa-tool", "script", state, "--kb", TWO_LENS_KB, *target, "-o", tmp_path / "to-wa-tool.sh")


def test_the_script_sends_each_answer_to_its_questions_lens(tmp_path: Path) -> None:
    result = two_lens_script(tmp_path, *TWO_LENS_TARGET)
    assert result.returncode == 0, result.stderr
    script = tmp_path / "to-wa-tool.sh"
    text = script.read_text(encoding="utf-8")
    assert f"# Lens machine_learning: {LENS_ARN}\n# Lens generative_ai: {GEN_ARN}\n" in text
    assert "# 2 answers (0 not applicable), then the milestone." in text
    calls = run_with_stub(script, tmp_path)
    lens_of = {c[c.index("--question-id") + 1]: c[c.index("--lens-alias") + 1] for c in calls[:-1]}
    assert lens_of == {"data_quality": LENS_ARN, "gen_evaluation": GEN_ARN}
    assert recorded_answers(calls)["gen_evaluation"] == (
        ["gen_evaluation_grounding", "gen_evaluation_logging"],
        True,
        "",
    )
    assert calls[-1][1] == "create-milestone"


@pytest.mark.parametrize(
    ("target", "error"),
    [
        (
            ["--workload-id", WORKLOAD, "--lens-arn", LENS_ARN],
            f"--lens-arn {LENS_ARN!r}: this checklist has several lenses, one custom lens each in the tool: "
            "name each ARN's lens, --lens-arn machine_learning=ARN --lens-arn generative_ai=ARN",
        ),
        (
            ["--workload-id", WORKLOAD, "--lens-arn", f"machine_learning={LENS_ARN}"],
            "the state answers 1 question of the Generative AI Lens: pass its ARN too, "
            "--lens-arn generative_ai=ARN (the ARN the tool gave its imported custom lens)",
        ),
        (
            [*TWO_LENS_TARGET, "--lens-arn", f"agentic_ai={GEN_ARN}"],
            f"--lens-arn 'agentic_ai={GEN_ARN}': 'agentic_ai' is not a lens of this checklist; its lenses: "
            "machine_learning, generative_ai",
        ),
        (
            [*TWO_LENS_TARGET[:3], LENS_ARN, *TWO_LENS_TARGET[4:]],
            f"--lens-arn {LENS_ARN!r}: with several ARNs, name each one's lens: --lens-arn LENS_ID=ARN "
            "(this checklist's lenses: machine_learning, generative_ai)",
        ),
        (
            [*TWO_LENS_TARGET[:5], f"generative_ai={GEN_ARN.replace(REGION, 'us-east-1')}"],
            "--lens-arn: the lenses are in different Regions (eu-west-1, us-east-1); a workload and the "
            "lenses it uses are in one Region",
        ),
        (
            [*TWO_LENS_TARGET[:5], f"generative_ai={LENS_ARN}"],
            "--lens-arn: two lenses have the same ARN; each lens is imported into the tool on its own",
        ),
    ],
)
def test_each_lens_needs_its_own_arn(tmp_path: Path, target: list[str], error: str) -> None:
    result = two_lens_script(tmp_path, *target)
    assert result.returncode == 2 and result.stdout == ""
    assert error in result.stderr.splitlines() or any(
        line.endswith(error) for line in result.stderr.splitlines()
    )
    assert not (tmp_path / "to-wa-tool.sh").exists()


def test_a_one_lens_checklist_takes_its_arn_named_or_bare(kb: KnowledgeBase, tmp_path: Path) -> None:
    state = parse_state(STATE, kb)
    bare = watool.script(kb, state, WORKLOAD, LENS_ARN)
    assert watool.script(kb, state, WORKLOAD, {"machine_learning": LENS_ARN}) == bare
    assert f"# Lens: {LENS_ARN}\n" in bare


def test_the_real_aws_cli_sends_valid_answers_to_both_lens_arns(
    tmp_path: Path, recording_server: tuple[str, list[tuple[str, str, dict[str, Any]]]]
) -> None:
    """Each lens's answers reach that lens's review of the workload (the ARN in the path), with bodies the
    API documents; then one milestone for the workload."""
    pytest.importorskip(
        "awscli", reason="awscli is not installed (pip install awscli): the real AWS CLI is not run"
    )
    endpoint, requests = recording_server
    result = two_lens_script(tmp_path, *TWO_LENS_TARGET)
    assert result.returncode == 0, result.stderr
    run_with_aws_cli(tmp_path / "to-wa-tool.sh", tmp_path, endpoint)

    def answers(arn: str) -> str:
        return f"/workloads/{WORKLOAD}/lensReviews/{quote(arn, safe='')}/answers/"

    assert [(method, path) for method, path, _ in requests] == [
        ("PATCH", answers(LENS_ARN) + "data_quality"),
        ("PATCH", answers(GEN_ARN) + "gen_evaluation"),
        ("POST", f"/workloads/{WORKLOAD}/milestones"),
    ]
    assert unquote(requests[1][1]).split("/")[4:6] == GEN_ARN.split("/")
    bodies = [body for _, _, body in requests]
    assert bodies[:2] == [
        {"SelectedChoices": ["data_quality_profile"], "IsApplicable": True, "Notes": "weekly"},
        {"SelectedChoices": ["gen_evaluation_grounding", "gen_evaluation_logging"], "IsApplicable": True},
    ]
    assert bodies[2]["MilestoneName"] == "Checklist import"


def lens_review(
    kb: KnowledgeBase, lens_id: str, arn: str, answers: dict[str, tuple[list[str], bool]]
) -> dict[str, Any]:
    """What list-answers prints for one lens review of the workload: that lens's questions only."""
    data = list_answers(kb, answers)
    data["AnswerSummaries"] = [
        s
        for s in data["AnswerSummaries"]
        if kb.checklist is not None and kb.checklist.question(s["QuestionId"]).lens == lens_id
    ]
    return {**data, "LensAlias": arn, "LensArn": arn}


def test_import_reads_both_lens_reviews_into_one_state(two_lens_kb: KnowledgeBase, tmp_path: Path) -> None:
    ml = lens_review(
        two_lens_kb, "machine_learning", LENS_ARN, {"data_quality": (["data_quality_profile"], True)}
    )
    gen = lens_review(
        two_lens_kb, "generative_ai", GEN_ARN, {"gen_evaluation": (["gen_evaluation_budget"], True)}
    )
    files = []
    for name, data in [("ml.json", ml), ("genai.json", gen), ("both.json", [ml, gen])]:
        files.append(tmp_path / name)
        files[-1].write_text(json.dumps(data), encoding="utf-8")
    expected = {
        "data_quality": Answer(("data_quality_profile",), False, ""),
        "gen_evaluation": Answer(("gen_evaluation_budget",), False, ""),
    }
    # One file per lens review (one list-answers call each), or one file holding the list of them.
    for inputs in [files[:2], files[2:]]:
        out = tmp_path / "imported.json"
        result = cli("wa-tool", "import", *inputs, "--kb", TWO_LENS_KB, "-o", out)
        assert result.returncode == 0, result.stderr
        back = parse_state_text(out.read_text(encoding="utf-8"), two_lens_kb)
        assert {q: a for q, a in back.answers.items() if a.selected or a.not_applicable} == expected
    assert (
        "genai.json: list-answers does not give notes"
        in cli("wa-tool", "import", *files[:2], "--kb", TWO_LENS_KB, "-o", tmp_path / "x.json").stderr
    )


def test_import_refuses_a_question_answered_in_two_reviews(
    two_lens_kb: KnowledgeBase, tmp_path: Path
) -> None:
    ml = lens_review(two_lens_kb, "machine_learning", LENS_ARN, {})
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps([ml, ml, {"Answers": []}]), encoding="utf-8")
    out = tmp_path / "imported.json"
    result = cli("wa-tool", "import", twice, "--kb", TWO_LENS_KB, "-o", out)
    assert result.returncode == 2 and not out.exists()
    lines = result.stderr.splitlines()
    assert f"{twice}: [1]: the question 'data_quality' is also answered in [0]" in lines
    assert any(
        line.startswith(f"{twice}: [2]: not the output of `aws wellarchitected list-answers`")
        for line in lines
    )
    empty = cli("wa-tool", "import", "-", "--kb", TWO_LENS_KB, stdin="[]")
    assert empty.returncode == 2
    assert (
        "an empty list: it holds no list-answers or get-answer output (one per lens review)" in empty.stderr
    )


def test_state_files_keep_every_lenss_answers_with_no_new_version(two_lens_kb: KnowledgeBase) -> None:
    """Question ids are unique across lenses, so a state keyed by question id holds every lens's answers
    without a lens of its own: a file from before lenses (version 1, ML answers only) keeps its answers on
    the two-lens KB, and one with both lenses' answers is written at the same version and reads back."""
    early = json.loads((TESTS / "fixtures" / "states" / "early.json").read_text(encoding="utf-8"))
    before = parse_state(early, kbfile.load(FIXTURE_KB))
    kept = parse_state(early, two_lens_kb)
    assert kept.answers == before.answers and kept.answers
    both = parse_state(TWO_LENS_STATE, two_lens_kb)
    written = json.loads(both.to_json(two_lens_kb))
    assert written["version"] == VERSION  # what the engine writes for any state: lenses add none
    assert set(written["answers"]) == {"data_quality", "gen_evaluation"}
    assert parse_state(written, two_lens_kb).answers == both.answers


# --- full fidelity: practice statuses, reason codes and notes, there and back -----------------------------

SERVICE_MODEL = next(
    Path(sys.prefix).glob("lib/python*/site-packages/awscli/botocore/data/wellarchitected/*/service-2.json"),
    None,
)
CHOICE_HOSTILE = "$(touch pwned-choice) `touch pwned-tick2` 'quoted' \"double\"\n--notes=x; rm -rf ~"
REASONED = {
    "version": VERSION,
    "answers": {
        "data_quality": {
            "selected": ["data_quality_profile", "data_quality_version"],
            "not_applicable": False,
            "notes": "- profiled weekly",
            "choices": {
                "data_quality_profile": {"notes": "file:///etc/passwd"},
                "data_quality_lineage": {
                    "status": "not_applicable",
                    "reason": "BUSINESS_PRIORITIES",
                    "notes": CHOICE_HOSTILE,
                },
                "data_quality_catalog": {"notes": "-catalog later"},
            },
        },
        "model_review": {
            "selected": [],
            "not_applicable": True,
            "notes": HOSTILE,
            "reason": "ARCHITECTURE_CONSTRAINTS",
            "choices": {
                "model_review_signoff": {"status": "not_applicable", "reason": "OTHER", "notes": "--"}
            },
        },
        "endpoint_scaling": {
            "selected": ["endpoint_scaling_auto"],
            "not_applicable": False,
            "notes": "",
            "choices": {"endpoint_scaling_multi_az": {"status": "not_applicable", "reason": "NONE"}},
        },
    },
}


def model_problems(shape_name: str, value: object, where: str = "") -> list[str]:
    """Where ``value`` breaks the botocore service model's shape (members, types, enums, lengths): the
    model the AWS CLI itself is built from is the ground truth for what the recorder accepts."""
    assert SERVICE_MODEL is not None
    shapes = json.loads(SERVICE_MODEL.read_text(encoding="utf-8"))["shapes"]
    shape = shapes[shape_name]
    kind = shape["type"]
    found: list[str] = []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        for key, inner in value.items():
            member = shape["members"].get(key)
            if member is None or member.get("location") == "uri":
                found.append(f"{where}.{key}: not a member of {shape_name}")
            else:
                found += model_problems(member["shape"], inner, f"{where}.{key}")
    elif kind == "map":
        if not isinstance(value, dict):
            return [f"{where}: not a map"]
        for key, inner in value.items():
            found += model_problems(shape["key"]["shape"], key, f"{where} key {key!r}")
            found += model_problems(shape["value"]["shape"], inner, f"{where}.{key}")
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        for index, inner in enumerate(value):
            found += model_problems(shape["member"]["shape"], inner, f"{where}[{index}]")
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{where}: not a string"]
        units = len(value.encode("utf-16-le")) // 2
        if "enum" in shape and value not in shape["enum"]:
            found.append(f"{where}: {value!r} is not one of {shape['enum']}")
        if not shape.get("min", 0) <= units <= shape.get("max", units):
            found.append(f"{where}: {units} characters, outside {shape.get('min', 0)}..{shape.get('max')}")
    elif kind == "boolean" and not isinstance(value, bool):
        found.append(f"{where}: not true or false")
    return found


def tool_answer(kb: KnowledgeBase, question_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """What the tool holds for a question after an UpdateAnswer with ``body`` (on a fresh workload), as
    get-answer prints it: every choice the body selects or updates gets a ChoiceAnswer."""
    selected = body.get("SelectedChoices", [])
    updates = body.get("ChoiceUpdates", {})
    choice_answers = []
    for choice in choices_of(kb, question_id):
        update = updates.get(choice["ChoiceId"])
        if update is not None:
            choice_answers.append({"ChoiceId": choice["ChoiceId"], "Reason": "NONE", "Notes": ""} | update)
        elif choice["ChoiceId"] in selected:
            choice_answers.append({"ChoiceId": choice["ChoiceId"], "Status": "SELECTED", "Reason": "NONE"})
    return answer_output(
        kb,
        question_id,
        {
            "SelectedChoices": selected,
            "ChoiceAnswers": choice_answers,
            "IsApplicable": body["IsApplicable"],
            "Risk": "HIGH",
            "Notes": body.get("Notes", ""),
            "Reason": body.get("Reason", "NONE"),
        },
    )


def test_the_real_aws_cli_carries_choice_statuses_reasons_and_notes_and_import_restores_them(
    kb: KnowledgeBase,
    tmp_path: Path,
    recording_server: tuple[str, list[tuple[str, str, dict[str, Any]]]],
) -> None:
    """The WA Tool script's requests, recorded through the real AWS CLI, carry choice statuses, reason codes
    and notes (hostile ones too), each valid for the API's model; get-answer's output of what they set
    reads back into the state they came from, and list-answers' into all of it but the notes."""
    pytest.importorskip(
        "awscli", reason="awscli is not installed (pip install awscli): the real AWS CLI is not run"
    )
    endpoint, requests = recording_server
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    reasoned = json.loads(json.dumps(REASONED))
    reasoned["answers"]["endpoint_scaling"]["notes"] = f"file://{secret}"  # with choice updates too
    script = write_script(tmp_path, reasoned)
    text = script.read_text(encoding="utf-8")
    assert text.count("--choice-updates='{") == 3 and "--reason 'ARCHITECTURE_CONSTRAINTS'" in text
    assert "# 3 answers (1 not applicable; 3 practices marked not applicable), then the milestone." in text
    run_with_aws_cli(script, tmp_path, endpoint)  # nothing in the notes ran (it checks no file appeared)
    patches = {path.rsplit("/", 1)[1]: body for method, path, body in requests if method == "PATCH"}
    assert list(patches) == ["data_quality", "model_review", "endpoint_scaling"]
    for question_id, body in patches.items():
        assert model_problems("UpdateAnswerInput", body, question_id) == []
    # The check is the model's: a body the API would refuse is named.
    assert model_problems(
        "UpdateAnswerInput", {"ChoiceUpdates": {"c": {"Status": "MAYBE", "Notes": "n" * 251}}, "Risk": "HIGH"}
    ) == [
        ".ChoiceUpdates.c.Status: 'MAYBE' is not one of ['SELECTED', 'NOT_APPLICABLE', 'UNSELECTED']",
        ".ChoiceUpdates.c.Notes: 251 characters, outside 0..250",
        ".Risk: not a member of UpdateAnswerInput",
    ]
    assert patches["data_quality"] == {
        "SelectedChoices": ["data_quality_profile", "data_quality_version"],
        "ChoiceUpdates": {
            "data_quality_profile": {"Status": "SELECTED", "Notes": "file:///etc/passwd"},
            "data_quality_lineage": {
                "Status": "NOT_APPLICABLE",
                "Reason": "BUSINESS_PRIORITIES",
                "Notes": CHOICE_HOSTILE,
            },
            "data_quality_catalog": {"Status": "UNSELECTED", "Notes": "-catalog later"},
        },
        "IsApplicable": True,
        "Notes": "- profiled weekly",
    }
    assert patches["model_review"] == {
        "ChoiceUpdates": {
            "model_review_signoff": {"Status": "NOT_APPLICABLE", "Reason": "OTHER", "Notes": "--"}
        },
        "IsApplicable": False,
        "Reason": "ARCHITECTURE_CONSTRAINTS",
        "Notes": HOSTILE,
    }
    assert patches["endpoint_scaling"] == {
        "SelectedChoices": ["endpoint_scaling_auto"],
        "ChoiceUpdates": {"endpoint_scaling_multi_az": {"Status": "NOT_APPLICABLE", "Reason": "NONE"}},
        "IsApplicable": True,
        "Notes": f"file://{secret}",
    }
    original = parse_state(reasoned, kb)
    outputs = [tool_answer(kb, question_id, body) for question_id, body in patches.items()]
    result, out = import_answers(tmp_path, outputs)
    assert result.returncode == 0 and result.stderr == ""
    back = parse_state_text(out.read_text(encoding="utf-8"), kb)
    assert back.answers == original.answers
    assert back.to_json(kb) == original.to_json(kb)
    # list-answers: the same statuses and reasons, without notes (and it says so).
    listed = list_answers(kb, {})
    for summary in listed["AnswerSummaries"]:
        if summary["QuestionId"] in patches:
            answer = tool_answer(kb, summary["QuestionId"], patches[summary["QuestionId"]])["Answer"]
            summary |= {key: answer[key] for key in ("SelectedChoices", "IsApplicable", "Reason")}
            summary["ChoiceAnswerSummaries"] = [
                {key: c[key] for key in ("ChoiceId", "Status", "Reason")} for c in answer["ChoiceAnswers"]
            ]
    result, out = import_answers(tmp_path, listed)
    assert result.returncode == 0 and "list-answers does not give notes" in result.stderr
    back = parse_state_text(out.read_text(encoding="utf-8"), kb)
    for question_id, answer in original.answers.items():
        marked = {c: (m.not_applicable, m.reason) for c, m in answer.set_aside.items()}
        got = back.answer(question_id)
        assert (got.selected, got.not_applicable, got.reason) == (
            answer.selected,
            answer.not_applicable,
            answer.reason,
        )
        assert {c: (m.not_applicable, m.reason) for c, m in got.choices.items()} == marked


def test_practice_notes_are_cleaned_and_cut_to_the_apis_250(
    kb: KnowledgeBase,
    tmp_path: Path,
    recording_server: tuple[str, list[tuple[str, str, dict[str, Any]]]],
) -> None:
    """A lone surrogate (half an emoji a page may hold) becomes U+FFFD; notes over 250 UTF-16 units are
    cut on a whole character, and the script says so: the real AWS CLI sends what the API's model takes."""
    pytest.importorskip(
        "awscli", reason="awscli is not installed (pip install awscli): the real AWS CLI is not run"
    )
    endpoint, requests = recording_server
    long = "a" * 249 + "\U0001f600" + "tail"
    state = State(
        answers={
            "model_review": Answer(
                ("model_review_metrics",),
                choices={
                    "model_review_bias": ChoiceAnswer(True, "OTHER", "half \ud83d an emoji"),
                    "model_review_signoff": ChoiceAnswer(False, "OUT_OF_SCOPE", long),
                },
            )
        }
    )
    text = watool.script(kb, state, WORKLOAD, LENS_ARN)
    assert "\ud83d" not in text
    assert "# A practice's notes are cut to the API's 250 characters.\n" in text
    script = tmp_path / "to-wa-tool.sh"
    script.write_text(text, encoding="utf-8")
    run_with_aws_cli(script, tmp_path, endpoint)
    body = requests[0][2]
    assert model_problems("UpdateAnswerInput", body) == []
    assert body["ChoiceUpdates"] == {
        "model_review_bias": {"Status": "NOT_APPLICABLE", "Reason": "OTHER", "Notes": "half \ufffd an emoji"},
        "model_review_signoff": {"Status": "UNSELECTED", "Notes": "a" * 249},
    }


def test_import_names_bad_statuses_reasons_and_practice_notes(kb: KnowledgeBase, tmp_path: Path) -> None:
    data = tool_answer(kb, "model_review", {"SelectedChoices": ["model_review_bias"], "IsApplicable": True})
    data["Answer"]["Reason"] = "BECAUSE"
    data["Answer"]["ChoiceAnswers"] = [
        {"ChoiceId": "model_review_bias", "Status": "NOT_APPLICABLE", "Reason": "OTHER"},
        {"ChoiceId": "model_review_metrics", "Status": "MAYBE"},
        {
            "ChoiceId": "model_review_signoff",
            "Status": "NOT_APPLICABLE",
            "Reason": "LATER",
            "Notes": "x" * 251,
        },
        {"ChoiceId": "model_review_no", "Status": "NOT_APPLICABLE"},
        {"Status": "SELECTED"},
    ]
    result, out = import_answers(tmp_path, data)
    assert result.returncode == 2 and not out.exists()
    where = f"{tmp_path / 'answers.json'}: Answer (model_review)"
    assert result.stderr.splitlines() == [
        f"{where}.Reason: must be one of OUT_OF_SCOPE, BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER, "
        'NONE, not "BECAUSE"',
        f'{where}.ChoiceAnswers[1].Status: must be SELECTED, NOT_APPLICABLE or UNSELECTED, not "MAYBE"',
        f"{where}.ChoiceAnswers[2].Reason: must be one of OUT_OF_SCOPE, BUSINESS_PRIORITIES, "
        'ARCHITECTURE_CONSTRAINTS, OTHER, NONE, not "LATER"',
        f"{where}.ChoiceAnswers[2].Notes: 251 characters; a practice's notes have at most 250",
        f"{where}.ChoiceAnswers[3]: 'model_review_no' (None of these) cannot be NOT_APPLICABLE",
        f"{where}.ChoiceAnswers[4]: must be an object with a ChoiceId",
        f"{where}: 'model_review_bias' is both selected and NOT_APPLICABLE",
    ]

"""The command line end to end: golden files for every format, compare and the lens, and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from checklist import lens
from checklist.knowledge import AwsLens, KnowledgeBase
from checklist.migrate import VERSION
from sitebuilder import kbfile

TESTS = Path(__file__).parent
FIXTURE_KB = TESTS / "fixtures" / "engine-kb.yml"
STATES = TESTS / "fixtures" / "states"
GOLDEN = TESTS / "golden"
REAL_KB = TESTS.parent / "docs" / "knowledge-base.yml"


cli = run_cli


def golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites it (review the diff before committing)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == text, f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("json", "early.result.json"), ("markdown", "early.report.md"), ("csv", "early.backlog.csv")],
)
def test_assess_formats_match_golden_files(fmt: str, name: str, tmp_path: Path) -> None:
    out = tmp_path / name
    result = cli("assess", STATES / "early.json", "--kb", FIXTURE_KB, "--format", fmt, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    golden(name, out.read_bytes().decode("utf-8"))
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitebuilder.cli",
            "assess",
            str(STATES / "early.json"),
            "--kb",
            str(FIXTURE_KB),
            "--format",
            fmt,
        ],
        capture_output=True,
        timeout=60,
    )
    assert again.stdout == out.read_bytes(), "standard output and -o FILE differ"


def test_csv_is_rfc4180_and_importable() -> None:
    text = (GOLDEN / "early.backlog.csv").read_bytes().decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    # The columns importers already map come first, unchanged; the decision's columns follow them.
    assert rows[0][:12] == [
        "Id",
        "Rank",
        "Bucket",
        "Pillar",
        "Question",
        "Recommendation",
        "Improvement",
        "Impact",
        "Effort",
        "ML Lens",
        "Reference URL",
        "Workload",
    ]
    assert rows[0][12:19] == ["Status", "Owner", "Due", "Ticket", "Note", "Reason", "Review by"]
    assert rows[0][19:] == ["Lens"]  # appended last, so importers keep their mapping
    plan = json.loads((GOLDEN / "early.result.json").read_text())["recommendations"]
    assert [row[0] for row in rows[1:]] == [item["choice"] for item in plan]  # the stable id: the practice
    assert [row[1] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]
    assert [row[9] for row in rows if row[5] == "Version datasets"] == ["MLOPS03-BP02 MLREL01-BP01"]
    assert {row[11] for row in rows[1:]} == {"Churn | prediction *v2*"}
    assert any('"' in cell or "|" in cell for row in rows for cell in row)  # quoting exercised


def test_markdown_report_is_ready_to_paste() -> None:
    text = (GOLDEN / "early.report.md").read_text()
    assert "Churn \\| prediction \\*v2\\*" in text  # user text cannot break the table or the emphasis
    assert text.count("- [ ] ") == len(
        json.loads((GOLDEN / "early.result.json").read_text())["recommendations"]
    )


def test_compare_milestones(tmp_path: Path) -> None:
    as_json = cli("compare", STATES / "early.json", STATES / "later.json", "--kb", FIXTURE_KB)
    assert as_json.returncode == 0, as_json.stderr
    golden("compare.json", as_json.stdout)
    data = json.loads(as_json.stdout)
    resolved = {c["question"]: (c["from"], c["to"]) for p in data["pillars"] for c in p["resolved"]}
    assert resolved == {"data_quality": ("medium", "none")}
    worsened = {c["question"]: (c["from"], c["to"]) for p in data["pillars"] for c in p["worsened"]}
    assert worsened == {"endpoint_scaling": ("medium", "high")}
    assert [c["choice"] for p in data["pillars"] for c in p["added"]] == [
        "data_quality_lineage",
        "model_review_metrics",
    ]
    assert [c["choice"] for p in data["pillars"] for c in p["removed"]] == ["endpoint_scaling_auto"]
    assert data["summary_text"] == (
        "Since “early”: 1 risk resolved, 0 improved, 1 worsened; 2 practices added, 1 removed."
    )
    as_md = cli(
        "compare", STATES / "early.json", STATES / "later.json", "--kb", FIXTURE_KB, "--format", "markdown"
    )
    golden("compare.md", as_md.stdout)


def test_lens_export_matches_golden_and_the_format(tmp_path: Path) -> None:
    out = tmp_path / "lens.json"
    result = cli("lens", "--kb", FIXTURE_KB, "-o", out)
    assert result.returncode == 0, result.stderr
    golden("lens.json", out.read_text())
    document = json.loads(out.read_text())
    assert document["schemaVersion"] == "2021-11-01"
    question = document["pillars"][0]["questions"][0]
    assert question["choices"][-1] == {"id": "data_quality_no", "title": "None of these"}
    assert question["riskRules"][-1] == {"condition": "default", "risk": "HIGH_RISK"}
    assert all("improvementPlan" in c for c in question["choices"][:-1])


def asked_lenses(kb: KnowledgeBase) -> list[AwsLens]:
    """The KB's lenses that have a checklist question, in its order: each is one custom lens."""
    assert kb.checklist is not None
    return [x for x in kb.lenses if any(q.lens == x.id for q in kb.checklist.questions)]


def test_real_kb_exports_one_lens_file_per_lens_each_within_every_limit(tmp_path: Path) -> None:
    """The KB reviews with the ML Lens, the Generative AI Lens and (once it has questions) the Agentic AI
    Lens: a folder gets one custom lens each, each holding its lens's questions only, named for its lens,
    within the format's limits."""
    out = tmp_path / "lenses"
    result = cli("lens", "-o", out)
    assert result.returncode == 0, result.stderr
    kb = kbfile.load(REAL_KB)
    assert kb.checklist is not None
    questions = kb.checklist.questions
    asked = asked_lenses(kb)
    assert {"machine_learning", "generative_ai"} <= {x.id for x in asked}
    files = {f.name: f for f in out.iterdir()}
    expected = {f"custom-lens-{x.id.replace('_', '-')}.json": x for x in asked}
    assert sorted(files) == sorted(expected)
    for file_name, aws_lens in expected.items():
        path, lens_id, name = files[file_name], aws_lens.id, aws_lens.name
        document = json.loads(path.read_text())
        assert lens.problems(document) == [], path.name
        assert len(path.read_bytes()) <= 500 * 1024
        assert [p["id"] for p in document["pillars"]] == [
            p.lens_pillar_id
            for p in kb.pillars
            if any(q.pillar == p.id and q.lens == lens_id for q in questions)
        ]
        assert document["name"] == f"{kb.site.title} checklist: {name}"
        asked_here = [q["id"] for p in document["pillars"] for q in p["questions"]]
        assert sorted(asked_here) == sorted(q.id for q in questions if q.lens == lens_id)
        # One lens at a time is the same file.
        one = tmp_path / f"{lens_id}.json"
        assert cli("lens", "--lens", lens_id, "-o", one).returncode == 0
        assert one.read_bytes() == path.read_bytes()


def test_a_kb_of_several_lenses_names_where_its_lens_files_go(tmp_path: Path) -> None:
    """One file cannot hold two lenses: the command says what to pass instead and writes nothing."""
    ids = [x.id for x in asked_lenses(kbfile.load(REAL_KB))]
    for output in [[], ["-o", str(tmp_path / "lens.json")]]:
        result = cli("lens", *output)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (
            f"this checklist has {len(ids)} lenses ({', '.join(ids)}), one custom lens file each: "
            "pass -o FOLDER for all of them, or --lens LENS_ID -o FILE for one\n"
        )
    assert list(tmp_path.iterdir()) == []
    wrong = cli("lens", "--lens", "no_such_lens")
    assert wrong.returncode == 2
    assert wrong.stderr == (
        f"--lens 'no_such_lens': not a lens of this checklist; its lenses: {', '.join(ids)}\n"
    )


def test_a_workload_without_generative_ai_gets_no_genai_lens_file(tmp_path: Path) -> None:
    """A workload's lenses leave out what its scope does: no GenAI question, no GenAI lens file."""
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps({"version": VERSION, "scope": {"generative_ai": "no_generative_ai"}, "answers": {}}),
        encoding="utf-8",
    )
    result = cli("lens", "--state", state, "-o", tmp_path / "lenses")
    assert result.returncode == 0, result.stderr
    assert sorted(f.name for f in (tmp_path / "lenses").iterdir()) == [
        "custom-lens-machine-learning.json",
        "custom-lens-responsible-ai.json",  # the Responsible AI Lens reviews every workload
    ]
    assert (
        "leaves out every question of the Generative AI Lens: no custom-lens-generative-ai.json"
        in result.stderr
    )
    one = cli("lens", "--state", state, "--lens", "generative_ai")
    assert one.returncode == 2 and one.stdout == ""
    assert "leaves out every question of the Generative AI Lens: there is no lens to write" in one.stderr


def test_lens_limits_are_named_when_broken() -> None:
    kb = kbfile.load(FIXTURE_KB)
    document = lens.build(kb)
    question = document["pillars"][0]["questions"][0]
    question["title"] = "x" * 129
    question["choices"] = question["choices"] * 5
    question["riskRules"] = question["riskRules"] + question["riskRules"]
    document["pillars"] = document["pillars"] * 6
    found = lens.problems(document)
    assert "the lens has 12 pillars; it needs 1 to 10" in found
    assert "pillar pillarOne, question data_quality: title: 129 characters, the limit is 128" in found
    assert "pillar pillarOne, question data_quality: 25 choices, the limit is 15" in found
    assert "pillar pillarOne, question data_quality: 6 risk rules; 1 to 3" in found
    assert any("is used twice" in f for f in found)


@pytest.mark.parametrize("command", [[], ["assess"], ["compare"], ["lens"]])
def test_help_for_the_command_and_each_subcommand(command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.returncode == 0
    assert "usage: python -m sitebuilder.cli" in result.stdout


def test_exit_codes_and_errors_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 9, "answers": {"data_quality": {"selected": ["nope"]}}}))
    result = cli("assess", bad, "--kb", FIXTURE_KB)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}: version: must be a number from 1 to 4 (got 9)",
        f"{bad}: answers.data_quality.selected[0]: unknown choice 'nope' for this question",
    ]
    missing = cli("assess", tmp_path / "missing.json", "--kb", FIXTURE_KB)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    no_kb = cli("assess", STATES / "early.json", "--kb", tmp_path / "nowhere.yml")
    assert no_kb.returncode == 2 and "knowledge base not found" in no_kb.stderr
    usage = cli("assess")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    broken_kb = tmp_path / "kb.yml"
    broken_kb.write_text(FIXTURE_KB.read_text().replace("risk: none", "risk: nil", 1))
    kb_error = cli("assess", STATES / "early.json", "--kb", broken_kb)
    assert kb_error.returncode == 2
    assert (
        ": checklist.questions[0].risk_rules[0].risk: must be one of high, medium, none (got 'nil')"
        in kb_error.stderr
    )


def test_stdin_and_dropped_question_warning() -> None:
    state = json.loads((STATES / "early.json").read_text())
    state["answers"]["retired"] = {"selected": ["x"]}
    result = cli("assess", "-", "--kb", FIXTURE_KB, stdin=json.dumps(state))
    assert result.returncode == 0
    assert result.stderr == "-: warning: dropped answers to questions this checklist does not have: retired\n"


def test_real_kb_content_rules() -> None:
    kb = kbfile.load(REAL_KB)
    assert kb.checklist is not None
    for pillar in kb.pillars:
        questions = [q for q in kb.checklist.questions if q.pillar == pillar.id]
        assert len(questions) >= 5, pillar.id
        assert len({q.focus for q in questions}) >= 3, pillar.id
    assert len(kb.checklist.questions) >= 30
    assert {q.focus for q in kb.checklist.questions} == {f.id for f in kb.checklist.focus_areas}
    assert all(3 <= len(q.choices) <= 8 for q in kb.checklist.questions)
    assert sum(1 for q in kb.checklist.questions for c in q.choices if c.lens_refs) >= 100


def test_real_kb_assess_in_every_format(tmp_path: Path) -> None:
    kb = kbfile.load(REAL_KB)
    assert kb.checklist is not None
    answers = {q.id: {"selected": [q.choices[0].id]} for q in kb.checklist.questions[::2]}
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 1, "answers": answers}))
    data = json.loads(cli("assess", state).stdout)
    assert data["summary"]["answered"] == len(answers)
    plan = data["recommendations"]
    assert plan
    markdown = cli("assess", state, "--format", "markdown")
    assert markdown.returncode == 0, markdown.stderr
    tasks = [line for line in markdown.stdout.splitlines() if line.startswith("- [ ] ")]
    assert len(tasks) == len(plan)
    assert f"{len(answers)} of {len(kb.checklist.questions)} questions answered." in markdown.stdout
    rows = list(csv.reader(io.StringIO(cli("assess", state, "--format", "csv").stdout, newline="")))
    assert [row[5] for row in rows[1:]] == [item["title"] for item in plan]
    assert [row[0] for row in rows[1:]] == [item["choice"] for item in plan]


def test_the_report_is_dated_when_the_review_date_is_given() -> None:
    dated = cli(
        "assess", STATES / "early.json", "--kb", FIXTURE_KB, "--format", "markdown", "--today", "2026-11-29"
    )
    assert dated.returncode == 0, dated.stderr
    assert "Assessed on 2026-11-29." in dated.stdout
    undated = cli("assess", STATES / "early.json", "--kb", FIXTURE_KB, "--format", "markdown")
    assert "Assessed on" not in undated.stdout
    bad = cli("assess", STATES / "early.json", "--kb", FIXTURE_KB, "--today", "29/11/2026")
    assert (bad.returncode, bad.stderr) == (2, "--today: must be a date as YYYY-MM-DD (got '29/11/2026')\n")

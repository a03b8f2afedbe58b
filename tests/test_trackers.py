"""Tracker hand-off: the Jira, Azure Boards and GitLab CSVs and the GitHub CLI script hold the active work,
with its stable id and priority, and nothing a team types into a decision can run as a command."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from checklist import report, trackers
from checklist.api import Session
from checklist.assess import assess
from checklist.knowledge import KnowledgeBase
from checklist.result import Recommendation, Result
from checklist.state import parse_state
from sitebuilder import kbfile

TESTS = Path(__file__).parent
FIXTURE_KB = TESTS / "fixtures" / "engine-kb.yml"
KB = kbfile.load(FIXTURE_KB)
HOSTILE_OWNER = "o'brien; $(touch PWNED_OWNER)"
HOSTILE_WORKLOAD = "Churn'; touch PWNED_W; echo '\n$(touch PWNED_W2)`touch PWNED_W3`"
FORMATS = ("jira", "azure-boards", "gitlab", "github")


def hostile_note(marker: Path) -> str:
    return (
        f"'; touch {marker}; echo '$(touch PWNED)`touch PWNED2`; mkdir PWNED4\n"
        "WA_ML_BODY_1\ntouch PWNED3\n/close\n"
        "end with a backslash \\"
    )


def state_data(note: str = "A note.") -> dict[str, Any]:
    """Seven recommendations over all four buckets: one planned (rank 1, hostile), one in progress, one won't
    do, one accepted risk (which leaves the plan), the rest open."""
    return {
        "version": 3,
        "workload": {"name": HOSTILE_WORKLOAD, "owner": "Ana"},
        "scope": {"inference_mode": "realtime_inference", "data_sensitivity": "sensitive_data"},
        "answers": {
            "data_quality": {"selected": ["data_quality_lineage"]},
            "model_review": {"selected": ["model_review_signoff"]},
            "endpoint_scaling": {"selected": ["endpoint_scaling_test"]},
        },
        "decisions": {
            "data_quality_profile": {
                "status": "planned",
                "owner": HOSTILE_OWNER,
                "due": "2025-03-31",
                "note": note,
            },
            "model_review_metrics": {"status": "in_progress", "owner": "dana"},
            "endpoint_scaling_auto": {"status": "wont_do", "reason": "Traffic is flat."},
            "model_review_bias": {
                "status": "risk_accepted",
                "reason": "No personal data yet.",
                "review": "2025-06-30",
            },
        },
    }


def result_for(data: dict[str, Any]) -> Result:
    return assess(KB, parse_state(data, KB))


RESULT = result_for(state_data())
ACTIVE = trackers.active(RESULT)
FIRST_BUCKET = RESULT["buckets"][0]["id"]
LAST_BUCKET = RESULT["buckets"][-1]["id"]


def rows(text: str) -> list[list[str]]:
    assert text.endswith("\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


def by_bucket(bucket: str) -> Recommendation:
    return next(item for item in ACTIVE if item["bucket"] == bucket)


def test_the_fixture_state_covers_every_status_and_the_first_and_last_bucket() -> None:
    statuses = [item["decision"]["status"] for item in RESULT["recommendations"]]
    assert sorted(set(statuses)) == ["in_progress", "open", "planned", "wont_do"]
    assert [item["choice"] for item in ACTIVE] == [
        "data_quality_profile",
        "model_review_metrics",
        "data_quality_version",
        "endpoint_scaling_multi_az",
        "data_quality_catalog",
    ]
    assert [item["rank"] for item in ACTIVE] == sorted(item["rank"] for item in ACTIVE)
    assert {FIRST_BUCKET, LAST_BUCKET} <= {item["bucket"] for item in ACTIVE}
    assert len(RESULT["buckets"]) == 4


def test_description_carries_the_work_and_the_decision() -> None:
    text = trackers.description(RESULT, ACTIVE[0])
    assert text == (
        "Profile every new data source before it is used.\n"
        "\n"
        "Question: How do you keep training data sound? (Pillar One)\n"
        "Impact: high; effort: low\n"
        "ML Lens: MLOPS03-BP01\n"
        "Reference: https://example.com/beta\n"
        "Workload: Churn'; touch PWNED_W; echo ' $(touch PWNED_W2)`touch PWNED_W3`\n"
        "Status: Planned\n"
        f"Owner: {HOSTILE_OWNER}\n"
        "Due: 2025-03-31\n"
        "Note: A note.\n"
        "Stable id: wa-ml:data_quality_profile"
    )
    version = next(item for item in ACTIVE if item["choice"] == "data_quality_version")
    unnamed: Result = {**RESULT, "workload": {}}
    assert "ML Lens: MLOPS03-BP02, MLREL01-BP01\n" in trackers.description(unnamed, version)
    assert "Workload" not in trackers.description(unnamed, version)


def test_jira_csv() -> None:
    table = rows(trackers.to_jira(RESULT))
    assert table[0] == ["Summary", "Description", "Priority", "Labels", "Labels", "Due date", "Assignee"]
    body = table[1:]
    assert len(body) == len(ACTIVE)
    for row, item in zip(body, ACTIVE, strict=True):
        assert row[0] == item["title"]
        assert row[1] == trackers.description(RESULT, item)
        assert row[3:5] == ["wa-ml", f"wa-ml:{item['choice']}"]
    assert body[0][2] == "Highest" and body[0][5:] == ["2025-03-31", HOSTILE_OWNER]
    assert body[1][5:] == ["", "dana"]
    last = ACTIVE.index(by_bucket(LAST_BUCKET)) + 1
    assert table[last][2] == "Low"
    assert [row[2] for row in body] == ["Highest", "Highest", "High", "High", "Low"]


def test_azure_boards_csv() -> None:
    table = rows(trackers.to_azure_boards(RESULT))
    assert table[0] == ["Work Item Type", "Title", "Description", "Priority", "Tags", "Assigned To"]
    assert "ID" not in table[0]
    body = table[1:]
    assert len(body) == len(ACTIVE)
    for row, item in zip(body, ACTIVE, strict=True):
        assert row[0] == "Task" and row[1] == item["title"]
        assert row[4].split("; ") == ["wa-ml", f"wa-ml:{item['choice']}"]
        assert f"Stable id: wa-ml:{item['choice']}" in row[2]
    assert [row[3] for row in body] == ["1", "1", "2", "2", "4"]
    assert body[0][5] == HOSTILE_OWNER and body[2][5] == ""


def test_gitlab_csv_labels_by_quick_action_and_notes_cannot_add_their_own() -> None:
    result = result_for(state_data(note="first line\n/close\n  /assign @someone\r/confidential"))
    table = rows(trackers.to_gitlab(result))
    assert table[0] == ["title", "description", "due_date"]
    body = table[1:]
    assert len(body) == len(ACTIVE)
    for row, item in zip(body, trackers.active(result), strict=True):
        assert row[0] == item["title"]
        assert f"Stable id: wa-ml:{item['choice']}" in row[1]
        assert f"Reference: {item['reference']}" in row[1]
    assert body[0][1].startswith('/label ~"wa-ml" ~"priority::1"\n\n')
    assert body[-1][1].startswith('/label ~"wa-ml" ~"priority::4"\n\n')
    assert [row[2] for row in body] == ["2025-03-31", "", "", "", ""]
    quick_actions = [
        line for row in body for line in row[1].replace("\r", "\n").split("\n") if line[:1] == "/"
    ]
    assert quick_actions == [line for line in quick_actions if line.startswith("/label ")]
    assert len(quick_actions) == len(body)
    assert "Note: first line\n /close\n  /assign @someone\r /confidential\n" in body[0][1]


GH_STUB = """#!{python}
import json, os, sys
argv = sys.argv[1:]
stdin = sys.stdin.buffer.read().decode("utf-8") if "--body-file=-" in argv else None
with open(os.environ["GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"argv": argv, "stdin": stdin}}) + "\\n")
"""


def run_script(script: str, tmp_path: Path) -> tuple[list[dict[str, Any]], Path]:
    """Run the script with ``sh`` and a stub ``gh`` first on PATH, in an empty folder; the calls it made."""
    bin_dir, work = tmp_path / "bin", tmp_path / "work"
    bin_dir.mkdir()
    work.mkdir()
    stub = bin_dir / "gh"
    stub.write_text(GH_STUB.format(python=sys.executable), encoding="utf-8")
    stub.chmod(0o755)
    path = tmp_path / "issues.sh"
    path.write_bytes(script.encode("utf-8"))
    log = tmp_path / "gh.log"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GH_LOG": str(log)}
    done = subprocess.run(["sh", str(path)], cwd=work, env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    calls = [json.loads(line) for line in lines]
    return calls, work


def options(argv: list[str]) -> list[tuple[str, str]]:
    return [tuple(arg.split("=", 1)) for arg in argv if arg.startswith("--") and "=" in arg]  # type: ignore[misc]


def test_github_script_creates_the_issues_and_runs_nothing_it_carries(tmp_path: Path) -> None:
    marker = tmp_path / "pwned-marker"
    note = hostile_note(marker)
    result = result_for(state_data(note=note))
    items = trackers.active(result)
    script = trackers.to_github(result)
    assert script.startswith("#!/bin/sh\n# ") and "\nset -eu\n" in script
    assert "# Needs the GitHub CLI (gh), authenticated (gh auth login); run it inside a clone" in script
    assert "<<'WA_ML_BODY_1_'" in script  # the note holds the plain delimiter as a line of its own

    calls, work = run_script(script, tmp_path)

    assert sorted(p.name for p in work.iterdir()) == []
    assert not marker.exists()
    assert not list(tmp_path.glob("PWNED*"))
    creates = [c for c in calls if c["argv"][:2] == ["issue", "create"]]
    assert [c["stdin"] for c in creates] == [trackers.description(result, i) + "\n" for i in items]
    assert note in creates[0]["stdin"]  # byte for byte
    assert [dict(options(c["argv"]))["--title"] for c in creates] == [i["title"] for i in items]
    labels = [[v for k, v in options(c["argv"]) if k == "--label"] for c in creates]
    assert labels[0] == ["wa-ml", "wa-ml:data_quality_profile", "priority::1"]
    assert labels[-1] == ["wa-ml", "wa-ml:data_quality_catalog", "priority::4"]
    assignees = [[v for k, v in options(c["argv"]) if k == "--assignee"] for c in creates]
    assert assignees == [[HOSTILE_OWNER], ["dana"], [], [], []]
    lists = [c for c in calls if c["argv"][:2] == ["issue", "list"]]
    assert [dict(options(c["argv"]))["--label"] for c in lists] == [f"wa-ml:{i['choice']}" for i in items]
    made = [c["argv"][2] for c in calls if c["argv"][:2] == ["label", "create"]]
    assert made[:5] == ["wa-ml", "priority::1", "priority::2", "priority::3", "priority::4"]
    assert made[5:] == [f"wa-ml:{i['choice']}" for i in items]
    assert [c["argv"][:2] for c in calls].index(["issue", "create"]) > len(made)


def test_github_script_skips_an_issue_that_exists(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    calls, _ = run_script(trackers.to_github(RESULT), tmp_path)
    assert len([c for c in calls if c["argv"][:2] == ["issue", "create"]]) == len(ACTIVE)
    (bin_dir / "gh").write_text(
        f"#!{sys.executable}\nimport sys\nprint('42' if sys.argv[1:3] == ['issue', 'list'] else '')\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    again = subprocess.run(
        ["sh", str(tmp_path / "issues.sh")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("exists, skipped") == len(ACTIVE)
    assert "wa-ml:data_quality_profile: issue #42 exists, skipped\n" in again.stdout


def test_github_label_for_an_id_too_long_stays_unique_and_fits() -> None:
    item = {**ACTIVE[0], "choice": "sus_inference_efficiency_tracking_utilization"}
    other = {**ACTIVE[0], "choice": "sus_inference_efficiency_tracking_utilization_2"}
    label = trackers.github_id_label(RESULT, item)  # type: ignore[arg-type]
    assert len(label) == 50 and label.startswith("wa-ml:sus_inference")
    assert label != trackers.github_id_label(RESULT, other)  # type: ignore[arg-type]
    assert trackers.github_id_label(RESULT, ACTIVE[0]) == "wa-ml:data_quality_profile"


def test_nothing_to_do_gives_headers_and_a_script_that_does_nothing(tmp_path: Path) -> None:
    empty = result_for({"version": 3, "workload": {"name": "Empty"}})
    for fmt, header in (("jira", trackers.JIRA_COLUMNS), ("azure-boards", trackers.AZURE_COLUMNS)):
        assert rows(report.FORMATS[fmt](empty)) == [list(header)]
    assert rows(trackers.to_gitlab(empty)) == [list(trackers.GITLAB_COLUMNS)]
    calls, _ = run_script(trackers.to_github(empty), tmp_path)
    assert calls == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_the_renderers_text(fmt: str, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(state_data()), encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("assess", state, "--kb", FIXTURE_KB, "--format", fmt, "-o", out)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().decode("utf-8") == report.FORMATS[fmt](RESULT)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_page_downloads_the_same_bytes(fmt: str) -> None:
    reply = json.loads(
        Session(json.dumps(KB.source)).handle(
            json.dumps({"op": "report", "state": state_data(), "format": fmt})
        )
    )
    assert reply == {"ok": True, "text": report.FORMATS[fmt](RESULT)}


def test_exports_are_deterministic() -> None:
    for fmt in FORMATS:
        assert report.FORMATS[fmt](result_for(state_data())) == report.FORMATS[fmt](RESULT)


def test_every_ticket_is_labelled_with_the_kbs_site_and_not_ours(tmp_path: Path) -> None:
    """Two sites' tickets in one tracker stay apart: each carries its own site's id, and the GitHub script
    names the site's review."""
    other = KnowledgeBase.from_dict({**KB.source, "site": {"id": "lens-pipeline", "title": "Pipeline Lens"}})
    result = assess(other, parse_state(state_data(), other))
    items = trackers.active(result)
    for row, item in zip(rows(trackers.to_jira(result))[1:], items, strict=True):
        assert row[3:5] == ["lens-pipeline", f"lens-pipeline:{item['choice']}"]
        assert row[1].endswith(f"\nStable id: lens-pipeline:{item['choice']}")
    for row in rows(trackers.to_azure_boards(result))[1:]:
        assert row[4].split("; ")[0] == "lens-pipeline"
    assert rows(trackers.to_gitlab(result))[1][1].startswith('/label ~"lens-pipeline" ~"priority::1"\n\n')
    script = trackers.to_github(result)
    assert "# GitHub issues for the open work of a Pipeline Lens review.\n" in script
    assert "wa-ml" not in script and "AI/ML" not in script
    calls, _ = run_script(script, tmp_path)
    made = [c["argv"] for c in calls if c["argv"][:2] == ["label", "create"]]
    assert made[0][2] == "lens-pipeline" and "--description=Pipeline Lens review" in made[0]
    creates = [c for c in calls if c["argv"][:2] == ["issue", "create"]]
    assert [v for k, v in options(creates[0]["argv"]) if k == "--label"][:2] == [
        "lens-pipeline",
        f"lens-pipeline:{items[0]['choice']}",
    ]

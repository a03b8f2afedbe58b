"""Tracker status back into decisions: each tracker's export, as that tracker writes it, updates the matching
decisions by the rule in checklist.trackerstatus, and what does not match or conflicts is reported, not applied.

The fixtures in tests/fixtures/trackers/ follow each tracker's documented export:
- jira.csv: Jira's issue search → Export → CSV: Summary, Issue key, Issue id, ..., Status, Resolution, one
  "Labels" column per label, Description (the header as Jira writes it; no web address column).
- github.json: ``gh issue list --state all --json number,title,state,labels,url``, as the GitHub CLI manual
  lists its JSON fields (state OPEN or CLOSED, labels as objects with a name), compact as gh prints to a pipe.
- gitlab.csv: GitLab's "Export issues to CSV": Issue ID, URL, Title, State ("Open" or "Closed"), Description,
  ..., Labels ("title of any labels joined with a ,"), with the columns of recent versions (Locked, Closed At).
- azure.csv: Azure Boards' "Export to CSV" of a query (Microsoft's "Bulk import or update work items using
  CSV files"): ID, Work Item Type, Title, Assigned To, State, Tags, each value quoted, CRLF.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from checklist import trackers, trackerstatus
from checklist.api import Session
from checklist.assess import assess
from checklist.decisions import Decision
from checklist.knowledge import KnowledgeBase
from checklist.state import State, parse_state, parse_state_text
from checklist.trackerstatus import ExportError
from sitebuilder import kbfile

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures" / "trackers"
FIXTURE_KB = TESTS / "fixtures" / "engine-kb.yml"
KB = kbfile.load(FIXTURE_KB)
STATE_DATA: dict[str, Any] = {
    "version": 4,
    "workload": {"name": "Churn prediction"},
    "scope": {"inference_mode": "realtime_inference", "data_sensitivity": "sensitive_data"},
    "answers": {
        "data_quality": {"selected": ["data_quality_lineage"]},
        "model_review": {"selected": ["model_review_signoff"]},
        "endpoint_scaling": {"selected": ["endpoint_scaling_test"]},
    },
    "decisions": {
        "data_quality_profile": {"status": "planned", "owner": "Ana"},
        "model_review_metrics": {"status": "in_progress", "owner": "dana"},
        "endpoint_scaling_auto": {"status": "wont_do", "reason": "Traffic is flat."},
        "model_review_bias": {
            "status": "risk_accepted",
            "reason": "No personal data yet.",
            "review": "2027-06-30",
        },
    },
}
STATE = parse_state(STATE_DATA, KB)


def update(
    name_or_text: str, state: State = STATE, fmt: str = "", kb: KnowledgeBase = KB
) -> trackerstatus.Update:
    path = FIXTURES / name_or_text
    data = path.read_bytes() if path.suffix in (".csv", ".json") and path.is_file() else name_or_text
    return trackerstatus.update(kb, state, data, fmt)


def section(result: trackerstatus.Update, ident: str) -> list[str]:
    return [line.text for found in result.sections if found.id == ident for line in found.lines]


def refused(data: str | bytes, fmt: str = "") -> list[str]:
    with pytest.raises(ExportError) as error:
        trackerstatus.update(KB, STATE, data, fmt)
    return error.value.problems


# ---- each tracker's export, as it writes it -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("jira.csv", "jira"), ("github.json", "github"), ("gitlab.csv", "gitlab"), ("azure.csv", "azure")],
)
def test_the_format_is_read_from_the_file(name: str, fmt: str) -> None:
    data = (FIXTURES / name).read_text(encoding="utf-8")
    assert trackerstatus.detect(data) == fmt
    assert trackerstatus.read(data)[0] == fmt


def test_jira_export_updates_the_matching_decisions() -> None:
    result = update("jira.csv")
    decisions = result.state.decisions
    # In Progress, To Do and Done by the default workflow's statuses; Jira's export has no address column,
    # so the key goes into the note and the ticket field stays empty.
    assert decisions["data_quality_profile"] == Decision("in_progress", owner="Ana", note="Jira DP-1")
    assert decisions["model_review_metrics"] == Decision("planned", owner="dana", note="Jira DP-3")
    assert decisions["data_quality_version"] == Decision("in_progress", note="Jira DP-2")
    # Done with the resolution Won't Do: won't do, the resolution as the reason it needs.
    assert decisions["data_quality_catalog"] == Decision(
        "wont_do", note="Jira DP-4", reason="Resolved in Jira as Won't Do (DP-4)."
    )
    assert set(result.changed) == {
        "data_quality_profile",
        "model_review_metrics",
        "data_quality_version",
        "data_quality_catalog",
    }
    # A decision set here since (won't do) is not overwritten by the ticket still in progress.
    assert decisions["endpoint_scaling_auto"] == STATE.decisions["endpoint_scaling_auto"]
    assert section(result, "conflicts") == [
        "Scale automatically: the decision is Won't do (“Traffic is flat.”), but DP-5 is “In Progress”."
    ]
    assert section(result, "tick") == ["Version datasets: DP-2 is “Done”."]
    assert [line.choice for s in result.sections if s.id == "tick" for line in s.lines] == [
        "data_quality_version"
    ]
    assert section(result, "already") == ["Track lineage: the practice is ticked (DP-6 is “Done”)."]
    assert section(result, "unmatched") == [
        "DP-9 carries wa-ml:retired_practice, a practice this checklist does not have.",
        "1 item of another site's review (lens-genai), ignored.",
        "1 item with no stable id (wa-ml:<practice>), so not made from this checklist's exports, ignored.",
    ]
    assert result.summary == (
        "Read 9 items of the Jira export: 4 decisions updated, 1 to tick, 1 conflict, 1 already up to date, "
        "3 not matched."
    )
    # Nothing but the decisions changes, and the state still parses as a state file.
    assert result.state.answers == STATE.answers and result.state.workload == STATE.workload
    assert parse_state_text(result.state.to_json(KB), KB).decisions == decisions


def test_github_json_updates_the_matching_decisions() -> None:
    result = update("github.json")
    decisions = result.state.decisions
    url = "https://github.com/example/churn/issues/"
    # Open says only that a ticket exists: a planned decision stays planned, and gets its ticket.
    assert decisions["data_quality_profile"] == Decision("planned", owner="Ana", ticket=url + "11")
    assert decisions["data_quality_version"] == Decision("in_progress", ticket=url + "12")
    # An "in progress" label says more than open.
    assert decisions["endpoint_scaling_multi_az"] == Decision("in_progress", ticket=url + "13")
    assert decisions["model_review_bias"] == STATE.decisions["model_review_bias"]
    assert section(result, "conflicts") == [
        "Check for bias: the decision is Risk accepted (“No personal data yet.”), but #14 is “open”."
    ]
    assert section(result, "tick") == ["Version datasets: #12 is “closed”."]
    assert section(result, "changed")[0] == "Profile source data: ticket linked (#11 is “open”)."


def test_gitlab_csv_updates_the_matching_decisions() -> None:
    result = update("gitlab.csv")
    decisions = result.state.decisions
    url = "https://gitlab.com/example/churn/-/issues/"
    # GitLab ran the import's /label quick action: the stable id is the description's "Stable id:" line.
    assert decisions["data_quality_profile"] == Decision("in_progress", owner="Ana", ticket=url + "21")
    assert decisions["data_quality_version"] == Decision("in_progress", ticket=url + "22")
    assert decisions["data_quality_catalog"] == Decision("planned", ticket=url + "23")
    assert section(result, "tick") == ["Version datasets: #22 is “Closed”."]
    assert section(result, "unmatched") == [
        "1 item with no stable id (wa-ml:<practice>), so not made from this checklist's exports, ignored."
    ]


def test_azure_boards_csv_updates_the_matching_decisions() -> None:
    result = update("azure.csv")
    decisions = result.state.decisions
    assert decisions["data_quality_profile"] == Decision(
        "in_progress", owner="Ana", note="Azure Boards work item 1043"
    )
    assert decisions["data_quality_version"] == Decision("in_progress", note="Azure Boards work item 1044")
    assert decisions["data_quality_catalog"] == Decision(
        "wont_do", note="Azure Boards work item 1046", reason="Removed in Azure Boards (work item 1046)."
    )
    assert decisions["endpoint_scaling_multi_az"] == Decision("planned", note="Azure Boards work item 1047")
    # A state of the team's own process is not guessed at.
    assert decisions["model_review_metrics"] == STATE.decisions["model_review_metrics"]
    assert (
        "Agree on metrics: work item 1045 is “Blocked”, a state this tool does not know; nothing changed."
        in (section(result, "unmatched"))
    )


def test_reading_the_same_export_again_changes_nothing() -> None:
    first = update("jira.csv")
    second = update("jira.csv", first.state)
    assert second.changed == {} and second.state.decisions == first.state.decisions
    assert "Profile source data: In progress, as DP-1 is “In Progress”." in section(second, "already")
    assert section(second, "tick") == ["Version datasets: DP-2 is “Done”."]  # until the team ticks it


# ---- the state rule -----------------------------------------------------------------------------------

JIRA_HEAD = "Summary,Issue key,Issue id,Status,Resolution,Labels,Labels,Description\r\n"


def jira_row(key: str, status: str, choice: str, resolution: str = "") -> str:
    return f"{key} title,{key},1,{status},{resolution},wa-ml,wa-ml:{choice},\r\n"


@pytest.mark.parametrize(
    ("status", "resolution", "expected"),
    [
        ("To Do", "", "planned"),
        ("Backlog", "", "planned"),
        ("Selected for Development", "", "planned"),
        ("In Review", "", "in_progress"),
        ("Closed", "Fixed", "in_progress"),
        ("Resolved", "Won't Fix", "wont_do"),
        ("Done", "Declined", "wont_do"),
        ("Done", "Cannot Reproduce", "wont_do"),
    ],
)
def test_jira_statuses_and_resolutions(status: str, resolution: str, expected: str) -> None:
    result = update(JIRA_HEAD + jira_row("DP-1", status, "data_quality_version", resolution))
    assert result.state.decision("data_quality_version").status == expected
    assert bool(section(result, "tick")) == (status in ("Closed",))


def test_jira_status_category_places_a_custom_status() -> None:
    head = "Summary,Issue key,Status,Status Category,Labels\r\n"
    rows = "a,DP-1,Ready for QA,In Progress,wa-ml:data_quality_version\r\nb,DP-2,Shipped,Done,wa-ml:data_quality_catalog\r\n"
    result = update(head + rows)
    assert result.state.decision("data_quality_version").status == "in_progress"
    assert section(result, "tick") == ["Catalog datasets: DP-2 is “Shipped”."]


def test_a_duplicate_is_ignored_and_disagreeing_tickets_are_a_conflict() -> None:
    rows = jira_row("DP-1", "Done", "data_quality_version", "Duplicate") + jira_row(
        "DP-2", "In Progress", "data_quality_version"
    )
    result = update(JIRA_HEAD + rows)
    assert result.state.decision("data_quality_version").status == "in_progress"
    only = update(JIRA_HEAD + jira_row("DP-1", "Done", "data_quality_version", "Duplicate"))
    assert only.changed == {}
    assert section(only, "unmatched") == ["Version datasets: DP-1 closed as a duplicate; nothing changed."]
    rows = jira_row("DP-1", "To Do", "data_quality_version") + jira_row(
        "DP-2", "Done", "data_quality_version"
    )
    both = update(JIRA_HEAD + rows)
    assert both.changed == {}
    assert section(both, "conflicts") == [
        "Version datasets: its tickets disagree (DP-1 says “To Do”; DP-2 says “Done”); nothing changed."
    ]


def github(*issues: dict[str, Any]) -> str:
    return json.dumps(
        [
            {
                "number": n,
                "title": "t",
                "state": "OPEN",
                "url": f"https://github.com/o/r/issues/{n}",
                **issue,
                "labels": [{"name": name} for name in issue.get("labels", ())],
            }
            for n, issue in enumerate(issues, start=1)
        ]
    )


def test_github_not_planned_is_wont_do_with_a_reason_and_a_linked_ticket_is_never_replaced() -> None:
    result = update(
        github({"state": "CLOSED", "stateReason": "NOT_PLANNED", "labels": ["wa-ml:data_quality_profile"]})
    )
    assert result.state.decision("data_quality_profile") == Decision(
        "wont_do",
        owner="Ana",
        ticket="https://github.com/o/r/issues/1",
        reason="Closed in GitHub as not planned.",
    )
    linked = parse_state(
        {
            **STATE_DATA,
            "decisions": {
                "data_quality_profile": {
                    "status": "planned",
                    "ticket": "https://jira.example.com/browse/DP-1",
                }
            },
        },
        KB,
    )
    result = update(github({"labels": ["wa-ml:data_quality_profile"], "state": "CLOSED"}), linked)
    assert result.changed == {}
    assert section(result, "conflicts") == [
        "Profile source data: the decision links another ticket (https://jira.example.com/browse/DP-1); #1 is "
        "“closed” (https://github.com/o/r/issues/1)."
    ]


def test_items_of_another_site_and_without_ids_are_counted_not_matched() -> None:
    result = update(
        github(
            {"labels": ["lens-x", "lens-x:data_quality_profile"]},
            {"labels": ["lens-x", "lens-x:data_quality_version"]},
            {"labels": ["team:ml"]},
        )
    )
    assert result.changed == {}
    assert section(result, "unmatched") == [
        "2 items of another site's review (lens-x), ignored.",
        "1 item with no stable id (wa-ml:<practice>), so not made from this checklist's exports, ignored.",
    ]


def test_a_practice_outside_the_plan_is_left_alone() -> None:
    # model_review_signoff is ticked; endpoint_scaling_test likewise; a practice of a question with no risk
    # (all ticked) is not in the plan.
    state = parse_state({**STATE_DATA, "answers": {"model_review": {"not_applicable": True}}}, KB)
    result = update(github({"labels": ["wa-ml:model_review_metrics"]}), state)
    assert result.changed == {}
    assert section(result, "unmatched") == [
        "Agree on metrics: #1 carries it, but it is not in the plan (its question is not at risk, not applicable, "
        "or outside the workload's scope); nothing changed."
    ]


# ---- hostile and broken files ---------------------------------------------------------------------


def test_broken_exports_are_refused_with_their_line_or_path_and_field() -> None:
    assert refused("")[0].startswith("not a tracker export this tool reads")
    assert refused(b"\xff\xfe") == ["not UTF-8 text (byte 0)"]
    assert refused(JIRA_HEAD + 'a,"DP-1,1\r\n') == ["line 2: not valid CSV: unexpected end of data"]
    assert refused(JIRA_HEAD + "a,DP-1,1,To Do\r\n") == ["line 2: 4 fields, but the header names 8"]
    assert refused(JIRA_HEAD + ",,1,To Do,,,,\r\n") == ["line 2: Issue key: empty"]
    assert refused("Summary,Issue key,Issue id\r\n") == [
        "line 1: not a Jira export as this tool reads it: no column Status"
    ]
    assert refused("ID,Work Item Type,Title,State\r\n") == [
        "line 1: the Azure Boards export has neither a Tags nor a Description column, where the stable ids are: add "
        "the Tags column to the query and export it again"
    ]
    gitlab_head = "Issue ID,URL,Title,State,Labels\n"
    assert refused(gitlab_head + "7,javascript:alert(1),t,Open,wa-ml\n") == [
        "line 2: URL: must be the issue's https:// address (got 'javascript:alert(1)')"
    ]
    assert refused(gitlab_head + "7,https://x.example/7,t,Merged,wa-ml\n") == [
        "line 2: State: must be Open or Closed (got 'Merged')"
    ]
    assert refused('{"number": 1}') == [
        "the GitHub CLI's JSON must be a list of issues, not an object (gh issue list --json ...)"
    ]
    assert refused('[{"number": "1", "state": "open", "labels": [{"name": 3}], "url": "http://x"}]') == [
        "[0].number: must be the issue's number, not a string",
        "[0].state: must be OPEN or CLOSED (got 'open')",
        "[0].url: must be the issue's https:// address (got 'http://x')",
        "[0].labels[0]: must be a label with a name (a string)",
    ]
    assert refused('[{"number": 1, "number": 2}]')[0].startswith(
        'not a tracker export: the key "number" is given twice'
    )
    assert refused("[" * 100 + "]" * 100)[0].startswith("nested more than 64 levels deep")
    assert refused("a,b\r\n", "gitlab") == [
        "line 1: not a GitLab export as this tool reads it: no column Issue ID, URL, State"
    ]
    assert refused(JIRA_HEAD, "trello") == ["unknown format 'trello': one of jira, github, gitlab, azure"]


def test_size_and_row_limits() -> None:
    big = "x" * (trackerstatus.EXPORT.max_bytes + 1)
    assert refused(big)[0].startswith("the file is 16,777,217 bytes; a tracker export may be at most")
    many = JIRA_HEAD + "a,DP-1,1,To Do,,,,\r\n" * (trackerstatus.MAX_ITEMS + 1)
    assert refused(many) == ["more than 20,000 rows; an export may hold at most 20,000"]
    broken = JIRA_HEAD + "a,DP-1\r\n" * 50
    problems = refused(broken)
    assert len(problems) == trackerstatus.MAX_PROBLEMS + 1 and problems[-1].startswith("... and ")


def test_hostile_text_in_a_status_is_reported_as_text_and_changes_nothing() -> None:
    hostile = '<img src=x onerror=alert(1)>"; rm -rf /'
    row = f'a,DP-1,1,"{hostile.replace(chr(34), chr(34) * 2)}",,wa-ml,wa-ml:data_quality_version,\r\n'
    result = update(JIRA_HEAD + row)
    assert result.changed == {}
    assert section(result, "unmatched") == [
        f"Version datasets: DP-1 is “{hostile}”, a state this tool does not know; nothing changed."
    ]


# ---- round trip: this tool's exports, imported and exported again by each tracker ----------------------


def after_import(fmt: str, result: Any, states: list[str]) -> str:
    """What each tracker would export after importing this tool's file, its tickets in ``states``."""
    if fmt == "github":
        script = trackers.to_github(result)
        labels = [
            re.findall(r"--label='([^']*)'", line)
            for line in script.splitlines()
            if "gh issue create" in line
        ]
        return json.dumps(
            [
                {
                    "labels": [
                        {"color": "ededed", "description": "", "id": f"LA_{n}", "name": name}
                        for name in names
                    ],
                    "number": n,
                    "state": state,
                    "title": "t",
                    "url": f"https://github.com/o/r/issues/{n}",
                }
                for n, (names, state) in enumerate(zip(labels, states, strict=True), start=1)
            ]
        )
    export = {"jira": trackers.to_jira, "gitlab": trackers.to_gitlab, "azure": trackers.to_azure_boards}[fmt](
        result
    )
    rows = list(csv.DictReader(io.StringIO(export, newline="")))
    table = list(csv.reader(io.StringIO(export, newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if fmt == "jira":
        writer.writerow(
            ["Summary", "Issue key", "Issue id", "Status", "Resolution", "Labels", "Labels", "Description"]
        )
        for n, (cells, state) in enumerate(zip(table[1:], states, strict=True), start=1):
            writer.writerow(
                [
                    cells[0],
                    f"DP-{n}",
                    str(10000 + n),
                    state,
                    "Done" if state == "Done" else "",
                    cells[3],
                    cells[4],
                    cells[1],
                ]
            )
    elif fmt == "gitlab":  # GitLab ran the /label quick action and took it out of the description
        writer.writerow(["Issue ID", "URL", "Title", "State", "Description", "Labels"])
        for n, (row, state) in enumerate(zip(rows, states, strict=True), start=1):
            body = row["description"].split("\n\n", 1)[1]
            writer.writerow(
                [
                    str(n),
                    f"https://gitlab.com/o/r/-/issues/{n}",
                    row["title"],
                    state,
                    body,
                    "wa-ml,priority::1",
                ]
            )
    else:
        writer.writerow(["ID", "Work Item Type", "Title", "Assigned To", "State", "Tags"])
        for n, (row, state) in enumerate(zip(rows, states, strict=True), start=1):
            writer.writerow(
                [str(100 + n), row["Work Item Type"], row["Title"], row["Assigned To"], state, row["Tags"]]
            )
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "states", "expected"),
    [
        (
            "jira",
            ["In Progress", "Done", "To Do", "In Progress", "To Do"],
            ["in_progress", "in_progress", "planned", "in_progress", "planned"],
        ),
        (
            "gitlab",
            ["Open", "Closed", "Open", "Closed", "Open"],
            ["planned", "in_progress", "planned", "in_progress", "planned"],
        ),
        (
            "azure",
            ["Active", "Closed", "New", "Removed", "Doing"],
            ["in_progress", "in_progress", "planned", "wont_do", "in_progress"],
        ),
        (
            "github",
            ["OPEN", "CLOSED", "OPEN", "CLOSED", "OPEN"],
            ["planned", "in_progress", "planned", "in_progress", "planned"],
        ),
    ],
)
def test_round_trip_through_each_tracker(fmt: str, states: list[str], expected: list[str]) -> None:
    result = assess(KB, STATE)
    active = [item["choice"] for item in trackers.active(result)]
    assert len(active) == len(states) == 5
    updated = trackerstatus.update(KB, STATE, after_import(fmt, result, states))
    assert [updated.state.decision(choice).status for choice in active] == expected
    assert len(updated.changed) == 5  # a status, a ticket or the key in the note: each says where the work is
    assert section(updated, "unmatched") == [] and section(updated, "conflicts") == []
    assert len(section(updated, "tick")) == sum(state in ("Done", "Closed", "CLOSED") for state in states)


def test_round_trip_on_the_real_kb_reads_githubs_cut_labels() -> None:
    kb = kbfile.load(TESTS.parent / "docs" / "knowledge-base.yml")
    assert kb.checklist is not None
    state = parse_state(
        {"version": 4, "answers": {q.id: {"selected": [q.none_choice]} for q in kb.checklist.questions}}, kb
    )
    result = assess(kb, state)
    items = trackers.active(result)
    cut = [item for item in items if len(f"wa-ml:{item['choice']}") > trackers.GITHUB_LABEL_MAX]
    assert cut, "the real KB has ids too long for a GitHub label"
    export = after_import("github", result, ["CLOSED"] * len(items))
    updated = trackerstatus.update(kb, state, export, "github")
    assert all(updated.state.decision(item["choice"]).status == "in_progress" for item in items)
    assert len(section(updated, "tick")) == len(items)


# ---- the command line and the page's operation --------------------------------------------------------


def test_cli_prints_the_report_and_writes_the_state_only_when_asked(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(STATE_DATA), encoding="utf-8")
    dry = run_cli("tracker-status", state_file, FIXTURES / "jira.csv", "--kb", FIXTURE_KB)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == update("jira.csv").text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
    out = tmp_path / "new.json"
    done = run_cli(
        "tracker-status",
        state_file,
        FIXTURES / "azure.csv",
        "--kb",
        FIXTURE_KB,
        "-o",
        out,
        "--format",
        "azure",
    )
    assert done.returncode == 0 and done.stdout.startswith("Read 6 items of the Azure Boards export")
    assert out.read_text(encoding="utf-8") == update("azure.csv").state.to_json(KB)
    piped = run_cli("tracker-status", state_file, FIXTURES / "github.json", "--kb", FIXTURE_KB, "-o", "-")
    assert json.loads(piped.stdout)["decisions"]["data_quality_version"]["status"] == "in_progress"
    assert piped.stderr.startswith("Read 5 items of the GitHub export")


def test_cli_refuses_a_broken_export_and_writes_nothing(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(STATE_DATA), encoding="utf-8")
    broken = tmp_path / "export.csv"
    broken.write_text(JIRA_HEAD + "a,DP-1\r\n", encoding="utf-8")
    out = tmp_path / "new.json"
    result = run_cli("tracker-status", state_file, broken, "--kb", FIXTURE_KB, "-o", out)
    assert result.returncode == 2 and not out.exists() and result.stdout == ""
    assert result.stderr == f"{broken}: line 2: 2 fields, but the header names 8\n"
    wrong = run_cli(
        "tracker-status", state_file, FIXTURES / "github.json", "--kb", FIXTURE_KB, "--format", "azure"
    )
    assert wrong.returncode == 2 and "not valid CSV" in wrong.stderr


def test_page_operation_returns_the_changed_decisions_and_the_report() -> None:
    session = Session(json.dumps(KB.source))
    page = {
        **STATE_DATA,
        "decisions": {**STATE_DATA["decisions"], "data_quality_version": {"status": "wont_do"}},
    }
    text = (FIXTURES / "github.json").read_text(encoding="utf-8")
    reply = json.loads(
        session.handle(json.dumps({"op": "tracker_status", "state": page, "text": text, "size": len(text)}))
    )
    assert reply["ok"], reply
    assert reply["changed"] == {
        "data_quality_profile": {
            "status": "planned",
            "owner": "Ana",
            "ticket": "https://github.com/example/churn/issues/11",
        },
        "endpoint_scaling_multi_az": {
            "status": "in_progress",
            "ticket": "https://github.com/example/churn/issues/13",
        },
    }
    # A decision still being filled in on the page (won't do, no reason yet) is not overwritten.
    conflicts = next(s for s in reply["sections"] if s["id"] == "conflicts")
    assert (
        "Version datasets: the decision is being edited on the page; #12 is “closed”. Nothing changed."
        in [line["text"] for line in conflicts["lines"]]
    )
    big = json.loads(
        session.handle(json.dumps({"op": "tracker_status", "state": page, "text": "", "size": 10**9}))
    )
    assert big == {
        "ok": False,
        "problems": ["the file is 1,000,000,000 bytes; a tracker export may be at most 16,777,216 bytes"],
    }


def test_the_key_goes_into_the_note_once_whole() -> None:
    noted = parse_state(
        {
            **STATE_DATA,
            "decisions": {"data_quality_version": {"status": "planned", "note": "Split from\nJira DP-10"}},
        },
        KB,
    )
    result = update(JIRA_HEAD + jira_row("DP-1", "To Do", "data_quality_version"), noted)
    assert result.state.decision("data_quality_version").note == "Split from\nJira DP-10\nJira DP-1"
    again = update(JIRA_HEAD + jira_row("DP-1", "To Do", "data_quality_version"), result.state)
    assert again.changed == {}


def test_github_duplicate_is_ignored() -> None:
    result = update(
        github({"state": "CLOSED", "stateReason": "DUPLICATE", "labels": ["wa-ml:data_quality_version"]})
    )
    assert result.changed == {}
    assert section(result, "unmatched") == ["Version datasets: #1 closed as a duplicate; nothing changed."]


def test_a_csv_whose_lines_end_in_a_lone_carriage_return_is_read_as_its_tracker_wrote_it() -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with a carriage return alone: the format is still
    found from the first line, and the file reads as the same export with CRLF does."""
    text = (FIXTURES / "jira.csv").read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    mac = text.replace("\n", "\r")
    assert trackerstatus.detect(mac) == "jira"
    assert update(mac).to_dict()["changed"] == update(text).to_dict()["changed"]
    with pytest.raises(ExportError) as refused:  # a quote left open on the first line: located, not a crash
        update('Issue key,"Status\rA-1,Done\r')
    assert refused.value.problems[0].startswith("line 1: not valid CSV")


def test_an_address_or_a_key_with_spaces_in_it_is_refused_by_its_place() -> None:
    issue = {"number": 1, "title": "t", "state": "OPEN", "labels": [], "url": 'https://x y"><b>'}
    with pytest.raises(ExportError) as refused:
        update(json.dumps([issue]))
    assert refused.value.problems[0].startswith("[0].url: must be the issue's https:// address")
    with pytest.raises(ExportError) as refused:
        update('Issue key,Status,Labels\r\n"A-1\nB",Done,x\r\n')
    assert refused.value.problems[0].startswith("line 2: Issue key: must be one word")

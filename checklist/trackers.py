"""The plan's open work as tickets: CSV for the Jira, Azure Boards and GitLab importers, and a shell script of
GitHub CLI calls.

Every export holds the recommendations still to do (decision open, planned or in progress), in rank order.
Each carries the site's id as a label (``wa-ml`` for this project's KB, so the whole review's work is one
filter away) and its stable id, ``<site id>:<practice id>`` (the id decisions are kept by, so a ticket made
from it can be found again after re-ranking; the site's id keeps two sites' tickets apart), a priority from its bucket (the first bucket is the tool's highest
priority), and a plain-text description: the improvement, the question and pillar (and its lens, in a
review of several lenses), impact and effort, the best practices of each lens, the reference, the decision's details and the stable id. Like report.py, each function
returns text: the CLI writes it and the browser downloads it, byte for byte the same; nothing reads a clock.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence

from checklist.decisions import ACTIVE
from checklist.result import Recommendation, Result
from checklist.scales import effort_value
from checklist.text import fold

JIRA_PRIORITIES = ("Highest", "High", "Medium", "Low")  # Jira's default priority scheme
AZURE_PRIORITIES = ("1", "2", "3", "4")  # Microsoft.VSTS.Common.Priority: 1 is the most important
LABEL_PRIORITIES = ("priority::1", "priority::2", "priority::3", "priority::4")  # scoped labels in GitLab
# Azure Boards: "Task" is the one work item type every default process has (Basic, Agile, Scrum and CMMI);
# "Issue" is missing from Scrum, and in Agile and CMMI it means an impediment rather than work to do. Change
# the column to "Issue" (Basic) or "Product Backlog Item" (Scrum) to see the items on the product backlog.
AZURE_TYPE = "Task"
JIRA_COLUMNS = ("Summary", "Description", "Priority", "Labels", "Labels", "Due date", "Assignee")
AZURE_COLUMNS = ("Work Item Type", "Title", "Description", "Priority", "Tags", "Assigned To")
GITLAB_COLUMNS = ("title", "description", "due_date")
# A decision's facts as every export words them (label, field); the Markdown report and the backlog CSV too.
DECISION_FIELDS = (("Owner", "owner"), ("Due", "due"), ("Ticket", "ticket"), ("Note", "note"))
GITHUB_LABEL_MAX = 50  # GitHub refuses longer label names
_LINE_START_SLASH = re.compile(r"(\A|[\r\n])(?=/)")


def active(result: Result) -> list[Recommendation]:
    """The recommendations a tracker receives (open, planned or in progress), in rank order."""
    return [item for item in result["recommendations"] if item["decision"]["status"] in ACTIVE]


def base_label(result: Result) -> str:
    """On every ticket: the site's id."""
    return result["site"]["id"]


def stable_id(result: Result, item: Recommendation) -> str:
    return f"{base_label(result)}:{item['choice']}"


def priority(result: Result, item: Recommendation, words: Sequence[str]) -> str:
    """The bucket's place in the plan mapped onto a tool's priorities: the first bucket gets the highest,
    and buckets past the tool's scale share its lowest."""
    order = [bucket["id"] for bucket in result["buckets"]]
    return words[min(order.index(item["bucket"]), len(words) - 1)]


def decision_facts(decision: dict[str, str], fields: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The decision's facts that are set, each with its label, in the order of ``fields``."""
    return [(label, decision[key]) for label, key in fields if decision.get(key)]


def workload_name(result: Result) -> str:
    return fold(str(result["workload"].get("name", "")))


def description(result: Result, item: Recommendation) -> str:
    """The ticket's body, in plain text. KB text is folded onto one line; the team's own words (owner, note)
    are kept as written."""
    decision = item["decision"]
    workload = workload_name(result)
    lines = [
        fold(item["improvement"]),
        "",
        f"Question: {fold(item['question_title'])} ({fold(item['pillar_name'])})",
    ]
    if len(result["lenses"]) > 1:  # a review of one lens names it once, in the report's header
        lines.append(f"Lens: {fold(item['lens_name'])}")
    lines.append(f"Impact: {item['impact']}; effort: {effort_value(item['effort'])}")
    by_lens: dict[str, list[str]] = {}
    for link in item["lens_links"]:
        by_lens.setdefault(link["lens"], []).append(link["id"])
    lines += [f"{lens}: " + ", ".join(refs) for lens, refs in by_lens.items()]
    lines.append(f"Reference: {item['reference']}")
    if workload:
        lines.append(f"Workload: {fold(workload)}")
    lines.append(f"Status: {decision['label']}")
    lines += [f"{label}: {value}" for label, value in decision_facts(decision, DECISION_FIELDS)]
    lines.append(f"Stable id: {stable_id(result, item)}")
    return "\n".join(lines)


def _csv(header: Sequence[str], rows: list[list[str]]) -> str:
    """RFC 4180 with CRLF, as report.to_csv writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def to_jira(result: Result) -> str:
    """CSV for Jira's importer. Each label has its own "Labels" column, which is how the importer takes
    several values of one field; map "Due date" with the date format yyyy-MM-dd. The assignee must match
    a Jira user (or be left unmapped)."""
    return _csv(
        JIRA_COLUMNS,
        [
            [
                fold(item["title"]),
                description(result, item),
                priority(result, item, JIRA_PRIORITIES),
                base_label(result),
                stable_id(result, item),
                item["decision"]["due"],
                fold(item["decision"]["owner"]),
            ]
            for item in active(result)
        ],
    )


def to_azure_boards(result: Result) -> str:
    """CSV for Azure Boards' work item import. No ID column: with one, the import updates existing items."""
    return _csv(
        AZURE_COLUMNS,
        [
            [
                AZURE_TYPE,
                fold(item["title"]),
                description(result, item),
                priority(result, item, AZURE_PRIORITIES),
                "; ".join((base_label(result), stable_id(result, item))),
                fold(item["decision"]["owner"]),
            ]
            for item in active(result)
        ],
    )


def _gitlab_description(result: Result, item: Recommendation) -> str:
    """GitLab's importer runs quick actions in the description: ``/label`` sets the labels (which must exist
    in the project), written first so that no code block opened by a note can hide it. A line of the team's
    text that starts with ``/`` gets a leading space, so a note can never run a quick action of its own."""
    labels = f'/label ~"{base_label(result)}" ~"{priority(result, item, LABEL_PRIORITIES)}"'
    return labels + "\n\n" + _LINE_START_SLASH.sub(r"\1 ", description(result, item))


def to_gitlab(result: Result) -> str:
    """CSV for GitLab's issue import: title and description first (the importer requires both, in that
    order), then due_date (read since GitLab 15.2, ignored before)."""
    return _csv(
        GITLAB_COLUMNS,
        [
            [fold(item["title"]), _gitlab_description(result, item), item["decision"]["due"]]
            for item in active(result)
        ],
    )


def sh_quote(value: str) -> str:
    """One shell word that means exactly ``value``: single quotes, each embedded quote as '\\''."""
    return "'" + value.replace("'", "'\\''") + "'"


def github_id_label(result: Result, item: Recommendation) -> str:
    """The stable id as a GitHub label; an id too long for one keeps its start and a hash of the whole."""
    return github_label(base_label(result), item["choice"])


def github_label(site: str, choice: str) -> str:
    """:func:`github_id_label` from the site's id and the practice's (trackerstatus reads the labels back)."""
    label = f"{site}:{choice}"
    if len(label) <= GITHUB_LABEL_MAX:
        return label
    digest = hashlib.sha256(choice.encode("utf-8")).hexdigest()[:8]
    return label[: GITHUB_LABEL_MAX - 9] + "~" + digest


def _heredoc_delimiter(base: str, body: str) -> str:
    """A delimiter that occurs nowhere in the body, so no line of it can end the here-document early."""
    while base in body:
        base += "_"
    return base


def _label_create(name: str, color: str, about: str) -> str:
    about = fold(about)[:100]  # GitHub's limit for a label's description
    return f"gh label create {sh_quote(name)} --color={color} --description={sh_quote(about)} --force"


def to_github(result: Result) -> str:
    """A POSIX sh script of GitHub CLI calls: the labels, then one issue per recommendation.

    Safe to run whatever the state file says: every value is one single-quoted word, each body is fed
    through a here-document whose delimiter is quoted (nothing in it is expanded) and absent from the body,
    and text in comments is folded onto one line."""
    items = active(result)
    workload = workload_name(result)
    site, base = fold(result["site"]["title"]), base_label(result)
    lines = [
        "#!/bin/sh",
        f"# GitHub issues for the open work of a {site} review.",
        f"# Workload: {workload or 'unnamed'}",
        f"# {len(items)} recommendations (open, planned or in progress), in rank order.",
        "#",
        "# Needs the GitHub CLI (gh), authenticated (gh auth login); run it inside a clone of the repository",
        f"# the issues belong in. It creates or updates the labels it uses ({base}, priority::1 to priority::4",
        f"# and one {base}:<id> per recommendation), then creates one issue per recommendation unless an issue",
        f"# with its {base}:<id> label exists, so running it again creates no duplicates. An owner becomes the",
        "# issue's assignee and must be a GitHub login: edit or delete --assignee otherwise.",
        "set -eu",
        "",
    ]
    if not items:
        lines.append("echo 'No open recommendations: no issues to create.'")
        return "\n".join(lines) + "\n"
    lines.append(_label_create(base, "5319e7", f"{site} review"))
    levels: dict[str, list[str]] = {}
    for bucket in result["buckets"]:
        word = LABEL_PRIORITIES[min(len(levels), len(LABEL_PRIORITIES) - 1)]
        levels.setdefault(word, []).append(bucket["label"])
    colors = dict(zip(LABEL_PRIORITIES, ("b60205", "d93f0b", "fbca04", "0e8a16"), strict=True))
    lines += [_label_create(word, colors[word], " / ".join(names)) for word, names in levels.items()]
    lines += [_label_create(github_id_label(result, item), "ededed", item["title"]) for item in items]
    for item in items:
        id_label = sh_quote(github_id_label(result, item))
        body = description(result, item) + "\n"
        delimiter = _heredoc_delimiter(f"WA_ML_BODY_{item['rank']}", body)
        options = [
            f"--title={sh_quote(fold(item['title']))}",
            f"--label={sh_quote(base)}",
            f"--label={id_label}",
            f"--label={sh_quote(priority(result, item, LABEL_PRIORITIES))}",
        ]
        owner = fold(item["decision"]["owner"])
        if owner:
            options.append(f"--assignee={sh_quote(owner)}")
        lines += [
            "",
            f"# Rank {item['rank']}: {fold(item['title'])}",
            f"existing=$(gh issue list --state=all --label={id_label} --limit=1 --json=number --jq='.[].number')",
            'if [ -z "$existing" ]; then',
            f"  gh issue create {' '.join(options)} --body-file=- <<'{delimiter}'",
            body + delimiter,
            "else",
            f"  printf '%s: issue #%s exists, skipped\\n' {id_label} \"$existing\"",
            "fi",
        ]
    # A NUL byte cannot travel through a shell script; anything else arrives as written.
    return ("\n".join(lines) + "\n").replace("\x00", "\ufffd")

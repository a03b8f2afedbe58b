"""Tracker status back into decisions: what a tracker exports, read and matched to the plan by stable id.

The exports this reads are the trackers' own, as each writes them (the fixtures in
tests/fixtures/trackers/ follow the documentation cited at each reader below):

- Jira: the issue search's "Export CSV" (all or current fields): Summary, Issue key, Issue id, Status,
  Resolution, one "Labels" column per label, Description... (no web address column);
- GitHub: ``gh issue list --state all --json number,title,state,labels,url`` (``stateReason`` read too);
- GitLab: the issue list's "Export as CSV": Issue ID, URL, Title, State (Open or Closed), Description,
  Labels (joined with ","), ...;
- Azure Boards: a query's "Export to CSV": ID, Work Item Type, Title, State, Tags (joined with "; ") and
  whichever other columns the query shows (no web address column).

Each item is matched by the stable id this tool's exports gave it (checklist.trackers): ``<site>:<practice>``
as a label or tag, GitHub's label cut to 50 characters (trackers.github_label), or the description's
"Stable id:" line. Items of another site (their label ``<other site>`` beside ``<other site>:<id>``, or
their "Stable id:" line) and items with no stable id are counted and left alone.

The rule, tracker state → decision (a decision's statuses: checklist.decisions):

- to do (Jira "To Do", Azure "New"...) → planned; in progress → in progress. An issue that is only "open"
  (GitHub, GitLab: their trackers have no to-do state) makes an open decision planned and leaves a
  planned or in-progress one as it is, unless a label says "in progress" or "doing".
- done or closed → in progress, and the practice is listed to tick. "Done" is not a decision status: the
  page ticks the practice (checklist.decisions), and only the team, having seen the practice in place,
  ticks it; a closed ticket says work was done, not that the review's answer is now true.
- closed as not done (Jira's resolutions Won't Do, Won't Fix, Declined, Cannot Reproduce; GitHub's "not
  planned"; Azure's Removed) → won't do, the tracker's words as the reason (a won't-do decision needs one).
  Closed as a duplicate: ignored (another ticket carries the work).
- Each matched decision's ``ticket`` is the item's web address (GitHub, GitLab). Jira's and Azure Boards'
  exports carry none, and this tool does not guess the server's: the key ("Jira PROJ-12") goes into the
  note, once.
- Conflicts are never overwritten, only listed: a decision of risk accepted or won't do that the tracker
  has open, in progress or done (set here after the ticket was made); a decision whose ticket links
  another ticket; a decision being edited on the page; two tickets of one practice that disagree.
  A practice already ticked, or no longer in the plan, is left alone and said so.

Every sentence of the report is worded here. A file that cannot be read changes nothing: every problem
is listed with its line (CSV) or JSON path, and its field.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from checklist import bounded
from checklist.assess import assess
from checklist.decisions import ACTIVE, STATUSES, Decision
from checklist.errors import InputError, json_kind
from checklist.knowledge import KnowledgeBase
from checklist.state import State
from checklist.text import plural
from checklist.trackers import github_label

FORMATS = {"jira": "Jira", "github": "GitHub", "gitlab": "GitLab", "azure": "Azure Boards"}
EXPORT = bounded.Kind("a tracker export", 16 * 1024 * 1024)
MAX_ITEMS = 20_000
MAX_PROBLEMS = 20  # a file broken on every line is named by its first problems, not thousands
# A stable id as a label: <site id>:<practice id> (the KB schema's patterns), or GitHub's cut one.
_ID = r"[a-z][a-z0-9-]*:(?:[a-z][a-z0-9_]{2,63}|[a-z0-9_]*~[0-9a-f]{8})"
_ID_LABEL = re.compile(_ID)
_ID_LINE = re.compile(r"Stable id:\s*(" + _ID + ")", re.I)
_PROGRESS_LABELS = {"in progress", "in-progress", "doing", "wip"}

# Outcomes: what an item says about the work. "open" is an issue that is only open (no to-do state).
PLANNED, OPEN, IN_PROGRESS, DONE, WONT_DO, DUPLICATE = (
    "planned",
    "open",
    "in_progress",
    "done",
    "wont_do",
    "duplicate",
)
# Jira: status categories (every status belongs to one), the default workflows' statuses, and the
# resolutions that close an issue without the work.
JIRA_CATEGORIES = {"to do": PLANNED, "in progress": IN_PROGRESS, "done": DONE}
JIRA_STATUSES = {
    **dict.fromkeys(("to do", "open", "backlog", "selected for development", "reopened", "new"), PLANNED),
    **dict.fromkeys(("in progress", "in review", "in development", "in testing", "review"), IN_PROGRESS),
    **dict.fromkeys(("done", "closed", "resolved"), DONE),
}
JIRA_NOT_DONE = {"won't do", "won't fix", "declined", "cannot reproduce", "not a bug", "obsolete"}
# Azure Boards: the states of the Basic, Agile, Scrum and CMMI processes, by their state category.
AZURE_STATES = {
    **dict.fromkeys(("new", "to do", "proposed", "approved", "open", "design", "ready"), PLANNED),
    **dict.fromkeys(("active", "doing", "in progress", "committed", "in review"), IN_PROGRESS),
    **dict.fromkeys(("done", "closed", "resolved", "completed"), DONE),
    "removed": WONT_DO,
}


@dataclass(frozen=True)
class Item:
    """One ticket as the export gives it."""

    where: str  # "line 4" or "[3]": where it is in the file
    key: str  # how the tracker names it: "PROJ-12", "#42", "work item 7"
    state: str  # the tracker's own words: "In Progress", "CLOSED (not planned)"
    outcome: str  # one of the outcomes above, or "" for a state this tool does not know
    reason: str  # for WONT_DO: the decision's reason
    url: str
    labels: tuple[str, ...]  # lower case; the site's label and the stable id among them
    text_ids: tuple[str, ...]  # stable ids from the description's "Stable id:" line


@dataclass(frozen=True)
class Line:
    text: str
    choice: str = ""  # the practice, where the page offers an action on it (tick it)


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    lines: tuple[Line, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "heading": self.heading,
            "lines": [{"text": line.text, "choice": line.choice} for line in self.lines],
        }


@dataclass(frozen=True)
class Update:
    """The state with the tracker's news in its decisions, and the report of what happened."""

    state: State
    changed: dict[str, Decision]
    summary: str
    sections: tuple[Section, ...]

    def text(self) -> str:
        """The report as plain text (the CLI prints it)."""
        out = [self.summary]
        for section in self.sections:
            out += ["", section.heading] + [f"- {line.text}" for line in section.lines]
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "sections": [section.to_dict() for section in self.sections],
            "changed": {choice: decision.to_dict() for choice, decision in self.changed.items()},
        }


class ExportError(InputError):
    """A tracker export this tool cannot read."""


# ---- reading --------------------------------------------------------------------------------------


def detect(text: str) -> str:
    """The export's format, from its shape: JSON is GitHub's; a CSV by the columns of its first line."""
    if text.lstrip().startswith(("[", "{")):
        return "github"
    try:  # the first record, whatever ends lines: "\r\n", "\n", or the "\r" of Excel for Mac's CSV
        first = next(csv.reader(io.StringIO(text, newline=""), strict=True), [])
    except csv.Error as error:
        raise ExportError([f"line 1: not valid CSV: {error}"]) from None
    header = {name.strip().lower() for name in first}
    if "issue key" in header:
        return "jira"
    if {"issue id", "url", "state"} <= header:
        return "gitlab"
    if "work item type" in header or {"id", "state"} <= header:
        return "azure"
    raise ExportError(
        [
            "not a tracker export this tool reads: its first line should name the columns of a Jira CSV "
            "(Issue key, Status...), a GitLab issues CSV (Issue ID, URL, State...) or an Azure Boards query "
            "CSV (ID, State, Tags...), or it should be the JSON of `gh issue list --json "
            "number,title,state,labels,url`"
        ]
    )


def read(data: str | bytes, fmt: str = "") -> tuple[str, list[Item]]:
    """The export's format (``fmt``, or detected) and its items; ExportError lists what is wrong."""
    if isinstance(data, bytes):
        bounded.check_size(len(data), EXPORT, ExportError)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as undecodable:
            raise ExportError([f"not UTF-8 text (byte {undecodable.start})"]) from None
    else:
        bounded.check_size(len(data.encode("utf-8", "surrogatepass")), EXPORT, ExportError)
        text = data.removeprefix("\ufeff")
    if fmt and fmt not in FORMATS:
        raise ExportError([f"unknown format {fmt!r}: one of {', '.join(FORMATS)}"])
    fmt = fmt or detect(text)
    items = _github(text) if fmt == "github" else _csv_items(text, fmt)
    return fmt, items


def _problem_list(problems: list[str]) -> list[str]:
    if len(problems) > MAX_PROBLEMS:
        return [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more problems"]
    return problems


def _github(text: str) -> list[Item]:
    """``gh issue list --json number,title,state,labels,url`` (the GitHub CLI manual's JSON fields:
    state is OPEN or CLOSED, labels are objects with a name; stateReason, if asked for, is COMPLETED,
    NOT_PLANNED, DUPLICATE or REOPENED)."""
    data = bounded.parse(text, EXPORT, ExportError)
    if not isinstance(data, list):
        raise ExportError(
            [
                f"the GitHub CLI's JSON must be a list of issues, not {json_kind(data)} (gh issue list --json ...)"
            ]
        )
    if len(data) > MAX_ITEMS:
        raise ExportError([f"{len(data):,} issues; an export may hold at most {MAX_ITEMS:,}"])
    problems: list[str] = []
    items = []
    for index, issue in enumerate(data):
        where = f"[{index}]"
        if not isinstance(issue, dict):
            problems.append(f"{where}: must be an issue (an object), not {json_kind(issue)}")
            continue
        number, state, labels = issue.get("number"), issue.get("state"), issue.get("labels")
        url, reason = issue.get("url", ""), issue.get("stateReason", "")
        found = len(problems)
        if not isinstance(number, int) or isinstance(number, bool):
            problems.append(f"{where}.number: must be the issue's number, not {json_kind(number)}")
        if state not in ("OPEN", "CLOSED"):
            problems.append(f"{where}.state: must be OPEN or CLOSED (got {_shown(state)})")
        if not isinstance(url, str) or (url and not (url.startswith("https://") and _web(url))):
            problems.append(f"{where}.url: must be the issue's https:// address (got {_shown(url)})")
        if not isinstance(reason, str):
            problems.append(f"{where}.stateReason: must be a string, not {json_kind(reason)}")
        names = _github_labels(where, labels, problems)
        if len(problems) > found:
            continue
        assert isinstance(state, str) and isinstance(url, str) and isinstance(reason, str)
        outcome, why = _github_outcome(state, reason, names)
        shown = state.lower() + (f" ({reason.lower().replace('_', ' ')})" if reason else "")
        items.append(Item(where, f"#{number}", shown, outcome, why, url, names, ()))
    if problems:
        raise ExportError(_problem_list(problems))
    return items


def _github_labels(where: str, labels: object, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(labels, list):
        problems.append(
            f"{where}.labels: must be a list of labels, not {json_kind(labels)} (--json ...,labels)"
        )
        return ()
    names = []
    for n, label in enumerate(labels):
        name = label.get("name") if isinstance(label, dict) else None
        if not isinstance(name, str):
            problems.append(f"{where}.labels[{n}]: must be a label with a name (a string)")
        else:
            names.append(name.strip().lower())
    return tuple(names)


def _github_outcome(state: str, reason: str, labels: tuple[str, ...]) -> tuple[str, str]:
    if state == "OPEN":
        return (IN_PROGRESS if _says_progress(labels) else OPEN), ""
    if reason == "NOT_PLANNED":
        return WONT_DO, "Closed in GitHub as not planned."
    if reason == "DUPLICATE":
        return DUPLICATE, ""
    return DONE, ""


def _says_progress(labels: tuple[str, ...]) -> bool:
    """A label "in progress" or "doing", alone or scoped (GitLab's ``workflow::in progress``)."""
    return any(label.rsplit("::", 1)[-1].strip() in _PROGRESS_LABELS for label in labels)


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else json_kind(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class _Table:
    """A CSV export: its header (names in lower case) and rows, each with the line it starts on."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def column(self, name: str) -> int:
        return self.header.index(name) if name in self.header else -1

    def columns(self, name: str) -> list[int]:
        return [n for n, column in enumerate(self.header) if column == name]


def _table(text: str, tracker: str) -> _Table:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    table: _Table | None = None
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if table is None:
                table = _Table([name.strip().lower() for name in row])
            elif not any(cell.strip() for cell in row):
                continue  # a blank line
            elif len(row) != len(table.header):
                problems.append(f"line {start}: {len(row)} fields, but the header names {len(table.header)}")
            elif len(table.rows) >= MAX_ITEMS:
                raise ExportError([f"more than {MAX_ITEMS:,} rows; an export may hold at most {MAX_ITEMS:,}"])
            else:
                table.rows.append((start, row))
            if len(problems) > MAX_PROBLEMS:
                break
    except csv.Error as error:
        problems.append(f"line {line}: not valid CSV: {error}")
    if problems:
        raise ExportError(_problem_list(problems))
    if table is None:
        raise ExportError([f"the file is empty: a {tracker} export starts with a line naming its columns"])
    return table


def _require(table: _Table, tracker: str, *names: str) -> None:
    missing = [name for name in names if table.column(name.lower()) < 0]
    if missing:
        raise ExportError(
            [f"line 1: not a {tracker} export as this tool reads it: no column {', '.join(missing)}"]
        )


def _id_source(table: _Table, tracker: str, labels: str, hint: str) -> None:
    if not table.columns(labels) and table.column("description") < 0:
        raise ExportError(
            [
                f"line 1: the {tracker} export has neither a {labels.title()} nor a Description column, where "
                f"the stable ids are: {hint}"
            ]
        )


def _text_ids(table: _Table, row: list[str]) -> tuple[str, ...]:
    column = table.column("description")
    return tuple(found.lower() for found in _ID_LINE.findall(row[column])) if column >= 0 else ()


# Per CSV format: the columns it must have, where its stable ids are, and what to do when neither is there.
_HEADERS = {
    "jira": (("Issue key", "Status"), "labels", "export all fields, or show the Labels column first"),
    "gitlab": (("Issue ID", "URL", "State"), "labels", "export again from the issue list (Export as CSV)"),
    "azure": (("ID", "State"), "tags", "add the Tags column to the query and export it again"),
}


def _csv_items(text: str, fmt: str) -> list[Item]:
    tracker = FORMATS[fmt]
    table = _table(text, tracker)
    required, labels, hint = _HEADERS[fmt]
    _require(table, tracker, *required)
    _id_source(table, tracker, labels, hint)
    reader = {"jira": _jira, "gitlab": _gitlab, "azure": _azure}[fmt]
    problems: list[str] = []
    items = [item for line, row in table.rows if (item := reader(table, line, row, problems))]
    if problems:
        raise ExportError(_problem_list(problems))
    return items


def _cell(table: _Table, row: list[str], name: str) -> str:
    column = table.column(name)
    return row[column].strip() if column >= 0 else ""


def _jira(table: _Table, line: int, row: list[str], problems: list[str]) -> Item | None:
    """Jira's issue search → Export → CSV: "Issue key", "Status", "Resolution", one "Labels" column per
    label (as many as the issue with the most has), "Description"; "Status Category" where the export
    has it (a custom status belongs to one of To Do, In Progress and Done)."""
    key, status = _cell(table, row, "issue key"), _cell(table, row, "status")
    if not key or not status:
        problems.append(f"line {line}: {'Issue key' if not key else 'Status'}: empty")
        return None
    if any(c.isspace() for c in key):  # PROJ-12: a key is one word, kept once in the decision's note
        problems.append(f"line {line}: Issue key: must be one word like PROJ-12 (got {_shown(key)})")
        return None
    category = _cell(table, row, "status category").lower()
    outcome = JIRA_CATEGORIES.get(category) or JIRA_STATUSES.get(status.lower(), "")
    resolution = _cell(table, row, "resolution")
    reason = ""
    if outcome == DONE and resolution.lower() == "duplicate":
        outcome = DUPLICATE
    elif outcome == DONE and resolution.lower() in JIRA_NOT_DONE:
        outcome, reason = WONT_DO, f"Resolved in Jira as {resolution} ({key})."
    url = _cell(table, row, "url")
    labels = tuple(row[n].strip().lower() for n in table.columns("labels") if row[n].strip())
    shown = status + (f", {resolution}" if resolution and outcome in (WONT_DO, DUPLICATE) else "")
    return Item(
        f"line {line}", key, shown, outcome, reason, url if _web(url) else "", labels, _text_ids(table, row)
    )


def _gitlab(table: _Table, line: int, row: list[str], problems: list[str]) -> Item | None:
    """GitLab's issue list → Export as CSV ("Export issues to CSV" in GitLab's documentation): Issue ID,
    URL, Title, State ("Open" or "Closed"), Description, ..., Labels ("title of any labels joined with
    a ,"). GitLab ran the import's /label quick action, so the stable id is in the description."""
    number, url, state = (_cell(table, row, name) for name in ("issue id", "url", "state"))
    for name, value in (("Issue ID", number), ("State", state)):
        if not value:
            problems.append(f"line {line}: {name}: empty")
            return None
    if state.lower() not in ("open", "opened", "closed"):
        problems.append(f"line {line}: State: must be Open or Closed (got {_shown(state)})")
        return None
    if not _web(url):
        problems.append(f"line {line}: URL: must be the issue's https:// address (got {_shown(url)})")
        return None
    labels = tuple(part.strip().lower() for part in _cell(table, row, "labels").split(",") if part.strip())
    outcome = DONE if state.lower() == "closed" else (IN_PROGRESS if _says_progress(labels) else OPEN)
    return Item(f"line {line}", f"#{number}", state, outcome, "", url, labels, _text_ids(table, row))


def _azure(table: _Table, line: int, row: list[str], problems: list[str]) -> Item | None:
    """Azure Boards' query → Export to CSV ("Bulk import or update work items using CSV files"): the
    query's columns, such as ID, Work Item Type, Title, Assigned To, State, Tags (joined with "; ");
    Description, if shown, is HTML."""
    number, state = _cell(table, row, "id"), _cell(table, row, "state")
    if not number.isdigit() or not state:
        shown = (
            f"ID: must be the work item's number (got {_shown(number)})"
            if not number.isdigit()
            else "State: empty"
        )
        problems.append(f"line {line}: {shown}")
        return None
    outcome = AZURE_STATES.get(state.lower(), "")
    reason = f"Removed in Azure Boards (work item {number})." if outcome == WONT_DO else ""
    labels = tuple(part.strip().lower() for part in _cell(table, row, "tags").split(";") if part.strip())
    return Item(
        f"line {line}", f"work item {number}", state, outcome, reason, "", labels, _text_ids(table, row)
    )


def _web(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)


# ---- matching and applying ----------------------------------------------------------------------


@dataclass
class _Report:
    """The report's lines as they are found, by section."""

    changed: list[Line] = field(default_factory=list)
    tick: list[Line] = field(default_factory=list)
    conflicts: list[Line] = field(default_factory=list)
    already: list[Line] = field(default_factory=list)
    unmatched: list[Line] = field(default_factory=list)

    def sections(self) -> tuple[Section, ...]:
        found = (
            ("changed", "Decisions updated", self.changed),
            ("tick", "Done in the tracker: tick each practice once you have seen it in place", self.tick),
            ("conflicts", "Conflicts, left as they are: change the decision or the ticket", self.conflicts),
            ("already", "Already up to date", self.already),
            ("unmatched", "Not matched, left alone", self.unmatched),
        )
        return tuple(
            Section(ident, f"{heading} ({len(lines)})", tuple(lines))
            for ident, heading, lines in found
            if lines
        )


def update(kb: KnowledgeBase, state: State, data: str | bytes, fmt: str = "") -> Update:
    """Read a tracker's export (``fmt`` one of FORMATS, or "" to detect it) and apply it to the state's
    decisions by the rule in this module's docstring. A file that cannot be read raises ExportError and
    changes nothing."""
    fmt, items = read(data, fmt)
    return apply(kb, state, fmt, items)


def _ids(item: Item, site: str, cut: dict[str, str]) -> tuple[list[str], set[str]]:
    """The practice ids the item carries for this site (a cut GitHub label made whole), and the other
    sites it carries an id of (a label ``<site>:<id>`` beside the label ``<site>``, or its id line)."""
    ours: list[str] = []
    others: set[str] = set()
    labels = set(item.labels)
    for found in [*item.labels, *item.text_ids]:
        if not _ID_LABEL.fullmatch(found):
            continue
        prefix, practice = found.split(":", 1)
        if prefix == site:
            practice = cut.get(found, practice)
            if practice not in ours:
                ours.append(practice)
        elif found in item.text_ids or prefix in labels:
            others.add(prefix)
    return ours, others


def apply(kb: KnowledgeBase, state: State, fmt: str, items: list[Item]) -> Update:
    """The decisions the items change, the state with them, and the report (see the module's docstring)."""
    assert kb.checklist is not None
    tracker, site = FORMATS[fmt], kb.site.id
    titles = {c.id: c.title for q in kb.checklist.questions for c in q.choices}
    cut = {github_label(site, choice): choice for choice in titles}
    result = assess(kb, state)
    in_plan = [item["choice"] for item in result["recommendations"]] + [
        a["choice"] for a in result["accepted"]
    ]
    ticked = {choice for answer in state.answers.values() for choice in answer.selected}
    report = _Report()
    by_choice: dict[str, list[Item]] = {}
    other_sites: dict[str, int] = {}
    no_id = 0
    for item in items:
        ours, others = _ids(item, site, cut)
        for prefix in others if not ours else ():
            other_sites[prefix] = other_sites.get(prefix, 0) + 1
        if not ours and not others:
            no_id += 1
        for practice in ours:
            if practice in titles:
                by_choice.setdefault(practice, []).append(item)
            else:
                report.unmatched.append(
                    Line(f"{item.key} carries {site}:{practice}, a practice this checklist does not have.")
                )
    order = {choice: n for n, choice in enumerate([*in_plan, *titles])}
    changed: dict[str, Decision] = {}
    for choice in sorted(by_choice, key=order.__getitem__):
        decision = _one(choice, titles[choice], by_choice[choice], state, tracker, report, in_plan, ticked)
        if decision is not None:
            changed[choice] = decision
    for prefix, count in sorted(other_sites.items()):
        report.unmatched.append(
            Line(f"{plural(count, 'item')} of another site's review ({prefix}), ignored.")
        )
    if no_id:
        report.unmatched.append(
            Line(
                f"{plural(count=no_id, noun='item')} with no stable id ({site}:<practice>), so not made from "
                "this checklist's exports, ignored."
            )
        )
    new_state = replace(state, decisions={**state.decisions, **changed})
    summary = (
        f"Read {plural(len(items), 'item')} of the {tracker} export: {plural(len(report.changed), 'decision')} "
        f"updated, {len(report.tick)} to tick, {plural(len(report.conflicts), 'conflict')}, "
        f"{len(report.already)} already up to date, {len(report.unmatched)} not matched."
    )
    return Update(new_state, changed, summary, report.sections())


def _one(
    choice: str,
    title: str,
    items: list[Item],
    state: State,
    tracker: str,
    report: _Report,
    in_plan: list[str],
    ticked: set[str],
) -> Decision | None:
    """One practice's tickets applied to its decision: the new decision, or None (the report says why)."""
    kept = [item for item in items if item.outcome != DUPLICATE]
    for item in [item for item in kept if not item.outcome]:
        report.unmatched.append(
            Line(f"{title}: {item.key} is “{item.state}”, a state this tool does not know; nothing changed.")
        )
    known = [item for item in kept if item.outcome]
    if not kept:
        keys = ", ".join(item.key for item in items)
        report.unmatched.append(Line(f"{title}: {keys} closed as a duplicate; nothing changed."))
        return None
    if not known:
        return None
    if len({item.outcome for item in known}) > 1:
        says = "; ".join(f"{item.key} says “{item.state}”" for item in known)
        report.conflicts.append(Line(f"{title}: its tickets disagree ({says}); nothing changed."))
        return None
    item = next((item for item in known if item.url), known[0])
    if choice in ticked:
        report.already.append(Line(f"{title}: the practice is ticked ({item.key} is “{item.state}”)."))
        return None
    if choice not in in_plan:
        report.unmatched.append(
            Line(
                f"{title}: {item.key} carries it, but it is not in the plan (its question is not at risk, not "
                "applicable, or outside the workload's scope); nothing changed."
            )
        )
        return None
    if choice in state.unfinished:
        report.conflicts.append(
            Line(
                f"{title}: the decision is being edited on the page; {item.key} is “{item.state}”. Nothing changed."
            )
        )
        return None
    return _decide(choice, title, item, state.decision(choice), tracker, report)


def _decide(
    choice: str, title: str, item: Item, current: Decision, tracker: str, report: _Report
) -> Decision | None:
    says = f"{item.key} is “{item.state}”"
    if item.url and current.ticket and current.ticket != item.url:
        report.conflicts.append(
            Line(f"{title}: the decision links another ticket ({current.ticket}); {says} ({item.url}).")
        )
        return None
    label = STATUSES[current.status]
    if current.status not in ACTIVE and item.outcome != WONT_DO:
        why = f" (“{current.reason}”)" if current.reason else ""
        report.conflicts.append(Line(f"{title}: the decision is {label}{why}, but {says}."))
        return None
    status = current.status
    if item.outcome in (PLANNED, IN_PROGRESS, WONT_DO) and current.status in ACTIVE:
        status = item.outcome
    elif item.outcome == OPEN and current.status == "open":
        status = PLANNED
    elif item.outcome == DONE:
        status = IN_PROGRESS
        report.tick.append(Line(f"{title}: {says}.", choice))
    reason = item.reason if status == WONT_DO and current.status != WONT_DO else current.reason
    ticket, note = current.ticket, current.note
    mention = f"{tracker} {item.key}"
    if item.url:
        ticket = item.url
    elif mention not in note.splitlines():
        note = f"{note}\n{mention}" if note else mention
    new = replace(current, status=status, reason=reason, ticket=ticket, note=note)
    if new == current:
        report.already.append(Line(f"{title}: {label}, as {says}."))
        return None
    facts = []
    if new.status != current.status:
        facts.append(f"{label} → {STATUSES[new.status]}")
    if new.ticket != current.ticket:
        facts.append("ticket linked")
    if new.note != current.note:
        facts.append(f"“{mention}” added to the note")
    report.changed.append(Line(f"{title}: {', '.join(facts)} ({says})."))
    return new

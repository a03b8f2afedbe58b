"""The assessment as files people use: JSON, a Markdown report, and a CSV backlog (RFC 4180).

Each function returns text; writing it is the caller's business, so the CLI and the browser produce the
same bytes. Nothing here depends on the time or the machine.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

from checklist.decisions import STATUSES
from checklist.result import AcceptedRisk, GroupCounts, LensLink, QuestionRisk, Result, Summary
from checklist.scales import RISK_LABELS, effort_value
from checklist.text import fold
from checklist.trackers import (
    DECISION_FIELDS,
    decision_facts,
    to_azure_boards,
    to_github,
    to_gitlab,
    to_jira,
)
from checklist.words import question_facts, workload_fields

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
CSV_COLUMNS = (
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
    # The decision, after the columns importers already map (an accepted risk's row has no rank or bucket).
    "Status",
    *(label for label, _ in DECISION_FIELDS),
    "Reason",
    "Review by",
    # Appended last, so importers that map the columns above by position keep their mapping.
    "Lens",
)
# Why a risk is accepted or the work will not be done, and when an accepted risk is looked at again.
REASON_FIELDS = (("Reason", "reason"), ("Review by", "review"))


def to_json(result: Any) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def md(value: str) -> str:
    """User and KB text on one Markdown line: folded white space, Markdown syntax shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", fold(value))


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def risk_table(first: str, groups: list[GroupCounts], totals: Summary) -> list[str]:
    """Risk counts per group (pillar or focus area), with a total row."""
    rows = [[md(g["name"]), *(str(g[risk]) for risk in RISK_LABELS)] for g in groups]  # type: ignore[literal-required]
    rows.append(["**Total**", *(f"**{totals[risk]}**" for risk in RISK_LABELS)])  # type: ignore[literal-required]
    return table([first, *RISK_LABELS.values()], rows)


def _lens_links(links: list[LensLink]) -> str:
    """ "; ML Lens [MLOPS03-BP02](…), [MLREL01-BP01](…); GenAI Lens [GENOPS02-BP01](…)": each lens once."""
    by_lens: dict[str, list[str]] = {}
    for link in links:
        by_lens.setdefault(link["lens"], []).append(f"[{link['id']}]({link['url']})")
    return "".join(f"; {lens} " + ", ".join(refs) for lens, refs in by_lens.items())


def lens_table(result: Result) -> list[str]:
    """Risk counts per lens, each followed by its pillars, or its own areas where it has them (a review of
    several lenses only)."""
    rows: list[list[str]] = []
    for lens in result["lenses"]:
        rows.append([f"**{md(lens['name'])}**", *(str(lens[risk]) for risk in RISK_LABELS)])  # type: ignore[literal-required]
        rows += [
            [f"{md(lens['name'])}: {md(p['name'])}", *(str(p[risk]) for risk in RISK_LABELS)]  # type: ignore[literal-required]
            for p in lens["areas"] or lens["pillars"]
        ]
    first = (
        "Lens and pillar"
        if not any(lens["areas"] for lens in result["lenses"])
        else "Lens and pillar or area"
    )
    return table([first, *RISK_LABELS.values()], rows)


def _guide_link(guide: str) -> str:
    """A link to the guide section, when the result was made for a published site (absolute URLs)."""
    return f" [Guide]({guide})" if guide.startswith(("https://", "http://")) else ""


def question_record(question: QuestionRisk, focus: str, labels: dict[str, str]) -> list[str]:
    """One question as the review recorded it: its risk, then its facts as the print words them."""
    lines = [f"- **{md(question['title'])}** ({md(focus)}): {labels[question['risk']]}"]
    return lines + [f"  - {fact}" for fact in question_facts(question, md)]


def _fact(label: str, value: str) -> str:
    """A ticket's address as a link (when it holds nothing Markdown would misread), the rest as text."""
    if label == "Ticket" and not re.search(r"[\s<>]", value):
        return f"{label}: <{value}>"
    return f"{label}: {md(value)}"


def decision_record(decision: dict[str, str]) -> list[str]:
    """A plan item's decision on one line, as the trackers word it; nothing for an untouched one."""
    facts = decision_facts(decision, (*DECISION_FIELDS, *REASON_FIELDS))
    if decision["status"] == "open" and not facts:
        return []
    return ["  - " + "; ".join([f"Status: {decision['label']}", *(_fact(*fact) for fact in facts)])]


def accepted_record(risk: AcceptedRisk) -> list[str]:
    """An accepted risk: the practice, why the risk is accepted, when to look again (in bold when that
    date has passed) and who owns it."""
    review = f"**{md(risk['text'])}**" if risk["overdue"] else md(risk["text"])
    lines = [
        f"- **{md(risk['title'])}** ({md(risk['pillar_name'])}; {md(risk['question_title'])}; "
        f"impact {risk['impact']})",
        f"  - Reason: {md(risk['reason'])}",
        f"  - {review}",
    ]
    facts = decision_facts(risk["decision"], DECISION_FIELDS)
    if facts:
        lines.append("  - " + "; ".join(_fact(*fact) for fact in facts))
    return lines


def to_markdown(result: Result) -> str:
    """The review record: the date and workload, risks per pillar and focus area, every question as
    answered, the plan as tasks, the accepted risks and the references."""
    workload: dict[str, Any] = result["workload"]
    title = md(workload["name"]) or "Unnamed workload"
    lines = [f"# {md(result['site']['title'])} review: {title}", ""]
    if result["date"]:
        lines += [f"Assessed on {md(result['date'])}.", ""]
    if result["lenses_text"]:
        lines += [md(result["lenses_text"]), ""]
    lines += ["## Workload", ""]
    fields = [(f["label"], md(f["value"])) for f in workload_fields(result)]
    lines += table(["Field", "Value"], [[name, value or "—"] for name, value in fields])
    scope = result["scope"]
    if scope["chosen"]:
        lines += ["", "## About this workload", ""]
        lines += table(
            ["Question", "Answer"],
            [
                [md(c["title"]), md(" ".join(filter(None, [c["label"], c["not_asked"]])))]
                for c in scope["chosen"]
            ],
        )
    totals = result["summary"]
    lines += ["", "## Risk summary", "", f"{totals['text']}.", ""]
    lines += risk_table("Pillar", result["pillars"], totals)
    if result["focus_areas"]:
        lines += ["", "### By focus area", ""]
        lines += risk_table("Focus area", result["focus_areas"], totals)
    several = len(result["lenses"]) > 1
    if several:
        lines += ["", "### By lens", ""]
        lines += lens_table(result)
    lines += ["", "## Questions"]
    focus = {f["id"]: f["name"] for f in result["focus_areas"]}
    labels = result["risk_labels"]
    for pillar in result["pillars"]:
        questions = [q for q in result["questions"] if q["pillar"] == pillar["id"]]
        if questions:
            lines += ["", f"### {md(pillar['name'])}", ""]
        for question in questions:
            lines += question_record(question, focus.get(question["focus"], question["focus"]), labels)
    lines += ["", "## Improvement plan", ""]
    recommendations = result["recommendations"]
    if result["plan_note"]:
        lines.append(result["plan_note"])
    references: dict[str, int] = {}
    for bucket in result["buckets"]:
        items = [r for r in recommendations if r["bucket"] == bucket["id"]]
        if not items:
            continue
        lines += [f"### {md(bucket['heading'])}", "", md(bucket["description"]), ""]
        for item in items:
            number = references.setdefault(item["reference"], len(references) + 1)
            lens = f"{md(item['lens_name'])}; " if several else ""
            lines.append(
                f"- [ ] **{md(item['title'])}**: {md(item['improvement'])} "
                f"({lens}{md(item['pillar_name'])}; {md(item['question_title'])}, "
                f"{labels[item['question_risk']].lower()}; "
                f"impact {item['impact']}, effort {effort_value(item['effort'])}; rank {item['rank']}"
                f"{_lens_links(item['lens_links'])}) [{number}]{_guide_link(item['guide'])}"
            )
            lines += decision_record(item["decision"])
            lines += [f"  - {md(caveat)}" for caveat in item["caveats"]]
        lines.append("")
    if result["accepted"]:
        lines += ["## Accepted risks", ""]
        for risk in result["accepted"]:
            lines += accepted_record(risk)
        lines.append("")
    if references:
        lines += ["## References", ""]
        lines += [f"{number}. <{url}>" for url, number in references.items()]
        lines.append("")
    if result["warnings"]:
        lines += ["## Warnings", ""] + [f"- {md(w)}" for w in result["warnings"]] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_csv(result: Result) -> str:
    """The plan as a backlog that Jira, Azure DevOps or GitHub can import: one row per recommendation, first
    its stable id (the practice's id, which decisions are kept by), then its ranking and text, the workload's
    name, and last its decision; then the accepted risks, each with its reason and review date."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    labels = {b["id"]: b["label"] for b in result["buckets"]}
    workload = fold(str(result["workload"].get("name", "")))
    for item in result["recommendations"]:
        writer.writerow(
            [
                item["choice"],
                item["rank"],
                labels[item["bucket"]],
                item["pillar_name"],
                item["question_title"],
                item["title"],
                item["improvement"],
                item["impact"],
                item["effort"],
                " ".join(item["lens_refs"]),
                item["reference"],
                workload,
                item["decision"]["label"],
                *(item["decision"][key] for _, key in (*DECISION_FIELDS, *REASON_FIELDS)),
                item["lens_name"],
            ]
        )
    for risk in result["accepted"]:
        writer.writerow(
            [
                risk["choice"],
                "",
                "",
                risk["pillar_name"],
                risk["question_title"],
                risk["title"],
                "",
                risk["impact"],
                "",
                "",
                "",
                workload,
                STATUSES["risk_accepted"],
                *(risk["decision"][key] for _, key in (*DECISION_FIELDS, *REASON_FIELDS)),
                risk["lens_name"],
            ]
        )
    return buffer.getvalue()


FORMATS: dict[str, Callable[[Result], str]] = {
    "json": to_json,
    "markdown": to_markdown,
    "csv": to_csv,
    "jira": to_jira,
    "azure-boards": to_azure_boards,
    "gitlab": to_gitlab,
    "github": to_github,
}

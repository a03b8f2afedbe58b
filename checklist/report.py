"""The assessment as files people use: JSON, a Markdown report, and a CSV backlog (RFC 4180).

Each function returns text; writing it is the caller's business, so the CLI and the browser produce the
same bytes. Nothing here depends on the time or the machine.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from checklist.assess import RISK_LABELS

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
CSV_COLUMNS = (
    "Rank",
    "Bucket",
    "Pillar",
    "Question",
    "Recommendation",
    "Improvement",
    "Impact",
    "Effort",
    "Reference URL",
)


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def md(value: str) -> str:
    """User and KB text on one Markdown line: folded white space, Markdown syntax shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def to_markdown(result: dict[str, Any]) -> str:
    """A review report to share: workload, risks per pillar, the plan as tasks, and its references."""
    workload = result["workload"]
    names = {p["id"]: p["name"] for p in result["pillars"]}
    title = md(workload["name"]) or "Unnamed workload"
    lines = [f"# Well-Architected review for AI/ML: {title}", "", "## Workload", ""]
    fields = [
        ("Name", md(workload["name"])),
        ("Description", md(workload["description"])),
        ("Industry", md(workload["industry"])),
        ("Regions", md(", ".join(workload["regions"]))),
        ("Owner", md(workload["owner"])),
        ("Stakeholders", md(", ".join(workload["stakeholders"]))),
        ("Environment", md(workload["environment"])),
        ("Pillar priorities", md(", ".join(names.get(p, p) for p in workload["pillar_priorities"]))),
    ]
    lines += _table(["Field", "Value"], [[name, value or "—"] for name, value in fields])
    summary = result["summary"]
    lines += [
        "",
        "## Risk summary",
        "",
        f"{summary['answered']} of {summary['total']} questions answered.",
        "",
    ]
    header = ["Pillar", *RISK_LABELS.values()]
    rows = [[md(p["name"]), *(str(p[risk]) for risk in RISK_LABELS)] for p in result["pillars"]]
    rows.append(["**Total**", *(f"**{summary[risk]}**" for risk in RISK_LABELS)])
    lines += _table(header, rows)
    lines += ["", "## Improvement plan", ""]
    recommendations = result["recommendations"]
    if not recommendations:
        lines.append("No improvements: no answered question carries a high or medium risk.")
    references: dict[str, int] = {}
    for bucket in result["buckets"]:
        items = [r for r in recommendations if r["bucket"] == bucket["id"]]
        if not items:
            continue
        lines += [f"### {md(bucket['label'])} ({len(items)})", "", md(bucket["description"]), ""]
        for item in items:
            number = references.setdefault(item["reference"], len(references) + 1)
            lines.append(
                f"- [ ] **{md(item['title'])}**: {md(item['improvement'])} "
                f"({md(item['pillar_name'])}; {md(item['question_title'])}; "
                f"impact {item['impact']}, effort {item['effort']}; rank {item['rank']}) [{number}]"
            )
        lines.append("")
    if references:
        lines += ["## References", ""]
        lines += [f"{number}. <{url}>" for url, number in references.items()]
        lines.append("")
    if result.get("warnings"):
        lines += ["## Warnings", ""] + [f"- {md(w)}" for w in result["warnings"]] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_csv(result: dict[str, Any]) -> str:
    """The plan as a backlog that Jira, Azure DevOps or GitHub can import: one row per recommendation."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    labels = {b["id"]: b["label"] for b in result["buckets"]}
    for item in result["recommendations"]:
        writer.writerow(
            [
                item["rank"],
                labels[item["bucket"]],
                item["pillar_name"],
                item["question_title"],
                item["title"],
                item["improvement"],
                item["impact"],
                item["effort"],
                item["reference"],
            ]
        )
    return buffer.getvalue()


FORMATS = {"json": to_json, "markdown": to_markdown, "csv": to_csv}

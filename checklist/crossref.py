"""Rules the JSON Schema cannot express: unique ids, resolvable citations, nothing left unused.

Works on the plain data (as loaded from YAML or JSON) and returns ``(path, message)`` findings;
the caller turns paths into line numbers. Standard library only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from itertools import product
from typing import Any

from checklist.problems import Path, dotted

Finding = tuple[Path, str]

IMPACTS = ("high", "low")
EFFORTS = ("low", "high")


def walk(node: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Yield every value in the tree with its path, parents before children."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def _suggest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _catalogue(data: dict[str, Any], key: str) -> list[str]:
    entries = data.get(key)
    if not isinstance(entries, list):
        return []
    return [e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)]


def check_unique_ids(data: dict[str, Any]) -> list[Finding]:
    """Ids share one namespace across the file: they become anchors and custom-lens ids."""
    seen: dict[str, Path] = {}
    findings: list[Finding] = []
    for path, node in walk(data):
        if not (isinstance(node, dict) and isinstance(node.get("id"), str)):
            continue
        ident, here = node["id"], (*path, "id")
        if ident in seen:
            findings.append((here, f"id '{ident}' is already used by {dotted(seen[ident])}"))
        else:
            seen[ident] = here
    return findings


def check_links(data: dict[str, Any]) -> list[Finding]:
    """Every ``cites`` names a reference and every ``services`` entry a service; both lists are used."""
    findings: list[Finding] = []
    targets = {"cites": _catalogue(data, "references"), "services": _catalogue(data, "services")}
    used: dict[str, set[str]] = {"cites": set(), "services": set()}
    for path, node in walk(data):
        key = path[-1] if path else None
        if key not in targets or path == ("services",):
            continue
        if isinstance(node, str):  # a schema error (not a list); still counts as a use
            used[key].add(node)
            continue
        if not isinstance(node, list):
            continue
        known = targets[key]
        kind = "reference" if key == "cites" else "service"
        for index, ident in enumerate(node):
            if not isinstance(ident, str):
                continue
            used[key].add(ident)
            if ident not in known:
                findings.append(((*path, index), f"unknown {kind} '{ident}'{_suggest(ident, known)}"))
    for key, catalogue, field in (("cites", "references", "cites"), ("services", "services", "services")):
        for index, ident in enumerate(_catalogue(data, catalogue)):
            if ident not in used[key]:
                message = f"'{ident}' is not used: list it in the {field} of an item, or remove it"
                findings.append(((catalogue, index, "id"), message))
    return findings


def check_prioritization(data: dict[str, Any]) -> list[Finding]:
    """Each impact x effort pair must fall under exactly one prioritization rule."""
    assessment = data.get("assessment")
    prioritization = assessment.get("prioritization") if isinstance(assessment, dict) else None
    rules = prioritization.get("rules") if isinstance(prioritization, dict) else None
    if not isinstance(rules, list):
        return []
    path: Path = ("assessment", "prioritization", "rules")
    findings: list[Finding] = []
    for impact, effort in product(IMPACTS, EFFORTS):
        matching = [
            rule.get("id", f"#{index}")
            for index, rule in enumerate(rules)
            if isinstance(rule, dict)
            and rule.get("impact") == impact
            and rule.get("effort") in (effort, "any")
        ]
        if not matching:
            findings.append((path, f"no rule covers {impact} impact with {effort} effort"))
        elif len(matching) > 1:
            names = ", ".join(f"'{m}'" for m in matching)
            findings.append(
                (path, f"{impact} impact with {effort} effort matches more than one rule: {names}")
            )
    return findings


def check_pillars(data: dict[str, Any]) -> list[Finding]:
    """Custom-lens pillar ids must be unique, or the exported lens would be rejected."""
    findings: list[Finding] = []
    seen: set[str] = set()
    pillars = data.get("pillars")
    for index, pillar in enumerate(pillars if isinstance(pillars, list) else []):
        lens_id = pillar.get("lens_pillar_id") if isinstance(pillar, dict) else None
        if isinstance(lens_id, str):
            if lens_id in seen:
                findings.append(
                    (("pillars", index, "lens_pillar_id"), f"'{lens_id}' is used by another pillar")
                )
            seen.add(lens_id)
    return findings


def cross_check(data: dict[str, Any]) -> list[Finding]:
    """All cross-reference rules, in a stable order."""
    return [
        *check_unique_ids(data),
        *check_links(data),
        *check_prioritization(data),
        *check_pillars(data),
    ]

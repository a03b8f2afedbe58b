"""Every check of a KB's data that needs no YAML: the schema's structure, then the cross-reference rules.

One copy of each rule: the site builder runs this on the YAML source (and turns paths into its lines), the
engine on a KB given as JSON (checklist.kbjson).
"""

from __future__ import annotations

from typing import Any

from checklist.crossref import cross_check
from checklist.kbproblems import DataPath, Finding
from checklist.kbschema import structure


def check(data: Any) -> list[Finding]:
    """Schema problems first (one per field), then cross-reference problems."""
    findings = structure(data)
    broken = {path for path, _ in findings}
    if isinstance(data, dict):
        for path, message in cross_check(data):
            # A cross-reference rule over a field the schema already rejected would only repeat it.
            if not any(_related(path, bad) for bad in broken):
                findings.append((path, message))
    return findings


def _related(a: DataPath, b: DataPath) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter] and shorter > 0

"""The rules of a lens organised by its own focus areas rather than by pillars (the Responsible AI Lens).

Such a lens's guide and results group it by area, and its practices still count in the framework's pillars:
each practice names the pillar it most affects (its ``pillar`` in lens_practices is that mapping). These
checks keep the two views whole: every practice falls in one area, every question of the lens names its
area (the area most of its practices belong to: results count a question in one area, and a question may
gather the practices of neighbouring areas, such as a harm and its measure), and a choice citing an
area-lens practice sits in a question of that practice's pillar, so a pillar's results count exactly the
practices mapped to it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from checklist.awslenses import data_lenses, lens_of_ref
from checklist.kbproblems import DataPath, Finding, dicts, suggest


def _areas(lens: dict[str, Any]) -> list[dict[str, Any]]:
    return dicts(lens.get("areas"))


def _refs(choice: dict[str, Any]) -> list[str]:
    refs = choice.get("lens_refs")
    return [ref for ref in refs if isinstance(ref, str)] if isinstance(refs, list) else []


def _check_lens_entries(lenses: list[dict[str, Any]]) -> list[Finding]:
    findings: list[Finding] = []
    for index, lens in enumerate(lenses):
        seen: set[str] = set()
        prefixes: set[str] = set()
        for a_index, area in enumerate(_areas(lens)):
            here: DataPath = ("aws_lenses", index, "areas", a_index)
            ident, prefix = area.get("id"), area.get("prefix")
            if isinstance(ident, str) and ident in seen:
                findings.append(((*here, "id"), f"'{ident}' is already an area of lens '{lens.get('id')}'"))
            if isinstance(prefix, str) and prefix in prefixes:
                findings.append(((*here, "prefix"), f"'{prefix}' is already the prefix of another area"))
            seen.add(str(ident))
            prefixes.add(str(prefix))
            own = lens.get("prefix")
            if isinstance(prefix, str) and isinstance(own, str) and not prefix.startswith(own):
                findings.append(
                    ((*here, "prefix"), f"'{prefix}' does not start with its lens's prefix '{own}'")
                )
    return findings


def check_lens_areas(data: dict[str, Any]) -> list[Finding]:
    """Areas, practices and questions of a lens with areas agree (see the module's docstring)."""
    findings = _check_lens_entries(dicts(data.get("aws_lenses")))
    lenses = data_lenses(data)
    with_areas = {lens.id: lens for lens in lenses if lens.areas}
    # Each area lens's practice's mapped pillar and area, by id (as the model decides them: longest prefix).
    pillar_of: dict[str, str] = {}
    area_of: dict[str, str] = {}
    for index, practice in enumerate(dicts(data.get("lens_practices"))):
        ident = str(practice.get("id"))
        owner = lens_of_ref(ident, lenses)
        if owner is None or not owner.areas:
            continue
        pillar_of[ident] = str(practice.get("pillar"))
        found = owner.area_of(ident)
        if found is not None:
            area_of[ident] = found.id
        else:
            prefixes = ", ".join(a.prefix for a in owner.areas)
            findings.append(
                (
                    ("lens_practices", index, "id"),
                    f"'{ident}' is in no area of the {owner.name}: its ids start with {prefixes}",
                )
            )
    checklist = data.get("checklist")
    questions = dicts(checklist.get("questions")) if isinstance(checklist, dict) else []
    for q_index, question in enumerate(questions):
        here: DataPath = ("checklist", "questions", q_index)
        lens = with_areas.get(str(question.get("lens")))
        area = question.get("area")
        names = [a.id for a in lens.areas] if lens else []
        if lens is None and area is not None:
            findings.append(
                ((*here, "area"), "only a question of a lens with areas (aws_lenses[].areas) names an area")
            )
        elif lens is not None and area is None:
            findings.append(
                ((*here, "area"), f"a {lens.name} question names its area: one of {', '.join(names)}")
            )
        elif lens is not None and area not in names:
            findings.append(((*here, "area"), f"unknown area '{area}'{suggest(str(area), names)}"))
        pillar = question.get("pillar")
        cited = Counter(
            area_of[ref]
            for choice in dicts(question.get("choices"))
            for ref in _refs(choice)
            if ref in area_of
        )
        most = max(cited.values(), default=0)
        if lens is not None and area in names and cited and cited.get(str(area), 0) < most:
            usual = " or ".join(f"'{a}'" for a, n in cited.items() if n == most)
            findings.append(
                (
                    (*here, "area"),
                    f"'{area}' is not where most of its practices are: its results count in one area, the "
                    f"area of most of them ({usual})",
                )
            )
        for c_index, choice in enumerate(dicts(question.get("choices"))):
            refs = choice.get("lens_refs")
            for r_index, ref in enumerate(refs if isinstance(refs, list) else []):
                mapped = pillar_of.get(ref) if isinstance(ref, str) else None
                if mapped is not None and mapped != pillar:
                    findings.append(
                        (
                            (*here, "choices", c_index, "lens_refs", r_index),
                            f"'{ref}' counts in the pillar '{mapped}' (its lens_practices entry maps it "
                            f"there), but this question is in '{pillar}': ask it in a question of its "
                            "pillar, or change the mapping",
                        )
                    )
    return findings

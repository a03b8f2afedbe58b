"""The rules of a lens organised by its own focus areas rather than by pillars (the Responsible AI Lens).

Such a lens's guide and results group it by area, and its practices still count in the framework's pillars:
each practice names the pillar it most affects (its ``pillar`` in lens_practices is that mapping). These
checks keep the two views whole: every practice falls in one area, every question of the lens names its
area, and a choice citing an area-lens practice sits in a question of that practice's pillar, so a pillar's
results count exactly the practices mapped to it.
"""

from __future__ import annotations

from typing import Any

from checklist.kbproblems import DataPath, Finding, dicts, suggest


def _areas(lens: dict[str, Any]) -> list[dict[str, Any]]:
    return dicts(lens.get("areas"))


def _area_of(ident: str, areas: list[dict[str, Any]]) -> dict[str, Any] | None:
    matching = [a for a in areas if isinstance(a.get("prefix"), str) and ident.startswith(a["prefix"])]
    return max(matching, key=lambda a: len(a["prefix"]), default=None)


def _check_lens_entries(lenses: list[dict[str, Any]]) -> list[Finding]:
    findings: list[Finding] = []
    for index, lens in enumerate(lenses):
        seen: set[str] = set()
        for a_index, area in enumerate(_areas(lens)):
            here: DataPath = ("aws_lenses", index, "areas", a_index)
            ident, prefix = area.get("id"), area.get("prefix")
            if isinstance(ident, str) and ident in seen:
                findings.append(((*here, "id"), f"'{ident}' is already an area of lens '{lens.get('id')}'"))
            seen.add(str(ident))
            own = lens.get("prefix")
            if isinstance(prefix, str) and isinstance(own, str) and not prefix.startswith(own):
                findings.append(
                    ((*here, "prefix"), f"'{prefix}' does not start with its lens's prefix '{own}'")
                )
    return findings


def check_lens_areas(data: dict[str, Any]) -> list[Finding]:
    """Areas, practices and questions of a lens with areas agree (see the module's docstring)."""
    lenses = dicts(data.get("aws_lenses"))
    findings = _check_lens_entries(lenses)
    with_areas = {str(lens.get("id")): lens for lens in lenses if _areas(lens)}
    # Each area lens's practice's mapped pillar, by id.
    pillar_of: dict[str, str] = {}
    for index, practice in enumerate(dicts(data.get("lens_practices"))):
        ident = str(practice.get("id"))
        lens = next(
            (
                lens
                for lens in with_areas.values()
                if isinstance(lens.get("prefix"), str) and ident.startswith(lens["prefix"])
            ),
            None,
        )
        if lens is None:
            continue
        pillar_of[ident] = str(practice.get("pillar"))
        if _area_of(ident, _areas(lens)) is None:
            prefixes = ", ".join(str(a.get("prefix")) for a in _areas(lens))
            findings.append(
                (
                    ("lens_practices", index, "id"),
                    f"'{ident}' is in no area of the {lens.get('name')}: its ids start with {prefixes}",
                )
            )
    checklist = data.get("checklist")
    questions = dicts(checklist.get("questions")) if isinstance(checklist, dict) else []
    for q_index, question in enumerate(questions):
        here: DataPath = ("checklist", "questions", q_index)
        lens = with_areas.get(str(question.get("lens")))
        area = question.get("area")
        names = [str(a.get("id")) for a in _areas(lens)] if lens else []
        if lens is None and area is not None:
            findings.append(
                ((*here, "area"), "only a question of a lens with areas (aws_lenses[].areas) names an area")
            )
        elif lens is not None and area is None:
            findings.append(
                ((*here, "area"), f"a {lens.get('name')} question names its area: one of {', '.join(names)}")
            )
        elif lens is not None and area not in names:
            findings.append(((*here, "area"), f"unknown area '{area}'{suggest(str(area), names)}"))
        pillar = question.get("pillar")
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

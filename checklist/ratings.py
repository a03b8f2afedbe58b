"""A choice's impact and effort, held to the two yardsticks the KB itself gives.

- Impact: each AWS lens rates the risk a missing best practice exposes (Low sets no floor). A choice rated below the risk of its
  first best practice (High needs impact high, Medium at least medium) says why in ``impact_reason``.
- Effort: ``checklist.effort_scale`` says what low, medium and high mean; ``checklist.effort_scale_signals``
  lists the phrases that name work of a level (a Region move, a migration, an organizational change are
  high). A choice whose title or improvement contains a phrase of a level above its effort says why in
  ``effort_reason``. Phrases match case-insensitively as whole words.
"""

from __future__ import annotations

import re
from typing import Any

from checklist.awslenses import data_lenses, lens_label
from checklist.kbproblems import DataPath, Finding, dicts

_ORDER = {"low": 0, "medium": 1, "high": 2}
_RISK_FLOOR = {"high": "high", "medium": "medium"}  # a lens risk, and the least impact it allows


def check_impacts(
    choices: list[tuple[DataPath, dict[str, Any], dict[str, Any]]], data: dict[str, Any]
) -> list[Finding]:
    """Impact is not below the first best practice's risk, unless ``impact_reason`` says why."""
    risks = {str(p.get("id")): p.get("risk") for p in dicts(data.get("lens_practices"))}
    lenses = data_lenses(data)
    findings: list[Finding] = []
    for path, choice, _ in choices:
        refs = choice.get("lens_refs")
        impact = choice.get("impact")
        if impact not in _ORDER:
            continue
        first = refs[0] if isinstance(refs, list) and refs else None
        floor = _RISK_FLOOR.get(str(risks.get(str(first)))) if first else None
        if floor is None:
            if "impact_reason" in choice:
                findings.append(
                    (
                        (*path, "impact_reason"),
                        "explains an impact below a lens practice's risk, but the choice cites no lens practice "
                        "with a risk level: remove it",
                    )
                )
            continue
        below = _ORDER[str(impact)] < _ORDER[floor]
        if below and "impact_reason" not in choice:
            findings.append(
                (
                    (*path, "impact"),
                    f"is {impact}, below the {floor} risk the {lens_label(str(first), lenses)} gives {first}: rate it {floor}, or "
                    "say why it is lower in `impact_reason`",
                )
            )
        elif not below and "impact_reason" in choice:
            findings.append(
                (
                    (*path, "impact_reason"),
                    f"explains an impact below {first}'s risk, but the impact ({impact}) is not below it: "
                    "remove it",
                )
            )
    return findings


_GAP = "..."  # in a signal: up to GAP_WORDS other words may come between its neighbours
GAP_WORDS = 6


def _word(word: str) -> str:
    """One word of a signal as a pattern: alternatives split by ``|``, a trailing ``*`` for any ending."""
    forms = []
    for form in word.split("|"):
        stem = form.endswith("*")
        forms.append(re.escape(form.rstrip("*")) + (r"[\w-]*" if stem else ""))
    return "(?:" + "|".join(forms) + ")"


def signal_pattern(phrase: str) -> re.Pattern[str]:
    """A signal as a case-insensitive pattern over whole words. A signal is words in order; a word may offer
    alternatives (``move|relocate``) and end in ``*`` (``migrat*``: migrate, migrating, migration), and
    ``...`` lets up to six other words stand between its neighbours, so "move ... Region*" finds "move the
    batch jobs to a lower-carbon Region" as well as "move training to another Region"."""
    parts: list[str] = []
    gap = False
    for word in phrase.split():
        if word == _GAP:
            gap = True
            continue
        if parts:
            parts.append(rf"\W+(?:[\w-]+\W+){{0,{GAP_WORDS}}}?" if gap else r"\s+")
        parts.append(_word(word))
        gap = False
    return re.compile(rf"(?<![\w-]){''.join(parts)}(?![\w-])", re.I)


def _signals(data: dict[str, Any]) -> list[tuple[str, str, re.Pattern[str]]]:
    """(level, phrase, its pattern) for every phrase of ``checklist.effort_scale_signals``."""
    checklist = data.get("checklist")
    table = checklist.get("effort_scale_signals") if isinstance(checklist, dict) else None
    found = []
    for level in ("high", "medium"):
        phrases = table.get(level) if isinstance(table, dict) else None
        for phrase in phrases if isinstance(phrases, list) else ():
            if isinstance(phrase, str) and phrase.replace(_GAP, "").strip():
                found.append((level, phrase, signal_pattern(phrase)))
    return found


def check_efforts(
    choices: list[tuple[DataPath, dict[str, Any], dict[str, Any]]], data: dict[str, Any]
) -> list[Finding]:
    """Effort is not below the level of an effort-scale phrase in the title or improvement, unless
    ``effort_reason`` says why."""
    signals = _signals(data)
    findings: list[Finding] = []
    for path, choice, _ in choices:
        effort = choice.get("effort")
        if effort not in _ORDER:
            continue
        text = f"{choice.get('title', '')}\n{choice.get('improvement', '')}"
        above = [
            (level, phrase)
            for level, phrase, pattern in signals
            if _ORDER[level] > _ORDER[str(effort)] and pattern.search(text)
        ]
        if "effort_reason" in choice:
            if not above:
                findings.append(
                    (
                        (*path, "effort_reason"),
                        f"explains an effort below the effort scale's words, but the text says none above {effort}: "
                        "remove it",
                    )
                )
            continue
        if above:
            level, phrase = above[0]  # the highest level's first phrase: one finding per choice
            findings.append(
                (
                    (*path, "effort"),
                    f"is {effort}, but the text says '{phrase}', which the effort scale calls {level} "
                    f"(checklist.effort_scale_signals): rate it {level}, or say why it is less in "
                    "`effort_reason`",
                )
            )
    return findings

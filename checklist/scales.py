"""The scales every part of the checklist shares: risk levels, impact and effort.

One table each, read by the assessment, the reports, the comparison, the custom lens and (through the
result) the page: nothing else names a risk or orders a level.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Risk:
    id: str
    label: str
    weight: int  # only high and medium are risks; the other outcomes expose none
    lens: str = ""  # the AWS custom-lens name of a risk a rule can give


RISKS = (
    Risk("high", "High risk", 2, "HIGH_RISK"),
    Risk("medium", "Medium risk", 1, "MEDIUM_RISK"),
    Risk("none", "No risk", 0, "NO_RISK"),
    Risk("not_applicable", "Not applicable", 0),
    Risk("unanswered", "Unanswered", 0),
)
RISK_LABELS = {risk.id: risk.label for risk in RISKS}
RISK_WEIGHT = {risk.id: risk.weight for risk in RISKS}
RULE_RISKS = tuple(risk.id for risk in RISKS if risk.lens)  # what a risk rule may give
LENS_RISK = {risk.id: risk.lens for risk in RISKS if risk.lens}

IMPACTS = ("high", "medium", "low")  # most urgent first
EFFORTS = ("low", "medium", "high")  # cheapest first
UNRATED = "unrated"  # an effort nobody has estimated (a KB imported from a custom lens)
EFFORT_LEVELS = (*EFFORTS, UNRATED)
LEVEL_WORDS = {"high": "High", "medium": "Medium", "low": "Low", UNRATED: "Not rated"}


def effort_value(effort: str) -> str:
    """An effort as a value in text ("effort: low", "effort: not rated")."""
    return "not rated" if effort == UNRATED else effort


def effort_words(effort: str) -> str:
    """``low effort``, or ``effort not rated``: how a sentence names a recommendation's effort."""
    return "effort not rated" if effort == UNRATED else f"{effort} effort"

"""What a team decided to do about each recommendation: a status, an owner, dates, a ticket and a note.

Decisions are kept in the state file by practice (choice) id, which is the recommendation's stable id: it
survives re-ranking, and a tracker ticket made from it can be found again. Marking a recommendation done
is not a status: the page ticks its practice, and the recommendation is gone (one source of truth).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from checklist.errors import as_object, json_kind

STATUSES = {
    "open": "Open",
    "planned": "Planned",
    "in_progress": "In progress",
    "risk_accepted": "Risk accepted",
    "wont_do": "Won't do",
}
ACTIVE = ("open", "planned", "in_progress")  # the work trackers receive
NEEDS_REASON = ("risk_accepted", "wont_do")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_FIELDS = ("status", "owner", "due", "ticket", "note", "reason", "review")


@dataclass(frozen=True)
class Decision:
    status: str = "open"
    owner: str = ""
    due: str = ""  # YYYY-MM-DD
    ticket: str = ""  # the tracker's URL for it
    note: str = ""
    reason: str = ""  # why a risk is accepted or the work will not be done
    review: str = ""  # YYYY-MM-DD: when an accepted risk is looked at again

    @property
    def is_default(self) -> bool:
        return self == Decision()

    def to_dict(self) -> dict[str, str]:
        """Only what was set: a state file stays readable, and an untouched decision is not written."""
        return {
            key: value
            for key, value in asdict(self).items()
            if value and (key != "status" or value != "open")
        }


def parse_decision(where: str, data: object, problems: list[str]) -> Decision:
    given = as_object(where, data, problems)
    if given is None:
        return Decision()
    values: dict[str, str] = {}
    for key, value in given.items():
        if key not in _FIELDS:
            problems.append(f"{where}.{key}: unknown field")
        elif not isinstance(value, str):
            problems.append(f"{where}.{key}: must be a string, not {json_kind(value)}")
        else:
            values[key] = value
    decision = Decision(**values)
    if decision.status not in STATUSES:
        problems.append(f"{where}.status: must be one of {', '.join(STATUSES)} (got {decision.status!r})")
    for key in ("due", "review"):
        value = values.get(key, "")
        if value and not _DATE.match(value):
            problems.append(f"{where}.{key}: must be a date as YYYY-MM-DD (got {value!r})")
    if decision.ticket and not decision.ticket.startswith(("https://", "http://")):
        problems.append(
            f"{where}.ticket: must be a web address starting with https:// (got {decision.ticket!r})"
        )
    if decision.status in NEEDS_REASON and not decision.reason.strip():
        problems.append(f"{where}.reason: a decision of {STATUSES[decision.status]!r} needs a reason")
    if decision.status == "risk_accepted" and not decision.review:
        problems.append(f"{where}.review: an accepted risk needs a review date")
    return decision


def overdue(decision: Decision, today: str) -> bool:
    """An accepted risk whose review date has passed (dates compare as text in YYYY-MM-DD)."""
    return (
        decision.status == "risk_accepted"
        and bool(today)
        and bool(decision.review)
        and decision.review < today
    )


def summary_text(planned: int, total: int) -> str:
    return f"{planned} of {total} planned"


def as_dict(decision: Decision) -> dict[str, Any]:
    """The decision in full, with its status's label, for the result the page and the reports read."""
    return {
        "status": decision.status,
        "owner": decision.owner,
        "due": decision.due,
        "ticket": decision.ticket,
        "note": decision.note,
        "reason": decision.reason,
        "review": decision.review,
        "label": STATUSES[decision.status],
    }


OPEN = Decision()

"""Why a question or a practice does not apply: the WA Tool's reason codes, and the words people read.

The codes are the API's (UpdateAnswer's ``Reason``, and a ``ChoiceUpdate``'s), kept as they are in the
state file so the round trip with the tool loses nothing; the labels are what the page, the reports and
the results show. A question marked not applicable with no reason given has :data:`DEFAULT`, as the
checklist always sent.
"""

from __future__ import annotations

# The API's values, in the order its reference lists them; the labels are the console's wording.
REASONS: dict[str, str] = {
    "OUT_OF_SCOPE": "Out of scope",
    "BUSINESS_PRIORITIES": "Business priorities",
    "ARCHITECTURE_CONSTRAINTS": "Architecture constraints",
    "OTHER": "Other",
    "NONE": "None given",
}
DEFAULT = "OUT_OF_SCOPE"
REASON_LABEL = "Why it does not apply"  # the page's select beside "Not applicable to this workload"
PRACTICE_MARK = "not applicable: {reason}"  # beside a practice so marked; {reason} is the reason's label
PRACTICE_DIALOG = (
    "A practice marked not applicable is neither in place nor missing: it leaves the question's risk and "
    "the plan, as the WA Tool leaves it out of the risk."
)
CHOICE_NOTES_LIMIT = 250  # a ChoiceUpdate's Notes: at most 250 characters (UTF-16 units, as the API counts)
NOT_APPLICABLE = "not_applicable"  # the one per-practice status the state file names (selected has its list)


def utf16_length(text: str) -> int:
    """The API's length: UTF-16 code units (a character beyond U+FFFF, an emoji say, counts 2)."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def label(code: str) -> str:
    """The reason as people read it: "Business priorities"."""
    return REASONS[code]


def practice_mark(code: str) -> str:
    """What stands beside a practice marked not applicable: "not applicable: Out of scope"."""
    return PRACTICE_MARK.format(reason=REASONS[code])


def codes_text() -> str:
    """The codes a file may give, for a message: "OUT_OF_SCOPE, BUSINESS_PRIORITIES, …"."""
    return ", ".join(REASONS)

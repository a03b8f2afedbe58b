"""The one kind of error the engine raises for input it is given: every problem found, one per line.

State files, lens limits and (in the site builder) knowledge-base files all fail this way, so the CLI and
the browser report any of them the same way without knowing which it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class InputError(ValueError):
    """Unusable input; ``problems`` lists every reason, one sentence each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class StateError(InputError):
    """A state file (saved answers) that the checklist cannot use."""


class LensError(InputError):
    """A checklist that breaks a limit of the AWS custom-lens format."""


def as_object(where: str, data: object, problems: list[str]) -> dict[str, Any] | None:
    """``data`` if it is a JSON object; otherwise None, and the problem is noted (for every parser of input)."""
    if isinstance(data, dict):
        return data
    problems.append(f"{where}: must be an object, not {json_kind(data)}")
    return None


def json_kind(value: object) -> str:
    """How a message names a JSON value's type: 'an object', 'a list', 'a string', 'a number'..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )

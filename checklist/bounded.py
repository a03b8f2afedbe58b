"""What outside JSON may cost before it is parsed: every parser here reads text a stranger may have written
(state files, share links, teammates' files, the WA Tool's answers, lens files). Each caller checks the
size; this checks the nesting, which Python's parser and every walk over its result handle by recursion:
a file that is one array nested 100,000 deep would end in a RecursionError (and, in Pyodide, a fatal
error) instead of a message.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # a state file nests 5 levels deep, a custom lens 7
# A JSON string (escapes included; an unterminated one runs to the end) or a bracket: brackets inside
# strings do not count.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)


def too_deep(text: str) -> str:
    """ "" if ``text`` nests at most MAX_DEPTH levels; else where it goes deeper, as "line L, column C"."""
    depth = 0
    for token in _TOKEN.finditer(text):
        first = token.group()[0]
        if first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                at = token.start()
                line = text.count("\n", 0, at) + 1
                return f"line {line}, column {at - (text.rfind(chr(10), 0, at) + 1) + 1}"
        elif first in "]}":
            depth -= 1
    return ""


def depth_problem(text: str) -> str:
    """The one-line message for JSON nested too deep, or ""."""
    where = too_deep(text)
    return (
        f"nested more than {MAX_DEPTH} levels deep at {where}: not a file this tool writes" if where else ""
    )


HUGE_NUMBER = "a number in it has more than 4,300 digits"  # Python's json refuses those (ValueError)


class BadJSON(ValueError):
    """JSON that parses but that this tool will not read: its meaning is unclear or it is not text."""


class DuplicateKey(BadJSON):
    """An object gives one key twice. JSON leaves the meaning open (parsers keep the first, the last or
    both), so a file that does it is refused rather than read one way here and another way elsewhere."""

    def __init__(self, key: str) -> None:
        shown = json.dumps(key)
        shown = shown if len(shown) <= 40 else shown[:37] + '..."'
        super().__init__(f"the key {shown} is given twice in one object, so which value is meant is unclear")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        found[key] = value
    return found


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = (
    "it holds a lone UTF-16 surrogate (a \\ud800-\\udfff escape without its pair), which is not text"
)


def _lone_surrogate(data: Any) -> bool:
    """Whether any key or string in ``data`` holds half of a UTF-16 pair (no file can be written with it)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def loads(text: str) -> Any:
    """``json.loads`` that refuses duplicate keys and lone surrogates (BadJSON, a ValueError: catch it
    before ValueError, which also stands for a number of more than 4,300 digits)."""
    data = json.loads(text, object_pairs_hook=_unique)
    if _SURROGATE_ESCAPE.search(text) and _lone_surrogate(data):  # a valid pair parses to one character
        raise BadJSON(LONE_SURROGATE)
    return data

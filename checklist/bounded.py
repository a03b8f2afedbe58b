"""The untrusted-JSON boundary: every JSON text a stranger may have written (state files, share links,
teammates' files, the WA Tool's answers, lens files, a KB given as JSON, the page's requests) is parsed
here, and anything this tool will not read becomes one located line, never a traceback.

What it refuses: a file over its kind's size cap; nesting past MAX_DEPTH (Python's parser and every walk
over its result recurse: a file that is one array nested 100,000 deep would end in a RecursionError and,
in Pyodide, a fatal error); a key given twice in one object; half of a UTF-16 pair (no file can hold it);
bad syntax; integers past 4,300 digits. The KB's YAML reader uses the same limit and surrogate finder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from checklist.errors import InputError

MAX_DEPTH = 64  # a state file nests 5 levels deep, a custom lens 7, the KB 9
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
                return _where(text, token.start())
        elif first in "]}":
            depth -= 1
    return ""


def _where(text: str, at: int) -> str:
    line = text.count("\n", 0, at) + 1
    return f"line {line}, column {at - (text.rfind(chr(10), 0, at) + 1) + 1}"


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


def lone_surrogate_at(text: str) -> int:
    """Where ``text`` holds half of a UTF-16 pair as a character (a Python string never holds a valid pair
    that way), or -1."""
    found = _SURROGATE.search(text)
    return found.start() if found else -1


def holds_lone_surrogate(data: Any) -> bool:
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


def loads(text: str, *, lone_surrogates: bool = False) -> Any:
    """``json.loads`` that refuses duplicate keys and (unless allowed) lone surrogates (BadJSON, a ValueError:
    catch it before ValueError, which also stands for a number of more than 4,300 digits)."""
    data = json.loads(text, object_pairs_hook=_unique)
    if lone_surrogates:
        return data
    if lone_surrogate_at(text) >= 0:
        raise BadJSON(LONE_SURROGATE)
    if _SURROGATE_ESCAPE.search(text) and holds_lone_surrogate(data):  # a valid pair parses to one character
        raise BadJSON(LONE_SURROGATE)
    return data


@dataclass(frozen=True)
class Kind:
    """What a caller reads, for the cap and the words of its messages."""

    noun: str  # "a state file": "the file is 2,000,000 bytes; a state file may be at most ..."
    max_bytes: int
    hint: str = ""  # what to do about a syntax error, added to its message: " (run ... --output json)"
    lone_surrogates: bool = False  # the page's own text may hold half a pair; it goes back as it came


def check_size(size: int, kind: Kind, error: type[InputError] = InputError) -> None:
    """Refuse a file over the cap before reading it (the page passes a file's size before its text)."""
    if size > kind.max_bytes:
        raise error([f"the file is {size:,} bytes; {kind.noun} may be at most {kind.max_bytes:,} bytes"])


def parse(data: str | bytes, kind: Kind, error: type[InputError] = InputError) -> Any:
    """The JSON value in ``data`` (bytes are UTF-8, a byte order mark allowed); else ``error`` with one
    located line saying what is wrong and where."""
    if isinstance(data, bytes):
        check_size(len(data), kind, error)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as undecodable:
            raise error([f"not UTF-8 text (byte {undecodable.start})"]) from None
    else:
        check_size(len(data.encode("utf-8", "surrogatepass")), kind, error)
        text = data
    if deep := depth_problem(text):
        raise error([deep])
    try:
        return loads(text, lone_surrogates=kind.lone_surrogates)
    except json.JSONDecodeError as syntax:
        where = f"line {syntax.lineno}, column {syntax.colno}"
        raise error([f"not valid JSON: {syntax.msg} at {where}{kind.hint}"]) from None
    except BadJSON as unclear:
        raise error([f"not {kind.noun}: {unclear}"]) from None
    except ValueError:
        raise error([f"not valid JSON: {HUGE_NUMBER}"]) from None

"""A KB given as JSON (the site publishes its KB so, in its checklist bundle): read through the
untrusted-JSON boundary and checked by every rule the builder applies to the YAML source, each problem
located by its JSON path and its line in the file.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checklist import bounded
from checklist.errors import InputError
from checklist.kbcheck import check
from checklist.kbproblems import DataPath, KnowledgeBaseError, Problem, dotted
from checklist.knowledge import KnowledgeBase

KB_JSON = bounded.Kind("a knowledge base", 32 * 1024 * 1024)
# A JSON string, a bracket or punctuation, or a bare word (a number, true, false, null).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+')


def lines(text: str) -> dict[DataPath, int]:
    """The 1-based line where each value (for an object's member: its key) starts. Run only when there is
    a problem to place, on text the boundary already accepted."""
    found: dict[DataPath, int] = {}
    stack: list[list[Any]] = []  # per open container: [bracket, current key or index, expecting a key]
    line, at = 1, 0
    for token in _TOKEN.finditer(text):
        line += text.count("\n", at, token.start())
        at = token.start()
        word = token.group()
        top = stack[-1] if stack else None
        if word in "]}":
            stack.pop()
        elif word == ":":
            continue
        elif word == ",":
            if top is not None and top[0] == "{":
                top[2] = True
            elif top is not None:
                top[1] += 1
        elif top is not None and top[2]:
            top[1], top[2] = json.loads(word), False
            found.setdefault((*(entry[1] for entry in stack),), line)
        else:
            found.setdefault((*(entry[1] for entry in stack),), line)
            if word in "[{":
                stack.append([word, 0, word == "{"])
    return found


def _line(path: DataPath, where: dict[DataPath, int]) -> int:
    """The line of ``path``, or of the nearest parent that exists."""
    for end in range(len(path), -1, -1):
        if path[:end] in where:
            return where[path[:end]]
    return 1


def load_text(text: str, filename: str) -> KnowledgeBase:
    """The KB in ``text``; else :class:`KnowledgeBaseError` listing every problem, located."""
    try:
        data = bounded.parse(text, KB_JSON)
    except InputError as error:
        raise KnowledgeBaseError(filename, [Problem(1, 0, "json", p) for p in error.problems]) from None
    if not isinstance(data, dict):
        raise KnowledgeBaseError(filename, [Problem(1, 0, "(top level)", "must be an object of sections")])
    findings = check(data)
    if findings:
        where = lines(text)
        raise KnowledgeBaseError(
            filename, [Problem(_line(path, where), 0, dotted(path), message) for path, message in findings]
        )
    return KnowledgeBase.from_dict(data)

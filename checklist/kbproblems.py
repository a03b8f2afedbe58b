"""Problems found in a knowledge base, located by line and field so a contributor can fix them fast."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from checklist.errors import InputError

DataPath = tuple[str | int, ...]  # where a value sits in the KB's data: ("pillars", 2, "practices")
Finding = tuple[DataPath, str]  # a cross-check's problem, before its path becomes a line number


def walk(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Yield every value in the tree with its path, parents before children."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def dicts(node: Any) -> list[dict[str, Any]]:
    """The mappings in a list (a schema error elsewhere may have put something else there)."""
    return [item for item in node if isinstance(item, dict)] if isinstance(node, list) else []


def suggest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def dotted(path: DataPath) -> str:
    """Render a data path the way a contributor reads it: ``pillars[2].practices[0].cites``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the knowledge base; ``line`` is 1-based, ``column`` 0 when unknown."""

    line: int
    column: int
    field: str
    message: str

    def render(self, filename: str) -> str:
        where = f"{filename}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.field}: {self.message}"


class KnowledgeBaseError(InputError):
    """Raised with every problem at once, so one build shows the contributor all there is to fix."""

    def __init__(self, filename: str, problems: Sequence[Problem]) -> None:
        self.filename = filename
        self.located = sorted(problems)
        super().__init__([problem.render(filename) for problem in self.located])

    def report(self) -> str:
        return "\n".join(self.problems)

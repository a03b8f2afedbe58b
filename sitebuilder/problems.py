"""Problems found in a knowledge base, located by line and field so a contributor can fix them fast."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checklist.errors import InputError

DataPath = tuple[str | int, ...]  # where a value sits in the KB's data: ("pillars", 2, "practices")


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

"""How a build that stops says why, whichever builder runs it (MkDocs' hooks, sitebuilder.zensical): every
problem on a line of its own, and on GitHub Actions each KB problem also as an annotation on its line."""

from __future__ import annotations

import os
import sys

from checklist.errors import InputError
from checklist.kbproblems import KnowledgeBaseError


def print_problems(error: InputError) -> None:
    print("\n".join(error.problems), file=sys.stderr)
    if isinstance(error, KnowledgeBaseError) and os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in error.located:
            message = f"{problem.field}: {problem.message}".replace("%", "%25").replace("\n", "%0A")
            print(f"::error file={error.filename},line={problem.line}::{message}")


def summary(error: InputError, what: str) -> str:
    """``2 problems in docs/knowledge-base.yml``: the line a stopped build ends on, after "Aborted: "."""
    return f"{len(error.problems)} problem{'s' * (len(error.problems) != 1)} in {what}"

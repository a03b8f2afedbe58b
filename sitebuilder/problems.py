"""The builder's name for the engine's located KB problems (checklist.kbproblems), kept for its callers."""

from __future__ import annotations

from checklist.kbproblems import DataPath, Finding, KnowledgeBaseError, Problem, dicts, dotted, suggest, walk

__all__ = ["DataPath", "Finding", "KnowledgeBaseError", "Problem", "dicts", "dotted", "suggest", "walk"]

"""Text conventions every output shares, so a title reads the same in the page, the reports and the lens."""

from __future__ import annotations


def fold(value: str) -> str:
    """One line: YAML folded blocks and hand-edited files carry newlines and runs of spaces."""
    return " ".join(value.split())


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 risk``, ``2 risks``: result sentences are written once, here, for every output."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"

"""What the build derives from one KB text alone, kept on disk by content so the next build of the same KB
reads it back instead of working it out again: the lens downloads and each page's macro output.

A folder of .build-cache/derived is named by :func:`sitebuilder.kbfile.content_key`: the KB text and the code of
the builder and the engine, so an edit to either starts a fresh one. What else an entry depends on (the
page a macro renders on, its arguments) is in the entry's name. Builds run side by side (test workers):
entries are written whole and renamed, and a missing or unreadable one is simply made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KEEP = 4  # KB texts whose derived files are kept (the few built lately)


@dataclass(frozen=True)
class Derived:
    """The derived files of one KB text, or (``folder`` None) no cache: everything is made each time."""

    folder: Path | None

    def text(self, name: object, make: Callable[[], str]) -> str:
        """The text stored under ``name`` (any JSON-able value naming what it depends on), made by ``make``
        and stored when missing."""
        if self.folder is None:
            return make()
        entry = self.folder / hashlib.sha256(json.dumps(name).encode()).hexdigest()[:32]
        try:
            return entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        text = make()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, delete=False) as out:
                out.write(text)
            os.replace(out.name, entry)
        except OSError:
            pass  # a cache only (another build may have pruned the folder meanwhile)
        return text


UNCACHED = Derived(None)


@lru_cache(maxsize=2)
def for_kb(cache: Path, content_key: str | None) -> Derived:
    """The derived files of the KB named ``content_key`` under ``cache``; the oldest others are pruned
    (once per KB and process: the hooks and every macro of a build ask)."""
    if content_key is None:
        return UNCACHED
    folder = cache / content_key
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # recently used: kept by the pruning below
        kept = sorted(cache.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return Derived(folder)
    for stale in kept[KEEP:]:
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    return Derived(folder)

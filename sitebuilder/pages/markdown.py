"""Turn plain KB text into Markdown that shows exactly that text, and collect footnote citations."""

from __future__ import annotations

import html
import posixpath
import re

from checklist.knowledge import KnowledgeBase
from checklist.text import fold

# Backslash escapes Python-Markdown honours here ("|" because the tables extension is on).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}#!|])")
_BLOCK_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)")


def text(value: str) -> str:
    """For Markdown (paragraphs, lists, table cells, headings): shown literally, nothing interpreted."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(fold(value), quote=False))
    return _BLOCK_START.sub(lambda m: f"{m[1]}{m[2][:-1]}\\{m[2][-1]}{m[3]}", escaped)


def html_text(value: str) -> str:
    """For raw HTML, where Markdown is not processed: element text and attribute values alike."""
    return html.escape(fold(value), quote=True)


def caveat_spans(kb: KnowledgeBase, service_ids: tuple[str, ...]) -> str:
    """The caveats of retired or closed services among ``service_ids``, generated from their status, for
    wherever they are named (guides, the checklist form, quiz explanations, diagram captions)."""
    notes = (kb.service(s).caveat for s in service_ids)
    return "".join(f'<span class="kb-caveat">{html_text(note)}</span>' for note in notes if note)


def admonition_title(value: str) -> str:
    """For ``!!! kind "title"``: Markdown inline rules apply, and a quote would end the title."""
    return text(value).replace('"', "&quot;")


def link(here: str, target: str, anchor: str = "") -> str:
    """Relative link from page ``here`` to page ``target`` (both docs-relative .md paths).

    MkDocs resolves and validates .md links, so a renamed page or a missing anchor fails the strict build.
    """
    if target == here:
        return f"#{anchor}" if anchor else "#"
    relative = posixpath.relpath(target, posixpath.dirname(here) or ".")
    return f"{relative}#{anchor}" if anchor else relative


class Footnotes:
    """Footnote markers for one rendered block, and the definitions that link to the references page."""

    def __init__(self, kb: KnowledgeBase, here: str, references_page: str) -> None:
        self._kb = kb
        self._here = here
        self._references_page = references_page
        self._order: list[str] = []

    def cite(self, cites: tuple[str, ...]) -> str:
        for ref in cites:
            if ref not in self._order:
                self._order.append(ref)
        return "".join(f"[^{ref}]" for ref in cites)

    def definitions(self) -> str:
        lines = []
        for ref_id in self._order:
            ref = self._kb.reference(ref_id)
            target = link(self._here, self._references_page, ref.id)
            lines.append(f"[^{ref.id}]: [{text(ref.title)}]({target})")
        return "\n".join(lines)

"""What a ``mkdocs serve`` rebuild reuses from the rebuilds before it in the same process.

MkDocs rebuilds the whole site on every change: after a KB edit it converts every page's Markdown again,
compiles every theme template, re-indexes every page for search and copies 17 MB of Pyodide, Mermaid and
checklist files into a fresh site folder. Each is the same work as last time unless its input changed,
so under serve (never in a build) the hooks keep it here: each page's HTML by its Markdown and what its
links resolve against, compiled templates by their source, each page's search entries by what the index
reads from the page, and the published files as hard links to their sources (the served folder is a
temporary one nobody writes to). MkDocs and Material are pinned (pyproject.toml): what is patched here
is theirs at those versions.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
from collections.abc import Callable
from typing import Any

import jinja2
from mkdocs.structure.files import File

KEPT_PAGES = 500  # search entries kept for this many page inputs (a few edits of every page)


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in memory: Jinja checks each against its source's checksum before use."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class LinkedFile(File):
    """A published file (Pyodide's runtime, Mermaid, the checklist bundle) put in the served folder as a
    hard link to its source rather than a copy; a copy where the two folders cannot share one."""

    def copy_file(self, dirty: bool = False) -> None:
        assert self.abs_src_path is not None
        target = self.abs_dest_path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            if os.path.lexists(target):
                os.unlink(target)
            os.link(os.path.realpath(self.abs_src_path), target)
        except OSError:
            super().copy_file(dirty)


def _search_input(index: Any, page: Any) -> str:
    """Everything Material's search index reads to index ``page``: its settings, and the page's address,
    title, HTML, table of contents and front matter."""

    def toc(items: Any) -> list[Any]:
        return [[item.id, item.url, item.title, toc(item.children)] for item in items]

    seen = [index.config, page.url, page.title, page.content, toc(page.toc), page.meta]
    return hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode()).hexdigest()


def remember_search_entries() -> None:
    """Make Material's search index add the entries it made for the same page input before rather than
    parse the page's HTML again. Once per process; entries are added as copies, and those of pages not
    seen for a while are let go."""
    from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]

    index: Any = SearchIndex
    index_entries: Callable[..., None] = index.add_entry_from_context
    if getattr(index_entries, "remembers", False):
        return
    made: dict[str, list[dict[str, Any]]] = {}

    def add_entry_from_context(self: Any, page: Any) -> None:
        key = _search_input(self, page)
        if key not in made:
            if len(made) > KEPT_PAGES:
                made.clear()
            before = len(self.entries)
            index_entries(self, page)
            made[key] = copy.deepcopy(self.entries[before:])
            return
        self.entries.extend(copy.deepcopy(made[key]))

    add_entry_from_context.remembers = True  # type: ignore[attr-defined]
    index.add_entry_from_context = add_entry_from_context


def _render_input(page: Any, config: Any) -> str:
    """What MkDocs' Page.render reads besides the other files: the Markdown, the page's address, the
    Markdown extensions and their settings, and the link checks' levels."""
    seen = [
        page.file.src_uri,
        page.file.url,
        str(page.file.inclusion),
        page.markdown,
        [str(extension) for extension in config["markdown_extensions"]],
        config["mdx_configs"],
        config["validation"],
        config["use_directory_urls"],
    ]
    return hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode()).hexdigest()


def _found(file: Any) -> list[str] | None:
    """What a link to ``file`` (a file of the build, or None) turns into: its address and inclusion."""
    return None if file is None else [file.url, str(file.inclusion)]


class _Said(logging.Handler):
    """Notes whether anything was logged (a link warning, say) while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.said = False

    def emit(self, record: logging.LogRecord) -> None:
        self.said = True


def remember_page_renders() -> None:
    """Make MkDocs' Page.render give a page the HTML, table of contents, title and anchors it rendered
    before, when its input is the same and every file its links looked up is still found at the same
    address, rather than convert its Markdown again (a KB edit renames the checklist bundle's files, which
    no page links to). A render that logged anything (a link warning, which strict mode counts) is never
    remembered, so it is logged again on every rebuild."""
    from mkdocs.structure.pages import Page

    page_class: Any = Page
    render: Callable[..., None] = page_class.render
    if getattr(render, "remembers", False):
        return
    made: dict[str, dict[str, Any]] = {}
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]

    def fresh(page: Any, config: Any, files: Any) -> dict[str, Any] | None:
        """Render ``page``; what to remember of it, or None when the render logged something."""
        said, looked_up = _Said(), {}
        find = files.get_file_from_path

        def recorded(path: str) -> Any:
            looked_up[path] = _found(found := find(path))
            return found

        files.get_file_from_path = recorded
        for logger in loggers:
            logger.addHandler(said)
        try:
            render(page, config, files)
        finally:
            for logger in loggers:
                logger.removeHandler(said)
            del files.get_file_from_path
        if said.said:
            return None
        return {
            "looked_up": looked_up,
            "content": page.content,
            "toc": copy.deepcopy(page.toc),
            "title": page._title_from_render,
            "anchors": set(page.present_anchor_ids),
            "links": None
            if page.links_to_anchors is None
            else {to.src_uri: dict(links) for to, links in page.links_to_anchors.items()},
        }

    def remembered_render(self: Any, config: Any, files: Any) -> None:
        if self.markdown is None:
            return render(self, config, files)  # MkDocs' own error
        key = _render_input(self, config)
        kept = made.get(key)
        if kept is None or any(
            _found(files.get_file_from_path(path)) != found for path, found in kept["looked_up"].items()
        ):
            made.pop(key, None)
            if (kept := fresh(self, config, files)) is None:
                return None
            if len(made) > KEPT_PAGES:
                made.clear()
            made[key] = kept
            return None
        self.content = kept["content"]
        self.toc = copy.deepcopy(kept["toc"])
        self._title_from_render = kept["title"]
        self.present_anchor_ids = set(kept["anchors"])
        if kept["links"] is not None:  # the File objects of this build, by their paths
            self.links_to_anchors = {
                files.get_file_from_path(src_uri): dict(links) for src_uri, links in kept["links"].items()
            }
        return None

    remembered_render.remembers = True  # type: ignore[attr-defined]
    page_class.render = remembered_render

"""The macros module (mkdocs-macros, or Zensical's own rewrite of it): registers sitebuilder.macros, giving
each the KB and the page it renders on. Nothing here imports MkDocs: the two give the page in different
shapes (MkDocs' ``page.file.src_uri``, Zensical's ``page.path``), and the same ``page.url``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitebuilder import CACHE_DIR, derived, kbfile
from sitebuilder.macros import MACROS, Page
from sitebuilder.urls import file_url, relative_url

DERIVED = Path(__file__).resolve().parent.parent / CACHE_DIR / "derived"  # see sitebuilder.derived
_THIS = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # an edit here changes what a macro gives


def _named(render: Callable[..., str]) -> str:
    """Where ``render`` is defined: a name for it in the derived files (several macros are lambdas)."""
    return f"{render.__module__}.{render.__qualname__}:{render.__code__.co_firstlineno}"


def _src_uri(page: Any) -> str:
    """The page's docs-relative path, as either builder gives it."""
    file = getattr(page, "file", None)
    return str(file.src_uri if file is not None else page.path)


def _raw_links_from(page: Any) -> str:
    """Where the builder reads a relative href or src in raw HTML from: MkDocs leaves it as written, so
    from the page's URL; Zensical re-bases it as if written in the Markdown file, so from its folder."""
    return str(page.url) if getattr(page, "file", None) is not None else _src_uri(page)


def define_env(env: Any) -> None:
    """The KB was loaded (and checked) by hooks/site.py's on_config; this reads the same cached model."""

    def url_of(src_uri: str, base: str | None = None) -> str:
        target = file_url(src_uri, env.conf.get("use_directory_urls", True))
        return relative_url(target, env.page.url if base is None else base)

    def bind(render: Callable[..., str]) -> Callable[..., str]:
        def macro(*args: Any) -> str:
            kb = kbfile.load_cached(kbfile.location(env.conf["docs_dir"]))
            links_from = _raw_links_from(env.page)
            page = Page(
                _src_uri(env.page),
                url_of,
                lambda src_uri: url_of(src_uri, links_from),
                env.conf["extra"]["checklist_worker"],
            )
            # The output depends on the KB, the code (both in the folder's name), and these alone.
            depends = [
                _THIS,
                _named(render),
                args,
                page.here,
                links_from,
                page.worker,
                env.conf.get("use_directory_urls", True),
            ]
            kept = derived.for_kb(DERIVED, kbfile.content_key(kb))
            return kept.text(depends, lambda: render(kb, page, *args))

        return macro

    for name, render in MACROS.items():
        env.macro(bind(render), name)

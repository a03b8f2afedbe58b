"""mkdocs-macros module: registers sitebuilder.macros, giving each the KB and the page it renders on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from sitebuilder import derived, kbfile
from sitebuilder.macros import MACROS, Page

DERIVED = Path(__file__).resolve().parent.parent / ".cache" / "derived"  # see sitebuilder.derived
_THIS = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # an edit here changes what a macro gives


def _named(render: Callable[..., str]) -> str:
    """Where ``render`` is defined: a name for it in the derived files (several macros are lambdas)."""
    return f"{render.__module__}.{render.__qualname__}:{render.__code__.co_firstlineno}"


def define_env(env: Any) -> None:
    """The KB was loaded (and checked) by hooks/site.py's on_config; this reads the same cached model."""

    def url_of(src_uri: str) -> str:
        conf = env.conf
        target = File(src_uri, conf["docs_dir"], conf["site_dir"], conf["use_directory_urls"])
        return str(get_relative_url(target.url, env.page.url))

    def bind(render: Callable[..., str]) -> Callable[..., str]:
        def macro(*args: Any) -> str:
            kb = kbfile.load_cached(kbfile.location(env.conf["docs_dir"]))
            page = Page(str(env.page.file.src_uri), url_of, env.conf["extra"]["checklist_worker"])
            # The output depends on the KB, the code (both in the folder's name), and these alone.
            depends = [_THIS, _named(render), args, page.here, page.worker, env.conf["use_directory_urls"]]
            kept = derived.for_kb(DERIVED, kbfile.content_key(kb))
            return kept.text(depends, lambda: render(kb, page, *args))

        return macro

    for name, render in MACROS.items():
        env.macro(bind(render), name)

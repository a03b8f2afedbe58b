"""mkdocs-macros module: registers sitebuilder.macros, giving each the KB and the page it renders on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from sitebuilder import kbfile
from sitebuilder.macros import MACROS, Page


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
            return render(kb, page, *args)

        return macro

    for name, render in MACROS.items():
        env.macro(bind(render), name)

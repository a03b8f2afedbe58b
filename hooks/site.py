"""MkDocs hooks: the KB is checked, the builder's files are published, every page gets its CSP.

Thin on purpose: the work is in ``sitebuilder``; this file maps MkDocs events onto its plain calls and
turns its errors into ``Abort`` (but under ``mkdocs serve``, a broken KB's into sitebuilder.errorpage).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import mkdocs_macros.context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from checklist.errors import InputError
from checklist.kbproblems import KnowledgeBaseError
from sitebuilder import CACHE_DIR, csp, derived, errorpage, kbfile, problems, publish, rebuild
from sitebuilder.pages import sitemap

ROOT = Path(__file__).resolve().parent.parent
DERIVED = ROOT / CACHE_DIR / "derived"  # what the build derives from one KB text (sitebuilder.derived)
_state = errorpage.State()  # this module outlives the rebuilds (MkDocs loads a hook once per process)
_templates = rebuild.TemplateCache()  # so do the theme's compiled templates, under serve


def _kb_name(config: MkDocsConfig) -> tuple[Path, str]:
    path = kbfile.location(config.docs_dir)
    return path, os.path.relpath(path)


def _abort(error: InputError, what: str) -> Abort:
    """Print every problem, one line each (and as annotations on GitHub), and stop the build."""
    problems.print_problems(error)
    return Abort(f"Aborted: {problems.summary(error, what)}")


def on_startup(command: str, dirty: bool) -> None:
    _state.serving = command == "serve" and not dirty  # a dirty rebuild would keep the error pages
    _state.command = command
    # mkdocs-macros runs 13 git commands at every build and rebuild for its `git` variable, which no page
    # uses (strict mode would stop the build at a page asking for one of its fields).
    mkdocs_macros.context.get_git_info = lambda: {"status": False, "date": None}
    if _state.serving:  # what a rebuild may take from the one before (sitebuilder.rebuild)
        rebuild.remember_page_renders()
        rebuild.remember_search_entries()


@event_priority(100)  # before mkdocs-macros, whose macros read the same (cached) knowledge base
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    path, shown = _kb_name(config)
    _state.broken = None
    try:
        kb = kbfile.load_cached(path, shown, known_valid=ROOT / CACHE_DIR / "kb-valid")
    except KnowledgeBaseError as error:
        abort = _abort(error, shown)  # prints the problems
        if not _state.keep(error):
            raise abort from None
        return config
    # The KB names the site and has the pages: every site built from a KB gets these from it, not mkdocs.yml.
    config.site_name = kb.site.title
    config.nav = sitemap.nav(kb)
    if _state.command == "build" and not gc.get_freeze_count():  # what lives now lives to the build's end:
        gc.freeze()  # the collector stops scanning the KB's model (~30 ms a build); once, never under serve
    return config


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    return errorpage.poll_often(server, [config.docs_dir, config.config_file_path])


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _state.broken:  # nothing to publish from a broken KB, and pages to render empty
        return errorpage.blank_pages(files)
    path, shown = _kb_name(config)
    kb = kbfile.load_cached(path, shown)
    try:
        publish.check_pages(kb, {file.src_uri for file in files}, shown)
        kept = derived.for_kb(DERIVED, kbfile.content_key(kb))
        published = publish.publication(ROOT, Path(config.docs_dir), kb, shown, not _state.serving, kept)
    except publish.PublishError as error:
        raise _abort(error, "the site's sources") from None
    for src_uri in published.replaced:
        if (source := files.get_file_from_path(src_uri)) is not None:
            files.remove(source)
    copied = rebuild.LinkedFile if _state.serving else File  # the served folder links, a build copies
    for out in published.outputs:
        if out.source is not None:
            files.append(copied.generated(config, out.path, abs_src_path=str(out.source)))
        else:
            files.append(File.generated(config, out.path, content=out.text or ""))
    config.extra["checklist_worker"] = published.worker_url  # for the checklist_app macro
    _state.published = published
    return files


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    if _state.serving:
        env.bytecode_cache = _templates
    return errorpage.blank_templates(env) if _state.broken else env


_inline_scripts: set[str] = set()


def on_pre_build(config: MkDocsConfig) -> None:
    _inline_scripts.clear()


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    try:
        csp.check_content(output)
    except csp.InlineScriptError as error:
        raise Abort(f"Aborted: docs/{page.file.src_uri}: {error}") from None
    return on_post_template(output, "", config)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Collect the page's inline scripts for the site-wide policy and give the page its own (404.html too)."""
    if _state.broken and template_name in ("", "404.html"):  # "": a page, from on_post_page
        return errorpage.html(_state.broken, refresh=bool(template_name))  # the 404 gets no live-reload
    scripts = csp.inline_scripts(output_content)
    _inline_scripts.update(scripts)
    # Under `mkdocs serve` the page goes without its policy: the live-reload script MkDocs injects is inline.
    return output_content if _state.serving else csp.with_meta(output_content, scripts)


def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    site, docs = Path(config.site_dir), Path(config.docs_dir)
    publish.finish(site, docs, _state.publication, _inline_scripts, _state.serving)

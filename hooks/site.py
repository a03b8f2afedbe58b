"""MkDocs hooks: the KB is checked, the builder's files are published, every page gets its CSP.

Thin on purpose: the work is in ``sitebuilder``; this file maps MkDocs events onto its plain calls and
turns its errors into ``Abort``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from checklist.errors import InputError
from sitebuilder import csp, kbfile, publish
from sitebuilder.problems import KnowledgeBaseError

ROOT = Path(__file__).resolve().parent.parent


def _kb_name(config: MkDocsConfig) -> tuple[Path, str]:
    path = kbfile.location(config.docs_dir)
    return path, os.path.relpath(path)


def _abort(error: InputError, what: str) -> Abort:
    """Print every problem, one line each (and as annotations on GitHub), and stop the build."""
    print("\n".join(error.problems), file=sys.stderr)
    if isinstance(error, KnowledgeBaseError) and os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in error.located:
            message = f"{problem.field}: {problem.message}".replace("%", "%25").replace("\n", "%0A")
            print(f"::error file={error.filename},line={problem.line}::{message}")
    count = len(error.problems)
    return Abort(f"Aborted: {count} problem{'s' * (count != 1)} in {what}")


@event_priority(100)  # before mkdocs-macros, whose macros read the same (cached) knowledge base
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    path, shown = _kb_name(config)
    try:
        kbfile.load_cached(path, shown, known_valid=ROOT / ".cache" / "kb-valid")
    except KnowledgeBaseError as error:
        raise _abort(error, shown) from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    path, shown = _kb_name(config)
    kb = kbfile.load_cached(path, shown)
    try:
        publish.check_pages(kb, {file.src_uri for file in files}, shown)
        published = publish.publication(ROOT, Path(config.docs_dir), kb, shown)
    except publish.PublishError as error:
        raise _abort(error, "the site's sources") from None
    for src_uri in published.replaced:
        if (source := files.get_file_from_path(src_uri)) is not None:
            files.remove(source)
    for out in published.outputs:
        if out.source is not None:
            files.append(File.generated(config, out.path, abs_src_path=str(out.source)))
        else:
            files.append(File.generated(config, out.path, content=out.text or ""))
    config.extra["checklist_worker"] = published.worker_url  # for the checklist_app macro
    return files


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
    scripts = csp.inline_scripts(output_content)
    _inline_scripts.update(scripts)
    return csp.with_meta(output_content, scripts)


def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    for name, text in csp.site_files(_inline_scripts).items():
        (Path(config.site_dir) / name).write_text(text, encoding="utf-8")

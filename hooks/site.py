"""MkDocs hooks: stop the build on a broken knowledge base, check pages, publish self-hosted assets.

Thin on purpose: the work is in ``checklist``; this file only maps MkDocs events onto it.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import sys
from pathlib import Path
from typing import Any

# `mkdocs serve` re-runs this file on every rebuild; dropping the cached `checklist` modules first means an
# edit to a renderer shows up on the next rebuild instead of after a restart.
for _name in [name for name in sys.modules if name == "checklist" or name.startswith("checklist.")]:
    del sys.modules[_name]

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

from checklist import bundle, kbfile, lens  # noqa: E402
from checklist.pages import csp, sitemap  # noqa: E402
from checklist.problems import KnowledgeBaseError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MERMAID_DIST = ROOT / "node_modules" / "mermaid" / "dist"
MERMAID_TARGET = Path("assets") / "vendor" / "mermaid"
NODE_MODULES = ROOT / "node_modules"
RUNTIME_CACHE = ROOT / ".cache" / "pyodide-runtime"


def _kb_path(config: MkDocsConfig) -> tuple[Path, str]:
    path = Path(config.docs_dir) / kbfile.FILENAME
    try:
        shown = str(path.relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    return path, shown


@event_priority(100)  # before mkdocs-macros, whose macros read the same (cached) knowledge base
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    path, shown = _kb_path(config)
    try:
        kbfile.load_cached(path, shown, known_valid=ROOT / ".cache" / "kb-valid")
    except KnowledgeBaseError as error:
        print(error.report(), file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":  # the same problems as annotations on the lines
            for problem in error.problems:
                message = f"{problem.field}: {problem.message}".replace("%", "%25").replace("\n", "%0A")
                print(f"::error file={error.filename},line={problem.line}::{message}")
        count = len(error.problems)
        raise Abort(f"Aborted: {count} problem{'s' * (count != 1)} in {shown}") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Check every pillar has its guide page; add the generated downloads (custom lens, KB schema)."""
    path, shown = _kb_path(config)
    kb = kbfile.load_cached(path, shown)
    missing = [
        sitemap.pillar_page(p) for p in kb.pillars if files.get_file_from_path(sitemap.pillar_page(p)) is None
    ]
    if missing:
        for page in missing:
            print(
                f"{shown}: pillars: no guide page docs/{page}; add one that calls pillar_guide()",
                file=sys.stderr,
            )
        raise Abort(f"Aborted: {len(missing)} pillar guide page(s) missing")
    # Generated downloads join the file collection, so pages can link to them and `mkdocs serve` serves them.
    try:
        lens_text = lens.export(kb)
    except lens.LensError as error:
        print("\n".join(f"{shown}: checklist: {problem}" for problem in error.problems), file=sys.stderr)
        raise Abort("Aborted: the checklist breaks the custom-lens limits") from None
    files.append(File.generated(config, sitemap.LENS_DOWNLOAD, content=lens_text))
    schema = ROOT / "checklist" / kbfile.SCHEMA_NAME
    files.append(File.generated(config, sitemap.SCHEMA, abs_src_path=str(schema)))
    _publish_checklist_bundle(files, config, kb)
    return files


def _publish_checklist_bundle(files: Files, config: MkDocsConfig, kb: Any) -> None:
    """The Pyodide runtime (by its version) and the checklist's own files (by a hash of their content)."""
    try:
        package = bundle.build_package(ROOT, NODE_MODULES, RUNTIME_CACHE)
    except (bundle.BundleError, OSError) as error:
        raise Abort(f"Aborted: could not bundle the checklist for Pyodide: {error}") from None
    runtime_dir = sitemap.pyodide_dir(bundle.pyodide_version(NODE_MODULES))
    for path in bundle.runtime_files(NODE_MODULES):
        files.append(File.generated(config, runtime_dir + path.name, abs_src_path=str(path)))
    source = files.get_file_from_path(sitemap.WORKER_SOURCE)
    if source is None or source.abs_src_path is None:
        raise Abort(f"Aborted: docs/{sitemap.WORKER_SOURCE} is missing")
    files.remove(source)  # published only inside the bundle below, where its imports resolve
    kb_json = json.dumps(kb.source, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(package.name.encode())
    digest.update(kb_json.encode())
    digest.update(Path(source.abs_src_path).read_bytes())
    bundle_dir = sitemap.checklist_bundle_dir(digest.hexdigest()[:12])
    to_runtime = posixpath.relpath(runtime_dir, bundle_dir)
    worker = Path(source.abs_src_path).read_text(encoding="utf-8").replace("__PYODIDE__", to_runtime)
    files.append(File.generated(config, bundle_dir + "checklist-worker.mjs", content=worker))
    files.append(File.generated(config, bundle_dir + "knowledge-base.json", content=kb_json))
    for path in sorted(package.iterdir()):
        files.append(File.generated(config, bundle_dir + path.name, abs_src_path=str(path)))
    config.extra["checklist_worker"] = bundle_dir + "checklist-worker.mjs"  # for the checklist_app macro


_inline_scripts: set[str] = set()


def on_pre_build(config: MkDocsConfig) -> None:
    _inline_scripts.clear()


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Collect the page's inline scripts for the site-wide policy, and give the page its own policy."""
    try:
        csp.check_content(output)
    except csp.InlineScriptError as error:
        raise Abort(f"Aborted: docs/{page.file.src_uri}: {error}") from None
    return _with_policy(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _with_policy(output_content)  # 404.html


def _with_policy(html: str) -> str:
    scripts = csp.inline_scripts(html)
    _inline_scripts.update(scripts)
    return csp.with_meta(html, scripts)


def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    """Publish the self-hosted Mermaid ES modules (a hundred files: copied rather than listed) and the
    Content-Security-Policy the site works under, as text and as a `_headers` file for hosts that read it."""
    site = Path(config.site_dir)
    policy = csp.policy(_inline_scripts)
    (site / sitemap.CSP_TEXT).write_text(policy + "\n", encoding="utf-8")
    (site / "_headers").write_text(f"/*\n  Content-Security-Policy: {policy}\n", encoding="utf-8")
    if not (MERMAID_DIST / "mermaid.esm.min.mjs").is_file():
        raise Abort("Mermaid is missing from node_modules: run `npm ci` (make does this for you)")
    target = site / MERMAID_TARGET
    shutil.rmtree(target, ignore_errors=True)
    chunks = MERMAID_DIST / "chunks" / "mermaid.esm.min"
    shutil.copytree(chunks, target / "chunks" / "mermaid.esm.min", ignore=shutil.ignore_patterns("*.map"))
    shutil.copyfile(MERMAID_DIST / "mermaid.esm.min.mjs", target / "mermaid.esm.min.mjs")
    shutil.copyfile(ROOT / "node_modules" / "mermaid" / "LICENSE", target / "LICENSE")

"""Everything the build publishes besides the pages, as plain data: the hooks turn it into MkDocs files.

Generated downloads (the custom lens, the KB schema), the in-browser checklist's bundle (Pyodide runtime,
engine wheel, lock file, KB as JSON, worker) and the self-hosted Mermaid ES modules.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from checklist.errors import InputError
from checklist.knowledge import KnowledgeBase
from sitebuilder import CACHE_DIR, bundle, csp, kbfile, offline, snapshot
from sitebuilder.derived import UNCACHED, Derived
from sitebuilder.pages import sitemap

MERMAID_TARGET = "assets/vendor/mermaid/"


class PublishError(InputError):
    """Something the site needs is missing or broken; ``problems`` says what, one line each."""


@dataclass(frozen=True)
class Output:
    """One published file: its site-relative path and either its text or the file to copy."""

    path: str
    text: str | None = None
    source: Path | None = None


@dataclass(frozen=True)
class Publication:
    outputs: list[Output]
    worker_url: str  # site-relative: where the checklist page starts its worker
    replaced: list[str]  # docs files that are published only in a processed form (the workers' sources)
    versioned: list[str]  # site-relative folders named by their content (checklist bundle, Pyodide runtime)
    site_id: str  # the KB's: names the offline caches


def check_pages(kb: KnowledgeBase, pages: Collection[str], kb_name: str) -> None:
    """Every pillar has its guide page, and every lens after the first its own."""
    missing = [sitemap.pillar_page(p) for p in kb.pillars if sitemap.pillar_page(p) not in pages]
    problems = [
        f"{kb_name}: pillars: no guide page docs/{page}; add one that calls pillar_guide()"
        for page in missing
    ]
    problems += [
        f'{kb_name}: aws_lenses: no guide page docs/{page}; add one that calls lens_guide("{aws_lens.id}")'
        for page, aws_lens in sitemap.lens_guides(kb).items()
        if page not in pages
    ]
    if problems:
        raise PublishError(problems)


def publication(
    root: Path,
    docs_dir: Path,
    kb: KnowledgeBase,
    kb_name: str,
    memory_snapshot: bool = True,
    derived: Derived = UNCACHED,
) -> Publication:
    """What to publish for ``kb``; raise :class:`PublishError` saying what is missing. Without
    ``memory_snapshot`` (``mkdocs serve``, where a KB edit would wait ~5 s for it) the checklist boots
    Python from scratch, as it does wherever the snapshot cannot be used. ``derived`` keeps what depends on
    the KB alone (the lens downloads) for the next build of the same KB."""
    outputs = [Output(sitemap.SCHEMA, source=root / "checklist" / kbfile.SCHEMA_NAME)]
    downloads = json.loads(derived.text("lens downloads", lambda: json.dumps(_lens_downloads(kb, kb_name))))
    if downloads is not None:  # one file per AWS lens (a KB's only lens: custom-lens.json)
        outputs += [Output(sitemap.LENS_DOWNLOADS + name, text=text) for name, text in downloads.items()]
    else:  # a KB past the format's counts builds without the download; other breaches are errors
        print(
            f"{kb_name}: the checklist is larger than a custom lens can be; no lens download", file=sys.stderr
        )
    node_modules = root / "node_modules"
    checklist_outputs, worker_url = _checklist_bundle(root, node_modules, docs_dir, kb, memory_snapshot)
    outputs += checklist_outputs + _mermaid(node_modules)
    versioned = [
        posixpath.dirname(worker_url) + "/",
        sitemap.pyodide_dir(bundle.pyodide_version(node_modules)),
    ]
    replaced = [sitemap.WORKER_SOURCE, *_worker_modules(docs_dir), offline.SOURCE]
    return Publication(outputs, worker_url, replaced, versioned, kb.site.id)


def _lens_downloads(kb: KnowledgeBase, kb_name: str) -> dict[str, str] | None:
    """Each AWS lens as a custom-lens download by file name, or None when the KB is past the format's counts."""
    # Imported here: a build of an unchanged KB reads the downloads back (sitebuilder.derived) without it.
    from checklist import lens

    if not lens.fits(kb):
        return None
    try:
        return lens.exports(kb)
    except InputError as error:
        raise PublishError([f"{kb_name}: checklist: {problem}" for problem in error.problems]) from None


def _worker_modules(docs_dir: Path) -> list[str]:
    """The docs paths of the modules the worker imports (published only in its bundle)."""
    return sorted(
        p.relative_to(docs_dir).as_posix() for p in (docs_dir / sitemap.WORKER_MODULES).glob("*.mjs")
    )


def finish(
    site_dir: Path, docs_dir: Path, published: Publication | None, scripts: set[str], serving: bool
) -> None:
    """What only the finished build can write: the site-wide CSP files (they list every page's inline
    scripts) and the service worker (it lists every file's hash); under `mkdocs serve`, a worker that
    removes itself instead."""
    for name, text in csp.site_files(scripts).items():
        (site_dir / name).write_text(text, encoding="utf-8")
    source = (docs_dir / offline.SOURCE).read_text(encoding="utf-8")
    if serving or published is None:
        worker = offline.uninstall(published.site_id if published else None)
    else:
        worker = offline.service_worker(source, published.site_id, site_dir, *published.versioned)
    (site_dir / offline.TARGET).write_text(worker, encoding="utf-8")


def _checklist_bundle(
    root: Path, node_modules: Path, docs_dir: Path, kb: KnowledgeBase, memory_snapshot: bool
) -> tuple[list[Output], str]:
    """The Pyodide runtime (by its version) and the checklist's own files (by a hash of their content)."""
    kb_json = json.dumps(kb.source, ensure_ascii=False, separators=(",", ":"))
    try:
        package = bundle.build_package(root, node_modules, root / CACHE_DIR / "pyodide-runtime")
        version = bundle.pyodide_version(node_modules)
        worker_source = (docs_dir / sitemap.WORKER_SOURCE).read_text(encoding="utf-8")
        modules = {path: (docs_dir / path).read_text(encoding="utf-8") for path in _worker_modules(docs_dir)}
        wheel = json.loads((package / bundle.LOCK).read_text(encoding="utf-8"))["packages"]["checklist"]
        snapshot_file = (
            snapshot.build(
                node_modules, package / wheel["file_name"], kb_json, root / CACHE_DIR / "snapshots"
            )
            if memory_snapshot
            else None
        )
    except (bundle.BundleError, snapshot.SnapshotError, OSError) as error:
        raise PublishError([f"could not bundle the checklist for Pyodide: {error}"]) from None
    runtime_dir = sitemap.pyodide_dir(version)
    outputs = [Output(runtime_dir + path.name, source=path) for path in bundle.runtime_files(node_modules)]
    snapshot_sha256 = hashlib.sha256(snapshot_file.read_bytes()).hexdigest() if snapshot_file else ""
    bundle_dir = sitemap.checklist_bundle_dir(
        bundle.identity(package, kb_json, worker_source + "".join(modules.values()) + snapshot_sha256)
    )
    # The worker imports Pyodide's loader statically, by a path relative to the bundle directory; it
    # installs the wheel the lock file lists, or restores the snapshot, each checked against its sha256.
    worker = (
        worker_source.replace("__PYODIDE__", posixpath.relpath(runtime_dir, bundle_dir))
        .replace("__WHEEL_SHA256__", wheel["sha256"])
        .replace("__WHEEL__", wheel["file_name"])
        .replace("__SNAPSHOT_SHA256__", snapshot_sha256)
        .replace("__SNAPSHOT_BYTES__", str(snapshot_file.stat().st_size if snapshot_file else 0))
        .replace("__WASM_BYTES__", str((node_modules / "pyodide" / "pyodide.asm.wasm").stat().st_size))
        .replace("__SNAPSHOT__", snapshot.FILE_NAME if snapshot_file else "")
    )
    outputs += [
        Output(bundle_dir + "checklist-worker.mjs", text=worker),
        *(
            Output(bundle_dir + posixpath.relpath(path, posixpath.dirname(sitemap.WORKER_SOURCE)), text=text)
            for path, text in modules.items()
        ),
        Output(bundle_dir + "knowledge-base.json", text=kb_json),
        *(Output(bundle_dir + path.name, source=path) for path in sorted(package.iterdir())),
    ]
    if snapshot_file:
        outputs.append(Output(bundle_dir + snapshot.FILE_NAME, source=snapshot_file))
    return outputs, bundle_dir + "checklist-worker.mjs"


def _mermaid(node_modules: Path) -> list[Output]:
    """Mermaid's ES-module build (the loader and its chunks, without source maps) and its licence."""
    dist = node_modules / "mermaid" / "dist"
    if not (dist / "mermaid.esm.min.mjs").is_file():
        raise PublishError(["Mermaid is missing from node_modules: run `npm ci` (make does this for you)"])
    chunks = sorted(p for p in (dist / "chunks" / "mermaid.esm.min").iterdir() if p.suffix != ".map")
    return [
        Output(MERMAID_TARGET + "mermaid.esm.min.mjs", source=dist / "mermaid.esm.min.mjs"),
        Output(MERMAID_TARGET + "LICENSE", source=node_modules / "mermaid" / "LICENSE"),
        *(Output(f"{MERMAID_TARGET}chunks/mermaid.esm.min/{p.name}", source=p) for p in chunks),
    ]

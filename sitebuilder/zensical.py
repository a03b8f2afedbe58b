"""``python -m sitebuilder.zensical build``: the site built by Zensical, with the build's own work around it.

Zensical reads ``mkdocs.yml`` and runs its own rewrite of the macros plugin, but it never runs the
``hooks:`` MkDocs calls (nor says so), so what those do is done here, from the same plain calls
(``sitebuilder.publish``, ``sitebuilder.csp``):

- before: the KB checked, and a configuration that inherits ``mkdocs.yml`` and adds what the hooks set
  in MkDocs (the KB's site title and navigation, the checklist worker's URL for the macros) and
  Zensical's ``classic`` variant, Material's look;
- after: the checklist's bundle, the downloads and Mermaid published, the workers' sources removed, every
  page given its Content-Security-Policy, and the site-wide CSP files and the service worker written.

MkDocs + Material stays the default build (``make build``); this is ``make build ENGINE=zensical``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from checklist.kbproblems import KnowledgeBaseError
from sitebuilder import CACHE_DIR, csp, derived, kbfile, problems, publish
from sitebuilder.pages import sitemap

# Zensical takes a configuration's folder for the project's root (docs_dir and site_dir must be inside it),
# so the generated one sits beside mkdocs.yml for the length of the build, and the site is made in the
# project and then moved where it was asked for.
GENERATED = ".zensical-build.yml"
MADE = Path(".zensical-site")
# The theme overrides (overrides/), less those of Material's own partials that Zensical writes otherwise:
# its search box is its own, and already names its dialog for assistive technology, as ours adds to
# Material's. The others (the page head, the repository link) apply to both.
OVERRIDES, MATERIAL_ONLY = Path(".zensical-overrides"), ("partials/search.html",)


class BuildError(RuntimeError):
    """The build stopped; the message says why (the KB's problems are printed before)."""


def configuration(kb_site_title: str, nav: list[object], worker_url: str, site_dir: Path) -> str:
    """The configuration Zensical builds from: ``mkdocs.yml`` (INHERIT, merged key by key) and what the
    MkDocs hooks set on it at build time."""
    overrides = {
        "INHERIT": "mkdocs.yml",
        "site_name": kb_site_title,
        "site_dir": site_dir.as_posix(),
        "nav": nav,
        "extra": {"checklist_worker": worker_url},
        # The default "modern" look fails the site's colour contrast; "classic" is Material's.
        "theme": {"variant": "classic", "custom_dir": OVERRIDES.as_posix()},
    }
    return yaml.safe_dump(overrides, sort_keys=False, allow_unicode=True)


def _published_files(site_dir: Path, published: publish.Publication) -> None:
    """What MkDocs' on_files adds and removes, done on the finished folder."""
    for src_uri in published.replaced:
        (site_dir / src_uri).unlink(missing_ok=True)
    for out in published.outputs:
        target = site_dir / out.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if out.source is not None:
            shutil.copyfile(out.source, target)
        else:
            target.write_text(out.text or "", encoding="utf-8")
    # A folder the workers' sources leave empty goes too, as MkDocs never makes it.
    for folder in sorted({(site_dir / s).parent for s in published.replaced}, reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _policies(site_dir: Path) -> set[str]:
    """Every page's own CSP (MkDocs' on_post_page and on_post_template); the inline scripts of them all."""
    every: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        try:
            csp.check_content(html)
        except csp.InlineScriptError as error:
            raise BuildError(f"{page.relative_to(site_dir)}: {error}") from None
        scripts = csp.inline_scripts(html)
        every.update(scripts)
        page.write_text(csp.with_meta(html, scripts), encoding="utf-8")
    return every


def build(project: Path, site_dir: Path) -> None:
    """Build the site of ``project`` (the folder of its mkdocs.yml) into ``site_dir`` with Zensical; raise
    :class:`BuildError` saying why not."""
    docs = project / "docs"
    path = kbfile.location(docs)
    shown = os.path.relpath(path)
    try:
        kb = kbfile.load_cached(path, shown, known_valid=project / CACHE_DIR / "kb-valid")
    except KnowledgeBaseError as error:
        problems.print_problems(error)
        raise BuildError(problems.summary(error, shown)) from None
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    kept = derived.for_kb(project / CACHE_DIR / "derived", kbfile.content_key(kb))
    try:
        publish.check_pages(kb, pages, shown)
        published = publish.publication(project, docs, kb, shown, True, kept)
    except publish.PublishError as error:
        problems.print_problems(error)
        raise BuildError(problems.summary(error, "the site's sources")) from None
    config = project / GENERATED
    made, overrides = project / MADE, project / OVERRIDES
    shutil.rmtree(made, ignore_errors=True)
    shutil.rmtree(overrides, ignore_errors=True)
    shutil.copytree(project / "overrides", overrides)
    for name in MATERIAL_ONLY:
        (overrides / name).unlink(missing_ok=True)
    config.write_text(configuration(kb.site.title, sitemap.nav(kb), published.worker_url, MADE), "utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config)],
            cwd=project,
            check=False,
        )
    finally:
        config.unlink(missing_ok=True)
        shutil.rmtree(overrides, ignore_errors=True)
    if done.returncode != 0:
        raise BuildError(f"zensical build failed (exit {done.returncode})")
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.move(made, site_dir)
    _published_files(site_dir, published)
    publish.finish(site_dir, docs, published, _policies(site_dir), serving=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sitebuilder.zensical", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("build", help="build the site with Zensical")
    command.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site goes (site/)")
    args = parser.parse_args(argv)
    try:
        build(Path.cwd(), args.site_dir.resolve())
    except BuildError as error:
        print(f"Aborted: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

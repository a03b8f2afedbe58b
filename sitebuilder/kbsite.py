"""A site from any knowledge base, a custom lens's included: its pages and an MkDocs configuration that
inherits this repository's mkdocs.yml (theme, plugins, hooks, CSP; the hooks give it the KB's title and
navigation), built with the same macros and the same checklist page.

    python -m sitebuilder.kbsite build --kb KB.yml --site-dir DIR     # make build KB=KB.yml
    python -m sitebuilder.kbsite lens LENS.json --out DIR              # make lens-site LENS=... OUT=...

The pages are written to a temporary folder beside the KB's copy and the assets of docs/; only the KB
(``OUT/knowledge-base.yml`` for a lens) and the built site are kept.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from checklist.errors import InputError
from checklist.knowledge import KnowledgeBase
from sitebuilder import kbfile
from sitebuilder.pages import sitemap

ROOT = Path(__file__).resolve().parent.parent


def _page(title: str, body: str) -> str:
    return f"---\nrender_macros: true\ntitle: {title}\n---\n\n{body}\n"


def pages(kb: KnowledgeBase) -> dict[str, str]:
    """Every page of the KB's site, docs-relative path to Markdown (each calls the macros). The checklist
    and portfolio pages are this repository's own docs/checklist.md and docs/portfolio.md: one macro each
    renders them for any KB."""
    titles = sitemap.titled_pages(kb)
    name = kb.framework.name.replace("{", "(").replace("}", ")")  # no Jinja in a title
    found = {sitemap.HOME: _page(titles[sitemap.HOME], f"# {name}\n\n{{{{ overview() }}}}")}
    for pillar in kb.pillars:
        found[sitemap.pillar_page(pillar)] = _page(pillar.name, f'{{{{ pillar_guide("{pillar.id}") }}}}')
    for page, aws_lens in sitemap.lens_guides(kb).items():
        found[page] = _page(aws_lens.name, f'{{{{ lens_guide("{aws_lens.id}") }}}}')
    if sitemap.ASSESSMENT in titles:
        title = titles[sitemap.ASSESSMENT]
        found[sitemap.ASSESSMENT] = _page(title, f"# {title}\n\n{{{{ assessment_process() }}}}")
    if sitemap.CHECKLIST in titles:
        found[sitemap.CHECKLIST] = (ROOT / "docs" / sitemap.CHECKLIST).read_text(encoding="utf-8")
        found[sitemap.PORTFOLIO] = (ROOT / "docs" / sitemap.PORTFOLIO).read_text(encoding="utf-8")
    if sitemap.SELF_CHECK in titles:
        title = titles[sitemap.SELF_CHECK]
        found[sitemap.SELF_CHECK] = _page(title, f'# {title}\n\n{{{{ quiz("self-check") }}}}')
    heading = titles[sitemap.REFERENCES]
    intro = (
        "The sources behind this guide, each with the places that cite it."
        if kb.references
        else "Every link the lens gives, once each, with the questions that give it."
    )
    found[sitemap.REFERENCES] = _page(heading, f"# {heading}\n\n{intro}\n\n{{{{ references() }}}}")
    return found


def config(kb: KnowledgeBase) -> dict[str, Any]:
    """This repository's mkdocs.yml with the KB's own texts. Everything else (theme, plugins, hooks, and
    from the hook the KB's title and navigation) is inherited: the work folder links to hooks/ and
    overrides/, so the parent's relative paths resolve from it as they do from this repository."""
    description = kb.lens.description if kb.lens else kb.framework.summary
    return {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "site_description": " ".join(description.split())[:300] or kb.site.title,
        "repo_url": None,
        "edit_uri": None,
        "copyright": (
            f"Content from the custom lens {kb.lens.name}." if kb.lens else "Content from its knowledge base."
        ),
        "docs_dir": "docs",
    }


SHARED = ("hooks", "overrides")  # linked into the work folder, where mkdocs.yml's relative paths point


def write_sources(kb_text: str, kb: KnowledgeBase, work: Path) -> Path:
    """The KB's site sources under ``work``: docs/ (pages, the KB, docs/assets), links to hooks/ and
    overrides/, and mkdocs.yml."""
    docs = work / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    (docs / kbfile.FILENAME).write_text(kb_text, encoding="utf-8")
    for path, text in pages(kb).items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    for name in SHARED:
        (work / name).symlink_to(ROOT / name, target_is_directory=True)
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config(kb), sort_keys=False, allow_unicode=True), "utf-8")
    return config_file


def build(kb_text: str, kb_name: str, site_dir: Path) -> None:
    """Check the KB, write its sources to a temporary folder and run ``mkdocs build --strict`` on them."""
    kb = kbfile.load_text(kb_text, kb_name)
    with tempfile.TemporaryDirectory(prefix="kbsite-") as temp:
        config_file = write_sources(kb_text, kb, Path(temp))
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file)]
        done = subprocess.run([*command, "-d", str(site_dir.resolve())], env=env, check=False)
        if done.returncode != 0:
            raise InputError([f"{kb_name}: the site build failed (see above)"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuilder.kbsite", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("build", help="build the site of a knowledge base")
    sub.add_argument("--kb", type=Path, required=True)
    sub.add_argument("--site-dir", type=Path, default=Path("site"))
    sub = commands.add_parser("lens", help="a knowledge base and its built site from a custom lens file")
    sub.add_argument("lens", type=Path)
    sub.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(args.kb.read_text(encoding="utf-8"), str(args.kb), args.site_dir)
            print(f"built {args.site_dir}/ from {args.kb}")
            return 0
        from sitebuilder import lensimport

        kb_path = args.out / kbfile.FILENAME
        text, warnings = lensimport.import_lens(args.lens.read_bytes(), str(args.lens), str(kb_path))
        for warning in warnings:
            print(warning, file=sys.stderr)
        args.out.mkdir(parents=True, exist_ok=True)
        kb_path.write_text(text, encoding="utf-8")
        build(text, str(kb_path), args.out / "site")
        print(
            f"wrote {kb_path} and {args.out / 'site'}/ (open {args.out / 'site' / 'index.html'} or serve it)"
        )
        return 0
    except OSError as error:
        print(f"cannot read or write: {error}", file=sys.stderr)
    except InputError as error:
        print("\n".join(error.problems), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

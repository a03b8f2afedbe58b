"""A site from any knowledge base, a custom lens's included: its pages and an MkDocs configuration that
inherits this repository's mkdocs.yml (theme, plugins, hooks, CSP), built with the same macros.

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

from checklist import lens
from checklist.errors import InputError
from checklist.knowledge import KnowledgeBase
from sitebuilder import kbfile
from sitebuilder.pages import sitemap

ROOT = Path(__file__).resolve().parent.parent


def _page(title: str, body: str) -> str:
    return f"---\nrender_macros: true\ntitle: {title}\n---\n\n{body}\n"


def pages(kb: KnowledgeBase) -> dict[str, str]:
    """Every page of the KB's site, docs-relative path to Markdown (each calls the macros)."""
    name = kb.framework.name.replace("{", "(").replace("}", ")")  # no Jinja in a title
    found = {sitemap.HOME: _page("Overview", f"# {name}\n\n{{{{ overview() }}}}")}
    for pillar in kb.pillars:
        found[sitemap.pillar_page(pillar)] = _page(pillar.name, f'{{{{ pillar_guide("{pillar.id}") }}}}')
    if kb.assessment.steps:
        found[sitemap.ASSESSMENT] = _page(
            "Assessment process", "# Assessment process\n\n{{ assessment_process() }}"
        )
    if kb.checklist is not None:
        found[sitemap.CHECKLIST] = _page("Checklist", _checklist_body(kb))
    if any(quiz.id == "self_check" for quiz in kb.quizzes):
        found[sitemap.SELF_CHECK] = _page("Self-check quiz", '# Self-check quiz\n\n{{ quiz("self-check") }}')
    heading = "References" if kb.references else "Links"
    intro = (
        "The sources behind this guide, each with the places that cite it."
        if kb.references
        else "Every link the lens gives, once each, with the questions that give it."
    )
    found[sitemap.REFERENCES] = _page(heading, f"# {heading}\n\n{intro}\n\n{{{{ references() }}}}")
    return found


def _checklist_body(kb: KnowledgeBase) -> str:
    assert kb.checklist is not None
    parts = ["# Assessment checklist", "{{ checklist_intro() }}", "{{ checklist_app() }}"]
    if kb.checklist.scope:
        parts += [
            "## About this workload { #scope-section }",
            "What the checklist leaves out for this kind of workload counts as not applicable, with the reason.",
            "{{ scope_form() }}",
        ]
    parts += [
        "## Workload { #workload-section }",
        "{{ workload_form() }}",
        "{{ checklist_questions() }}",
        "## Your results { #results }",
        "{{ checklist_results() }}",
        "## How the plan is ordered { #plan-order }",
    ]
    rated = any(effort != "unrated" for effort in kb.checklist.efforts)
    parts.append(
        "Each best practice you have not ticked, in a question whose risk is high or medium, becomes a "
        "recommendation. Its impact is the risk its question is left at while that practice alone is "
        "missing, by the question's risk rules"
        + ("; its effort is the work to put it in place." if rated else "; the lens rates no effort.")
        + " Recommendations are grouped into these buckets, in this order:"
    )
    parts += ["{{ prioritization_table() }}", "{{ prioritization_grid() }}"]
    if kb.checklist.effort_scale is not None:
        parts += ["Effort is rated on one scale, in team time:", "{{ effort_scale() }}"]
    parts.append(
        "Within a bucket, your prioritized pillars come first (in the order you ticked them), then higher "
        "impact, then lower effort, then the riskier question, then the order of this page."
    )
    parts.append("## Use it elsewhere { #elsewhere }")
    if lens.fits(kb):
        parts.append(
            f"- **AWS Well-Architected Tool:** [download this checklist as a custom lens]({sitemap.LENS_DOWNLOAD}) "
            "and import it in the tool; its ids are the same, so answers map one to one."
        )
    parts.append(
        "- **Command line:** the same engine runs offline on a saved state file: "
        "`python -m sitebuilder.cli assess state.json --kb knowledge-base.yml --format markdown`."
    )
    return "\n\n".join(parts)


def nav(kb: KnowledgeBase, found: dict[str, str]) -> list[Any]:
    entries: list[Any] = [{"Overview": sitemap.HOME}]
    entries.append({"Pillars": [sitemap.pillar_page(p) for p in kb.pillars]})
    for title, page in (
        ("Assessment process", sitemap.ASSESSMENT),
        ("Checklist", sitemap.CHECKLIST),
        ("Self-check quiz", sitemap.SELF_CHECK),
        ("References" if kb.references else "Links", sitemap.REFERENCES),
    ):
        if page in found:
            entries.append({title: page})
    return entries


def config(kb: KnowledgeBase, found: dict[str, str]) -> dict[str, Any]:
    """This repository's mkdocs.yml with the KB's own title, navigation and texts. Paths the parent gives
    relative to itself are given again, absolute: MkDocs resolves them from the child's folder."""
    description = kb.lens.description if kb.lens else kb.framework.summary
    return {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "site_name": kb.framework.name,
        "site_description": " ".join(description.split())[:300] or kb.framework.name,
        "repo_url": None,
        "edit_uri": None,
        "copyright": (
            f"Content from the custom lens {kb.lens.name}." if kb.lens else "Content from its knowledge base."
        ),
        "docs_dir": "docs",
        "nav": nav(kb, found),
        "theme": {"custom_dir": str(ROOT / "overrides")},
        "plugins": [
            "search",
            {
                "macros": {
                    "module_name": str(ROOT / "hooks" / "macros"),
                    "render_by_default": False,
                    "on_error_fail": True,
                    "on_undefined": "strict",
                }
            },
        ],
        "hooks": [str(ROOT / "hooks" / "site.py")],
        "watch": [],
    }


def write_sources(kb_text: str, kb: KnowledgeBase, work: Path) -> Path:
    """The KB's site sources under ``work``: docs/ (pages, the KB, docs/assets) and mkdocs.yml."""
    docs = work / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    (docs / kbfile.FILENAME).write_text(kb_text, encoding="utf-8")
    found = pages(kb)
    for path, text in found.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config(kb, found), sort_keys=False, allow_unicode=True), "utf-8")
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

"""The checklist bundle's URL (assets/checklist/<identity>/) follows the engine, not the site builder.

A browser caches the bundle by its URL: an edit to a page renderer must leave it alone, an edit to the
engine (which is in the wheel) must move it. The builds run on a copy with its own checklist/ and
sitebuilder/, so the test can edit them without touching the repository.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, edit, mkdocs_build, project_env

pytestmark = pytest.mark.build

BUNDLE = re.compile(r"[0-9a-f]{12}")
RENDERER_EDIT = ("What this pillar brings", "What this pillar brings (edited renderer)")


def build(project: Path, site: Path, site_url: str | None = None) -> str:
    """Build ``project`` into ``site``; the name of its one checklist bundle directory."""
    result = mkdocs_build(project, site, site_url)
    assert result.returncode == 0, f"build into {site.name} failed:\n{result.stdout}{result.stderr}"
    bundles = [p.name for p in (site / "assets" / "checklist").iterdir() if BUNDLE.fullmatch(p.name)]
    assert len(bundles) == 1, f"expected one bundle directory in {site.name}/assets/checklist/, got {bundles}"
    (bundle,) = bundles
    page = (site / "checklist" / "index.html").read_text(encoding="utf-8")
    assert f"assets/checklist/{bundle}/checklist-worker.mjs" in page, (
        f"the checklist page of {site.name} does not start the worker of bundle {bundle}"
    )
    return bundle


def test_the_copy_imports_its_own_code(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", own_code=True)
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import checklist, sitebuilder; print(checklist.__file__, sitebuilder.__file__)",
        ],
        cwd=tmp_path,  # not the copy: the environment alone must point Python at it
        env=project_env(project),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where == [str(project / "checklist" / "__init__.py"), str(project / "sitebuilder" / "__init__.py")]


def test_bundle_url_follows_the_engine_not_the_page_renderers(
    tmp_path: Path, built_site: Path, site_url: str
) -> None:
    # After the session's build (``built_site``) and at its address (the KB the snapshot holds names it):
    # the copy then starts with its memory snapshot cached, and only the engine edit makes a new one.
    project = copy_project(tmp_path / "project", own_code=True)
    first = build(project, tmp_path / "site1", site_url)

    edit(project / "sitebuilder" / "pages" / "guide.py", *RENDERER_EDIT)
    renderer_edited = build(project, tmp_path / "site2", site_url)
    pillar = (tmp_path / "site2" / "pillars" / "security" / "index.html").read_text(encoding="utf-8")
    assert RENDERER_EDIT[1] in pillar, "the build did not use the copy's edited sitebuilder/pages/guide.py"
    assert renderer_edited == first, (
        f"editing a page renderer moved the checklist bundle from assets/checklist/{first}/ to "
        f"assets/checklist/{renderer_edited}/: browsers would fetch an unchanged bundle again"
    )

    report = project / "checklist" / "report.py"
    report.write_text(report.read_text(encoding="utf-8") + "# an engine edit\n", encoding="utf-8")
    engine_edited = build(project, tmp_path / "site3", site_url)
    assert engine_edited != first, (
        f"editing checklist/report.py kept the checklist bundle at assets/checklist/{first}/: browsers "
        "could keep running the old engine"
    )

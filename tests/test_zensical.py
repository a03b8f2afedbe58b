"""The same site from Zensical (``make build ENGINE=zensical``, sitebuilder/zensical.py): the same pages with
the same text, the same published files apart from the theme's own, and every page under its CSP.

What still differs is in the README ("Building with Zensical"); the link check of issue 29 is not here yet:
Zensical re-bases the relative links the macros write in raw HTML.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, project_env

from sitebuilder import csp

# Files each theme ships under its own names (bundles, stylesheets, the search worker and its index, the
# compressed sitemap): the theme's chrome, not the site's content.
CHROME = re.compile(
    r"assets/javascripts/(bundle\.[0-9a-f]+\.min\.js(\.map)?|LICENSE|lunr/.*|workers/search\.[0-9a-f]+\.min\.js(\.map)?)"
    r"|assets/stylesheets/.*|search/search_index\.json|search\.json|sitemap\.xml\.gz"
)
_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("zensical")
    project = copy_project(base / "project")
    site = base / "site"
    done = subprocess.run(
        [sys.executable, "-m", "sitebuilder.zensical", "build", "--site-dir", str(site)],
        cwd=project,
        env=project_env(project),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return site


def published(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def article_text(page: Path) -> str:
    """A page's content as a reader reads it: the article's text, without markup or scripts."""
    found = _ARTICLE.search(page.read_text(encoding="utf-8"))
    body = re.sub(r"<(script|style)\b.*?</\1>", "", found[1] if found else "", flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.build
def test_zensical_publishes_the_same_files_apart_from_the_themes_own(
    built_site: Path, zensical_site: Path
) -> None:
    mkdocs, zensical = published(built_site), published(zensical_site)
    only = sorted(path for path in mkdocs ^ zensical if not CHROME.fullmatch(path))
    assert not only, f"published by one build only: {only}"
    # The checklist's bundle (named by its content), the downloads and the service worker are among them.
    assert any(path.endswith("/memory-snapshot.bin") for path in zensical)
    assert {"sw.js", "_headers", "content-security-policy.txt"} <= zensical


@pytest.mark.build
def test_zensical_pages_have_the_same_text(built_site: Path, zensical_site: Path) -> None:
    pages = sorted(p.relative_to(built_site) for p in built_site.rglob("index.html"))
    assert len(pages) >= 15
    for page in pages:
        text = article_text(built_site / page)
        assert text, f"{page}: no article text in the MkDocs build"
        assert article_text(zensical_site / page) == text, f"{page}: its text differs between the builds"


@pytest.mark.build
def test_every_zensical_page_carries_its_own_policy(zensical_site: Path) -> None:
    policies = (zensical_site / "content-security-policy.txt").read_text(encoding="utf-8")
    for page in sorted(zensical_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        scripts = csp.inline_scripts(text)
        assert csp.meta_tag(scripts) in text, f"{page.relative_to(zensical_site)}: no policy of its own"
        for script in scripts:  # and the site-wide policy allows each of its inline scripts
            assert csp.sha256_source(script) in policies, page.relative_to(zensical_site)

"""The same site from Zensical (``make build ENGINE=zensical``, sitebuilder/zensical.py): the same pages with
the same text, the same published files apart from the theme's own, and every page under its CSP.

`make test-zensical` runs the browser, link, CSP and accessibility tests again on Zensical's build (CI does
both); what differs in the frame is in the README ("Building with Zensical").
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import ENGINE, copy_project, zensical_build

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
    if ENGINE != "mkdocs":
        pytest.fail("these tests compare Zensical's build with MkDocs': run them under make test")
    base = tmp_path_factory.mktemp("zensical")
    project = copy_project(base / "project")
    done = zensical_build(project, base / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    return base / "site"


def published(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def title(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
    return found[1] if found else ""


def article(page: Path) -> str:
    """A page's content, as HTML: its <article>."""
    found = _ARTICLE.search(page.read_text(encoding="utf-8"))
    return found[1] if found else ""


def article_text(page: Path) -> str:
    """A page's content as a reader reads it: the article's text, without markup or scripts."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", article(page), flags=re.S)
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
def test_zensical_pages_have_the_same_title_and_text(built_site: Path, zensical_site: Path) -> None:
    pages = sorted(p.relative_to(built_site) for p in built_site.rglob("index.html"))
    assert len(pages) >= 15
    for page in pages:
        text = article_text(built_site / page)
        assert text, f"{page}: no article text in the MkDocs build"
        assert article_text(zensical_site / page) == text, f"{page}: its text differs between the builds"
        assert title(zensical_site / page) == title(built_site / page), f"{page}: its title differs"


def links(page: Path) -> list[str]:
    """Every address a page's content links to or loads, as written in its HTML."""
    return re.findall(r'\b(?:href|src)="([^"]*)"', article(page))


@pytest.mark.build
def test_zensical_pages_link_where_mkdocs_pages_link(built_site: Path, zensical_site: Path) -> None:
    """Zensical re-bases a relative link in raw HTML as if written from the Markdown file's folder (MkDocs
    leaves it as written): the macros write each for the builder that reads it (hooks/macros.py)."""
    pages = sorted(p.relative_to(built_site) for p in built_site.rglob("index.html"))
    assert sum(len(links(built_site / page)) for page in pages) > 500
    for page in pages:
        assert links(zensical_site / page) == links(built_site / page), page


@pytest.mark.build
def test_the_checklist_starts_its_worker_from_the_head_in_both(built_site: Path, zensical_site: Path) -> None:
    for site in (built_site, zensical_site):
        for page in ("checklist/index.html", "portfolio/index.html"):
            head = (site / page).read_text(encoding="utf-8").split("</head>")[0]
            assert 'checklist-boot.js" data-worker-url="' in head, f"{site.name}: {page}"


@pytest.mark.build
def test_each_builds_service_worker_keeps_its_search_index_at_install(
    built_site: Path, zensical_site: Path
) -> None:
    """What a page seen offline needs is kept when the service worker installs: the search index too,
    under the name each theme gives it."""
    for site, index in ((built_site, "search/search_index.json"), (zensical_site, "search.json")):
        offline = json.loads(re.search(r"const OFFLINE = (\{.*\});", (site / "sw.js").read_text())[1])
        assert index in offline["core"], site.name
        assert "404.html" in offline["core"] and "checklist/index.html" not in offline["core"]


@pytest.mark.build
def test_every_zensical_page_carries_its_own_policy(zensical_site: Path) -> None:
    policies = (zensical_site / "content-security-policy.txt").read_text(encoding="utf-8")
    for page in sorted(zensical_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        scripts = csp.inline_scripts(text)
        assert csp.meta_tag(scripts) in text, f"{page.relative_to(zensical_site)}: no policy of its own"
        for script in scripts:  # and the site-wide policy allows each of its inline scripts
            assert csp.sha256_source(script) in policies, page.relative_to(zensical_site)

"""Every internal link and anchor on the built site resolves; every external reference is a well-formed https URL."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import KB_PATH

from sitebuilder import kbfile


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        for attribute in ("href", "src"):
            value = values.get(attribute)
            wanted = tag in ("a", "link", "script", "img", "iframe", "source")
            if (
                value is not None
                and wanted
                and not (tag == "link" and values.get("rel") in ("canonical", "alternate"))
            ):
                self.links.append((f"{tag}[{attribute}]", value))


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal href points at, or None for an external or special link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:", "blob:", "data:")):
        return None
    base = page.parent.relative_to(site).as_posix()
    path = unquote(parts.path)
    if path.startswith("/"):  # root-relative (the 404 page): the test build's site_url path is "/"
        target_path = posixpath.normpath(path.lstrip("/") or ".")
    elif path:
        target_path = posixpath.normpath(posixpath.join(base, path))
    else:
        target_path = page.relative_to(site).as_posix()
    target = site / target_path
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    pages = {path: parse(path) for path in built_site.rglob("*.html")}
    broken = []
    checked = 0
    for path, page in pages.items():
        for kind, href in page.links:
            resolved = resolve(built_site, path, href)
            if resolved is None:
                continue
            target, fragment = resolved
            checked += 1
            where = f"{path.relative_to(built_site)}: {kind}={href}"
            if not target.is_file():
                broken.append(f"{where}: no such file")
            elif fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    broken.append(f"{where}: no element with id '{fragment}'")
    assert checked > 500  # nav, TOC, footnotes, back-links, cross-page links, assets
    assert broken == []


def _well_formed_https(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and "." in parts.netloc and " " not in url and not parts.username


def test_external_reference_urls_are_well_formed_https() -> None:
    kb = kbfile.load(KB_PATH)
    urls = [ref.url for ref in kb.references]
    assert kb.checklist is not None
    urls += [
        c.reference for q in kb.checklist.questions for c in q.choices if c.reference.startswith("https://")
    ]
    bad = [url for url in urls if not _well_formed_https(url)]
    assert bad == []
    assert len(urls) >= 37


def test_external_links_on_the_site_are_https(built_site: Path) -> None:
    insecure = []
    for path in built_site.rglob("*.html"):
        for _, href in parse(path).links:
            if href.startswith("http://") and not href.startswith("http://127.0.0.1"):
                insecure.append(f"{path.relative_to(built_site)}: {href}")
    assert insecure == []


def test_the_checker_sees_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h1 id="top">A</h1><a href="../b/#nowhere">b</a><a href="../c/">c</a>'
    )
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<h1 id="top">B</h1>')
    page = tmp_path / "a" / "index.html"
    (first, fragment), missing = (resolve(tmp_path, page, href) for _, href in parse(page).links)
    assert first == tmp_path / "b" / "index.html" and fragment == "nowhere"
    assert "nowhere" not in parse(first).ids
    assert missing is not None and not missing[0].is_file()

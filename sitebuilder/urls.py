"""Page URLs as MkDocs makes them, without MkDocs: the macros run under either builder (MkDocs or
Zensical, which reads the same ``mkdocs.yml`` and gives every page the same URL).

``tests/test_urls.py`` checks both functions against MkDocs' own for every file of the site.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def file_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL of a docs file relative to the site's root (MkDocs' ``File.url``): ``x.md`` -> ``x/``,
    ``a/index.md`` -> ``a/``, ``index.md`` -> ``./``; a file that is not a page keeps its path."""
    if src_uri.endswith(MARKDOWN):
        parent, filename = posixpath.split(src_uri)
        stem = posixpath.splitext(filename)[0]
        stem = "index" if stem == "README" else stem
        if not directory_urls or stem == "index":
            dest = posixpath.join(parent, stem + ".html")
        else:
            dest = posixpath.join(parent, stem, "index.html")
    else:
        dest = src_uri
    dirname, filename = posixpath.split(dest)
    if directory_urls and filename == "index.html":
        dest = (dirname or ".") + "/"
    return quote(dest)


def _parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path.removeprefix("/"))[1:]
    return path.split("/") if path else []


def relative_url(url: str, other: str) -> str:
    """``url`` relative to the page at ``other`` (both site-relative; MkDocs' ``get_relative_url``): the last
    part of ``other`` is a file when it has a dot, and is then left out."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    path = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return path + "/" if url.endswith("/") else path

"""sitebuilder.urls gives the URLs MkDocs gives: the macros use it under either builder, and a page's links
must not change with the builder that made it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from sitebuilder.urls import file_url, relative_url

DOCS = ROOT / "docs"
# Every file of the docs, a page of each shape (index, README, nested, other extensions) and the files the
# build publishes beside them (the checklist's bundle, its worker).
SOURCES = sorted(
    {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.is_file()}
    | {"index.md", "a/index.md", "a/README.md", "a/b/c.md", "x.markdown", "a b/ü.md", "x.html", "x.json"}
    | {"assets/checklist/0123abcd/checklist-worker.mjs", "assets/javascripts/checklist-boot.js"}
)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_file_urls_are_mkdocs_own(directory_urls: bool, tmp_path: Path) -> None:
    for src_uri in SOURCES:
        expected = File(src_uri, str(DOCS), str(tmp_path), directory_urls).url
        assert file_url(src_uri, directory_urls) == expected, src_uri


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_urls_are_mkdocs_own(directory_urls: bool, tmp_path: Path) -> None:
    urls = [File(s, str(DOCS), str(tmp_path), directory_urls).url for s in SOURCES]
    pages = [u for s, u in zip(SOURCES, urls, strict=True) if s.endswith((".md", ".markdown"))]
    for page in [*pages, "", "."]:
        for url in urls:
            assert relative_url(url, page) == get_relative_url(url, page), (url, page)

"""Shared fixtures: the real knowledge base, a strict build of the site, a local server and Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
KB_PATH = ROOT / "docs" / "knowledge-base.yml"
MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides")


def copy_project(target: Path) -> Path:
    """A throwaway copy of the site sources, so a test can break the KB or add a page safely."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copyfile(source, target / part)
    (ROOT / ".cache").mkdir(exist_ok=True)
    for shared in ("node_modules", "checklist", "sitebuilder", "pyproject.toml", ".cache"):
        (target / shared).symlink_to(ROOT / shared)
    return target


def mkdocs_build(
    project: Path, site_dir: Path, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A local server for the built site; its URL is known before the build so site_url can match it

    (Material's instant navigation only takes links whose host and port match the sitemap)."""
    site = tmp_path_factory.mktemp("site")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def built_site(served: tuple[Path, str]) -> Path:
    """One strict build of the real site, shared by the build and browser tests."""
    site, url = served
    started = time.perf_counter()
    result = mkdocs_build(ROOT, site, url)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\nstrict build of the site: {elapsed:.2f} s")
    return site


@pytest.fixture(scope="session")
def site_url(built_site: Path, served: tuple[Path, str]) -> str:
    return served[1]


class _Browser:
    """The Playwright browser, whose contexts skip the site's Content-Security-Policy unless told not to.

    Every page carries its policy in a meta tag, and Playwright's own helpers (wait_for_function, script
    tags) evaluate strings, which that policy rightly forbids. tests/test_csp.py runs with the policy on.
    """

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> Any:
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """System Chromium through Playwright. Missing Chromium is an error, never a skip."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `bash .ci/ensure-chromium` (make test does)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _Browser(instance)
        instance.close()

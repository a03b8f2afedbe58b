"""`make serve` rebuilds when the KB, a page or a hook changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode()
    except OSError:
        return ""


def wait_for(url: str, needle: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in fetch(url):
            return
        time.sleep(0.3)
    pytest.fail(f"{needle!r} did not appear at {url} within {timeout} s")


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = copy_project(tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(url, "Well-Architected")
        yield project, url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_rebuilds_on_kb_page_and_hook_changes(serving: tuple[Path, str]) -> None:
    project, url = serving
    kb = project / "docs" / "knowledge-base.yml"
    kb.write_text(kb.read_text().replace("name: Sustainability", "name: Sustainability Renamed", 1))
    wait_for(url + "pillars/sustainability/", "Sustainability Renamed")

    page = project / "docs" / "assessment.md"
    page.write_text(page.read_text().replace("# Assessing an AI/ML workload", "# Assessing it all"))
    wait_for(url + "assessment/", "Assessing it all")

    hook = project / "hooks" / "macros.py"
    hook.write_text(
        hook.read_text().replace(
            "return guide.references(kb(), here())",
            'return "Edited hook output. " + guide.references(kb(), here())',
        )
    )
    wait_for(url + "references/", "Edited hook output.")

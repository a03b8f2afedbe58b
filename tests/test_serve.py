"""`make serve` rebuilds when the KB, a page or a hook changes, and restarts when a renderer does."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_project, edit, project_env


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


@dataclass(frozen=True)
class Server:
    """`python -m sitebuilder.serve` on a project copy, its output going to ``log``."""

    project: Path
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def wait_for(self, path: str, needle: str, timeout: float = 60) -> None:
        """Wait until the page at ``path`` contains ``needle``; fail at once if the server has stopped."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in fetch(self.url + path):
                return
            if self.process.poll() is not None:
                pytest.fail(
                    f"the server stopped (exit code {self.process.returncode}) before {needle!r} appeared at "
                    f"{self.url + path}; its output ends:\n{self.output()}"
                )
            time.sleep(0.3)
        pytest.fail(
            f"{needle!r} did not appear at {self.url + path} within {timeout} s; the server's output ends:\n"
            f"{self.output()}"
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", own_code=True)


@pytest.fixture
def serving(project: Path, tmp_path: Path) -> Iterator[Server]:
    """The server as `make serve` runs it, on a copy with its own checklist/ and sitebuilder/ to edit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "sitebuilder.serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=project_env(project, SITE_URL=url),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(project, url, process, log)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    # The wrapper waits for its mkdocs child: nothing may still be serving once it is gone.
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, (
            f"mkdocs still serves {url} after the wrapper ended; output:\n{server.output()}"
        )


@pytest.fixture
def broken_project(project: Path) -> Path:
    """The copy with a KB that fails the strict build, before the server starts."""
    edit(project / "docs" / "knowledge-base.yml", "name: Sustainability", "nmae: Sustainability")
    return project


def test_serve_waits_for_a_fix_when_the_kb_is_broken_at_start(broken_project: Path, serving: Server) -> None:
    deadline = time.monotonic() + 60
    while "waiting for a change" not in serving.output() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert "unknown field 'nmae'" in serving.output()
    assert serving.process.poll() is None, "the wrapper gave up instead of waiting for a fix"
    edit(broken_project / "docs" / "knowledge-base.yml", "nmae: Sustainability", "name: Sustainability Fixed")
    serving.wait_for("pillars/sustainability/", "Sustainability Fixed")


def test_serve_rebuilds_on_kb_page_and_hook_changes_and_restarts_on_code_changes(serving: Server) -> None:
    project = serving.project
    serving.wait_for("", "Well-Architected")
    edit(project / "docs" / "knowledge-base.yml", "name: Sustainability", "name: Sustainability Renamed")
    serving.wait_for("pillars/sustainability/", "Sustainability Renamed")

    edit(project / "docs" / "assessment.md", "# Assessing an AI/ML workload", "# Assessing it all")
    serving.wait_for("assessment/", "Assessing it all")

    # The hook registers sitebuilder.macros.MACROS; re-register one of them with a prefix.
    edit(
        project / "hooks" / "macros.py",
        "        env.macro(bind(render), name)\n",
        "        env.macro(bind(render), name)\n"
        '    env.macro(bind(lambda kb, page: "Edited hook output. " + MACROS["references"](kb, page)), "references")\n',
    )
    serving.wait_for("references/", "Edited hook output.")

    # MkDocs keeps imported modules across rebuilds: a renderer edit shows only because sitebuilder.serve
    # restarts the server.
    edit(
        project / "sitebuilder" / "pages" / "guide.py",
        "## Key considerations",
        "## Key considerations, restarted",
    )
    serving.wait_for("pillars/sustainability/", "Key considerations, restarted")

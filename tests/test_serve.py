"""`make serve` rebuilds when the KB, a page or a hook changes, and restarts when a renderer does.

While the KB is broken, every address answers with a page listing its problems, which turns back into
the site by itself once the KB is fixed.
"""

from __future__ import annotations

import html
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, edit, project_env
from siteserver import fetch_text as fetch

from checklist.kbproblems import KnowledgeBaseError
from sitebuilder import kbfile, offline
from sitebuilder.serve import STOP_GRACE

pytestmark = pytest.mark.build

KB_NAME = "docs/knowledge-base.yml"
SITE_TITLE = "Well-Architected for AI/ML"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch_any(url: str) -> tuple[int, str]:
    """The status and the body, an error's too (the server answers a missing page with its 404 page)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def listed(page: str) -> list[str]:
    """The text of each problem the error page lists, as a reader sees it."""
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", page, re.S)]


def break_kb(project: Path) -> None:
    """Rename a pillar's field and misspell a reference, in one write."""
    kb = project / "docs" / "knowledge-base.yml"
    text = kb.read_text(encoding="utf-8")
    for old, new in (
        ("name: Sustainability", "nmae: Sustainability"),
        (
            "cites: [step_functions_use_cases]",
            "cites: [step_functions_use_casse]",
        ),  # a reference cited twice,
    ):
        assert old in text, f"{kb} no longer contains {old!r}: update this test's edit"
        text = text.replace(old, new, 1)
    kb.write_text(text, encoding="utf-8")


def problems(project: Path) -> list[str]:
    """The lines `mkdocs build` prints for the copy's KB, as broken by :func:`break_kb`."""
    with pytest.raises(KnowledgeBaseError) as raised:
        kbfile.load(project / "docs" / "knowledge-base.yml", KB_NAME)
    lines = raised.value.problems
    assert len(lines) == 3
    assert any("pillars[5].nmae: unknown field 'nmae'" in line for line in lines)
    assert any("unknown reference 'step_functions_use_casse'" in line for line in lines)
    return raised.value.problems


def fix_kb(project: Path, name: str = "Sustainability") -> None:
    kb = project / "docs" / "knowledge-base.yml"
    text = kb.read_text(encoding="utf-8").replace("nmae: Sustainability", f"name: {name}", 1)
    kb.write_text(
        text.replace("[step_functions_use_casse]", "[step_functions_use_cases]", 1), encoding="utf-8"
    )


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

    def terminal(self) -> list[str]:
        """Every line the server printed so far."""
        return self.log.read_text(errors="replace").splitlines()


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
            # As a shell starts a background job (`make serve &`, a CI script): with SIGINT ignored, which
            # its children inherit. The server must still stop as Ctrl-C stops it, within its grace.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    server = Server(project, url, process, log)
    try:
        yield server
    finally:
        process.terminate()
        try:
            # Within the wrapper's grace: a server that had to be killed after it would fail here.
            process.wait(timeout=STOP_GRACE - 2)
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
    break_kb(project)
    return project


@pytest.fixture
def unbuildable_project(project: Path) -> Path:
    """The copy with a page whose macro fails, before the server starts: no page can be shown."""
    edit(project / "docs" / "pillars" / "security.md", '"security"', '"no_such_pillar"')
    return project


def test_serve_shows_the_problems_when_the_kb_is_broken_at_start(
    broken_project: Path, serving: Server
) -> None:
    lines = problems(broken_project)
    serving.wait_for("", "The knowledge base has 3 problems")
    assert listed(fetch(serving.url)) == lines
    terminal = serving.terminal()
    assert all(line in terminal for line in lines), "the terminal lists other problems than the page"
    fix_kb(broken_project, name="Sustainability Fixed")
    serving.wait_for("pillars/sustainability/", "Sustainability Fixed")
    assert "waiting for a change" not in serving.output()


def test_a_kb_broken_while_serving_shows_its_problems_at_every_address_within_a_second(
    serving: Server,
) -> None:
    serving.wait_for("", SITE_TITLE)
    timings: list[float] = []
    while True:  # the best of three tries: others' jobs on the machine may slow one down
        started = time.monotonic()
        break_kb(serving.project)
        while "The knowledge base has" not in fetch(serving.url):
            assert time.monotonic() - started < 10, (
                f"no error page; the server's output ends:\n{serving.output()}"
            )
            time.sleep(0.02)
        timings.append(time.monotonic() - started)
        if timings[-1] < 1 or len(timings) == 3:
            break
        fix_kb(serving.project)
        serving.wait_for("", SITE_TITLE)
    print(f"\nfrom the edit to the error page: {', '.join(f'{t:.2f}' for t in timings)} s")
    assert timings[-1] < 1, f"the error page took {', '.join(f'{t:.2f}' for t in timings)} s"
    lines = problems(serving.project)

    for path, status in (
        ("", 200),
        ("pillars/sustainability/", 200),
        ("checklist/", 200),
        ("no/such/page/", 404),
    ):
        answer = fetch_any(serving.url + path)
        assert answer[0] == status, path
        page = answer[1]
        assert "<title>The knowledge base has 3 problems</title>" in page, path
        assert listed(page) == lines, path
        assert "Content-Security-Policy" not in page, f"{path}: a policy would block the live-reload script"
        if status == 200:  # mkdocs serve appends its live-reload script to the pages it serves
            assert re.search(r"<script>.*livereload\(\d+, \d+\);\s*</script>\s*</body>", page, re.S), path
        else:  # but not to its 404 answer, which refreshes itself instead
            assert '<meta http-equiv="refresh"' in page
    terminal = serving.terminal()
    assert all(line in terminal for line in lines), "the terminal lists other problems than the page"
    assert (
        "3 problems in docs/knowledge-base.yml: every page of the site shows them until it is fixed"
        in terminal
    )

    started = time.monotonic()
    fix_kb(serving.project)
    serving.wait_for("pillars/sustainability/", SITE_TITLE)
    print(f"from the fix to the site: {time.monotonic() - started:.2f} s")
    status, page = fetch_any(serving.url + "no/such/page/")
    assert status == 404 and "knowledge base has" not in page


def page_title(page: Any) -> str:
    try:
        title: str = page.title()
        return title
    except Exception:  # the page is navigating
        return ""


@pytest.mark.browser
def test_the_error_page_turns_into_the_site_by_itself_when_the_kb_is_fixed(
    broken_project: Path, serving: Server, browser: Any
) -> None:
    lines = problems(broken_project)
    serving.wait_for("pillars/sustainability/", "The knowledge base has 3 problems")
    context = browser.new_context(bypass_csp=False)  # as in a reader's browser: the site's policy applies
    page = context.new_page()
    console: list[str] = []
    page.on("pageerror", lambda error: console.append(f"error: {error}"))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto(serving.url + "pillars/sustainability/")
    assert page_title(page) == "The knowledge base has 3 problems"
    assert page.locator("ol.problems > li").all_inner_texts() == lines
    # MkDocs' live-reload script runs on the error page (it has no policy to stop it), and nothing fails.
    assert console == ["log: Enabled live reload"]

    started = time.monotonic()
    fix_kb(broken_project)
    while page_title(page) != f"Sustainability - {SITE_TITLE}":
        assert time.monotonic() - started < 60, f"the page still shows {page_title(page)!r}"
        time.sleep(0.1)
    print(f"\nfrom the fix to the site in Chromium: {time.monotonic() - started:.2f} s")
    assert page.get_by_role("heading", level=1).first.inner_text().startswith("Sustainability")
    context.close()


def test_serve_waits_for_a_fix_when_the_build_fails_at_start(
    unbuildable_project: Path, serving: Server
) -> None:
    deadline = time.monotonic() + 60
    while "waiting for a change" not in serving.output() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert "no_such_pillar" in serving.output()
    assert serving.process.poll() is None, "the wrapper gave up instead of waiting for a fix"
    edit(unbuildable_project / "docs" / "pillars" / "security.md", '"no_such_pillar"', '"security"')
    serving.wait_for("pillars/security/", SITE_TITLE)


def test_serve_rebuilds_on_kb_page_and_hook_changes_and_restarts_on_code_changes(serving: Server) -> None:
    project = serving.project
    serving.wait_for("", "Well-Architected")
    # A preview is never answered from the cache of a build served earlier at the same address: the
    # service worker it publishes removes itself and the site's caches (its own only: named by its site id;
    # tests/test_offline_worker.py runs it on several sites' caches, old-named ones too).
    worker = fetch(serving.url + "sw.js")
    assert "self.registration.unregister()" in worker
    assert worker == offline.uninstall("wa-ml")
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


# mkdocs serve's own loop (mkdocs.commands.serve), without the server: a first build, then (with "edit")
# a KB edit, a page edit and the rebuild that follows, into the folder given.
SERVED_BUILDS = """
import sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

site, edits = sys.argv[1], sys.argv[2:]
url = "http://127.0.0.1:8000/"

def config():
    loaded = load_config(site_dir=site, strict=True)
    loaded.site_url = url
    return loaded

first = config()
first.plugins.on_startup(command="serve", dirty=False)
build(first, serve_url=url)
for path, old, new in zip(edits[::3], edits[1::3], edits[2::3]):
    text = Path(path).read_text(encoding="utf-8")
    assert old in text, (path, old)
    Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")
if edits:
    build(config(), serve_url=url)
"""


def served_site(project: Path, site: Path, *edits: str) -> dict[str, bytes]:
    result = subprocess.run(
        [sys.executable, "-c", SERVED_BUILDS, str(site), *edits],
        cwd=project,
        env=project_env(project),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_served_rebuild_writes_what_a_first_build_of_the_same_sources_writes(
    project: Path, tmp_path: Path
) -> None:
    """A rebuild under `make serve` reuses the one before (sitebuilder.rebuild: each unchanged page's HTML,
    the compiled templates, search entries, linked files): after a KB edit and a page edit every file it
    serves, the search index included, is the one a first build of the edited sources writes."""
    kb, page = project / "docs" / "knowledge-base.yml", project / "docs" / "assessment.md"
    rebuilt = served_site(
        project,
        tmp_path / "rebuilt",
        *(str(kb), "name: Sustainability", "name: Sustainability Renamed"),
        *(str(page), "# Assessing an AI/ML workload", "# Assessing it all"),
    )
    assert b"Sustainability Renamed" in rebuilt["pillars/sustainability/index.html"]
    assert b"Sustainability Renamed" in rebuilt["checklist/index.html"]
    assert b"Assessing it all" in rebuilt["assessment/index.html"]
    assert b"Assessing it all" in rebuilt["search/search_index.json"]
    first = served_site(project, tmp_path / "first")
    assert sorted(rebuilt) == sorted(first)
    assert [path for path in first if rebuilt[path] != first[path]] == []

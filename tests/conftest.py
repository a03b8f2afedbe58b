"""Shared fixtures: the real knowledge base, a strict build of the site, a local server and Chromium."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import unittest.mock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, settings

from sitebuilder import CACHE_DIR

# Property-based tests (test_properties.py, test_browser_fuzz.py): `make test` runs a fixed, bounded set of
# examples; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs many more, random each time.
settings.register_profile(
    "test", max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "test"))

ROOT = Path(__file__).resolve().parent.parent
KB_PATH = ROOT / "docs" / "knowledge-base.yml"
MKDOCS = [sys.executable, "-m", "mkdocs"]
# The tests drive Debian's chromium-headless-shell: the same Chromium build (Blink, V8, service workers,
# print) without the browser's own layers, which halves the suite's CPU time (a checklist visit: 1.6 CPU-s
# instead of 2.7). `make bench` times what visitors run, the full browser (BENCH_CHROMIUM).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
BENCH_CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The tests' browser compiles WebAssembly (Pyodide) with its baseline compiler only: the same behaviour,
# without optimizing compiles that compete for the CPU two test workers share (about 9% off the browser
# tests). The bench keeps CHROMIUM_ARGS: it measures the browser a visitor has.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--js-flags=--liftoff-only"]
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides")
CODE_PARTS = ("checklist", "sitebuilder", "pyproject.toml")
SHARED, CONTROLLER = "KB_TESTS_SHARED", "KB_TESTS_CONTROLLER"  # set by the session's controller


def copy_project(target: Path, own_code: bool = False) -> Path:
    """A throwaway copy of the site sources, so a test can break the KB or add a page safely.

    The engine and the builder are symlinks to the repository's unless ``own_code``: then they are copies a
    test may edit, and so is .build-cache (a wheel built from edited engine code evicts every other cached wheel,
    which must not happen to the repository's). Run tools on such a copy with :func:`project_env`.
    """
    target.mkdir(parents=True)
    for part in PROJECT_PARTS + (CODE_PARTS if own_code else ()):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, target / part)
    (ROOT / CACHE_DIR).mkdir(exist_ok=True)
    if own_code:
        (target / CACHE_DIR).mkdir()
        # Seeded, to skip a wheel build, the KB check and (when the session's build made it first) the
        # memory snapshot of the unedited engine, the slowest part of a build.
        for cached in ("pyodide-runtime", "kb-valid", "snapshots"):
            try:
                shutil.copytree(ROOT / CACHE_DIR / cached, target / CACHE_DIR / cached)
            except OSError:  # missing, or changed by a concurrent build: the copy rebuilds what it needs
                shutil.rmtree(target / CACHE_DIR / cached, ignore_errors=True)
    for shared in ("node_modules",) if own_code else ("node_modules", CACHE_DIR, *CODE_PARTS):
        (target / shared).symlink_to(ROOT / shared)
    return target


def project_env(project: Path, **extra: str) -> dict[str, str]:
    """The environment for mkdocs (or sitebuilder.serve) on ``project``: its checklist and sitebuilder come
    first on the path, before the repository that the venv's .pth files point at."""
    path = os.pathsep.join(filter(None, (str(project), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path, **extra}


def run_cli(*args: str | Path, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m sitebuilder.cli ARGS``, run in this process from the repository's root: its exit code,
    standard output and standard error as a process would give them, without a Python start and imports
    per call. Tests about the process itself (memory limits, ``-m`` start-up) run a real one."""
    from sitebuilder import cli

    argv = list(map(str, args))
    out, err = io.StringIO(), io.StringIO()
    raw = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    given = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    with (
        contextlib.chdir(ROOT),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        unittest.mock.patch.object(sys, "stdin", given),
    ):
        try:
            code = cli.main(argv)
        except SystemExit as exit:  # argparse: --help and usage errors
            code = exit.code if isinstance(exit.code, int) else 2
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a project copy's file, which must still contain it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}: update this test's edit"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _site_build(
    command: list[str], project: Path, site_dir: Path, site_url: str | None
) -> subprocess.CompletedProcess[str]:
    env = project_env(project, **({"SITE_URL": site_url} if site_url else {}))
    return subprocess.run(
        [*command, "--site-dir", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def mkdocs_build(
    project: Path, site_dir: Path, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    return _site_build([*MKDOCS, "build", "--strict"], project, site_dir, site_url)


def zensical_build(
    project: Path, site_dir: Path, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The same site from Zensical (strict too), with the build's own work around it."""
    return _site_build([sys.executable, "-m", "sitebuilder.zensical", "build"], project, site_dir, site_url)


def _shared() -> Path:
    """A folder every worker of this test session shares (set up by the controller in pytest_configure)."""
    return Path(os.environ[SHARED])


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    os.environ[SHARED] = tempfile.mkdtemp(prefix="kb-tests-")
    os.environ[CONTROLLER] = str(os.getpid())


def pytest_unconfigure(config: pytest.Config) -> None:
    """The controller (or the only process) ends the shared servers and removes the shared folder."""
    if os.environ.get("PYTEST_XDIST_WORKER") or SHARED not in os.environ:
        return
    for pid in (_shared() / "servers").glob("*"):
        with contextlib.suppress(OSError, ValueError):  # ended already: its pid may be another's by now
            if b"siteserver.py" in Path(f"/proc/{pid.name}/cmdline").read_bytes():
                os.kill(int(pid.name), signal.SIGTERM)
    shutil.rmtree(_shared(), ignore_errors=True)


def once(name: str, make: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """What ``make`` returns (JSON), made once per test session whatever the number of workers: by the first
    worker that asks, in a folder of its own under the shared folder, while the others wait for it. If it
    fails, every worker that asks fails with that first error (not with a second attempt's)."""
    shared = _shared()
    info = shared / f"{name}.json"
    with FileLock(shared / f"{name}.lock", timeout=900):
        if not info.is_file():
            folder = shared / name
            folder.mkdir(exist_ok=True)
            try:
                made = make(folder)
            except BaseException:
                info.write_text(json.dumps({"failed": traceback.format_exc()}))
                raise
            info.write_text(json.dumps(made))
        loaded: dict[str, Any] = json.loads(info.read_text())
    if "failed" in loaded:
        pytest.fail(f"making the session's {name} failed (in another worker):\n{loaded['failed']}")
    return loaded


def shared_server(directory: Path) -> str:
    """A server for ``directory`` that every worker can use: its own process, which the controller ends
    (and which ends by itself when the controller is gone)."""
    script = Path(__file__).with_name("siteserver.py")
    server = subprocess.Popen(
        [sys.executable, str(script), str(directory), "--watch", os.environ[CONTROLLER]],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    (_shared() / "servers").mkdir(exist_ok=True)
    (_shared() / "servers" / str(server.pid)).touch()
    return f"http://127.0.0.1:{int(server.stdout.readline())}/"


# The builder of the session's shared site: MkDocs + Material (make test), or Zensical (make test-zensical,
# which runs the browser, link, CSP and accessibility tests again on its build).
ENGINE = os.environ.get("KB_TESTS_ENGINE", "mkdocs")


def _build_site(folder: Path) -> dict[str, Any]:
    """The real site, with the shared server's address as site_url (Material's instant navigation needs it)."""
    url = shared_server(folder)
    started = time.perf_counter()
    result = (zensical_build if ENGINE == "zensical" else mkdocs_build)(ROOT, folder, url)
    print(f"\nstrict {ENGINE} build of the site: {time.perf_counter() - started:.2f} s")
    return {"url": url, "error": "" if result.returncode == 0 else result.stdout + result.stderr}


@pytest.fixture(scope="session")
def served() -> tuple[Path, str]:
    """The built site's folder and the local server's address (one build and one server per session)."""
    return _shared() / "site", once("site", _build_site)["url"]


@pytest.fixture(scope="session")
def built_site() -> Path:
    """One strict build of the real site, shared by the build and browser tests (and by every worker)."""
    error = once("site", _build_site)["error"]
    assert not error, error
    return _shared() / "site"


@pytest.fixture(scope="session")
def site_url(built_site: Path, served: tuple[Path, str]) -> str:
    return served[1]


@pytest.fixture(scope="session")
def origin() -> tuple[Path, str]:
    """One local server whose folders are sites: several sites on one origin, as on a preview host."""
    url = once("origin", lambda folder: {"url": shared_server(folder)})["url"]
    return _shared() / "origin", url


def _build_lens_site(folder: Path, origin_url: str) -> dict[str, Any]:
    from lensfixtures import small, write

    from sitebuilder import kbsite

    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", origin_url + "lens/")  # Material's instant navigation needs the address
        assert kbsite.main(["lens", str(write(small(), folder / "lens.json")), "--out", str(out)]) == 0
    assert (out / "knowledge-base.yml").is_file()
    (_shared() / "origin" / "lens").symlink_to(out / "site", target_is_directory=True)
    return {"url": origin_url + "lens/"}


@pytest.fixture(scope="session")
def lens_site_url(origin: tuple[Path, str]) -> str:
    """The small fixture lens's site, as `make lens-site` builds it (once per session), at <origin>/lens/."""
    return str(once("lens-site", lambda folder: _build_lens_site(folder, origin[1]))["url"])


# What Material's search plugin writes as the index's configuration for this site's mkdocs.yml (the lens
# sites' too): test_build.py checks it against the built index.
SEARCH_CONFIG = {
    "lang": ["en"],
    "separator": r"[\s\-]+",
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}},
}


def _no_search_entries(route: Any) -> None:
    """The site's search index with its configuration and no entries. Material builds its index from this
    file on every page a test opens (about a third of a second of the page's load, on two cores): tests of
    the site search ask for the real one (``new_context(site_search=True)``, the ``site_search`` mark)."""
    route.fulfill(json={"config": SEARCH_CONFIG, "docs": []})


class _WithoutSearchEntries:
    """A context whose pages get the search index without entries (a page's routes come before the
    context's, such as a test's catch-all one)."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def new_page(self) -> Any:
        page = self._context.new_page()
        page.route("**/search/search_index.json", _no_search_entries)
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


class _Browser:
    """The Playwright browser, whose contexts skip the site's Content-Security-Policy unless told not to.

    Every page carries its policy in a meta tag, and Playwright's own helpers (wait_for_function, script
    tags) evaluate strings, which that policy rightly forbids. tests/test_csp.py runs with the policy on.
    """

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, site_search: bool = False, **options: Any) -> Any:
        options.setdefault("bypass_csp", True)
        # The site's service worker would answer requests before the test's routes see them; the tests of
        # offline use (test_browser_offline.py) allow it.
        options.setdefault("service_workers", "block")
        context = self._browser.new_context(**options)
        return context if site_search else _WithoutSearchEntries(context)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """System Chromium through Playwright. Missing Chromium is an error, never a skip."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `bash .ci/ensure-chromium` (make test does)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=TEST_CHROMIUM_ARGS)
        yield _Browser(instance)
        instance.close()


# Material renders diagrams into closed shadow roots; open them so the test can read the SVG.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
"""

# WCAG contrast in the page: `contrast(colour, element)` is the ratio of a CSS colour (alpha laid over what
# is behind) against what is behind `element` (each ancestor's background over the next, down to an opaque
# one). Prepend it to a function body: `"(e) => {" + CONTRAST_JS + " return contrast(...); }"`.
CONTRAST_JS = """
const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
const luminance = ([r, g, b]) => {
  const linear = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};
const behind = (element) => {
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const [r, g, b, a = 1] = rgba(getComputedStyle(node).backgroundColor);
    if (a > 0) layers.push([r, g, b, a]);
    if (a === 1) break;
  }
  return layers.reverse().reduce((under, [r, g, b, a]) =>
    [r, g, b].map((c, i) => c * a + under[i] * (1 - a)), [255, 255, 255]);
};
const contrast = (colour, element) => {
  const back = behind(element);
  const [r, g, b, a = 1] = rgba(colour);
  const front = [r, g, b].map((c, i) => c * a + back[i] * (1 - a));
  const [light, dark] = [luminance(front), luminance(back)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};
"""


@contextlib.contextmanager
def service_worker_visit(
    browser: Any, allowed: str, open_shadow_roots: bool = False
) -> Iterator[tuple[Any, Any, list[str]]]:
    """A context whose service workers may run (tests of offline use), whose requests may reach only URLs
    under ``allowed``; its page, and the page's uncaught errors."""
    context = browser.new_context(  # offline use includes the site search
        service_workers="allow", viewport={"width": 1280, "height": 900}, site_search=True
    )
    if open_shadow_roots:
        context.add_init_script(OPEN_SHADOW_ROOTS)
    errors: list[str] = []
    context.route(
        "**/*", lambda route: (route.continue_ if route.request.url.startswith(allowed) else route.abort)()
    )
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield context, page, errors
    finally:
        context.close()


def wait_ready(page: Any, timeout: float = 60_000) -> None:
    """Until the checklist's engine is ready (#kb-app.is-ready), checked every frame. wait_for_selector
    checks at growing intervals, up to half a second apart: about a quarter of a second late on average,
    in most browser tests. (Needs a context that bypasses the page's policy, as the tests' contexts do.)"""
    page.wait_for_function("document.querySelector('#kb-app.is-ready') !== null", timeout=timeout)


def site_search(page: Any, query: str) -> str:
    """Search the site as a reader does, and the results' text once some are shown. The two builders' themes
    search differently: Material's box in the header, once its index is loaded; Zensical's button, which
    opens its search dialog (in a shadow root: found by role)."""
    if ENGINE == "zensical":
        page.locator(".md-search__button").click()
        # Filled at once: typed a key at a time, the dialog shows results for each first letters meanwhile.
        page.get_by_role("combobox", name="Search").fill(query)
        results = page.get_by_role("listbox").filter(has_text=query)
        results.get_by_role("option").first.wait_for(timeout=15_000)
        return str(results.inner_text())
    page.locator(".md-search__input").click()
    page.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=15_000,
    )
    page.locator(".md-search__input").press_sequentially(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    return str(page.locator(".md-search-result").inner_text())


def wait_until(page: Any, script: str, timeout: float = 90.0) -> Any:
    """Poll an async expression in the page until it is truthy (wait_for_function cannot await)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {script}")


@dataclass
class Offline:
    """A browser page that may only talk to the local test server; everything else is blocked and kept."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def offline(browser: Any, site_url: str, request: pytest.FixtureRequest) -> Iterator[Offline]:
    """A page whose requests may reach only the local test server; parametrize indirectly with a scheme."""
    scheme = getattr(request, "param", "light")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        color_scheme=scheme,
        site_search=request.node.get_closest_marker("site_search") is not None,
    )
    context.add_init_script(OPEN_SHADOW_ROOTS)
    page = context.new_page()
    state = Offline(page)

    def route(route: Any) -> None:
        url = route.request.url
        state.requested.append(url)
        if url.startswith(site_url):
            route.continue_()
        else:
            state.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda error: state.errors.append(str(error)))
    yield state
    context.close()
    assert state.errors == [], "uncaught errors in the page"

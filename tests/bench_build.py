"""Build figures for `make bench`: this site's build against a plain Material build of the same Markdown."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMP_HOOK = """
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(-100)  # after mkdocs-macros has rendered the page
def on_page_markdown(markdown, page, **kwargs):
    target = Path(r"{out}") / page.file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown, encoding="utf-8")
    return markdown
"""


def _build(project: Path, site: Path, strict: bool) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    flags = ["--strict"] if strict else []  # the plain build lacks the generated downloads its links name
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *flags, "--quiet", "--site-dir", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    return elapsed


def _copy(target: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import copy_project

    return copy_project(target)


def measure(work: Path, runs: int) -> tuple[list[tuple[str, str]], Path]:
    """Median build times of the full site and of its rendered Markdown built plainly; the full site dir."""
    full = _copy(work / "full")
    rendered = work / "rendered"
    hook = work / "dump_markdown.py"
    hook.write_text(DUMP_HOOK.format(out=rendered))
    config_text = (full / "mkdocs.yml").read_text()
    dump_config = full / "mkdocs-dump.yml"
    dump_config.write_text(
        config_text.replace("hooks:\n  - hooks/site.py\n", f"hooks:\n  - hooks/site.py\n  - {hook}\n")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(dump_config),
            "-d",
            str(work / "dump-site"),
        ],
        cwd=full,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
    )

    plain = work / "plain"
    shutil.copytree(
        full / "docs", plain / "docs", ignore=shutil.ignore_patterns("*.md", "knowledge-base.yml")
    )
    shutil.copytree(rendered, plain / "docs", dirs_exist_ok=True)
    shutil.copytree(full / "overrides", plain / "overrides")
    plain_config = re.sub(r"  - macros:\n(    .*\n)+", "", config_text)
    plain_config = re.sub(r"^(hooks|watch):\n(  - .*\n)+", "", plain_config, flags=re.M)
    assert not re.search(r"^(hooks:|  - macros)", plain_config, flags=re.M), (
        "mkdocs.yml changed shape: update the bench"
    )
    (plain / "mkdocs.yml").write_text(plain_config)

    full_times, plain_times = [], []
    for run in range(runs):
        pair = [("full", full), ("plain", plain)] if run % 2 == 0 else [("plain", plain), ("full", full)]
        for name, project in pair:
            elapsed = _build(project, work / f"site-{name}", strict=name == "full")
            (full_times if name == "full" else plain_times).append(elapsed)
    ratio = statistics.median(full_times) / statistics.median(plain_times)
    rows = [
        (
            f"mkdocs build: this site / plain Material, same Markdown (median of {runs}, goal <= 1.3)",
            f"{ratio:.2f}  ({statistics.median(full_times):.2f} s / {statistics.median(plain_times):.2f} s)",
        ),
    ]
    return rows, work / "site-full"


def sizes(site: Path) -> list[tuple[str, str]]:
    def total(path: Path) -> int:
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())

    everything = total(site)
    pyodide = total(site / "assets" / "pyodide")
    mermaid = total(site / "assets" / "vendor" / "mermaid")
    rest = everything - pyodide - mermaid
    (wheel,) = site.glob("assets/checklist/*/checklist-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        modules = sum(1 for name in archive.namelist() if name.endswith(".py"))
    return [
        (
            "site/ size",
            f"{everything / 1e6:.1f} MB: Pyodide {pyodide / 1e6:.1f} MB, Mermaid {mermaid / 1e6:.1f} MB, "
            f"everything else {rest / 1e6:.1f} MB",
        ),
        (
            "engine wheel (what the browser downloads)",
            f"{wheel.stat().st_size / 1e3:.1f} KB ({unpacked / 1e3:.1f} KB unpacked, {modules} modules)",
        ),
    ]


def snapshot_figures(site: Path, runs: int) -> list[tuple[str, str]]:
    """The memory snapshot's bytes (raw memory, pages kept, stored) and the build time it adds when it is
    made (a build whose engine, KB and Pyodide are unchanged takes it from .build-cache/snapshots)."""
    import gzip
    import json
    import struct
    import tempfile

    sys.path.insert(0, str(ROOT))
    from sitebuilder import snapshot

    (stored,) = site.glob(f"assets/checklist/*/{snapshot.FILE_NAME}")
    data = gzip.decompress(stored.read_bytes())
    total, page, count = struct.unpack_from("<3I", data)
    (wheel,) = site.glob("assets/checklist/*/checklist-*.whl")
    kb_json = json.dumps(json.loads(next(site.glob("assets/checklist/*/knowledge-base.json")).read_text()))
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            started = time.perf_counter()
            snapshot.build(ROOT / "node_modules", wheel, kb_json, Path(cache))
            times.append(time.perf_counter() - started)
    return [
        (
            "memory snapshot: Python's memory / pages kept / stored (gzip)",
            f"{total / 1e6:.1f} MB / {count * page / 1e6:.1f} MB / {stored.stat().st_size / 1e6:.2f} MB",
        ),
        (
            f"memory snapshot: build time it adds when made (median of {runs}; cached after)",
            f"{statistics.median(times):.2f} s",
        ),
    ]


def build_kb_site(kb: Path, site: Path) -> float:
    """Seconds for ``python -m sitebuilder.kbsite build`` of the KB at ``kb`` (its pages, strict)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    command = [sys.executable, "-m", "sitebuilder.kbsite", "build", "--kb", str(kb), "--site-dir", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    return elapsed


SERVE_PAGE = "checklist/"  # the page a KB edit changes the most (its questions, choices and pillars)


def serve_edit_times(work: Path, edits: int) -> list[float]:
    """Seconds from each of ``edits`` KB writes (a pillar renamed) to the checklist page that
    ``make serve`` (sitebuilder.serve, strict) serves showing the new name, on a copy of the project.

    mkdocs serve holds a page request while it rebuilds, so a poll answers as soon as the new build is
    visible."""
    import socket

    project = _copy(work / "serve")  # (which puts tests/ on the path)
    from siteserver import fetch_text

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project), "SITE_URL": url}
    kb = project / "docs" / "knowledge-base.yml"
    name = "name: Sustainability"
    with (work / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "sitebuilder.serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:

        def wait_for(needle: str, timeout: float) -> None:
            deadline = time.monotonic() + timeout
            while needle not in fetch_text(url + SERVE_PAGE, timeout=30):
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = (work / "serve.log").read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"the served page never showed {needle!r}; the server said:\n{tail}")
                time.sleep(0.02)

        wait_for("Sustainability", 180)
        time.sleep(1)  # the server settles (its watcher starts after the first build)
        times = []
        for edit in range(edits):
            renamed = f"Sustainability, edit {edit + 1} of {edits}"
            text = kb.read_text(encoding="utf-8")
            assert name in text, f"{kb} no longer names the pillar: update the bench's edit"
            started = time.perf_counter()
            kb.write_text(text.replace(name, f"name: {renamed}", 1), encoding="utf-8")
            wait_for(renamed, 60)
            times.append(time.perf_counter() - started)
            name = f"name: {renamed}"
            time.sleep(0.5)  # like a writer between two edits: no rebuild is still pending
        return times
    finally:
        server.terminate()  # sitebuilder.serve stops its mkdocs child as Ctrl-C does
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def serve_figures(work: Path, edits: int) -> list[tuple[str, str]]:
    times = serve_edit_times(work, edits)
    return [
        (
            f"make serve: KB edit -> checklist page shows it ({edits} edits, goal <= 1.5 s)",
            f"median {statistics.median(times):.2f} s, max {max(times):.2f} s",
        ),
    ]

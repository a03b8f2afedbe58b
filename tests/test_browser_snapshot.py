"""The checklist starts Python from the build's memory snapshot, in Chromium, or boots it as before.

A cold visit on a fast network restores the snapshot (and needs neither the engine's wheel nor the KB); a
snapshot that is missing, blocked, damaged or that will not restore gives the usual boot and the plan,
with no message; on a slow network (10 Mbit/s) the snapshot is not fetched at all. Every API operation
answers from the restored session exactly as CPython's Session does, with the wheel unavailable.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_PATH, Offline, wait_ready
from test_browser_fuzz import answer, open_checklist

from checklist.api import Session
from checklist.migrate import VERSION
from sitebuilder import kbfile

pytestmark = pytest.mark.browser

SNAPSHOT = "**/memory-snapshot.bin"
TODAY = "2026-11-30"


def boot(page: Any) -> dict[str, Any]:
    """How the worker started Python: the phases it reported with "ready" (``boot`` says which way)."""
    wait_ready(page, 120_000)
    detail: dict[str, Any] = page.evaluate("performance.getEntriesByName('kb-checklist-ready')[0].detail")
    return detail


def the_plan_works(page: Any, offline: Offline) -> None:
    """An answer is assessed, and the page said nothing about how Python started."""
    answer(page, 0)
    assert page.locator("[data-messages]").inner_text().strip() == ""
    assert offline.errors == []


def runtime_fetched_once(offline: Offline) -> None:
    """A snapshot refused after Pyodide had asked for its runtime costs no second download of it: the
    usual boot reuses the runtime and standard library already fetched (and the wasm already compiled)."""
    for name in ("pyodide.asm.wasm", "python_stdlib.zip"):
        asked = [url for url in offline.requested if url.endswith("/" + name)]
        assert len(asked) == 1, (name, asked)


def snapshot_file(site: Path) -> Path:
    (path,) = site.glob("assets/checklist/*/memory-snapshot.bin")
    return path


def test_a_cold_visit_restores_the_snapshot(offline: Offline, site_url: str) -> None:
    page = offline.page
    open_checklist(page, site_url)
    assert boot(page)["boot"] == "snapshot"
    the_plan_works(page, offline)
    fetched = [url.rsplit("/", 1)[-1] for url in offline.requested if "/assets/" in url]
    assert "memory-snapshot.bin" in fetched
    # Only what a restore uses: not the usual boot's standard library, engine wheel or KB JSON.
    unused = [name for name in fetched if name.endswith((".zip", ".whl", "knowledge-base.json"))]
    assert unused == [], unused


def test_a_repeat_visit_restores_the_memory_kept_on_the_device(offline: Offline, site_url: str) -> None:
    """After a restore the worker keeps Python's memory (the origin's private file system): the next visit
    restores from it, with no request for the snapshot file, and a kept memory that will not restore is
    forgotten at once (the usual boot that follows is test_a_snapshot_that_will_not_restore_...'s)."""
    page = offline.page
    open_checklist(page, site_url)
    assert boot(page)["memory"] == "from the snapshot file"
    the_plan_works(page, offline)  # the first answer is out: the memory is kept after it
    deadline = time.monotonic() + 30
    while page.evaluate(KEPT_MEMORIES) != [True]:
        assert time.monotonic() < deadline, "the memory was not kept"
        page.wait_for_timeout(50)
    offline.requested.clear()
    page.reload()
    detail = boot(page)
    assert (detail["boot"], detail["memory"]) == ("snapshot", "kept on this device")
    assert [url for url in offline.requested if "/assets/checklist/" in url and url.endswith(".bin")] == []
    the_plan_works(page, offline)
    # A kept memory that does not restore (here: cut short) is forgotten: the next visit reads the file.
    assert len(page.evaluate(CUT_THE_KEPT_MEMORY)) == 1  # one memory kept, named by the snapshot's sha256
    page.reload()
    deadline = time.monotonic() + 30
    while page.evaluate(KEPT_MEMORIES) != []:
        assert time.monotonic() < deadline, "the memory that did not restore is still kept"
        page.wait_for_timeout(50)


# Whether each memory kept for the site (at the origin's root) has its final name: 64 hex digits.
KEPT_MEMORIES = """async () => {
  const root = await navigator.storage.getDirectory();
  try {
    const folder = await root.getDirectoryHandle(`checklist-memory ${encodeURIComponent("/")}`);
    const names = [];
    for await (const name of folder.keys()) names.push(/^[0-9a-f]{64}$/.test(name));
    return names;
  } catch {
    return [];
  }
}"""

# Replaces the kept memory by its first megabyte, under the same name.
CUT_THE_KEPT_MEMORY = """async () => {
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(`checklist-memory ${encodeURIComponent("/")}`);
  const names = [];
  for await (const [name, file] of folder.entries()) {
    const writable = await file.createWritable();
    await writable.write(new Uint8Array(1 << 20));
    await writable.close();
    names.push(name);
  }
  return names;
}"""


@pytest.mark.parametrize(
    ("how", "why"), [("blocked", "TypeError: Failed to fetch"), ("missing", "snapshot: HTTP 404")]
)
def test_a_blocked_or_missing_snapshot_gives_the_usual_boot_and_no_message(
    offline: Offline, site_url: str, how: str, why: str
) -> None:
    page = offline.page
    asked: list[str] = []

    def unavailable(route: Any) -> None:
        asked.append(route.request.url)
        if how == "blocked":
            route.abort()
        else:
            route.fulfill(status=404, body="Not found")

    page.route(SNAPSHOT, unavailable)
    open_checklist(page, site_url)
    # Asked in the HTTP cache, then over the network (the network judged fast enough), both refused.
    assert len(asked) == 2, asked
    assert boot(page)["boot"] == f"python ({why})"
    the_plan_works(page, offline)


def test_a_damaged_snapshot_is_refused_by_its_sha256(
    offline: Offline, site_url: str, built_site: Path
) -> None:
    page = offline.page
    damaged = bytearray(snapshot_file(built_site).read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # still a gzip file that inflates: only the hash tells
    page.route(
        SNAPSHOT, lambda route: route.fulfill(body=bytes(damaged), content_type="application/octet-stream")
    )
    open_checklist(page, site_url)
    assert boot(page)["boot"] == "python (the snapshot does not match its sha256)"
    the_plan_works(page, offline)
    runtime_fetched_once(offline)


def test_a_snapshot_that_will_not_restore_gives_the_usual_boot(offline: Offline, site_url: str) -> None:
    """A snapshot that matches the hash the worker is given, but whose memory is far too small for
    Pyodide: its instantiation fails (which Pyodide itself would only log, and wait for ever)."""
    page = offline.page
    tiny = gzip.compress(struct.pack("<3I", 65536, 4096, 0), mtime=0)

    def worker(route: Any) -> None:
        response = route.fetch()
        text = response.text()
        start = text.index('sha256: "', text.index("const SNAPSHOT")) + len('sha256: "')
        text = text[:start] + hashlib.sha256(tiny).hexdigest() + text[start + 64 :]
        route.fulfill(response=response, body=text)

    page.route("**/checklist-worker.mjs", worker)
    page.route(SNAPSHOT, lambda route: route.fulfill(body=tiny, content_type="application/octet-stream"))
    open_checklist(page, site_url)
    assert boot(page)["boot"] == "python (the snapshot did not restore)"
    the_plan_works(page, offline)
    runtime_fetched_once(offline)


# Every figure the page's download line shows while the engine loads.
DOWNLOAD_LINES = """
window.__downloads = [];
new MutationObserver(() => {
  const line = document.querySelector("[data-download]");
  if (line && line.textContent) window.__downloads.push(line.textContent);
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


def test_on_a_slow_network_the_snapshot_is_dropped_and_not_counted(browser: Any, site_url: str) -> None:
    """10 Mbit/s and 40 ms: 6 MB more would cost more than restoring saves, so Python boots as before.
    The snapshot is asked for beside the runtime (a fast network gains the wait for the speed probe), and
    dropped as soon as the probe shows the network is too slow: it never finishes, and the download line
    never counts it."""
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    downloaded: list[str] = []  # (the worker's look in the HTTP cache is a request too, which fails)
    dropped: list[str] = []
    context.on("requestfinished", lambda request: downloaded.append(request.url))
    context.on("requestfailed", lambda request: dropped.append(request.url))
    page = context.new_page()
    page.add_init_script(DOWNLOAD_LINES)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {"offline": False, "latency": 40, "downloadThroughput": 1.25e6, "uploadThroughput": 1.25e6}
    cdp.send("Network.emulateNetworkConditions", conditions)
    page.goto(site_url + "checklist/")
    # The decision falls within the first moments of the runtime's download: once the snapshot is dropped
    # and the download line shows a total, the rest of the usual boot may go at full speed (the test needs
    # its outcome, not its 10 s). The line first: the page replays what the worker said before its script
    # took the worker over, so on a busy machine a boot at full speed could end before the line ever
    # showed a figure (one run in four, under load).
    deadline = time.monotonic() + 30
    while not [url for url in dropped if url.endswith("/memory-snapshot.bin")]:
        assert time.monotonic() < deadline, "the snapshot was not dropped"
        page.wait_for_timeout(50)
    page.wait_for_function("window.__downloads.some((line) => / of /.test(line))", timeout=30_000)
    cdp.send(
        "Network.emulateNetworkConditions",
        {**conditions, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    detail = boot(page)
    assert detail["boot"].startswith("python (the network brings"), detail["boot"]
    assert [url for url in downloaded if url.endswith("/memory-snapshot.bin")] == []
    assert [url for url in dropped if url.endswith("/memory-snapshot.bin")]  # asked for, then dropped
    assert [url for url in downloaded if url.endswith(".whl")]  # the usual boot, which the test can see
    lines = page.evaluate("window.__downloads")
    totals = [float(m[1]) for line in lines if (m := re.search(r"of ([\d.]+) MB", line))]
    runtime = (KB_PATH.parent.parent / "node_modules" / "pyodide" / "pyodide.asm.wasm").stat().st_size
    assert totals, f"the download line showed no total: {list(dict.fromkeys(lines))[-6:]}"
    # The usual boot's files: the runtime (9.6 MB), its standard library (2.5 MB) and a few small ones;
    # with the snapshot's 6.5 MB the line would pass 18 MB.
    assert max(totals) < runtime / 1e6 + 4, [line for line in dict.fromkeys(lines) if "of" in line][-3:]
    context.close()


def requests(kb: Any) -> list[dict[str, Any]]:
    """One request per operation of checklist.api, every report format included, dated so the replies
    can be compared byte for byte."""
    from checklist import report, share

    first, second = kb.checklist.questions[:2]
    mine = {
        "version": 3,
        "workload": {"name": "Mine"},
        "answers": {first.id: {"selected": [first.none_choice]}},
    }
    theirs = {
        "version": 3,
        "workload": {"name": "Theirs"},
        "answers": {
            first.id: {"selected": [first.choices[0].id]},
            second.id: {"selected": [second.none_choice]},
        },
    }
    template = {
        "version": VERSION,
        "template": {"name": "Landing zone", "version": "1"},
        "answers": theirs["answers"],
    }
    files = [
        {"name": f"{name}.json", "text": json.dumps(data), "size": len(json.dumps(data).encode())}
        for name, data in (("mine", mine), ("theirs", theirs))
    ]
    return [
        {"op": "assess", "state": mine, "today": TODAY},
        *({"op": "report", "state": mine, "format": name, "today": TODAY} for name in report.FORMATS),
        {"op": "save", "state": mine},
        {"op": "import", "text": json.dumps(theirs)},
        {"op": "share", "state": mine},
        {"op": "open_link", "fragment": "state=" + share.encode(json.dumps(theirs))},
        {"op": "compare", "old": mine, "new": theirs, "since": TODAY},
        {
            "op": "merge",
            "mine": mine,
            "mine_name": "me",
            "theirs_text": json.dumps(theirs),
            "theirs_name": "you",
        },
        {"op": "tracker_status", "state": mine, "text": "[]", "format": "github"},
        {"op": "template_save", "state": theirs, "name": "Landing zone", "version": "1"},
        {"op": "template_apply", "state": mine, "text": json.dumps(template)},
        {"op": "portfolio", "files": files, "today": TODAY},
        {"op": "portfolio", "files": files, "today": TODAY, "format": "markdown"},
    ]


KEEP_THE_SNAPSHOT = """async () => {
  const worker = new URL(document.getElementById("kb-app").dataset.workerUrl, document.baseURI);
  const url = new URL("memory-snapshot.bin", worker).href;
  await (await caches.open("kept-by-the-test")).add(url);
}"""
ASK_A_FRESH_WORKER = """async ([url, requests]) => {
  const worker = new Worker(url, { type: "module" });
  const replies = [];
  const next = () => new Promise((resolve) => {
    worker.onmessage = ({ data }) => (data.type === "progress" ? null : resolve(data));
  });
  let ready = next();
  worker.postMessage({ type: "boot" });
  const booted = await ready;
  for (const [id, request] of requests.entries()) {
    ready = next();
    worker.postMessage({ id, request });
    replies.push((await ready).reply);
  }
  worker.terminate();
  return { boot: booted.phases && booted.phases.boot, replies };
}"""


def test_every_operation_answers_from_the_snapshot_without_the_wheel(offline: Offline, site_url: str) -> None:
    page = offline.page
    # Kept on the device, as the service worker keeps it: restored whatever the network's speed (on a busy
    # machine the local server can look slow, and the usual boot needs the wheel this test takes away).
    open_checklist(page, site_url)
    page.evaluate(KEEP_THE_SNAPSHOT)
    for unavailable in ("**/*.whl", "**/knowledge-base.json"):
        page.route(unavailable, lambda route: route.abort())
    page.reload()
    assert boot(page)["boot"] == "snapshot"
    kb = kbfile.load(KB_PATH)
    asked = requests(kb)
    api = (Path(__file__).parent.parent / "checklist" / "api.py").read_text(encoding="utf-8")
    named = re.findall(r'op == "(\w+)"', api) + [
        name for group in re.findall(r"op in \(([^)]*)\)", api) for name in re.findall(r'"(\w+)"', group)
    ]
    assert {request["op"] for request in asked} == set(named)  # every one
    url = page.evaluate("new URL(document.getElementById('kb-app').dataset.workerUrl, document.baseURI).href")
    answered = page.evaluate(ASK_A_FRESH_WORKER, [url, asked])
    assert answered["boot"] == "snapshot"
    session = Session(json.dumps(kb.source))
    for request, reply in zip(asked, answered["replies"], strict=True):
        assert reply["ok"], (request["op"], reply)
        assert reply == json.loads(session.handle(json.dumps(request))), request["op"]
    assert offline.errors == []
    # None of them needed a module the snapshot does not hold: the standard library was never downloaded.
    assert [url for url in offline.requested if url.endswith(".zip")] == []


# The worker as published, with one line more for the test: a way to run Python in it.
RUN_PYTHON = "\nself.runPythonForTheTest = (code) => engine.runPython(code);\n"


def test_a_restored_python_reads_the_standard_library_only_when_it_imports_from_it(
    offline: Offline, site_url: str
) -> None:
    """A restored Python has the standard library as a lazy file: a module its memory does not hold (no
    engine operation needs one, see above) is read from the zip, fetched then, once."""
    page = offline.page

    def worker(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + RUN_PYTHON)

    stdlib: list[str] = []

    def kept(route: Any) -> None:
        stdlib.append(route.request.method)
        route.continue_()

    page.route("**/checklist-worker.mjs", worker)
    page.route("**/python_stdlib.zip", kept)
    open_checklist(page, site_url)
    assert boot(page)["boot"] == "snapshot"
    assert stdlib == []
    (engine,) = [w for w in page.workers if w.url.endswith("/checklist-worker.mjs")]
    code = "import sys; was = 'tomllib' in sys.modules; import tomllib; (was, tomllib.loads('a = 1')['a'])"
    assert engine.evaluate(f"self.runPythonForTheTest({json.dumps(code)}).toJs()") == [False, 1]
    fraction = "import fractions; str(fractions.Fraction(1, 3))"
    assert engine.evaluate(f"self.runPythonForTheTest({json.dumps(fraction)})") == "1/3"
    assert stdlib.count("GET") == 1, stdlib  # (and a HEAD for its size, before it)
    the_plan_works(page, offline)

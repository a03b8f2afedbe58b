"""A site's service workers delete their own site's caches only (several sites can share an origin): the
built worker (service-worker.js) when it takes over, and the serve-mode one (sitebuilder.offline.uninstall).
Run in Node against a stand-in for the browser's cache storage holding several sites' caches."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from sitebuilder import offline

ROOT = Path(__file__).resolve().parent.parent

# Node stand-ins for the worker's globals: `self` records the listeners, `caches` holds the names.
HARNESS = """
const names = new Set(JSON.parse(process.argv[1]));
const listeners = {};
globalThis.self = {
  addEventListener: (type, listener) => { listeners[type] = listener; },
  skipWaiting() {},
  location: { href: "http://127.0.0.1:8000/main/sw.js" },
  clients: { claim: async () => {} },
  registration: { unregister: async () => true },
};
globalThis.caches = { keys: async () => [...names], delete: async (name) => names.delete(name) };
eval(require("fs").readFileSync(0, "utf8"));
let done;
listeners.activate({ waitUntil: (promise) => { done = promise; } });
done.then(() => console.log(JSON.stringify([...names].sort())));
"""
CACHES = [
    "wa-ml:site-1",
    "wa-ml:checklist-2",
    "wa:site-3",  # a site whose id is the start of another's
    "lens-pipeline:site-4",
    "wa-site-5",  # named before caches had a site's id
    "someone-elses",
]


def left_after(worker: str, caches: list[str] = CACHES) -> list[str]:
    done = subprocess.run(
        ["node", "-e", HARNESS, json.dumps(caches)], input=worker, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    left: list[str] = json.loads(done.stdout)
    return left


def test_the_serve_mode_worker_deletes_its_own_sites_caches_only() -> None:
    assert left_after(offline.uninstall("wa-ml")) == ["lens-pipeline:site-4", "someone-elses", "wa:site-3"]
    assert left_after(offline.uninstall("wa")) == [
        "lens-pipeline:site-4",
        "someone-elses",
        "wa-ml:checklist-2",
        "wa-ml:site-1",
    ]
    assert left_after(offline.uninstall(None)) == sorted(CACHES)  # a broken KB: it cannot tell its own


def test_the_built_worker_deletes_its_own_sites_earlier_caches_only(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>Home</h1>", encoding="utf-8")
    source = (ROOT / "docs" / offline.SOURCE).read_text(encoding="utf-8")
    worker = offline.service_worker(source, "wa-ml", tmp_path, "assets/checklist/abc/", "assets/pyodide/1/")
    build = re.search(r'"build":"(\w+)"', worker)
    checklist = re.search(r'"checklist":"(\w+)"', worker)
    assert build and checklist
    current = [f"wa-ml:site-{build[1]}", f"wa-ml:checklist-{checklist[1]}"]
    assert left_after(worker, CACHES + current) == sorted(
        ["wa:site-3", "lens-pipeline:site-4", "someone-elses", *current]
    )

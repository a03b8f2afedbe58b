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

# Node stand-ins for the worker's globals: `self` records the listeners, `caches` holds each cache's URLs.
HARNESS = """
const store = new Map(Object.entries(JSON.parse(process.argv[1])));
const listeners = {};
globalThis.self = {
  addEventListener: (type, listener) => { listeners[type] = listener; },
  skipWaiting() {},
  location: { href: "http://127.0.0.1:8000/main/sw.js" },
  clients: { claim: async () => {} },
  registration: { unregister: async () => true },
};
globalThis.caches = {
  keys: async () => [...store.keys()],
  delete: async (name) => store.delete(name),
  open: async (name) => ({
    keys: async () => store.get(name).map((url) => ({ url })),
    delete: async (request) => store.set(name, store.get(name).filter((url) => url !== request.url)),
  }),
};
eval(require("fs").readFileSync(0, "utf8"));
let done;
listeners.activate({ waitUntil: (promise) => { done = promise; } });
done.then(() => console.log(JSON.stringify(Object.fromEntries([...store].sort()))));
"""
MAIN = "http://127.0.0.1:8000/main/"  # the workers under test are at MAIN + "sw.js"
OTHER = "http://127.0.0.1:8000/other/"
CACHES = {
    "wa-ml:site-1": [MAIN + "index.html"],
    "wa-ml:checklist-2": [MAIN + "assets/checklist/x.whl"],
    "wa:site-3": [OTHER + "index.html"],  # a site whose id is the start of another's
    "lens-pipeline:site-4": [OTHER + "index.html"],
    # Named before caches had a site's id: one holds this site's files only, one another site's as well.
    "wa-site-5": [MAIN + "index.html"],
    "wa-checklist-6": [MAIN + "assets/pyodide/a.wasm", OTHER + "assets/pyodide/a.wasm"],
    "someone-elses": [OTHER + "x"],
}
AFTER_LEGACY = {"wa-checklist-6": [OTHER + "assets/pyodide/a.wasm"]}  # what another site still uses


def left_after(worker: str, caches: dict[str, list[str]] = CACHES) -> dict[str, list[str]]:
    done = subprocess.run(
        ["node", "-e", HARNESS, json.dumps(caches)], input=worker, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    left: dict[str, list[str]] = json.loads(done.stdout)
    return left


def kept(*names: str) -> dict[str, list[str]]:
    return {name: CACHES[name] for name in names}


def test_the_serve_mode_worker_deletes_its_own_sites_caches_only() -> None:
    assert left_after(offline.uninstall("wa-ml")) == {
        **kept("lens-pipeline:site-4", "someone-elses", "wa:site-3"),
        **AFTER_LEGACY,
    }
    assert left_after(offline.uninstall("wa")) == {
        **kept("lens-pipeline:site-4", "someone-elses", "wa-ml:checklist-2", "wa-ml:site-1"),
        **AFTER_LEGACY,
    }
    assert left_after(offline.uninstall(None)) == CACHES  # a broken KB: it cannot tell its own


def test_the_built_worker_deletes_its_own_sites_earlier_caches_only(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>Home</h1>", encoding="utf-8")
    source = (ROOT / "docs" / offline.SOURCE).read_text(encoding="utf-8")
    worker = offline.service_worker(source, "wa-ml", tmp_path, "assets/checklist/abc/", "assets/pyodide/1/")
    build = re.search(r'"build":"(\w+)"', worker)
    checklist = re.search(r'"checklist":"(\w+)"', worker)
    assert build and checklist
    current = {f"wa-ml:site-{build[1]}": [MAIN], f"wa-ml:checklist-{checklist[1]}": [MAIN + "x.whl"]}
    assert left_after(worker, {**CACHES, **current}) == {
        **kept("wa:site-3", "lens-pipeline:site-4", "someone-elses"),
        **AFTER_LEGACY,
        **current,
    }

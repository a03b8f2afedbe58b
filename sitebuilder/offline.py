"""The service worker that keeps the site working offline: ``sw.js`` at the site's root, written after the
build from docs/assets/javascripts/service-worker.js with what only the finished build knows (every file's
content hash, and so the build's id).

Under ``mkdocs serve`` it is a worker that removes itself and its caches instead: a preview must never be
answered from the cache of an earlier build served at the same address.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SOURCE = "assets/javascripts/service-worker.js"  # docs-relative; published only as sw.js
TARGET = "sw.js"
# Kept at install, so any page seen offline has its styles, scripts and search (a few hundred KB).
CORE_PREFIXES = (
    "assets/stylesheets/",
    "assets/javascripts/workers/",
    "assets/javascripts/checklist/",  # the modules checklist.js imports (it runs on every page)
    "assets/images/",
    "search/",
)
# The site search's index: search/ (above) in Material's build, search.json in Zensical's.
CORE_FILES = ("404.html", "search.json")
LEFT_OUT = (".map", ".gz")  # never fetched by a page

_UNINSTALL = """// Written by `mkdocs serve`: a preview is never served from an earlier build's cache.
const OURS = __OURS__;
const SCOPE = new URL("./", self.location.href);
const inScope = (url) => url.startsWith(SCOPE.href);
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (OURS.some((prefix) => name.startsWith(prefix))) await caches.delete(name);
      else if (OURS.length && /^wa-(site|checklist)-/.test(name)) {
        // Named before caches had a site's id, so maybe shared with another site of this origin: only this
        // site's entries go, and the cache once it is empty.
        const cache = await caches.open(name);
        for (const request of await cache.keys()) if (inScope(request.url)) await cache.delete(request);
        if (!(await cache.keys()).length) await caches.delete(name);
      }
    }
    await self.registration.unregister();
  })());
});
"""


def cache_prefix(site_id: str) -> str:
    """Every cache the site's worker makes is named with this (service-worker.js names them the same way)."""
    return f"{site_id}:"


def uninstall(site_id: str | None) -> str:
    """The serve-mode worker: it deletes its own site's caches only (and those named before caches had a
    site's id); with no site id (a broken KB) it cannot tell which are its own, and deletes none."""
    ours = [cache_prefix(site_id)] if site_id else []
    return _UNINSTALL.replace("__OURS__", json.dumps(ours))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def manifest(site_dir: Path, immutable: list[str]) -> dict[str, str]:
    """Every file a page may fetch, site-relative, with its content hash. Files under a versioned path
    (``immutable``: the checklist bundle, the Pyodide runtime) are named by their content already: their
    hash is left empty and never checked, so 13 MB are not hashed on every build."""
    files = {}
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if not path.is_file() or relative == TARGET or relative.endswith(LEFT_OUT):
            continue
        files[relative] = "" if relative.startswith(tuple(immutable)) else _digest(path)
    return files


def _is_core(path: str) -> bool:
    top_script = path.startswith("assets/javascripts/") and path.count("/") == 2 and path.endswith(".js")
    return path in CORE_FILES or path.startswith(CORE_PREFIXES) or top_script


def service_worker(source: str, site_id: str, site_dir: Path, bundle_dir: str, runtime_dir: str) -> str:
    """sw.js for the finished build in ``site_dir``; its text changes whenever any published file does,
    which is how browsers learn of a new deployment."""
    immutable = [bundle_dir, runtime_dir]
    files = manifest(site_dir, immutable)
    build = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    checklist = hashlib.sha256("\n".join(immutable).encode()).hexdigest()[:16]
    offline = {
        "site": site_id,
        "build": build,
        "checklist": checklist,
        "immutable": immutable,
        "core": [path for path in files if _is_core(path)],
        "files": files,
    }
    placeholder = "const OFFLINE = __OFFLINE__;"
    return source.replace(placeholder, f"const OFFLINE = {json.dumps(offline, separators=(',', ':'))};")

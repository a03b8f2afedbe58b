"""The checklist's memory snapshot: Python with the engine imported and the KB session built, made once at
build time so a visitor's browser restores it instead of booting Python (about a third of the wait).

``snapshot.mjs`` makes it with Node from the same Pyodide files the site serves; this module runs it,
stores the result without its pages of zeros and gzip-compressed (the worker inflates it with the browser's
DecompressionStream and puts the pages back in place) and
caches it by everything it is made from: the Pyodide runtime's bytes, the engine's wheel, the KB and the
script. A snapshot is valid only for the exact Pyodide build that made it, so the runtime's bytes are
part of its name and of the checklist bundle's identity.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from sitebuilder import bundle

FILE_NAME = "memory-snapshot.bin"  # gzip data; not ".gz", which servers may label as an encoding
SCRIPT = Path(__file__).with_name("snapshot.mjs")
KEEP = 6  # cached snapshots kept (one per KB built lately): about 6 MB each


class SnapshotError(RuntimeError):
    """The snapshot could not be made; the message says why, with Node's own output."""


PAGE = 4096


def pages(memory: bytes) -> bytes:
    """The memory without its pages of zeros (two thirds of it): the browser inflates half as much, and
    fills the rest with a zeroed buffer. Layout, little-endian uint32s: the memory's length, the page
    size, the number N of pages kept, their N indexes; then those pages' bytes (the last may be short)."""
    zero = bytes(PAGE)
    kept = [
        n
        for n in range(-(-len(memory) // PAGE))
        if memory[n * PAGE : (n + 1) * PAGE] != zero[: len(memory) - n * PAGE]
    ]
    header = struct.pack(f"<3I{len(kept)}I", len(memory), PAGE, len(kept), *kept)
    return header + b"".join(memory[n * PAGE : (n + 1) * PAGE] for n in kept)


def _key(node_modules: Path, wheel: Path, kb_json: str) -> str:
    digest = hashlib.sha256(SCRIPT.read_bytes() + Path(__file__).read_bytes())  # how it is made and stored
    for path in (*bundle.runtime_files(node_modules), wheel):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(kb_json.encode())
    return digest.hexdigest()[:20]


def build(node_modules: Path, wheel: Path, kb_json: str, cache: Path) -> Path:
    """The compressed snapshot for this runtime, wheel and KB (from ``cache`` when made before)."""
    target = cache / f"{_key(node_modules, wheel, kb_json)}.bin"
    if target.is_file():
        os.utime(target)  # recently used: kept by the pruning below
        return target
    node = shutil.which("node")
    if node is None:
        raise SnapshotError(
            "Node.js is needed to make the checklist's memory snapshot (it also installs npm)"
        )
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        kb_path, raw = Path(scratch, "kb.json"), Path(scratch, "snapshot.raw")
        kb_path.write_text(kb_json, encoding="utf-8")
        version = bundle.pyodide_version(node_modules)
        command = [
            node,
            str(SCRIPT),
            str(node_modules / "pyodide"),
            version,
            str(wheel),
            str(kb_path),
            str(raw),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not raw.is_file():
            raise SnapshotError(
                f"the checklist's memory snapshot could not be made:\n{done.stdout}{done.stderr}"
            )
        packed = Path(scratch, "snapshot.bin")
        packed.write_bytes(gzip.compress(pages(raw.read_bytes()), compresslevel=6, mtime=0))
        packed.replace(target)
    for stale in sorted(cache.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
        stale.unlink(missing_ok=True)
    return target

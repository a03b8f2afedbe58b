"""The memory snapshot in the checklist's bundle: made by the build with Node from the Pyodide it serves,
stored compressed, named by its sha256 in the worker and part of the bundle's identity; a Pyodide in
node_modules other than the one served stops the build with a clear message."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
from pathlib import Path

import pytest
from conftest import ROOT

from checklist.knowledge import KnowledgeBase
from sitebuilder import CACHE_DIR, bundle, kbfile, publish, snapshot

NODE_MODULES = ROOT / "node_modules"


def worker_constants(site: Path) -> dict[str, str]:
    (worker,) = site.glob("assets/checklist/*/checklist-worker.mjs")
    line = re.search(
        r"const SNAPSHOT = \{ file: \"(.*)\", sha256: \"(.*)\", bytes: Number\(\"(\d+)\"\) \};",
        worker.read_text(),
    )
    assert line, "the worker's SNAPSHOT line changed: update this test"
    return {"file": line[1], "sha256": line[2], "bytes": line[3]}


def test_the_bundle_holds_a_compressed_snapshot_named_by_its_sha256(built_site: Path) -> None:
    (path,) = built_site.glob("assets/checklist/*/*snapshot*")
    packed = path.read_bytes()
    constants = worker_constants(built_site)
    assert constants == {
        "file": path.name,
        "sha256": hashlib.sha256(packed).hexdigest(),
        "bytes": str(len(packed)),
    }
    assert packed[:2] == b"\x1f\x8b"  # gzip
    data = gzip.decompress(packed)
    total, page, count = struct.unpack_from("<3I", data)
    # The layout the worker reads: every page kept is listed once, and the pages left out are all zeros.
    assert page == snapshot.PAGE and total > 16_000_000 and count * page < total
    assert len(data) == 12 + 4 * count + sum(
        min(page, total - n * page) for n in struct.unpack_from(f"<{count}I", data, 12)
    )
    assert len(packed) < 7_000_000, "the snapshot grew: see the bench's figures before accepting it"


def unpaged(data: bytes) -> bytes:
    """The memory from the snapshot's layout, as the worker's memory.mjs lays it out."""
    total, page, count = struct.unpack_from("<3I", data)
    restored = bytearray(total)
    at = 12 + 4 * count
    for n in struct.unpack_from(f"<{count}I", data, 12):
        length = min(page, total - n * page)
        restored[n * page : n * page + length] = data[at : at + length]
        at += length
    assert at == len(data)
    return bytes(restored)


def test_pages_round_trip_and_leave_out_only_zeros() -> None:
    memory = bytes(4096) + b"python" + bytes(4096 * 3) + b"\x01" * 100
    data = snapshot.pages(memory)
    total, page, count = struct.unpack_from("<3I", data)
    kept = struct.unpack_from(f"<{count}I", data, 12)
    assert (total, page, kept) == (len(memory), 4096, (1, 4))
    assert unpaged(data) == memory


def test_the_snapshot_carries_no_freed_memory(built_site: Path) -> None:
    """The KB's JSON text is read whole to build the session and then freed: a freed block keeps what it
    held unless it is zeroed, and 3 MB of such blocks made the snapshot 0.65 MB bigger on the wire."""
    (path,) = built_site.glob("assets/checklist/*/*snapshot*")
    memory = unpaged(gzip.decompress(path.read_bytes()))
    (kb_json,) = built_site.glob("assets/checklist/*/knowledge-base.json")
    text = kb_json.read_bytes()
    runs = [text[at : at + 1000] for at in range(0, len(text) - 1000, 4000)]  # every fourth, for speed
    assert len(runs) > 100
    left = [run for run in runs if run in memory]
    assert not left, f"{len(left)} of {len(runs)} runs of the KB's JSON text are still in the memory"


def kb() -> KnowledgeBase:
    return kbfile.load(ROOT / "docs" / kbfile.FILENAME)


@pytest.mark.build
def test_a_pyodide_other_than_the_served_one_stops_the_build(tmp_path: Path) -> None:
    """node_modules whose package says one version while its loader is another (a half-finished update):
    the snapshot would not match the runtime the site serves."""
    fake = tmp_path / "node_modules" / "pyodide"
    fake.mkdir(parents=True)
    for source in (NODE_MODULES / "pyodide").iterdir():
        (fake / source.name).symlink_to(source)
    (fake / "package.json").unlink()
    package = json.loads((NODE_MODULES / "pyodide" / "package.json").read_text())
    real = package["version"]
    (fake / "package.json").write_text(json.dumps({**package, "version": "0.0.1"}))
    wheel = next((ROOT / CACHE_DIR / "pyodide-runtime").glob("*/checklist-*.whl"), None)
    if wheel is None:  # no build ran before this test: make the package the build would make
        wheel = next(
            bundle.build_package(ROOT, NODE_MODULES, ROOT / CACHE_DIR / "pyodide-runtime").glob("*.whl")
        )
    with pytest.raises(snapshot.SnapshotError) as raised:
        snapshot.build(tmp_path / "node_modules", wheel, "{}", tmp_path / "cache")
    assert f"is {real}, but the site serves 0.0.1: run `npm ci`" in str(raised.value)
    assert not list((tmp_path / "cache").glob("*.bin"))


@pytest.mark.build
def test_without_a_snapshot_the_worker_boots_python_and_the_bundle_has_another_name() -> None:
    """As under `mkdocs serve`: no snapshot, and a bundle directory of its own (its worker differs)."""
    docs = ROOT / "docs"
    with_it = publish.publication(ROOT, docs, kb(), "kb")
    without = publish.publication(ROOT, docs, kb(), "kb", memory_snapshot=False)
    assert with_it.worker_url != without.worker_url
    bundle_dir = without.worker_url.rsplit("/", 1)[0] + "/"
    names = [out.path for out in without.outputs if out.path.startswith(bundle_dir)]
    assert names and not [name for name in names if name.endswith(snapshot.FILE_NAME)]
    (worker,) = [out for out in without.outputs if out.path == without.worker_url]
    assert 'const SNAPSHOT = { file: "", sha256: "", bytes: Number("0") };' in (worker.text or "")

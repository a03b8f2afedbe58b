"""The in-browser checklist's bundle: the ``checklist`` wheel registered in a self-hosted Pyodide.

It runs ``python -m build`` and the ``pyodide`` CLI (from pyodide-build) so the worker can load the
``checklist`` package from the site itself, sha256 checked. The result (the wheel and a lock file that
lists it) is cached by the hash of the wheel's inputs (the engine package, ``pyproject.toml``, the Pyodide
version), so ``mkdocs serve`` rebuilds pay for it only when those change, and a change to the site
builder never touches it. The Pyodide runtime files are published straight from node_modules.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK = "pyodide-lock.json"


class BundleError(RuntimeError):
    """A bundle step failed; the message carries the tool's own output."""


def pyodide_version(node_modules: Path) -> str:
    package = json.loads((node_modules / "pyodide" / "package.json").read_text(encoding="utf-8"))
    return str(package["version"])


ENGINE = "checklist"  # the package the wheel holds, and nothing else


def wheel_inputs(root: Path) -> list[Path]:
    """Every file the wheel is built from."""
    engine = root / ENGINE
    return sorted([root / "pyproject.toml", *(p for p in engine.rglob("*") if p.suffix in (".py", ".json"))])


def inputs_hash(root: Path, node_modules: Path) -> str:
    digest = hashlib.sha256(pyodide_version(node_modules).encode())
    for path in wheel_inputs(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise BundleError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def runtime_files(node_modules: Path) -> list[Path]:
    return [node_modules / "pyodide" / name for name in RUNTIME_FILES]


def identity(package: Path, kb_json: str, worker: str) -> str:
    """The bundle's name: the engine's wheel (by its inputs), the KB it reads and the worker that runs it."""
    digest = hashlib.sha256(package.name.encode())
    digest.update(kb_json.encode())
    digest.update(worker.encode())
    return digest.hexdigest()[:12]


def build_package(root: Path, node_modules: Path, cache: Path) -> Path:
    """A directory holding the checklist wheel and Pyodide's lock file with that wheel registered."""
    target = cache / inputs_hash(root, node_modules)
    if (target / LOCK).is_file():
        return target
    source = node_modules / "pyodide"
    with tempfile.TemporaryDirectory(dir=cache.parent if cache.parent.exists() else None) as scratch:
        work = Path(scratch) / "package"
        work.mkdir()
        # A fixed timestamp makes the wheel, and so its sha256 in the lock file, the same on every build.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
        wheels = Path(scratch) / "wheels"
        # Built from a copy of exactly its inputs: a build/ folder left in the repository by an earlier
        # build would otherwise slip stale modules into the wheel.
        source_tree = Path(scratch) / "source"
        for path in wheel_inputs(root):
            (source_tree / path.relative_to(root)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, source_tree / path.relative_to(root))
        _run(
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--outdir",
                str(wheels),
                str(source_tree),
            ],
            root,
            env,
        )
        (wheel,) = wheels.glob(f"{ENGINE}-*.whl")
        shutil.copyfile(wheel, work / wheel.name)
        pyodide_cli = Path(sys.executable).with_name("pyodide")
        _run(
            [
                str(pyodide_cli),
                "lockfile",
                "add-wheels",
                "--input",
                str(source / LOCK),
                "--output",
                str(work / LOCK),
                "--base-path",
                str(work),
                str(work / wheel.name),
            ],
            root,
        )
        cache.mkdir(parents=True, exist_ok=True)
        # Another build (a test worker, say) may have finished the same package meanwhile: keep the whole
        # one there is; a rename never leaves a half-written package under the target's name.
        if not (target / LOCK).is_file():
            shutil.rmtree(target, ignore_errors=True)
            try:
                work.rename(target)
            except OSError:
                if not (
                    target / LOCK
                ).is_file():  # not another build's package: the scratch is on another disk
                    shutil.move(work, target)
    for stale in cache.iterdir():
        if stale != target:
            shutil.rmtree(stale, ignore_errors=True)
    return target

"""``make serve``: ``mkdocs serve``, restarted when the Python code behind the site changes.

MkDocs rebuilds in-process on a change to the KB, a page or a hook, but keeps the modules it already
imported: an edit to a renderer or to the engine would not show until a restart. This runs the server as
a child process and restarts it when a ``.py`` file of the engine or the builder changes; the page in the
browser reloads itself when the new server is up (MkDocs' live-reload sees a newer build).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("checklist", "sitebuilder")


def _stamp(root: Path) -> tuple[tuple[str, int], ...]:
    files = (p for package in WATCHED for p in (root / package).rglob("*.py"))
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in files if p.is_file()))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mkdocs serve ARGS`` from the current folder until interrupted."""
    command = [sys.executable, "-m", "mkdocs", "serve", *(sys.argv[1:] if argv is None else argv)]
    root = Path.cwd()
    while True:
        stamp = _stamp(root)
        child = subprocess.Popen(command)
        try:
            while child.poll() is None and _stamp(root) == stamp:
                time.sleep(0.5)
        except KeyboardInterrupt:
            child.terminate()
            child.wait()
            return 0
        if child.poll() is not None:
            return child.returncode
        print("Python code changed: restarting the server", file=sys.stderr)
        child.terminate()
        child.wait()


if __name__ == "__main__":
    sys.exit(main())

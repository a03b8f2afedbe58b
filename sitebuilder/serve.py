"""``make serve``: ``mkdocs serve``, restarted when the Python code behind the site changes.

MkDocs rebuilds in-process on a change to the KB, a page or a hook, but keeps the modules it already
imported: an edit to a renderer or to the engine would not show until a restart. This runs the server as
a child process and restarts it when a ``.py`` file of the engine or the builder changes; the page in the
browser reloads itself when the new server is up (MkDocs' live-reload sees a newer build). If the server
stops by itself (a broken KB at start), it is started again on the next change to the code or the docs.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

CODE = ("checklist", "sitebuilder")  # a change here restarts the server
SOURCES = ("docs", "hooks", "mkdocs.yml")  # after a failed start, a change here (a fixed KB) retries too


def _stamp(root: Path, parts: tuple[str, ...], pattern: str = "*.py") -> tuple[tuple[str, int], ...]:
    files = (
        p
        for part in parts
        for p in ((root / part).rglob(pattern) if (root / part).is_dir() else [root / part])
    )
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in files if p.is_file()))


STOP_GRACE = 10  # seconds the server has to stop as Ctrl-C stops it, before it is killed


class _Terminated(Exception):
    """SIGTERM (``kill``, a supervisor, a test's teardown) reached this process, and only this one."""


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def _interruptible() -> None:
    """In the server's process, before mkdocs starts: Ctrl-C's signal back to its default. A shell starts
    a background job (``make serve &``, a CI script's) with SIGINT ignored, a child keeps an ignored signal,
    and Python then installs no KeyboardInterrupt: mkdocs would never stop as Ctrl-C stops it, and
    :func:`_stop` would wait its whole grace before killing it, leaving its temporary site behind."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop(child: subprocess.Popen[bytes], interrupted: bool = False) -> None:
    """Stop the server as Ctrl-C does, so it removes its temporary site folder; kill it if it hangs.

    After a Ctrl-C in the terminal the server has had its own SIGINT: a second one could cut that short.
    """
    if not interrupted:
        child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mkdocs serve ARGS`` from the current folder until interrupted or terminated."""
    command = [sys.executable, "-m", "mkdocs", "serve", *(sys.argv[1:] if argv is None else argv)]
    root = Path.cwd()
    signal.signal(signal.SIGTERM, _terminated)  # by default it would end this process and orphan the server
    child: subprocess.Popen[bytes] | None = None
    try:
        while True:
            stamp = _stamp(root, CODE)
            child = subprocess.Popen(command, preexec_fn=_interruptible)
            while child.poll() is None and _stamp(root, CODE) == stamp:
                time.sleep(0.5)
            if child.poll() is None:
                print("Python code changed: restarting the server", file=sys.stderr)
                _stop(child)
                continue
            # The server stopped by itself (a build error at start): wait for a fix rather than give up.
            print(
                "The server stopped; waiting for a change to the code or the docs to try again",
                file=sys.stderr,
            )
            everything = _stamp(root, CODE) + _stamp(root, SOURCES, "*")
            while _stamp(root, CODE) + _stamp(root, SOURCES, "*") == everything:
                time.sleep(0.5)
    except (KeyboardInterrupt, _Terminated) as stopped:
        if child is not None:
            _stop(child, interrupted=isinstance(stopped, KeyboardInterrupt))
        return 0


if __name__ == "__main__":
    sys.exit(main())

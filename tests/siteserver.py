"""A quiet local HTTP server for built sites: in a thread for one test, or as a process every test worker shares.

    python tests/siteserver.py SITE_DIR --watch PID

prints the port it listens on (one line), then serves SITE_DIR until PID is gone: under pytest-xdist the
site is built once and served by this process, which outlives the worker that started it and ends with the
test session (tests/conftest.py also stops it when the session ends).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import mimetypes
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types the checklist needs (module scripts, WebAssembly), and no access log."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


# What a static host compresses on the fly: GitHub Pages, where this site is published, sends text types and
# WebAssembly gzip-encoded (seen in browsers' network panels), and files of other types (the memory snapshot,
# gzip already; the standard library's zip; fonts) as stored.
COMPRESSED_TYPES = frozenset(
    {"text/html", "text/css", "text/javascript", "application/json", "image/svg+xml", "application/wasm"}
)


class CompressingHandler(QuietHandler):
    """QuietHandler as a static host sends files: COMPRESSED_TYPES gzip-encoded to a browser that accepts it
    (`make bench` counts the bytes a visit downloads this way)."""

    _compressed: ClassVar[dict[tuple[str, float], bytes]] = {}

    @classmethod
    def precompress(cls, directory: Path) -> None:
        """Compress every file a host would, before the first request: a host sends a compressed file
        at once (the first request for the 9.6 MB runtime would otherwise wait half a second here)."""
        for path in directory.rglob("*"):
            if path.is_file() and mimetypes.guess_type(path.name)[0] in COMPRESSED_TYPES:
                cls._compress(str(path))

    @classmethod
    def _compress(cls, path: str) -> bytes:
        key = (path, os.stat(path).st_mtime)
        if key not in cls._compressed:
            with open(path, "rb") as source:
                cls._compressed[key] = gzip.compress(source.read(), compresslevel=6, mtime=0)
        return cls._compressed[key]

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path).split(";")[0]
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        if kind not in COMPRESSED_TYPES or not accepted or not os.path.isfile(path):
            return super().send_head()
        body = self._compress(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """A threading server that says nothing when a browser drops a download half-way (the checklist's
    worker drops the memory snapshot on a slow network); any other failure is printed as usual."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def server(directory: Path, handler: type[QuietHandler] = QuietHandler) -> http.server.ThreadingHTTPServer:
    """A server bound to a free loopback port (known before anything is built, so site_url can match it)."""
    return QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))


def url_of(instance: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{instance.server_address[1]}/"


@contextmanager
def serving(
    directory: Path, handler: type[QuietHandler] = QuietHandler
) -> Iterator[tuple[http.server.ThreadingHTTPServer, str]]:
    """Serve ``directory`` from a thread of this process while the block runs."""
    instance = server(directory, handler)
    thread = threading.Thread(target=instance.serve_forever, daemon=True)
    thread.start()
    try:
        yield instance, url_of(instance)
    finally:
        instance.shutdown()
        instance.server_close()


def fetch_text(url: str, timeout: float = 5) -> str:
    """The body of a GET, or "" while the server is not answering (a server that is starting or rebuilding)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body: bytes = response.read()
            return body.decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--watch", type=int, required=True, help="serve while this process lives")
    args = parser.parse_args(argv)
    instance = server(args.directory)
    threading.Thread(target=instance.serve_forever, daemon=True).start()
    print(instance.server_address[1], flush=True)
    while _alive(args.watch):
        time.sleep(0.5)
    instance.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Content-Security-Policy the built site works under, computed from what the build wrote.

Everything the site runs comes from its own origin. The exceptions, each needed and nothing more:
``'wasm-unsafe-eval'`` lets Pyodide compile WebAssembly; the sha256 of each inline script Material writes
(its scope, palette and tab bootstrap, which differ by page depth) lets exactly those run; and
``style-src 'unsafe-inline'`` is needed because Material and Mermaid set styles from script (Mermaid's
SVG carries its own <style>). Hashes change with Material's version, so the build recomputes them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


def inline_scripts(html: str) -> list[str]:
    """Bodies of the inline scripts a browser would run (JSON data blocks are not run)."""
    return [
        body
        for attrs, body in _INLINE_SCRIPT.findall(html)
        if "application/json" not in attrs and body.strip()
    ]


def sha256_source(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def policy(scripts: Iterable[str]) -> str:
    hashes = " ".join(sorted({sha256_source(s) for s in scripts}))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' {hashes}".rstrip(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)

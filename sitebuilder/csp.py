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

from sitebuilder.pages import sitemap

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


class InlineScriptError(ValueError):
    """An inline script inside a page's content: never from Material, so never allowed by hash."""


def check_content(html: str) -> None:
    """Refuse inline scripts in <article>: hashing whatever the build wrote would let injected text run."""
    for article in re.findall(r"<article\b.*?</article>", html, re.S):
        found = inline_scripts(article)
        if found:
            raise InlineScriptError(f"inline script in the page content: {found[0][:80]!r}")


def meta_tag(scripts: Iterable[str]) -> str:
    """The policy for one page, for hosts that cannot send headers (GitHub Pages).

    ``frame-ancestors`` is left out: browsers ignore it in a meta element and say so in the console."""
    directives = [d for d in policy(scripts).split("; ") if not d.startswith("frame-ancestors")]
    return f'<meta http-equiv="Content-Security-Policy" content="{"; ".join(directives)}">'


def with_meta(html: str, scripts: Iterable[str]) -> str:
    """The page, whose inline ``scripts`` are given, with its own policy right after <meta charset>
    (or <head>), before any script can run."""
    tag = meta_tag(scripts)
    anchor = r"(<meta charset=[^>]*>)" if re.search(r"<meta charset=", html) else r"(<head[^>]*>)"
    return re.sub(anchor, lambda m: m[1] + "\n      " + tag, html, count=1)


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


def site_files(scripts: Iterable[str]) -> dict[str, str]:
    """The site-wide policy as text, and as a ``_headers`` file for hosts that read one (Netlify,
    Cloudflare Pages), where a header also enforces ``frame-ancestors``."""
    text = policy(scripts)
    return {sitemap.CSP_TEXT: text + "\n", "_headers": f"/*\n  Content-Security-Policy: {text}\n"}

"""The page ``mkdocs serve`` shows at every address while the knowledge base is broken.

It lists the problems exactly as the terminal does. It has no script of its own: ``mkdocs serve`` appends
its live-reload script to every HTML page it serves, so the page reloads itself once a rebuild succeeds,
which is the normal site again when the KB is fixed. It carries no Content-Security-Policy, which would
block that (inline) script. The server's 404 answer is the one page it serves without that script: that
variant refreshes itself every second instead.

A broken KB should show within a second of the edit, so such a build copies no static file and renders
empty pages from empty templates, and the server looks for changes ten times as often as MkDocs' default
(every 0.5 s) and starts the rebuild once a poll has seen no further change (MkDocs waits 0.1 s).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from html import escape
from typing import Any

import jinja2
from mkdocs.structure.files import Files

from checklist.kbproblems import KnowledgeBaseError, Problem

POLL_SECONDS = 0.05

_STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e; --accent: #b42318;
  --code: #f3f4f6; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --accent: #ff7b72; --code: #1e242c; }
}
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1rem; }
h1 { color: var(--accent); font-size: 1.6rem; line-height: 1.25; }
p { color: var(--muted); }
ol { padding-left: 1.5rem; }
li { margin: 0.6rem 0; overflow-wrap: anywhere; }
code { background: var(--code); padding: 0.1rem 0.3rem; border-radius: 4px; font-size: 0.9em; }
.field { font-weight: 600; }
"""


@dataclass
class State:
    """What the hooks know across the rebuilds of one process."""

    serving: bool = False  # under `mkdocs serve`; not `serve --clean` (its command is "build") nor `--dirty`
    command: str = ""  # MkDocs' command: "build" (`mkdocs build`, `serve --clean`) or "serve"
    broken: KnowledgeBaseError | None = None  # the KB's problems, while every page shows them
    published: Any = None  # the last build's sitebuilder.publish.Publication (None while the KB is broken)

    @property
    def publication(self) -> Any:
        """The last build's publication, or None while the KB is broken (nothing of it was published)."""
        return None if self.broken else self.published

    def keep(self, error: KnowledgeBaseError) -> bool:
        """Under serve, keep ``error`` for the pages and say so in the terminal; else say False (abort)."""
        if self.serving:
            print(terminal_note(error), file=sys.stderr)
            self.broken = error
        return self.serving


def count(error: KnowledgeBaseError) -> str:
    """``1 problem``, ``3 problems``."""
    number = len(error.located)
    return f"{number} problem{'s' * (number != 1)}"


def terminal_note(error: KnowledgeBaseError) -> str:
    """The line ``mkdocs serve`` prints after the problems, where ``mkdocs build`` says it aborted."""
    return f"{count(error)} in {error.filename}: every page of the site shows them until it is fixed"


def _item(problem: Problem, filename: str) -> str:
    """One problem, whose text is exactly the terminal's line: ``file:line: field: message``."""
    tail = f": {problem.field}: {problem.message}"
    where = problem.render(filename).removesuffix(tail)
    return (
        f'<li><code class="where">{escape(where)}</code>: <span class="field">{escape(problem.field)}</span>'
        f': <span class="message">{escape(problem.message)}</span></li>'
    )


def html(error: KnowledgeBaseError, refresh: bool = False) -> str:
    """The whole page; ``refresh`` for the server's 404 answer, which gets no live-reload script."""
    title = f"The knowledge base has {count(error)}"
    items = "\n".join(_item(problem, error.filename) for problem in error.located)
    meta_refresh = '<meta http-equiv="refresh" content="1">\n' if refresh else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
{meta_refresh}<title>{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p>Fix <code>{escape(error.filename)}</code>: this page reloads by itself when the file is fixed.</p>
<ol class="problems">
{items}
</ol>
</main>
</body>
</html>
"""


def blank_pages(files: Files) -> Files:
    """The pages alone, each empty: no macro runs (they read the KB), no link is checked, nothing copied."""
    pages = files.documentation_pages()
    for page in pages:
        page.content_string = ""
    return Files(pages)


def blank_templates(env: jinja2.Environment) -> jinja2.Environment:
    """The theme's page and 404 templates as empty ones: the hooks replace their output with the error
    page, and rendering Material's would take about a third of a second."""
    blank = jinja2.DictLoader({"main.html": "", "404.html": ""})
    env.loader = jinja2.ChoiceLoader([blank, env.loader] if env.loader else [blank])
    return env


def poll_often(server: Any, paths: list[str]) -> Any:
    """Watch ``paths`` (those MkDocs watched before its plugins' ``on_serve``) every POLL_SECONDS, and
    start a rebuild once a poll interval has passed without a further change (the same ratio as before).

    ``server`` is MkDocs' LiveReloadServer, whose polling observer has not started yet; paths watched
    after this (the config's ``watch``) go to the new observer too."""
    # Imported here: only `mkdocs serve` watches, and a build goes without its imports.
    from watchdog.observers.polling import PollingObserver

    for path in paths:
        server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    server.build_delay = POLL_SECONDS
    for path in paths:
        server.watch(path)
    return server

"""The portfolio page, whole, for any KB: docs/portfolio.md calls it (``{{ portfolio_page() }}``) and a KB's
site (sitebuilder.kbsite) publishes that same file.

The page is a skeleton: a file picker (several files, or dropped on it), the engine's status, the downloads.
Everything it shows about the files comes from the checklist's engine (checklist.portfolio), run by the
checklist's own worker (portfolio.js asks it); this file words only what is there before any file is open.
"""

from __future__ import annotations

from checklist.knowledge import KnowledgeBase
from checklist.portfolio import MAX_WORKLOADS, limits
from checklist.portfolioreport import DOWNLOADS
from checklist.state import MAX_BYTES
from sitebuilder.pages import sitemap
from sitebuilder.pages.markdown import html_text, link


def _downloads() -> str:
    return "\n".join(
        f'<button type="button" class="md-button" data-format="{fmt}" data-name="{name}" data-type="{kind}">'
        f"{html_text(label)}</button>"
        for fmt, name, kind, label in DOWNLOADS
    )


def app_shell(worker_url: str, boot_url: str) -> str:
    """The page's controls; hidden until portfolio.js starts, as none of them work without it."""
    return f"""<div class="kb-portfolio" id="kb-portfolio" data-max-bytes="{MAX_BYTES}" data-max-files="{MAX_WORKLOADS}" data-worker-url="{html_text(worker_url)}" hidden>
<p class="kb-status"><span role="status" data-status>Starting the assessment engine (Python, running in this browser)…</span></p>
<div class="kb-drop" data-drop>
<label class="md-button md-button--primary kb-file">Open state files… <input type="file" multiple accept=".json,application/json" data-files data-needs-engine></label>
<span class="kb-hint">or drop them here. {html_text(limits())} Opening files again replaces those shown.</span>
</div>
<div class="kb-messages" data-messages role="alert"></div>
<div class="kb-portfolio__result" data-result hidden>
<p class="kb-portfolio__summary" data-summary></p>
<div class="kb-toolbar" role="group" aria-label="Downloads">
{_downloads()}
</div>
<div data-sections></div>
</div>
</div>
<script src="{html_text(boot_url)}"></script>"""


def render(kb: KnowledgeBase, here: str, worker_url: str, boot_url: str) -> str:
    """The page's Markdown, for the page at docs-relative ``here``."""
    if kb.checklist is None:
        return ""
    checklist = link(here, sitemap.CHECKLIST)
    return "\n\n".join(
        [
            "# Portfolio",
            "For a team that reviews many workloads: open the state files saved from the "
            f"[checklist]({checklist}) (its **Save state** button), several at once, and see them side by "
            "side: the risks of each workload by pillar (and by lens) as a heat map, the practices missing in "
            "the most workloads, and the decisions across them that are open, overdue or due for review.",
            "The files are read by the checklist's own engine, in this browser: nothing is sent anywhere, and "
            "the page works offline once the checklist has.",
            app_shell(worker_url, boot_url),
            '<noscript><p class="kb-hint">The portfolio needs JavaScript to read the files in this browser. '
            "The command line below makes the same report.</p></noscript>",
            "## From the command line { #command-line }",
            "In a clone of the repository, the same engine writes the same figures from the same files: "
            "`python -m sitebuilder.cli portfolio a.json b.json c.json --format html -o portfolio.html` "
            "(`--format markdown`, `json` or `csv` for the others; `--today YYYY-MM-DD` dates it). A file it "
            "cannot read is left out and named, and the others are still shown.",
        ]
    )

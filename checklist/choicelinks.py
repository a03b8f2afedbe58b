"""Where a choice's link may go: a page on the practice itself, never a product's landing page.

- A choice with lens ids links to its first best practice's page in its lens (leave ``reference`` out), or
  to a more specific page of the AWS documentation (docs.aws.amazon.com): not to another AWS site, such as a
  product page or a blog post.
- No choice links to a product landing or marketing page (aws.amazon.com/<product>/..., as opposed to
  docs.aws.amazon.com), through a reference id or a URL.
- No choice links to a section landing page of a Well-Architected guide (a pillar's or lens's page that
  is not a best practice, such as security-pillar/incident-response.html): its best practices' pages say
  what to do, the section page only lists them. Nor to the root of any documentation guide.
- No reference points at a page known not to exist (MISSING_PAGES: pages a review looked for in the
  guides' sources and did not find).

Only the ``url`` is read: nothing is fetched (the build runs offline).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from checklist.kbproblems import DataPath, Finding, dicts

DOCS_HOST = "docs.aws.amazon.com"
MARKETING_HOSTS = ("aws.amazon.com", "www.aws.amazon.com")
# Pages cited once that do not exist, with the page to use instead.
MISSING_PAGES = {
    "https://docs.aws.amazon.com/sagemaker/latest/dg/multi-az-endpoints.html": (
        "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-best-practices.html"
    ),
    "https://docs.aws.amazon.com/kms/latest/developerguide/services-sagemaker.html": (
        "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html"
    ),
}
# A Well-Architected best-practice page: a lens id (mlops04-bp01.html) or a framework id with underscores
# (sec_protect_data_transit_encrypt.html); a page without either is an overview of a section.
_BEST_PRACTICE_PAGE = re.compile(r"^([a-z]+\d+-bp\d+|[a-z0-9]+_[a-z0-9_]+)\.html$")


def _split(url: str) -> tuple[str, str]:
    """The host and path of ``url`` (empty when it is no URL: the schema reports that)."""
    try:
        parts = urlsplit(url)
        return parts.hostname or "", parts.path or "/"
    except ValueError:
        return "", "/"


def landing_kind(url: str) -> str:
    """What kind of landing page ``url`` is ("" when it is none): the reason a choice may not link to it."""
    host, path = _split(url)
    if host in MARKETING_HOSTS and not path.startswith("/blogs/"):
        return "a page of the AWS website (a product, marketing or news page), not the documentation"
    if host != DOCS_HOST:
        return ""
    segments = [segment for segment in path.split("/") if segment]
    page = segments[-1] if path.endswith(".html") else ""
    if not page or page == "index.html":
        return "the landing page of a documentation guide"
    guide_page = segments[0] == "wellarchitected" and len(segments) == 4 and segments[2] != "userguide"
    if guide_page and not _BEST_PRACTICE_PAGE.match(page):
        return "a section landing page of a Well-Architected guide, not a best practice"
    return ""


def check_choice_links(
    choices: list[tuple[DataPath, dict[str, Any], dict[str, Any]]],
    data: dict[str, Any],
    reported: tuple[str, ...] = (),
) -> list[Finding]:
    """Each choice's link, and every reference's URL, against the rules above; ``reported`` are URLs
    another check already refuses with its own message (the lenses' landing pages)."""
    urls: dict[str, Any] = {str(r.get("id")): r.get("url") for r in dicts(data.get("references"))}
    findings: list[Finding] = []
    for index, source in enumerate(dicts(data.get("references"))):
        url = source.get("url")
        if isinstance(url, str) and url in MISSING_PAGES:
            findings.append(
                (
                    ("references", index, "url"),
                    f"this page does not exist; cite {MISSING_PAGES[url]} or another page that says it",
                )
            )
    for path, choice, _ in choices:
        reference = choice.get("reference")
        if not isinstance(reference, str):
            continue
        url = urls.get(reference, reference)
        if not isinstance(url, str) or url in reported:
            continue
        through = f" (through reference '{reference}')" if reference in urls else ""
        refs = choice.get("lens_refs")
        first = refs[0] if isinstance(refs, list) and refs else None
        fix = (
            f"leave `reference` out and it links to {first}'s own page, or link a docs.aws.amazon.com page "
            "on this practice"
            if first
            else "link the AWS documentation page that says how to do it"
        )
        kind = landing_kind(url)
        if kind:
            findings.append(((*path, "reference"), f"links to {kind}{through}: {fix}"))
        elif url in MISSING_PAGES and not through:
            findings.append(((*path, "reference"), f"links to a page that does not exist: {fix}"))
        elif first and _split(url)[0].endswith("amazon.com") and _split(url)[0] != DOCS_HOST:
            findings.append(
                ((*path, "reference"), f"links to an AWS page outside the documentation{through}: {fix}")
            )
    return findings

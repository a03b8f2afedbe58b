"""What the content issue fixed stays fixed: the built site states no known inaccuracy, shows the caveat
of a retired or closed service wherever it names one, links every practice to its own ML Lens page, and
teaches the checklist's practices in the guides, phase by phase, with links both ways."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import KB_PATH

from checklist.knowledge import lens_of_ref, lens_practice_url
from checklist.practices import LENS_LANDING
from sitebuilder import kbfile

KB = kbfile.load(KB_PATH)
assert KB.checklist is not None
CHECKLIST = KB.checklist

# Statements a review found inaccurate: none may come back (case-insensitive, on the built pages' text).
INACCURATE = [
    r"storage lens[^.]*duplicat",
    r"carbon[- ]neutral regions?",
    r"(AWS|Amazon) publishes (a |the )?(per-Region |grid )*carbon intensity",
    r"(?<!not publish a )carbon intensity (of|for|in) (each|every) Region",
    r"carbon footprint tool[^.]*per workload",
    r"(turn|switch) on[^.]*lineage tracking",
    r"debugger[^.]*profil",
    r"serving[^.]*far more energy than training",
    r"\bAWS Auto Scaling\b",
    r"scheduled sagemaker pipeline",
    # the content review of issue 23 (A4-A13)
    r"publishes no per-Region",
    r"does not publish a carbon intensity",
    r"\bby 2025\b",
    r"\bEC2 Instance Explorer",
    r"sensitive data stored in AWS",
    r"inside Amazon VPC[^.]*network[- ]isolat",
    r"multi-model endpoints? (deployed )?(across|in) (several|multiple) Availability Zones",
    r"SageMaker Experiments",
    r"filter[^.]*with[^.]*S3 Select",
]

# Pages a review found (issue 23, section 2): two that do not exist, which nothing may cite, and two that
# no checklist choice may link as its plan (an outdated 2021 post, a section landing page).
MISSING_PAGES = [
    "kms/latest/developerguide/services-sagemaker.html",
    "sagemaker/latest/dg/multi-az-endpoints.html",
]
NOT_A_PLAN = [
    "managing-your-machine-learning-lifecycle-with-mlflow-and-amazon-sagemaker",
    "security-pillar/incident-response.html",
]


def built_text(built_site: Path) -> dict[str, str]:
    pages = {}
    for page in built_site.rglob("*.html"):
        body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(), flags=re.S)
        pages[str(page.relative_to(built_site))] = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return pages


def test_no_known_inaccuracy_is_stated(built_site: Path) -> None:
    found = [
        (name, match.group(0))
        for name, text in built_text(built_site).items()
        for pattern in INACCURATE
        for match in re.finditer(pattern, text, re.I)
    ]
    assert found == []


def test_no_missing_page_is_cited_and_no_choice_links_an_outdated_one() -> None:
    assert [r.id for r in KB.references if any(page in r.url for page in MISSING_PAGES)] == []
    linked = {c.id: KB.reference_url(c) for q in CHECKLIST.questions for c in q.choices}
    bad = [(ident, url) for ident, url in linked.items() if any(p in url for p in MISSING_PAGES + NOT_A_PLAN)]
    assert bad == []


def test_every_page_naming_a_retired_or_closed_service_shows_its_caveat(built_site: Path) -> None:
    flagged = [s for s in KB.services if s.status is not None]
    assert {s.id for s in flagged} >= {"elastic_inference", "s3_select"}
    for name, text in built_text(built_site).items():
        if name.startswith(("404", "references/")):
            continue  # the references page lists the sources, whose notes give the same facts
        for service in flagged:
            short = re.sub(r"^(Amazon|AWS) ", "", service.name)
            if short in text:
                assert " ".join(service.caveat.split()) in " ".join(text.split()), (name, service.name)


def test_every_practice_links_to_its_own_page_never_the_lens_landing_page() -> None:
    for question in CHECKLIST.questions:
        for choice in question.choices:
            url = KB.reference_url(choice)
            assert url != LENS_LANDING, choice.id
            if not choice.reference and choice.lens_refs:
                assert url == lens_practice_url(choice.lens_refs[0], KB.lenses)
    assert all(
        ref in {p.id for p in KB.lens_practices}
        for q in CHECKLIST.questions
        for c in q.choices
        for ref in c.lens_refs
    )


def test_every_lens_practice_is_cited_by_a_choice_and_links_to_its_own_lens_page() -> None:
    """Each practice of every lens in lens_practices (ML and, once listed, GenAI) is asked about, and its
    page is its own lens's page for it."""
    cited = {ref for q in CHECKLIST.questions for c in q.choices for ref in c.lens_refs}
    assert [p.id for p in KB.lens_practices if p.id not in cited] == []
    for practice in KB.lens_practices:
        lens = lens_of_ref(practice.id, KB.lenses)
        assert lens is not None, practice.id
        assert practice.url == lens.page.format(practice.id.lower())


def test_each_guide_teaches_its_practices_by_phase_with_links_both_ways(built_site: Path) -> None:
    phases = [p.name for p in KB.lens_phases]
    for pillar in KB.pillars:
        page = (built_site / "pillars" / pillar.slug / "index.html").read_text()
        start = page.index('id="best-practices"')
        section = page[start : page.index("<h2", start)]
        headings = [html.unescape(h).strip() for h in re.findall(r"<h3[^>]*>([^<]+)", section)]
        assert headings, pillar.id
        in_phases = [h for h in headings if h in phases]
        assert in_phases == [name for name in phases if name in headings], "phases in lifecycle order"
        # Then the practices of a lens without phases, under its name (the Generative AI Lens).
        assert headings[len(in_phases) :] == [
            lens.name for lens in KB.lenses if lens.name in headings[len(in_phases) :]
        ]
        for question in (q for q in CHECKLIST.questions if q.pillar == pillar.id):
            for choice in question.choices:
                assert f'id="{choice.id}"' in section, choice.id
                assert f'href="../../checklist/#{question.id}"' in section, question.id
                for ref in choice.lens_refs:
                    assert lens_practice_url(ref, KB.lenses) in section

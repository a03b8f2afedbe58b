"""The strict build: generated pages carry the seed's facts, and a broken KB stops the build cleanly."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KB_PATH, ROOT, SEARCH_CONFIG, copy_project, edit, mkdocs_build

from checklist.assess import plan_order
from checklist.awslenses import lens_of_ref
from checklist.knowledge import AwsLens
from sitebuilder import kbfile, kbsite, lensimport, publish
from sitebuilder.pages import checklist_page, guide, sitemap

KB = kbfile.load(KB_PATH)
LENS_SMALL = ROOT / "tests" / "fixtures" / "lens-small.json"
PAGES = [
    "index.html",
    *(f"pillars/{p.slug}/index.html" for p in KB.pillars),
    "assessment/index.html",
    "references/index.html",
    *(sitemap.lens_page(aws_lens).removesuffix(".md") + "/index.html" for aws_lens in KB.lenses[1:]),
]

# Facts from the seed chapter that must reach a reader, wherever the KB places them.
SEED_FACTS = [
    "SageMaker Pipelines",
    "AWS Step Functions",
    "SageMaker Model Monitor",
    "MLflow",
    "Amazon CloudWatch",
    "Identity and Access Management",
    "Key Management Service",
    "Amazon VPC",
    "Amazon GuardDuty",
    "Amazon Macie",
    "HIPAA",
    "Availability Zones",
    "Auto Scaling",
    "circuit breaker",
    "versioning",
    "Multi-Model Endpoints",
    "fraud",
    "Instance Type Explorer",  # the seed's "Instance Explorer", under the page's real name
    "distributed training",
    "S3 Select",
    "quantization",
    "autonomous vehicle",
    "Managed Spot Training",
    "70%",
    "idle notebook",
    "Intelligent-Tiering",
    "Elastic Inference",
    "carbon",
    "pruning",
    "knowledge distillation",
    "50%",
    "Graviton",
    "Customer Churn Prediction Model",
    "stakeholders",
    "cost allocation tags",
    "CloudFormation",
    "AWS CDK",
    "40%",
    "natural language processing",
    "spot instances",
    "adversarial",
    "drift",
    "reproducib",
    "rolling back",
    "caching",
    "batch inference",
]


def visible_text(page: Path) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_every_page_is_built(built_site: Path) -> None:
    for page in PAGES:
        assert (built_site / page).is_file(), page


def test_seed_facts_are_on_the_site(built_site: Path) -> None:
    everything = " ".join(visible_text(built_site / page) for page in PAGES).lower()
    missing = [fact for fact in SEED_FACTS if fact.lower() not in everything]
    assert not missing


def test_every_kb_item_is_rendered_on_its_page(built_site: Path) -> None:
    for pillar in KB.pillars:
        page = visible_text(built_site / f"pillars/{pillar.slug}/index.html")
        for item in (*pillar.considerations, *pillar.practices):
            assert " ".join(item.text.split())[:60] in " ".join(page.split()), item.id
        assert pillar.example.title in page
    assessment = visible_text(built_site / "assessment/index.html")
    for step in KB.assessment.steps:
        assert step.name in assessment
        for point in step.points:
            assert " ".join(point.text.split())[:60] in " ".join(assessment.split())
    for rule in KB.assessment.prioritization.rules:
        assert rule.action in assessment


def test_references_page_lists_every_reference_with_back_links(built_site: Path) -> None:
    page = (built_site / "references/index.html").read_text()
    for ref in KB.references:
        entry = re.search(rf'<div class="kb-reference" id="{ref.id}">(.*?)</div>', page, re.S)
        assert entry, ref.id
        assert f'href="{html.escape(ref.url)}"' in entry[1]
        backlinks = re.findall(r'href="(\.\./[^"]*)"', entry[1])
        assert backlinks, f"{ref.id} has no back-link"
        for href in backlinks:
            path, _, anchor = href.removeprefix("../").partition("#")
            target = (built_site / path / "index.html") if not path.endswith(".html") else built_site / path
            assert target.is_file(), href
            if anchor:
                assert f'id="{anchor}"' in target.read_text(), href


def test_citations_are_footnotes_that_link_to_the_references_page(built_site: Path) -> None:
    for pillar in KB.pillars:
        page = (built_site / f"pillars/{pillar.slug}/index.html").read_text()
        cited = {ref for item in (pillar, *pillar.practices, pillar.example) for ref in item.cites}
        for ref in cited:
            assert f'href="#fn:{ref}"' in page
            assert f'href="../../references/#{ref}"' in page


def test_schema_is_published_and_named_by_the_kb(built_site: Path) -> None:
    published = json.loads((built_site / "schema/knowledge-base.schema.json").read_text())
    assert published == kbfile.schema()
    first_line = KB_PATH.read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../checklist/knowledge-base.schema.json"
    assert (KB_PATH.parent / first_line.split("=", 1)[1]).resolve() == ROOT / "checklist" / kbfile.SCHEMA_NAME


def test_no_page_names_a_third_party_asset(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        loaded = re.findall(r'<(?:script|img|iframe)\b[^>]*\bsrc="(https?://[^"]+)"', text)
        loaded += [
            url
            for tag, url in re.findall(r'(<link\b[^>]*\bhref="(https?://[^"]+)"[^>]*>)', text)
            if not re.search(r'rel="(canonical|alternate)"', tag)
        ]
        for url in loaded:
            pytest.fail(f"{page.relative_to(built_site)} loads {url}")
    assert (built_site / "assets/vendor/mermaid/mermaid.esm.min.mjs").is_file()
    assert not list((built_site / "assets/vendor/mermaid").rglob("*.map"))


@pytest.mark.build
def test_broken_kb_stops_the_build_with_one_line_per_problem(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    kb = project / "docs" / "knowledge-base.yml"
    text = kb.read_text()
    text = text.replace("lens_pillar_id: security", "lens_pillar_id: security\n    colour: red", 1)
    # a reference cited twice, so the typo leaves it used and the message names the use, not the pair
    text = text.replace("cites: [step_functions_use_cases]", "cites: [step_functions_use_casse]", 1)
    kb.write_text(text)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = text.splitlines()
    colour = next(n for n, line in enumerate(lines, 1) if "colour: red" in line)
    typo = next(n for n, line in enumerate(lines, 1) if "step_functions_use_casse" in line)
    errors = [line for line in result.stderr.splitlines() if line.startswith("docs/knowledge-base.yml:")]
    assert errors == [
        f"docs/knowledge-base.yml:{typo}: pillars[0].practices[1].cites[0]: unknown reference "
        "'step_functions_use_casse' (did you mean 'step_functions_use_cases'?) (references are defined under "
        "`references:`)",
        f"docs/knowledge-base.yml:{colour}: pillars[1].colour: unknown field 'colour' (allowed: cites, "
        "considerations, example, id, id_prefix, lens_pillar_id, name, outcome, practices, summary)",
    ]
    assert "Aborted:" in result.stdout + result.stderr


@pytest.mark.build
def test_a_build_after_a_kb_edit_shows_the_edit_wherever_the_kb_reaches(tmp_path: Path) -> None:
    """A build of an unchanged KB reads back what it derived before (the checked model, the lens downloads,
    each page's macro output: sitebuilder.derived); an edit must reach every one of them, and undoing it
    must bring the first site back."""
    project = copy_project(tmp_path / "project")

    def built(name: str) -> Path:
        result = mkdocs_build(project, tmp_path / name)
        assert result.returncode == 0, result.stderr[-3000:]
        return tmp_path / name

    def shown(site: Path) -> dict[str, bool]:
        download = site / sitemap.LENS_DOWNLOADS / "custom-lens-machine-learning.json"
        (kb_json,) = site.glob(f"{sitemap.LENS_DOWNLOADS}*/knowledge-base.json")

        def content(page: str) -> str:  # the macros' output, without the navigation
            found = re.search(r"<article\b.*?</article>", (site / page).read_text(encoding="utf-8"), re.S)
            assert found, page
            return found[0]

        texts = {
            "pillar page": content("pillars/sustainability/index.html"),
            "checklist page": content("checklist/index.html"),
            "nav of another page": (site / "assessment" / "index.html").read_text(encoding="utf-8"),
            "lens download": download.read_text(encoding="utf-8"),
            "checklist's KB": kb_json.read_text(encoding="utf-8"),
        }
        return {where: "Sustainability Edited" in text for where, text in texts.items()}

    first = built("site-1")
    built("site-1-again")  # every derived file is there now
    kb = project / "docs" / "knowledge-base.yml"
    original = kb.read_text(encoding="utf-8")
    edit(kb, "name: Sustainability", "name: Sustainability Edited")
    edited = shown(built("site-2"))
    assert all(edited.values()), edited
    kb.write_text(original, encoding="utf-8")
    again = built("site-3")
    assert not any(shown(again).values())
    for page in ("checklist/index.html", "pillars/sustainability/index.html", "index.html"):
        assert (again / page).read_bytes() == (first / page).read_bytes(), page


@pytest.mark.build
def test_yaml_syntax_error_stops_the_build_with_line_and_column(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    kb = project / "docs" / "knowledge-base.yml"
    kb.write_text(kb.read_text().replace("  - id: security\n", "  - id: security\n   name: [oops\n", 1))
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert re.search(r"^docs/knowledge-base\.yml:\d+:\d+: yaml: ", result.stderr, re.M), result.stderr


@pytest.mark.build
def test_a_pillar_without_a_guide_page_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "pillars" / "reliability.md").unlink()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      - pillars/reliability.md\n", ""))
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no guide page docs/pillars/reliability.md" in result.stderr


@pytest.mark.build
def test_macros_are_opt_in_and_macro_errors_fail_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "plain.md"
    page.write_text(
        "# Plain\n\nTemplates stay literal: {{ pillar_guide('security') }}\n\n```\n{% raw %}\n```\n"
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "not_in_nav: /plain.md\n")  # the nav is the KB's (sitemap.nav)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    built = (tmp_path / "site" / "plain" / "index.html").read_text()
    assert "{{ pillar_guide(&#39;security&#39;) }}" in built or "{{ pillar_guide('security') }}" in built
    assert "{% raw %}" in built

    broken = project / "docs" / "pillars" / "security.md"
    broken.write_text(broken.read_text().replace('"security"', '"no_such_pillar"'))
    result = mkdocs_build(project, tmp_path / "site2")
    assert result.returncode != 0
    assert "no_such_pillar" in result.stdout + result.stderr


def test_the_nav_is_the_sitemaps_for_this_site_and_a_lens_site() -> None:
    """mkdocs.yml has no nav: the hook sets sitemap.nav, for this site and for a KB's site alike."""
    assert "\nnav:" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert sitemap.nav(KB) == [
        {"Overview": "index.md"},
        {"Pillars": [f"pillars/{p.slug}.md" for p in KB.pillars]},
        {"Generative AI Lens": "generative-ai-lens.md"},  # each lens after the first: after the pillars
        {"Agentic AI Lens": "agentic-ai-lens.md"},
        {"Responsible AI Lens": "responsible-ai-lens.md"},
        {"Assessment process": "assessment.md"},
        {"Checklist": "checklist.md"},
        {"Portfolio": "portfolio.md"},
        {"Self-check quiz": "self-check.md"},
        {"References": "references.md"},
    ]
    lens_kb = kbfile.load_text(
        lensimport.import_lens(LENS_SMALL.read_bytes(), "lens.json", "kb.yml")[0], "kb.yml"
    )
    assert [next(iter(entry)) for entry in sitemap.nav(lens_kb)] == [
        "Overview",
        "Pillars",
        "Checklist",
        "Portfolio",
        "Links",
    ]


def test_sitemap_pages_exist_in_the_docs() -> None:
    pages = (
        sitemap.HOME,
        sitemap.ASSESSMENT,
        sitemap.CHECKLIST,
        sitemap.PORTFOLIO,
        sitemap.REFERENCES,
        *map(sitemap.pillar_page, KB.pillars),
    )
    for page in (*pages, *sitemap.lens_guides(KB)):
        assert (ROOT / "docs" / page).is_file(), page


def test_a_lens_page_comes_only_with_a_second_lens() -> None:
    """One lens: the pages and nav of today. A second lens: its guide page, which kbsite writes and the
    build requires (one located line where it is missing)."""
    one_lens = kbfile.load_text(
        lensimport.import_lens(LENS_SMALL.read_bytes(), "lens.json", "kb.yml")[0], "kb.yml"
    )
    assert sitemap.lens_guides(one_lens) == {}
    assert not any(page.endswith("-lens.md") for page in kbsite.pages(one_lens))
    two_lens = kbfile.load(ROOT / "tests" / "fixtures" / "two-lens-kb.yml")
    assert kbsite.pages(two_lens)["generative-ai-lens.md"].endswith('{{ lens_guide("generative_ai") }}\n')
    pages = {sitemap.HOME, sitemap.REFERENCES, *map(sitemap.pillar_page, two_lens.pillars)}
    with pytest.raises(publish.PublishError) as error:
        publish.check_pages(two_lens, pages, "kb.yml")
    assert error.value.problems == [
        'kb.yml: aws_lenses: no guide page docs/generative-ai-lens.md; add one that calls lens_guide("generative_ai")'
    ]
    publish.check_pages(two_lens, pages | {"generative-ai-lens.md"}, "kb.yml")  # complete: no error


# The seed's own self-check questions: the quiz may grow, these stay (each with the seed's four options).
SEED_SELF_CHECK = [
    "sc_security_pillar",
    "sc_managed_spot_training",
    "sc_macie_sensitive_data",
    "sc_not_operational_excellence",
    "sc_prioritize_improvements",
]


def test_quiz_content_covers_the_seed_and_every_pillar() -> None:
    self_check = {q.id: q for q in KB.quiz("self-check").questions}
    for ident in SEED_SELF_CHECK:
        assert ident in self_check and len(self_check[ident].options) == 4, ident
    for pillar in KB.pillars:
        assert KB.pillar_quiz(pillar.id) is not None, pillar.id
    assert any(q.multi for quiz in KB.quizzes for q in quiz.questions)


def test_shuffled_options_are_stable_and_really_shuffled() -> None:
    from sitebuilder.pages.quiz import option_order

    shuffled = [quiz for quiz in KB.quizzes if quiz.shuffle]
    assert shuffled, "no quiz uses shuffle"
    orders = [option_order(quiz, q) for quiz in shuffled for q in quiz.questions]
    assert orders == [option_order(quiz, q) for quiz in shuffled for q in quiz.questions]  # same every time
    assert any(order != sorted(order) for order in orders)  # and not the authored order
    assert all(
        option_order(KB.quiz("self_check"), q) == list(range(len(q.options)))
        for q in KB.quiz("self_check").questions
    )  # unshuffled quizzes keep A-D


@pytest.mark.build
def test_broken_quiz_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    kb = project / "docs" / "knowledge-base.yml"
    question = KB.quiz("self_check").questions[0]
    right = next(o.text for o in question.options if o.correct)
    wrong = [o.text for o in question.options if not o.correct]
    text = kb.read_text()
    # No correct option left in the first question, and a duplicated option in it.
    text = text.replace(f"- text: {right}\n            correct: true\n", f"- text: {wrong[0]}\n", 1)
    kb.write_text(text)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("docs/knowledge-base.yml:")]
    assert any(
        e.endswith(
            "quizzes[0].questions[0].options: no option is marked `correct: true`; mark exactly one, or set `multi: true`"
        )
        for e in errors
    ), errors
    assert any(
        re.search(r":\d+: quizzes\[0\]\.questions\[0\]\.options\[\d\]\.text: same text as option \d$", e)
        for e in errors
    ), errors


def test_site_offers_a_custom_lens_download_per_lens(built_site: Path) -> None:
    """The KB reviews with several AWS lenses: the page offers one custom lens file for each lens that has
    questions (ML, GenAI and, once it has some, Agentic AI), as the CLI writes them."""
    from checklist import lens

    assert KB.checklist is not None
    page = (built_site / "checklist/index.html").read_text()
    asked = [x for x in KB.lenses if any(q.lens == x.id for q in KB.checklist.questions)]
    assert [x.name for x in asked][:2] == ["Machine Learning Lens", "Generative AI Lens"]
    for aws_lens in asked:
        file_name = f"custom-lens-{aws_lens.id.replace('_', '-')}.json"
        published = (built_site / "assets/checklist" / file_name).read_text()
        assert published == lens.export(KB, None, aws_lens.id)
        assert f'<a href="../assets/checklist/{file_name}">{aws_lens.name}</a>' in page
    unasked = [x for x in KB.lenses if x not in asked]
    for aws_lens in unasked:  # a lens with no question yet has no file to offer
        assert not (
            built_site / f"assets/checklist/custom-lens-{aws_lens.id.replace('_', '-')}.json"
        ).exists()
    assert not (built_site / "assets/checklist/custom-lens.json").exists()


@pytest.mark.build
def test_kb_errors_become_github_annotations(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    kb = project / "docs" / "knowledge-base.yml"
    text = kb.read_text().replace("lens_pillar_id: security", "lens_pillar_id: security\n    colour: red", 1)
    kb.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "colour: red" in row)
    env_result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GITHUB_ACTIONS": "true", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert env_result.returncode != 0
    assert (
        f"::error file=docs/knowledge-base.yml,line={line}::pillars[1].colour: unknown field 'colour'"
        in env_result.stdout
    )


@pytest.mark.build
def test_an_inline_script_in_page_content_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "references.md"
    page.write_text(page.read_text() + '\n<script>alert("hi")</script>\n')
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/references.md: inline script in the page content" in result.stdout + result.stderr


def test_the_plan_order_rule_is_the_engines_sentence_wherever_it_is_explained() -> None:
    """Stated once (checklist.assess.plan_order) and shown on the checklist and assessment pages of any KB;
    a lens, which rates no effort, gets the sentence without it."""
    assert KB.checklist is not None
    rule = plan_order(KB.checklist)
    assert "then lower effort" in rule
    assert rule in checklist_page.render(KB, sitemap.CHECKLIST, "")
    assert rule in guide.assessment_process(KB, sitemap.ASSESSMENT)
    lens_kb = kbfile.load_text(
        lensimport.import_lens(LENS_SMALL.read_bytes(), "lens.json", "kb.yml")[0], "kb.yml"
    )
    assert lens_kb.checklist is not None
    lens_rule = plan_order(lens_kb.checklist)
    assert "effort" not in lens_rule
    page = checklist_page.render(lens_kb, sitemap.CHECKLIST, "")
    assert lens_rule in page and "the lens rates no effort" in page and "then lower effort" not in page
    sources = [ROOT / "mkdocs.yml", *(ROOT / "docs").rglob("*.md"), *(ROOT / "sitebuilder").rglob("*.py")]
    sources += [*(ROOT / "hooks").glob("*.py"), *(ROOT / "docs" / "assets" / "javascripts").glob("*.*js")]
    sources.append(KB_PATH)  # the KB's texts too: its bucket rationale once restated the rule
    said = ("prioritized pillars come first", "pillars the workload prioritizes come first")
    restated = [path for path in sources if any(words in path.read_text(encoding="utf-8") for words in said)]
    assert restated == []


def test_every_kbs_site_has_one_checklist_page() -> None:
    """docs/checklist.md is one macro call; a KB's site (kbsite) publishes that same file."""
    text = (ROOT / "docs" / sitemap.CHECKLIST).read_text(encoding="utf-8")
    assert text.split("---\n")[-1].strip() == "{{ checklist_page() }}"
    assert kbsite.pages(KB)[sitemap.CHECKLIST] == text


def test_home_page_links_to_the_checklist_and_lists_the_steps_it_promises(built_site: Path) -> None:
    """Issue 28: the home page's text promised "the steps below" and showed none, and never linked to the
    checklist."""
    home = (built_site / "index.html").read_text()
    article = home[home.index("<article") : home.index("</article>")]
    assert re.search(r'<a href="checklist/">[^<]*checklist', article, re.IGNORECASE), (
        "no link to the checklist"
    )
    below = article[article.index("The steps below") :]
    for step in KB.assessment.steps:
        assert f'href="assessment/#{step.id}"' in below, step.id
        assert html.escape(step.name, quote=False) in below, step.name
    assert below.index(KB.assessment.steps[0].id) < below.index(KB.assessment.steps[-1].id)


def test_every_question_links_to_the_guide_section_that_explains_it(built_site: Path) -> None:
    """Each question's form links to its pillar's guide, to an anchor that exists there (the practice the
    plan links to)."""
    assert KB.checklist is not None
    page = (built_site / "checklist/index.html").read_text()
    own_pages = {aws_lens.id: path for path, aws_lens in sitemap.lens_guides(KB).items()}
    assert list(own_pages) == ["generative_ai", "agentic_ai", "responsible_ai"]
    for question in KB.checklist.questions:
        start = page.index(f'id="{question.id}" data-question=')
        form = page[start : page.index("</fieldset>", start)]
        found = re.search(r'<a class="kb-question__guide" href="\.\./([^"#]+)#([^"]+)"', form)
        assert found, question.id
        guide = (built_site / found.group(1) / "index.html").read_text()
        assert f'id="{found.group(2)}"' in guide, (question.id, found.group(2))
        if question.lens in own_pages:  # a lens with its own guide page: the section of its practice
            assert found.group(1) == own_pages[question.lens].removesuffix(".md") + "/", question.id
            refs = {sitemap.practice_anchor(ref) for c in question.choices for ref in c.lens_refs}
            assert found.group(2) in refs, question.id
        else:
            assert found.group(1) == KB.pillar(question.pillar).guide_path, question.id
            assert found.group(2) in {c.id for c in question.choices} | {question.id}


@pytest.mark.parametrize("aws_lens", KB.lenses[1:], ids=lambda aws_lens: aws_lens.id)
def test_each_further_lens_page_teaches_every_practice_with_links_both_ways(
    built_site: Path, aws_lens: AwsLens
) -> None:
    """Issues 24 and 25: every practice of a lens after the first (GenAI, Agentic AI) by pillar, with what it
    protects against, its services (and caveats), the checklist question that asks it and its own lens page;
    a generated diagram; the lens's quiz. A lens listed before its practices are written says so instead.
    A lens organised by its own areas (Responsible AI) goes area by area, each practice linking to the
    pillar guide whose results count it, with a second diagram of that mapping."""
    assert KB.checklist is not None
    page = (built_site / sitemap.lens_page(aws_lens).removesuffix(".md") / "index.html").read_text()
    article = page[page.index("<article") : page.index("</article>")]
    asks = {ref: q for q in KB.checklist.questions for c in q.choices for ref in c.lens_refs}
    own = [p for p in KB.lens_practices if lens_of_ref(p.id, KB.lenses) == aws_lens]
    # Every practice of the lens's fact table (GENAI-, AGENTIC-AI-, RESPONSIBLE-AI-LENS-FACTS.md).
    assert len(own) == {"generative_ai": 51, "agentic_ai": 150, "responsible_ai": 98}[aws_lens.id]
    positions = []
    for practice in own:
        anchor = sitemap.practice_anchor(practice.id)
        start = article.index(f'id="{anchor}"')
        section = article[start : article.find("<h", start + 1)]
        assert html.escape(practice.protects, quote=False) in section, practice.id
        for service in practice.services:
            assert html.escape(KB.service(service).name, quote=False) in section, (practice.id, service)
            if caveat := KB.service(service).caveat:
                assert html.escape(caveat, quote=False) in section, (practice.id, service)
        assert f'href="{practice.url}"' in section, practice.id
        assert f'href="../checklist/#{asks[practice.id].id}"' in section, practice.id
        if aws_lens.areas:
            pillar = KB.pillar(practice.pillar)
            assert f'counts in <a href="../{sitemap.pillar_page(pillar).removesuffix(".md")}/">' in section
            area = aws_lens.area_of(practice.id)
            assert area is not None, practice.id
            positions.append((article.rindex("<h2", 0, start), area.id))
        else:
            positions.append((article.rindex("<h2", 0, start), practice.pillar))
    # Grouped by pillar (or area): each one's practices under one heading, in the KB's (or lens's) order.
    headings = list(dict.fromkeys(positions))
    groups = aws_lens.areas or KB.pillars
    assert [group for _, group in headings] == [
        g.id
        for g in groups
        if any((aws_lens.area_of(x.id) if aws_lens.areas else KB.pillar(x.pillar)) == g for x in own)
    ]
    not_yet = f"This guide does not cover the {aws_lens.name}'s best practices yet"
    assert (not_yet in article) == (not own)
    assert article.count('class="mermaid"') == ((2 if aws_lens.areas else 1) if own else 0)
    quiz_id = sitemap.LENS_QUIZZES[aws_lens.id]
    assert f'id="quiz-{quiz_id}"' in article
    assert article.count('class="kb-quiz__question"') == len(KB.quiz(quiz_id).questions)
    assert html.escape(" ".join(aws_lens.intro.split()), quote=False) in article


def test_every_quiz_is_on_a_page() -> None:
    """A quiz no page places would be written and never shown: each is on its pillar's guide, the
    self-check page or its lens's guide (the GenAI, Agentic AI and Responsible AI quizzes)."""
    assert {
        quiz.id: sitemap.quiz_page(KB, quiz)
        for quiz in KB.quizzes
        if quiz.id in ("genai", "agentic", "responsible")
    } == {
        "genai": "generative-ai-lens.md",
        "agentic": "agentic-ai-lens.md",
        "responsible": "responsible-ai-lens.md",
    }
    assert [quiz.id for quiz in KB.quizzes if sitemap.quiz_page(KB, quiz) is None] == []


def test_site_search_finds_each_checklist_question_but_not_its_form_boilerplate(built_site: Path) -> None:
    """Material's index (built on every page a visitor opens) holds the checklist's questions by title and
    description; its choices (the guides explain each practice) and the form's repeated labels are left
    out, a fifth of the index."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"] == SEARCH_CONFIG  # what the browser tests' pages get, with no entries
    checklist = " ".join(
        html.unescape(doc["title"] + " " + doc["text"])
        for doc in index["docs"]
        if doc["location"].startswith("checklist/")
    )
    questions = KB.checklist.questions
    missing = [q.id for q in questions if html.unescape(q.title) not in checklist]
    assert missing == [], f"questions the site search cannot find: {missing}"
    assert "Not applicable to this workload" not in checklist
    choice = questions[0].choices[0].title
    assert html.unescape(choice) not in checklist, f"a choice's text is in the search index: {choice!r}"

"""The guide pages' Markdown: overview, pillar guides, assessment process and references.

Each function takes the KB and the docs-relative path of the page it renders on (for relative links) and
returns Markdown; footnote definitions come at the end of each block.
"""

from __future__ import annotations

from checklist import lens
from checklist.assess import plan_order
from checklist.awslenses import lens_label
from checklist.knowledge import Choice, Example, KnowledgeBase, Link, Pillar, Point, Question
from checklist.scales import effort_value
from sitebuilder.pages import diagrams, form, sitemap
from sitebuilder.pages.markdown import Footnotes, admonition_title, caveat_spans, html_text, link, text


def _service_names(kb: KnowledgeBase, service_ids: tuple[str, ...]) -> str:
    names = " ".join(f'<span class="kb-service">{text(kb.service(s).name)}</span>' for s in service_ids)
    return names + caveat_spans(kb, service_ids)


def _services(kb: KnowledgeBase, service_ids: tuple[str, ...]) -> str:
    """A paragraph naming the services, after a practice or an example."""
    return f"\n\n**AWS services:** {_service_names(kb, service_ids)}" if service_ids else ""


def _points(kb: KnowledgeBase, points: tuple[Point, ...], notes: Footnotes) -> str:
    """A list of points, each with its own anchor (for back-links), citations and services."""
    items = []
    for point in points:
        services = f" **AWS services:** {_service_names(kb, point.services)}" if point.services else ""
        items.append(f'- <span id="{point.id}"></span>{text(point.text)}{notes.cite(point.cites)}{services}')
    return "\n".join(items)


def _sentence_case(label: str) -> str:
    """Lower the first letter of a label used mid-sentence, unless it starts an acronym (``ML``)."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _with_notes(body: str, notes: Footnotes) -> str:
    definitions = notes.definitions()
    return f"{body}\n\n{definitions}\n" if definitions else f"{body}\n"


def _example(kb: KnowledgeBase, example: Example, notes: Footnotes) -> str:
    body = (
        f"{text(example.text)}{notes.cite(example.cites)}"
        f"{_services(kb, example.services)}\n\n*Industry: {text(example.industry)}*"
    )
    indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    heading = f"## Example application {{#{sitemap.EXAMPLE_ANCHOR}}}"
    return f'{heading}\n\n!!! example "{admonition_title(example.title)}"\n\n{indented}'


def _figure(diagram: str, caption: str) -> str:
    """A diagram with a caption; md_in_html lets the fenced Mermaid source inside reach Material.

    The caption is raw HTML (Markdown is not processed in it): pass it through ``html_text``."""
    return (
        f'<figure class="kb-diagram" markdown>\n\n{diagram}\n\n<figcaption>{caption}</figcaption>\n</figure>'
    )


def overview(kb: KnowledgeBase, here: str) -> str:
    """Home page body: why the framework matters for AI/ML, the pillar diagram, the pillars, the outlook."""
    notes = Footnotes(kb, here, sitemap.REFERENCES)
    framework = kb.framework
    parts = [f"{text(framework.summary)}{notes.cite(framework.cites)}"]
    if kb.lens is not None:
        parts.append(source_lens(kb, here))
    if framework.outlook:
        parts.append(text(framework.outlook))
    parts.append("## The six pillars at a glance" if len(kb.pillars) == 6 else "## The pillars at a glance")
    parts.append(pillar_overview_figure(kb))
    cards = []
    for pillar in kb.pillars:
        target = link(here, sitemap.pillar_page(pillar))
        blurb = text(pillar.summary) if pillar.summary else _pillar_counts(kb, pillar)
        cards.append(f"-   **[{text(pillar.name)}]({target})**\n\n    ---\n\n    {blurb}")
    parts.append('<div class="grid cards" markdown>\n\n' + "\n\n".join(cards) + "\n\n</div>")
    parts.append("## Assess your own workload")
    parts.append(text(kb.assessment.summary))
    if kb.assessment.steps:  # the summary promises the steps: they follow, each linked to its full section
        parts.append(assessment_steps(kb, here))
        more = f"The [assessment process]({link(here, sitemap.ASSESSMENT)}) explains each step in full. "
    else:
        more = ""
    if kb.checklist is not None:
        more += f"**[Open the checklist]({link(here, sitemap.CHECKLIST)})** to assess your workload now."
    if more:
        parts.append(more.strip())
    if framework.closing:
        parts.append(text(framework.closing))
    return _with_notes("\n\n".join(parts), notes)


def _pillar_questions(kb: KnowledgeBase, pillar: Pillar) -> tuple[Question, ...]:
    return tuple(q for q in kb.checklist.questions if q.pillar == pillar.id) if kb.checklist else ()


def _pillar_counts(kb: KnowledgeBase, pillar: Pillar) -> str:
    """A pillar card's text where the KB has no summary: what the checklist asks about it."""
    questions = _pillar_questions(kb, pillar)
    practices = sum(len(q.choices) for q in questions)
    return f"{len(questions)} question{'s' * (len(questions) != 1)}, {practices} best practice{'s' * (practices != 1)}."


def source_lens(kb: KnowledgeBase, here: str) -> str:
    """The imported custom lens's version line for the home page ("" for a KB written by hand)."""
    if kb.lens is None:
        return ""
    version = f"Lens version {html_text(kb.lens.version)}. " if kb.lens.version else ""
    return (
        f'<p class="kb-lens-source">{version}Imported from an AWS Well-Architected custom lens'
        f"{f' (format {html_text(kb.lens.schema_version)})' if kb.lens.schema_version else ''}"
        + (
            f'; the <a href="{link(here, sitemap.LENS_DOWNLOAD)}">custom lens file</a> gives it back for the AWS '
            "Well-Architected Tool.</p>"
            if lens.fits(kb)
            else ".</p>"
        )
    )


def pillar_overview_figure(kb: KnowledgeBase) -> str:
    brings = "what it brings to an AI/ML solution" if kb.lens is None else "the questions it asks"
    caption = f"The {html_text(kb.framework.name)}: each pillar and {brings}."
    return _figure(diagrams.pillar_overview(kb), caption)


def pillar_guide(kb: KnowledgeBase, pillar: Pillar, here: str) -> str:
    """A pillar's guide: summary, considerations, practices with services, example, and a map."""
    notes = Footnotes(kb, here, sitemap.REFERENCES)
    parts = [f"# {text(pillar.name)}"]
    if pillar.summary:
        parts.append(f"{text(pillar.summary)}{notes.cite(pillar.cites)}")
    if (outcome := pillar.outcome) is not None:
        parts.append(
            f'!!! abstract "What this pillar brings"\n\n    {text(outcome.relation)} '
            f"{text(_sentence_case(outcome.label))}."
        )
    if pillar.considerations:
        parts += ["## Key considerations", _points(kb, pillar.considerations, notes)]
    if pillar.practices:
        parts.append("## Practices on AWS")
    for practice in pillar.practices:
        parts.append(f"### {text(practice.title)} {{#{practice.id}}}")
        parts.append(f"{text(practice.text)}{notes.cite(practice.cites)}{_services(kb, practice.services)}")
    if pillar.example is not None:
        parts.append(_example(kb, pillar.example, notes))
    parts.append(best_practices(kb, pillar, here) if kb.lens_phases else questions_guide(kb, pillar, here))
    parts.append("## Pillar map")
    if pillar.practices:
        mapped = tuple(dict.fromkeys(s for practice in pillar.practices for s in practice.services))
        caption = f"{html_text(pillar.name)}: its practices and the AWS services they use."
        parts.append(_figure(diagrams.pillar_map(kb, pillar), caption + caveat_spans(kb, mapped)))
    else:
        caption = f"{html_text(pillar.name)}: its questions and how many best practices each names."
        parts.append(_figure(diagrams.question_map(pillar, _pillar_questions(kb, pillar)), caption))
    return _with_notes("\n\n".join(parts), notes)


def _resource(label: str, resource: Link | None) -> str:
    """ "Helpful resource: its text (link)", or "" when there is none."""
    if resource is None:
        return ""
    target = f" [Read more](<{resource.url}>)" if resource.url else ""
    return f"*{label}:* {text(resource.text)}{target}"


def _indented(lines: list[str]) -> str:
    return "\n\n".join("    " + line for line in lines if line)


def questions_guide(kb: KnowledgeBase, pillar: Pillar, here: str) -> str:
    """A pillar's checklist questions as a guide (where the KB has no lifecycle phases, as one imported from
    a custom lens): each question's description and helpful resource, then each best practice with its own
    resource and improvement plan. Choice ids are the anchors the plan links to."""
    questions = _pillar_questions(kb, pillar)
    if not questions:
        return ""
    parts = [
        f"## Questions and best practices {{#{sitemap.BEST_PRACTICES_ANCHOR}}}",
        f"What the [checklist]({link(here, sitemap.CHECKLIST)}) asks about this pillar. Impact is the risk "
        "a missing practice leaves the question at, by the lens's own risk rules.",
    ]
    for question in questions:
        parts.append(f"### {text(question.title)} {{#{question.id}}}")
        if question.description:
            parts.append(text(question.description))
        if question.helpful is not None:
            parts.append(_resource("Helpful resource", question.helpful))
        items = []
        for choice in question.choices:
            plan_link = (
                f" [Improvement plan](<{kb.reference_url(choice)}>)" if kb.reference_url(choice) else ""
            )
            details = [
                _resource("Helpful resource", choice.helpful),
                f"*Improvement plan:* {text(choice.improvement)}{plan_link}",
                *(
                    _resource("Helpful resource" if r.kind == "helpful" else "Also for the plan", r)
                    for r in choice.resources
                ),
            ]
            items.append(
                f'- <span id="{choice.id}"></span>**{text(choice.title)}** · impact {choice.impact}, effort '
                f"{effort_value(choice.effort)}\n\n{_indented(details)}"
            )
        items.append(f"[Answer it in the checklist]({link(here, sitemap.CHECKLIST, question.id)})")
        parts.append("\n\n".join(items))
    return "\n\n".join(parts)


def best_practices(kb: KnowledgeBase, pillar: Pillar, here: str) -> str:
    """The checklist's practices for this pillar, phase by phase of the ML lifecycle (then those of a lens
    without phases, under its name), each linked to its best practice in its lens and to its question in
    the checklist (the plan links back to these anchors)."""
    if kb.checklist is None:
        return ""
    owned = [(q, c) for q in kb.checklist.questions if q.pillar == pillar.id for c in q.choices]
    if not owned:
        return ""
    parts = [
        f"## Best practices by lifecycle phase {{#{sitemap.BEST_PRACTICES_ANCHOR}}}",
        "What the [checklist](" + link(here, sitemap.CHECKLIST) + ") asks about this pillar, in the order of "
        "the ML lifecycle. Impact is the risk a missing practice exposes; effort is the work to put it in place.",
    ]

    def item(question: Question, choice: Choice) -> str:
        cited = "".join(
            f" · {lens_label(ref, kb.lenses)} [{ref}](<{kb.lens_practice(ref).url}>)"
            for ref in choice.lens_refs
        )
        return (
            f'- <span id="{choice.id}"></span>**{text(choice.title)}** · impact {choice.impact}, effort '
            f"{choice.effort}{cited} · [in the checklist]({link(here, sitemap.CHECKLIST, question.id)})"
            f"{caveat_spans(kb, choice.services)}"
        )

    for phase in kb.lens_phases:
        items = [item(q, c) for q, c in owned if kb.phase_of(c) == phase.id]
        if items:
            parts += [f"### {text(phase.name)}", "\n".join(items)]
    # A lens without ML lifecycle phases (the Generative AI Lens): its practices under the lens's name, so
    # every choice keeps the anchor the plan links to.
    for aws_lens in kb.lenses:
        items = [item(q, c) for q, c in owned if not kb.phase_of(c) and kb.question_lens(q) == aws_lens]
        if items:
            parts += [f"### {text(aws_lens.name)}", "\n".join(items)]
    return "\n\n".join(parts)


def assessment_steps(kb: KnowledgeBase, here: str) -> str:
    """The assessment's steps as a numbered list of names, each linked to its section of the assessment page
    (the home page's text promises them; a step's summary leads into lists that only that page has)."""
    return "\n".join(
        f"{number}. [{text(step.name)}]({link(here, sitemap.ASSESSMENT, step.id)})"
        for number, step in enumerate(kb.assessment.steps, start=1)
    )


def assessment_process(kb: KnowledgeBase, here: str) -> str:
    """The assessment page: the cycle diagram, each step, the prioritization rules, the example."""
    notes = Footnotes(kb, here, sitemap.REFERENCES)
    assessment = kb.assessment
    parts = [
        f"{text(assessment.summary)}{notes.cite(assessment.cites)}",
        _figure(
            diagrams.assessment_flow(assessment), f"The assessment cycle in the {html_text(assessment.tool)}."
        ),
    ]
    for number, step in enumerate(assessment.steps, start=1):
        parts.append(f"## {number}. {text(step.name)} {{#{step.id}}}")
        parts.append(f"{text(step.summary)}{notes.cite(step.cites)}")
        parts.append(_points(kb, step.points, notes))
    prioritization = assessment.prioritization
    parts.append(f"## Prioritizing by impact and effort {{#{sitemap.PRIORITIZATION_ANCHOR}}}")
    parts.append(f"{text(prioritization.summary)}{notes.cite(prioritization.cites)}")
    rows = ["| Impact | Effort | What to do | Why | Example |", "| --- | --- | --- | --- | --- |"]
    for rule in prioritization.rules:
        rows.append(
            f'| <span id="{rule.id}"></span>{rule.impact.capitalize()} | {rule.effort.capitalize()} '
            f"| **{text(rule.action)}** | {text(rule.text)} | {text(rule.example) if rule.example else '—'} |"
        )
    parts.append("\n".join(rows))
    caption = "Where a recommendation goes, by its impact and its effort."
    parts.append(_figure(diagrams.prioritization_tree(assessment), caption))
    if kb.checklist:
        target = link(here, sitemap.CHECKLIST, sitemap.PLAN_ORDER_ANCHOR)
        parts.append(
            "The rules name only high and low values. The [checklist's plan]"
            f"({target}) applies them to three levels of impact and effort, taking each middle value into "
            "the bucket shown:"
        )
        parts.append(form.prioritization_grid(kb))
        parts.append(plan_order(kb.checklist))
    if assessment.example:
        parts.append(_example(kb, assessment.example, notes))
    return _with_notes("\n\n".join(parts), notes)


def references(kb: KnowledgeBase, here: str) -> str:
    """Every reference, with links back to each place on the site that cites it (for a KB imported from a
    custom lens, which has no references, every link its questions and practices give)."""
    if not kb.references:
        return lens_links(kb, here)
    sites = sitemap.citation_sites(kb)
    entries = []
    for number, ref in enumerate(kb.references, start=1):
        backlinks = ", ".join(
            f"[{text(site.label)}]({link(here, site.page, site.anchor)})" for site in sites[ref.id]
        )
        note = f"\n\n{text(ref.note)}" if ref.note else ""
        entries.append(
            f'<div class="kb-reference" id="{ref.id}" markdown>\n\n'
            f"{number}. **[{text(ref.title)}](<{ref.url}>)**{note}\n\n"
            f'<span class="kb-cited-in">Cited in: {backlinks}</span>\n\n</div>'
        )
    return "\n\n".join(entries) + "\n"


def lens_links(kb: KnowledgeBase, here: str) -> str:
    """Each distinct URL of the checklist's helpful resources and improvement plans, once, with what it is
    and the questions that give it."""
    found: dict[str, tuple[str, list[str]]] = {}
    if kb.checklist is None:
        return ""
    for question in kb.checklist.questions:
        page = sitemap.pillar_page(kb.pillar(question.pillar))
        back = f"[{text(question.title)}]({link(here, page, question.id)})"
        resources: list[Link | None] = [question.helpful]
        for choice in question.choices:
            resources += [choice.helpful, *choice.resources]
            if url := kb.reference_url(choice):
                resources.append(Link(choice.improvement, url))
        for resource in resources:
            if resource is None or not resource.url:
                continue
            _, where = found.setdefault(resource.url, (resource.text, []))
            if back not in where:
                where.append(back)
    if not found:
        return "This lens gives no links.\n"
    entries = [
        f"{n}. **[{text(title if len(title) <= 120 else title[:119].rstrip() + '…')}](<{url}>)**\n\n"
        f'    <span class="kb-cited-in">Given in: {", ".join(where)}</span>'
        for n, (url, (title, where)) in enumerate(found.items(), start=1)
    ]
    return "\n\n".join(entries) + "\n"

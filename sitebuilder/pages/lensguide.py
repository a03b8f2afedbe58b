"""A further lens's guide page (the Generative AI Lens): what it covers, then every one of its best practices
by pillar, with what it protects against, its services, where the checklist asks it and its lens page. A lens
organised by its own areas (the Responsible AI Lens) is taught area by area, each practice naming the pillar
it counts in.

The pillar guides stay the guide of the KB's first lens; each lens after it gets a page of its own, so its
practices read as one lens rather than as a tail on six pages.
"""

from __future__ import annotations

from checklist.awslenses import lens_of_ref
from checklist.knowledge import AwsLens, Choice, KnowledgeBase, LensArea, LensPractice, Pillar, Question
from sitebuilder.pages import diagrams, quiz, sitemap
from sitebuilder.pages.guide import _figure, _services
from sitebuilder.pages.markdown import caveat_spans, html_text, link, text


def _asking(kb: KnowledgeBase) -> dict[str, tuple[Question, Choice]]:
    """Each best practice with the first checklist choice that cites it (a shared one included)."""
    found: dict[str, tuple[Question, Choice]] = {}
    for question in kb.checklist.questions if kb.checklist else ():
        for choice in question.choices:
            for ref in choice.lens_refs:
                found.setdefault(ref, (question, choice))
    return found


def _own(kb: KnowledgeBase, aws_lens: AwsLens) -> list[LensPractice]:
    return [p for p in kb.lens_practices if lens_of_ref(p.id, kb.lenses) == aws_lens]


def lens_practices(
    kb: KnowledgeBase, aws_lens: AwsLens
) -> tuple[tuple[Pillar, tuple[LensPractice, ...]], ...]:
    """The lens's practices grouped by pillar, in the KB's pillar order (pillars without any left out)."""
    own = _own(kb, aws_lens)
    grouped = ((pillar, tuple(p for p in own if p.pillar == pillar.id)) for pillar in kb.pillars)
    return tuple((pillar, practices) for pillar, practices in grouped if practices)


def lens_areas(kb: KnowledgeBase, aws_lens: AwsLens) -> tuple[tuple[LensArea, tuple[LensPractice, ...]], ...]:
    """The practices of a lens with areas grouped by area, in the lens's order (areas without any left out)."""
    own = _own(kb, aws_lens)
    grouped = ((area, tuple(p for p in own if aws_lens.area_of(p.id) == area)) for area in aws_lens.areas)
    return tuple((area, practices) for area, practices in grouped if practices)


def _practice(
    kb: KnowledgeBase,
    aws_lens: AwsLens,
    practice: LensPractice,
    asked: tuple[Question, Choice] | None,
    here: str,
) -> str:
    parts = [f"### {text(practice.title)} {{#{sitemap.practice_anchor(practice.id)}}}"]
    protects = f" {text(practice.protects)}" if practice.protects else ""
    parts.append(f"*Risk when missing: {practice.risk}.*{protects}{_services(kb, practice.services)}".strip())
    where = f"[{practice.id}](<{practice.url}>) in the {text(aws_lens.name)}"
    if aws_lens.areas:  # taught by area: say which pillar's results count it
        pillar = kb.pillar(practice.pillar)
        where += f" · counts in [{text(pillar.name)}]({link(here, sitemap.pillar_page(pillar))})"
    if asked is None:
        where += " · not asked in the checklist"
    else:
        question, choice = asked
        target = link(here, sitemap.CHECKLIST, question.id)
        where += f" · asked in the checklist: [{text(choice.title)}]({target})"
    parts.append(where)
    return "\n\n".join(parts)


def lens_guide(kb: KnowledgeBase, aws_lens: AwsLens, here: str, references_url: str) -> str:
    """The page: title, intro, the pillar diagram, the practices pillar by pillar, then the lens's quiz
    (``references_url``: the references page, as the quiz's raw HTML links to it)."""
    grouped = lens_practices(kb, aws_lens)
    total = sum(len(practices) for _, practices in grouped)
    parts = [f"# {text(aws_lens.name)}"]
    if aws_lens.intro:
        parts.append(text(aws_lens.intro))
    if not grouped:
        # A lens the KB names before its practices are written (a lens in progress): the page says so
        # rather than promising a list that is not there; no review covers the lens until it has questions.
        parts.append(
            f"This guide does not cover the {text(aws_lens.name)}'s best practices yet: the "
            f"[checklist]({link(here, sitemap.CHECKLIST)}) asks none of them, so no review covers this lens."
            if kb.checklist is not None
            else f"This guide does not cover the {text(aws_lens.name)}'s best practices yet."
        )
    elif kb.checklist is not None and aws_lens.areas:
        parts.append(
            f"Below, the lens's {total} best practices by its own areas, in the order of a system's life: what "
            "each protects against, the AWS services it uses, the framework pillar whose results count it, the "
            f"choice of the [checklist]({link(here, sitemap.CHECKLIST)}) that asks it, and its page in the lens."
        )
    elif kb.checklist is not None:
        parts.append(
            f"Below, the lens's {total} best practices by pillar: what each protects against, the AWS "
            f"services it uses, the choice of the [checklist]({link(here, sitemap.CHECKLIST)}) that asks it, "
            "and its page in the lens."
        )
    mapped = tuple(dict.fromkeys(s for _, practices in grouped for p in practices for s in p.services))
    areas = lens_areas(kb, aws_lens)
    if areas:
        high = sum(p.risk == "high" for _, practices in areas for p in practices)
        caption = (
            f"The {html_text(aws_lens.name)}: its areas, in the order of a system's life, and how many best "
            f"practices each has ({high} of the {total} leave a high risk when missing)."
        )
        parts.append(_figure(diagrams.lens_areas(areas), caption + caveat_spans(kb, mapped)))
        caption = f"The pillars whose results count the {html_text(aws_lens.name)}'s practices (this site's mapping)."
        parts.append(_figure(diagrams.lens_pillars(aws_lens, grouped), caption))
    elif grouped:
        caption = f"The {html_text(aws_lens.name)}: its pillars and how many best practices each has."
        parts.append(_figure(diagrams.lens_pillars(aws_lens, grouped), caption + caveat_spans(kb, mapped)))
    asking = _asking(kb)
    sections: tuple[tuple[Pillar | LensArea, tuple[LensPractice, ...]], ...] = areas or grouped
    for group, practices in sections:
        parts.append(f"## {text(group.name)} {{#{group.id}}}")
        parts += [_practice(kb, aws_lens, p, asking.get(p.id), here) for p in practices]
    quiz_id = sitemap.LENS_QUIZZES.get(aws_lens.id)
    own = next((q for q in kb.quizzes if q.id == quiz_id), None)
    if own is not None:
        parts.append(quiz.section(kb, own, references_url))
    return "\n\n".join(parts) + "\n"

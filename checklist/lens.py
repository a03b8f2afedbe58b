"""The checklist as AWS Well-Architected Tool custom lenses, with every limit of the format checked.

A KB that reviews with one AWS lens gives one custom lens file; one that reviews with several (the ML Lens
and the Generative AI Lens) gives one file per lens, each holding that lens's questions only, so a
workload in the tool applies each lens as AWS reviews with it and each file stays within the format's
limits. The tool rejects a lens that breaks a limit at import time, far from the content that caused it;
here each breach is named by pillar, question and choice, all at once.
"""

from __future__ import annotations

import json
import re
from itertools import groupby
from typing import Any

from checklist import rules
from checklist.errors import LensError
from checklist.knowledge import NONE_TITLE, AwsLens, Choice, KnowledgeBase, Link, Question, none_choice_id
from checklist.scales import LENS_RISK
from checklist.scope import scope_of
from checklist.state import State
from checklist.text import fold

SCHEMA_VERSION = "2021-11-01"
LIMITS = {
    "name": 128,
    "description": 2048,
    "pillars": 10,
    "questions": 20,
    "title": 128,
    "text": 2048,
    "choices": 15,
    "risk_rules": 3,
    "bytes": 500 * 1024,
}
_ID = re.compile(r"^[A-Za-z0-9_]{3,128}$")
ONE_FILE = "custom-lens.json"  # the file name of a KB's only lens (as it has always been)


def _risk_rules(question: Question, out_of_scope: frozenset[str]) -> list[dict[str, str]]:
    """The question's rules in the lens's choice ids, rewritten without its out-of-scope practices (the
    lens leaves them out; they are neutral, as the engine reads the rules). Rules a lens gave without
    ``default`` come back so."""
    names = {c.id: c.lens_choice_id for c in question.choices if c.lens_choice_id}
    written = []
    for rule in question.risk_rules:
        condition = rules.drop(rules.parse(rule.condition), out_of_scope)
        if condition is None:
            continue  # made only of out-of-scope practices: it can no longer hold
        text = rules.rename(rules.to_text(condition) if out_of_scope else rule.condition, names)
        written.append({"condition": fold(text), "risk": LENS_RISK[rule.risk]})
    if not written:  # a safeguard: a question whose rules the scope empties is left out (checklist.scope)
        written.append({"condition": rules.DEFAULT, "risk": LENS_RISK[question.unmatched_risk]})
    return written


def lenses(kb: KnowledgeBase) -> tuple[AwsLens, ...]:
    """The KB's lenses that have questions, in its order: one custom lens file each (a lens with no
    question cannot be one: a lens needs a pillar, a pillar a question)."""
    asked = {kb.question_lens(q).id for q in kb.checklist.questions} if kb.checklist else set()
    return tuple(aws_lens for aws_lens in kb.lenses if aws_lens.id in asked)


def several(kb: KnowledgeBase) -> bool:
    """The KB's questions belong to several lenses: it exports one file per lens."""
    return len(lenses(kb)) > 1


def file_name(kb: KnowledgeBase, lens_id: str) -> str:
    """The file a lens is written to: ``custom-lens.json`` for a KB's only lens, else named for the lens
    (``custom-lens-generative-ai.json``)."""
    if not several(kb):
        return ONE_FILE
    return f"custom-lens-{kb.aws_lens(lens_id).id.replace('_', '-')}.json"


def build(kb: KnowledgeBase, state: State | None = None, lens_id: str | None = None) -> dict[str, Any]:
    """The lens document; pillars without checklist questions are left out (the format needs 1 or more).

    With a ``state``, the lens is the workload's: what its scope leaves out is left out of the lens. With
    a ``lens_id``, only that lens's questions, named for the lens where the KB has several (without one,
    every question: the KB's only lens)."""
    checklist = kb.checklist
    if checklist is None:
        raise LensError(["the knowledge base has no checklist"])
    scope = scope_of(checklist, state or State())
    out_of_scope = frozenset(scope.choices)
    aws_lens = kb.aws_lens(lens_id) if lens_id is not None else None
    pillars = []
    for pillar in kb.pillars:
        questions = []
        for question in (
            q
            for q in checklist.questions
            if q.pillar == pillar.id
            and q.id not in scope.questions
            and (aws_lens is None or kb.question_lens(q).id == aws_lens.id)
        ):
            choices = [_choice(kb, choice) for choice in question.choices if choice.id not in out_of_scope]
            choices.append({"id": question.none_choice, "title": NONE_TITLE})
            entry: dict[str, Any] = {
                "id": question.id,
                "title": fold(question.title),
                "description": fold(question.description),
            }
            if question.helpful is not None:
                entry["helpfulResource"] = _link(question.helpful)
            entry["choices"] = choices
            entry["riskRules"] = _risk_rules(question, out_of_scope & {c.id for c in question.choices})
            questions.append(entry)
        if questions:
            pillars.append({"id": pillar.lens_pillar_id, "name": pillar.name, "questions": questions})
    source = kb.lens  # a KB imported from a lens gives back that lens's own name and description
    name = source.name if source else f"{kb.site.title} checklist"
    description = source.description if source else fold(checklist.intro or kb.framework.summary)
    if aws_lens is not None and several(kb):
        name = f"{name}: {aws_lens.name}"
        description = f"The {aws_lens.name} questions of this checklist. {description}"
    return {"schemaVersion": SCHEMA_VERSION, "name": name, "description": description, "pillars": pillars}


def _link(link: Link) -> dict[str, str]:
    """A helpful resource or an improvement plan as the format writes it (the URL is optional)."""
    return {"displayText": fold(link.text), **({"url": link.url} if link.url else {})}


def _choice(kb: KnowledgeBase, choice: Choice) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": choice.lens_id, "title": fold(choice.title)}
    if choice.helpful is not None:
        entry["helpfulResource"] = _link(choice.helpful)
    entry["improvementPlan"] = _link(Link(choice.improvement, kb.reference_url(choice)))
    if choice.resources:  # one group per run of the same kind, so the lens's own grouping comes back
        kinds = {"helpful": "HELPFUL_RESOURCE", "improvement": "IMPROVEMENT_PLAN"}
        entry["additionalResources"] = [
            {"type": kinds[kind], "content": [_link(r) for r in run]}
            for kind, run in groupby(choice.resources, key=lambda r: r.kind)
        ]
    return entry


def too_large(lens: dict[str, Any]) -> list[str]:
    """The format's limits on counts and size that ``lens`` breaks: a KB may outgrow what a custom lens
    can hold (then its site offers no lens download), unlike a text or an id that breaks a limit."""
    found = []
    if len(lens["pillars"]) > LIMITS["pillars"]:
        found.append(f"the lens has {len(lens['pillars'])} pillars; it needs 1 to {LIMITS['pillars']}")
    for pillar in lens["pillars"]:
        if len(pillar["questions"]) > LIMITS["questions"]:
            found.append(
                f"pillar {pillar['id']}: {len(pillar['questions'])} questions; "
                f"a pillar needs 1 to {LIMITS['questions']}"
            )
    size = len(to_json(lens).encode("utf-8"))
    if size > LIMITS["bytes"]:
        found.append(f"the lens file is {size:,} bytes; the limit is {LIMITS['bytes']:,}")
    return found


def fits(kb: KnowledgeBase) -> bool:
    """Each of the checklist's lenses fits in a custom lens's counts and size, so a site offers them as
    downloads."""
    return kb.checklist is not None and not any(
        too_large(build(kb, None, _one(kb, aws_lens.id))) for aws_lens in lenses(kb)
    )


def _one(kb: KnowledgeBase, lens_id: str) -> str | None:
    """The lens to build: none (every question, as a KB with one lens always has) unless there are several."""
    return lens_id if several(kb) else None


def problems(lens: dict[str, Any], as_written: frozenset[str] = frozenset()) -> list[str]:
    """Every limit of the custom-lens format that ``lens`` breaks. The questions named in ``as_written``
    give back the rules of the lens they came from, which did not end with ``default``."""
    found: list[str] = []

    def at_most(value: str, limit: int, where: str) -> None:
        if len(value) > limit:
            found.append(f"{where}: {len(value)} characters, the limit is {limit}")

    at_most(lens["name"], LIMITS["name"], "lens name")
    at_most(lens["description"], LIMITS["description"], "lens description")
    if not 1 <= len(lens["pillars"]) <= LIMITS["pillars"]:
        found.append(f"the lens has {len(lens['pillars'])} pillars; it needs 1 to {LIMITS['pillars']}")
    ids: set[str] = set()
    for pillar in lens["pillars"]:
        where = f"pillar {pillar['id']}"
        at_most(pillar["name"], LIMITS["name"], f"{where}: name")
        for ident in [pillar["id"], *(q["id"] for q in pillar["questions"])]:
            if not _ID.match(ident):
                found.append(f"{where}: id {ident!r} must be 3 to 128 characters of A-Z, a-z, 0-9 and _")
        if not 1 <= len(pillar["questions"]) <= LIMITS["questions"]:
            found.append(
                f"{where}: {len(pillar['questions'])} questions; a pillar needs 1 to {LIMITS['questions']}"
            )
        for question in pillar["questions"]:
            q_where = f"{where}, question {question['id']}"
            at_most(question["title"], LIMITS["title"], f"{q_where}: title")
            at_most(question["description"], LIMITS["text"], f"{q_where}: description")
            if len(question["choices"]) > LIMITS["choices"]:
                found.append(
                    f"{q_where}: {len(question['choices'])} choices, the limit is {LIMITS['choices']}"
                )
            if not 1 <= len(question["riskRules"]) <= LIMITS["risk_rules"]:
                found.append(
                    f"{q_where}: {len(question['riskRules'])} risk rules; 1 to {LIMITS['risk_rules']}"
                )
            if question["id"] not in as_written and (
                not question["riskRules"] or question["riskRules"][-1]["condition"] != "default"
            ):
                found.append(f"{q_where}: the last risk rule must be 'default'")
            for choice in question["choices"]:
                c_where = f"{q_where}, choice {choice['id']}"
                if not _ID.match(choice["id"]):
                    found.append(f"{c_where}: id must be 3 to 128 characters of A-Z, a-z, 0-9 and _")
                at_most(choice["title"], LIMITS["title"], f"{c_where}: title")
                plan = choice.get("improvementPlan")
                # Only "None of these" may lack an improvement plan.
                if plan is None and choice["id"] != none_choice_id(question["id"]):
                    found.append(f"{c_where}: an improvement plan is required")
                if plan:
                    at_most(plan["displayText"], LIMITS["text"], f"{c_where}: improvement plan")
                    if "url" in plan and not plan["url"].startswith(("https://", "http://")):
                        found.append(f"{c_where}: improvement plan URL must start with http:// or https://")
            # A question id is unique in the lens; a choice id in its question (the WA Tool scopes it so).
            choice_ids: set[str] = set()
            for ident, seen in [(question["id"], ids), *((c["id"], choice_ids) for c in question["choices"])]:
                if ident in seen:
                    found.append(f"{q_where}: id {ident!r} is used twice")
                seen.add(ident)
    size = len(to_json(lens).encode("utf-8"))
    if size > LIMITS["bytes"]:
        found.append(f"the lens file is {size:,} bytes; the limit is {LIMITS['bytes']:,}")
    return found


def _as_written(kb: KnowledgeBase) -> frozenset[str]:
    """The questions whose lens gave rules without ``default``: they are exported as written."""
    questions = kb.checklist.questions if kb.checklist else ()
    return frozenset(q.id for q in questions if q.unmatched_risk)


def to_json(lens: dict[str, Any]) -> str:
    return json.dumps(lens, indent=2, ensure_ascii=False) + "\n"


def export(kb: KnowledgeBase, state: State | None = None, lens_id: str | None = None) -> str:
    """The lens file's text (one lens's, with ``lens_id``); raise :class:`LensError` naming every limit
    the content breaks."""
    lens = build(kb, state, lens_id)
    found = problems(lens, _as_written(kb))
    if found:
        raise LensError(found)
    return to_json(lens)


def exports(kb: KnowledgeBase, state: State | None = None) -> dict[str, str]:
    """Every lens file, by file name: one per lens with questions (for a ``state``, with questions in its
    scope); a KB with one lens gives ``custom-lens.json`` exactly as :func:`export` writes it. Raise
    :class:`LensError` naming every limit any file breaks, each prefixed with its file."""
    files: dict[str, str] = {}
    found: list[str] = []
    for aws_lens in lenses(kb):
        name = file_name(kb, aws_lens.id)
        lens = build(kb, state, _one(kb, aws_lens.id))
        if state is not None and not lens["pillars"] and several(kb):
            continue  # the workload's scope leaves out every question of this lens: nothing to review
        broken = problems(lens, _as_written(kb))
        found += [f"{name}: {problem}" for problem in broken] if several(kb) else broken
        files[name] = to_json(lens)
    if found:
        raise LensError(found)
    return files

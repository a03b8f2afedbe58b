"""Print a YAML skeleton for the next addition to the knowledge base: ``make new KIND=... PILLAR=...``.

The skeleton's ids follow the KB's id conventions (a pillar's ``id_prefix``, read from the KB, so a new
pillar works too; a choice id is its question's id, ``_`` and a word) and are not used yet.
Every placeholder is a valid value, so the skeleton builds as pasted; comments say what to replace and
where the skeleton goes, as a path such as ``pillars[id=reliability].practices``.

    python -m sitebuilder.skeleton practice --pillar reliability
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from checklist.choicelinks import MISSING_PAGES, landing_kind
from checklist.kbproblems import KnowledgeBaseError, suggest, walk
from checklist.knowledge import KnowledgeBase, none_choice_id
from sitebuilder import kbfile

KINDS = ("practice", "question", "quiz-question", "reference")
NEEDS_PILLAR = ("practice", "question", "quiz-question")
DEFAULT_KB = kbfile.location(Path(__file__).resolve().parent.parent / "docs")
KB_NAME = "docs/knowledge-base.yml"
CHOICE_WORDS = ("first", "second", "third")
COMMENT_COLUMN = 48  # where the end-of-line comments start, relative to the skeleton's indentation

Line = tuple[str, str]  # (YAML text, end-of-line comment); either may be empty


class SkeletonError(Exception):
    """Input the skeleton cannot serve: an unknown pillar, or a KB without the section the kind needs."""


def taken_ids(kb: KnowledgeBase) -> set[str]:
    """Every id the KB uses or reserves: items, moved ids, and each question's implicit "None of these"."""
    taken = {node["id"] for _, node in walk(kb.source) if isinstance(node, dict) and "id" in node}
    if kb.checklist is not None:
        taken |= {none_choice_id(question.id) for question in kb.checklist.questions}
    return {str(ident) for ident in taken}


def fresh_id(base: str, taken: set[str], derived: Callable[[str], list[str]] = lambda _: []) -> str:
    """``base``, or ``base_2``, ``base_3``...: the first that is free together with the ids derived from it."""
    candidate, number = base, 1
    while {candidate, *derived(candidate)} & taken:
        number += 1
        candidate = f"{base}_{number}"
    return candidate


def pillar_prefix(kb: KnowledgeBase, pillar_id: str) -> str:
    """The pillar's id prefix with its underscore (``rel_``): its ``id_prefix``; for a pillar without one, the
    first word most of its considerations, practices and checklist questions start with."""
    for pillar_data in kb.source.get("pillars") or ():
        prefix = pillar_data.get("id_prefix")
        if pillar_data.get("id") == pillar_id and isinstance(prefix, str):
            return f"{prefix}_"
    pillar = kb.pillar(pillar_id)
    owned = [point.id for point in pillar.considerations] + [practice.id for practice in pillar.practices]
    if kb.checklist is not None:
        owned += [question.id for question in kb.checklist.questions if question.pillar == pillar_id]
    heads = Counter(ident.split("_", 1)[0] for ident in owned if "_" in ident)
    if heads:
        return heads.most_common(1)[0][0] + "_"
    return "".join(word[0] for word in pillar_id.split("_")) + "_"


def quiz_prefix(kb: KnowledgeBase, pillar_id: str) -> str:
    """Quiz question ids: the pillar prefix with ``q`` before its underscore (``relq_``)."""
    return pillar_prefix(kb, pillar_id)[:-1] + "q_"


def _first_cite(kb: KnowledgeBase, pillar_id: str | None) -> str:
    """A reference the pillar (or its first practice with cites) already cites: a valid placeholder."""
    if pillar_id is not None:
        pillar = kb.pillar(pillar_id)
        for cites in (pillar.cites, *(practice.cites for practice in pillar.practices)):
            if cites:
                return cites[0]
    return kb.references[0].id


def _first_link(kb: KnowledgeBase, pillar_id: str | None) -> str:
    """A reference a choice may link to (not a landing page, see checklist.choicelinks), preferring the
    pillar's own citations: a placeholder that builds."""
    pillar = kb.pillar(pillar_id) if pillar_id is not None else None
    own = [*pillar.cites, *(c for p in pillar.practices for c in p.cites)] if pillar else []
    candidates = [kb.reference(ident) for ident in own] + list(kb.references)
    usable = [r for r in candidates if not landing_kind(r.url) and r.url not in MISSING_PAGES]
    return (usable or candidates)[0].id


def _render(indent: int, lines: Sequence[Line]) -> str:
    out = []
    for text, comment in lines:
        if not text:  # a comment line; leading spaces in it indent it like the field it is about
            lead = len(comment) - len(comment.lstrip(" "))
            out.append(" " * (indent + lead) + f"# {comment.lstrip(' ')}")
        elif not comment:
            out.append(" " * indent + text)
        else:
            out.append((" " * indent + text).ljust(indent + COMMENT_COLUMN - 1) + f" # {comment}")
    return "\n".join(out) + "\n"


def _practice(kb: KnowledgeBase, pillar_id: str, taken: set[str]) -> str:
    prefix = pillar_prefix(kb, pillar_id)
    ident = fresh_id(f"{prefix}new_practice", taken)
    return _render(
        6,
        [
            ("", f"Paste under pillars[id={pillar_id}].practices in {KB_NAME}: after the pillar's"),
            ("", "last practice, at this indentation. Then replace each value marked 'replace'."),
            (f"- id: {ident}", f"replace new_practice with a short name; keep {prefix}"),
            ("  title: Replace with a short imperative title", "at most 80 characters"),
            ("  text: >-", "replace: plain text in your own words"),
            ("    Replace with what to do and why it matters for an ML workload, in a sentence or two.", ""),
            (f"  cites: [{_first_cite(kb, pillar_id)}]", "replace: the references that support it"),
            ("", "  services: [...]  optional: ids from the top-level services list that the text names"),
        ],
    )


def _question(kb: KnowledgeBase, pillar_id: str, taken: set[str]) -> str:
    if kb.checklist is None:
        raise SkeletonError(f"{KB_NAME} has no checklist: add a checklist section before its questions")
    prefix = pillar_prefix(kb, pillar_id)
    ident = fresh_id(
        f"{prefix}new_question",
        taken,
        lambda qid: [none_choice_id(qid), *(f"{qid}_{word}" for word in CHOICE_WORDS)],
    )
    focus_areas = [area.id for area in kb.checklist.focus_areas] or ["data"]
    phases = Counter(
        p.phase for p in kb.lens_practices if p.pillar == pillar_id and p.phase
    )  # ML lifecycle only
    fallback = kb.lens_phases[0].id if kb.lens_phases else "deployment"
    phase = phases.most_common(1)[0][0] if phases else fallback
    first = [f"{ident}_{word}" for word in CHOICE_WORDS]
    lines: list[Line] = [
        ("", f"Paste under checklist.questions in {KB_NAME}: after the last {pillar_id} question,"),
        ("", "at this indentation. Then replace each value marked 'replace'. A choice id is the question"),
        ("", "id, '_' and a short word; rename it in risk_rules too. The id"),
        ("", f"{none_choice_id(ident)} is reserved for 'None of these'."),
        (f"- id: {ident}", f"replace new_question; keep {prefix}; at most 61 characters"),
        (f"  pillar: {pillar_id}", ""),
        (f"  focus: {focus_areas[0]}", "one of " + ", ".join(focus_areas)),
        ("  title: Replace with the question", "such as: How do you test failover?"),
        ("  description: >-", "replace"),
        ("    Replace with why this matters for an ML workload, in a sentence or two.", ""),
        ("", "  applies_if: ...  optional: a condition over checklist.scope option ids"),
        ("  choices:", "3 to 8 best practices a team can tick"),
    ]
    for word, choice_id, (impact, effort) in zip(
        CHOICE_WORDS, first, (("high", "low"), ("medium", "medium"), ("low", "high")), strict=True
    ):
        lines += [
            (f"    - id: {choice_id}", f"replace {word} with a short word"),
            (f"      title: Replace with the {word} best practice, said as a fact about the workload", ""),
            (f"      impact: {impact}", "risk while it is missing: high, medium or low"),
            (f"      effort: {effort}", "work to put it in place: low, medium or high"),
            ("      improvement: >-", "replace"),
            ("        Replace with the improvement: the next step, in a sentence or two.", ""),
            (f"      reference: {_first_link(kb, pillar_id)}", "replace: a reference id or an https URL"),
            (f"      phase: {phase}", "an id from lens_phases, or instead lens_refs: [...]"),
        ]
    lines += [
        ("  risk_rules:", "1 to 3, tried in order; risk: high, medium or none"),
        ("", "    replace the conditions: its choice ids with &&, ||, ! and ( )"),
        (f"    - condition: {first[0]} && {first[1]}", ""),
        ("      risk: none", ""),
        (f"    - condition: {first[0]} || {first[1]}", ""),
        ("      risk: medium", ""),
        ("    - condition: default", "last: the risk when no rule above holds"),
        ("      risk: high", ""),
    ]
    return _render(4, lines)


def _quiz_question(kb: KnowledgeBase, pillar_id: str, taken: set[str]) -> str:
    quiz = kb.pillar_quiz(pillar_id)
    if quiz is None:
        raise SkeletonError(
            f"pillar '{pillar_id}' has no quiz yet: add one under quizzes with pillar: {pillar_id}"
        )
    prefix = quiz_prefix(kb, pillar_id)
    ident = fresh_id(f"{prefix}new_question", taken)
    return _render(
        6,
        [
            ("", f"Paste under quizzes[pillar={pillar_id}].questions in {KB_NAME} (the questions of"),
            ("", f"the quiz {quiz.id}), at this indentation. Then replace each value marked 'replace'."),
            (f"- id: {ident}", f"replace new_question with a short name; keep {prefix}"),
            ("  prompt: >-", "replace"),
            (f"    Replace with a question on something the {pillar_id} guide says.", ""),
            ("  options:", "2 to 6, all different"),
            ("    - text: Replace with the right answer", ""),
            ("      correct: true", "exactly one, unless the question has multi: true"),
            ("    - text: Replace with a tempting wrong answer", ""),
            ("    - text: Replace with another wrong answer", ""),
            ("  explanation: >-", "replace"),
            ("    Replace with why the right answer is right, and why the tempting wrong one is not.", ""),
            (f"  cites: [{_first_cite(kb, pillar_id)}]", "replace: the references that support it"),
        ],
    )


def _reference(kb: KnowledgeBase, pillar_id: str | None, taken: set[str]) -> str:
    ident = fresh_id("new_reference", taken)
    pillar = kb.pillar(pillar_id) if pillar_id is not None else kb.pillars[0]
    citing = f"pillars[id={pillar.id}].practices[id={pillar.practices[0].id}]"
    return _render(
        2,
        [
            ("", f"Paste under references in {KB_NAME}, at this indentation (the order is free)."),
            ("", f"Then cite it: add {ident} to the cites of the item it supports, such as"),
            ("", f"{citing}."),
            ("", "A reference that nothing cites stops the build."),
            (f"- id: {ident}", "replace with a short snake_case name for the source"),
            ("  title: Replace with the page's own title", "at most 128 characters"),
            ("  url: https://docs.aws.amazon.com/", "replace with the page's https address"),
            ("", "  note: ...  optional: what the page is, when its title alone could mislead"),
        ],
    )


def skeleton(kb: KnowledgeBase, kind: str, pillar_id: str | None = None) -> str:
    """The skeleton of ``kind`` (one of :data:`KINDS`) for the pillar, with where to paste it."""
    if kind not in KINDS:
        raise SkeletonError(f"unknown kind '{kind}'{suggest(kind, list(KINDS))} (one of: {', '.join(KINDS)})")
    pillars = [pillar.id for pillar in kb.pillars]
    if pillar_id is not None and pillar_id not in pillars:
        raise SkeletonError(
            f"unknown pillar '{pillar_id}'{suggest(pillar_id, pillars)} (one of: {', '.join(pillars)})"
        )
    taken = taken_ids(kb)
    if kind == "reference":
        return _reference(kb, pillar_id, taken)
    if pillar_id is None:
        raise SkeletonError(f"a {kind} belongs to a pillar: name one of {', '.join(pillars)}")
    build = {"practice": _practice, "question": _question, "quiz-question": _quiz_question}[kind]
    return build(kb, pillar_id, taken)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sitebuilder.skeleton",
        description="Print a YAML skeleton for a new KB entry, with where to paste it (make new KIND=...).",
    )
    parser.add_argument("kind", choices=KINDS, help="what to add")
    parser.add_argument("--pillar", help="the pillar it belongs to (its id, such as reliability)")
    parser.add_argument("--kb", type=Path, default=DEFAULT_KB, help="the knowledge base file to read")
    args = parser.parse_args(argv)
    try:
        kb = kbfile.load(args.kb, KB_NAME if args.kb == DEFAULT_KB else None)
    except KnowledgeBaseError as error:
        print(error.report(), file=sys.stderr)
        print("Fix the knowledge base first: the skeleton's ids and places come from it.", file=sys.stderr)
        return 1
    try:
        text = skeleton(kb, args.kind, args.pillar)
    except SkeletonError as error:
        parser.error(str(error))  # exits with status 2 and the usage line
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

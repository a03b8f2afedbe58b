"""Synthetic knowledge bases for `make bench`'s scale figures: the checklist copied ``factor`` times.

    python tests/kbscale.py 10 -o /tmp/kb-x10.yml      # docs/knowledge-base.yml with 10x the questions

Each checklist question gets ``factor - 1`` copies in its own pillar, with the same structure: a copy of
question ``q`` is ``q_x2`` (``q_x3``...), its choices ``q_foo`` become ``q_x2_foo`` (so they still start
with their question's id), the risk rules name the renamed choices (the implicit "None of these", ``q_no``,
becomes ``q_x2_no``), and a copied question's title says which copy it is.

A copy cites the same ML Lens best practices as its original, so if it also read like it the KB's
duplicate-practice check would rightly flag it, and marking every such pair ``distinct_from`` would grow
the KB with the square of the factor. Instead a copied choice's title and improvement have the letters of
their content words shifted along the alphabet (by ``k - 1`` in copy ``k``; stop words kept): the same
lengths, bytes and structure, no content words in common. A pair that still reads alike (none, for this
KB up to x10) is marked ``distinct_from``, as a KB author would. Choices of different questions that read
alike (checklist.similar: within a copy, the pairs its original has) are listed in
``checklist.distinct_practices``. Everything else (pillars, guides,
quizzes, references, scope, moved ids) is kept as it is, and the result passes the build's validation
(``sitebuilder.kbfile.load_text``).
"""

from __future__ import annotations

import argparse
import copy
import re
import string
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from checklist.knowledge import none_choice_id
from checklist.practices import _STOP_WORDS, _choices, same_practice
from checklist.similar import near_pairs
from sitebuilder import kbfile

ROOT = Path(__file__).resolve().parent.parent
_ID = re.compile(r"[A-Za-z0-9_]+")
_WORD = re.compile(r"[A-Za-z]+")
DISTINCT_REASON = "A synthetic copy for the scale bench: the same practice asked again on purpose."


def _copy_id(question_id: str, ident: str, k: int) -> str:
    """A question's or choice's id in copy ``k``: the question's id gains ``_xk``, and so does the prefix
    a choice shares with it (``q_foo`` -> ``q_x2_foo``, keeping the id convention)."""
    if ident == question_id:
        return f"{question_id}_x{k}"
    if ident.startswith(question_id + "_"):
        return f"{question_id}_x{k}{ident[len(question_id) :]}"
    return f"{ident}_x{k}"


def _shifted(text: str, shift: int) -> str:
    """``text`` with each ASCII letter of its content words moved ``shift`` places along the alphabet
    (case kept); the duplicate measure's stop words stay as they are, as a real text's would."""
    shift %= 26
    lower, upper = string.ascii_lowercase, string.ascii_uppercase
    table = str.maketrans(lower + upper, lower[shift:] + lower[:shift] + upper[shift:] + upper[:shift])
    return _WORD.sub(
        lambda m: m.group() if m.group().lower() in _STOP_WORDS else m.group().translate(table), text
    )


def _copy_question(question: dict[str, Any], k: int) -> dict[str, Any]:
    qid = question["id"]
    new = copy.deepcopy(question)
    renamed = {qid: _copy_id(qid, qid, k), none_choice_id(qid): none_choice_id(_copy_id(qid, qid, k))}
    for choice in new.get("choices", []):
        renamed[choice["id"]] = _copy_id(qid, choice["id"], k)
    new["id"] = renamed[qid]
    suffix = f" (copy {k})"  # within the schema's 128 characters, however long the original
    new["title"] = question["title"][: 128 - len(suffix)] + suffix
    for choice in new.get("choices", []):
        choice["id"] = renamed[choice["id"]]
        choice["title"] = _shifted(choice["title"], k - 1)
        if isinstance(choice.get("improvement"), str):
            choice["improvement"] = _shifted(choice["improvement"], k - 1)
        # The shifted words name no effort-scale work, so a reason for a lower effort explains nothing.
        choice.pop("effort_reason", None)
        for other in choice.get("distinct_from", []):
            other["id"] = renamed.get(other["id"], other["id"])
    for rule in new.get("risk_rules", []):
        rule["condition"] = _ID.sub(lambda m: renamed.get(m.group(), m.group()), rule["condition"])
    return new


def _mark_distinct(questions: list[dict[str, Any]]) -> None:
    """Every pair of choices the duplicate check would flag gets a ``distinct_from`` on its later one.

    Only choices that share an ML Lens best practice can be flagged (see ``same_practice``), so pairs
    are looked for within each best practice's citers."""
    choices = [choice for question in questions for choice in question.get("choices", [])]
    order = {id(choice): n for n, choice in enumerate(choices)}
    by_ref: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for choice in choices:
        for ref in dict.fromkeys(choice.get("lens_refs") or ()):
            by_ref[ref].append(choice)
    marked = {
        frozenset((choice["id"], other["id"]))
        for choice in choices
        for other in choice.get("distinct_from", [])
    }
    for group in by_ref.values():
        for later_index, later in enumerate(group):
            for earlier in group[:later_index]:
                pair = frozenset((earlier["id"], later["id"]))
                if pair in marked or not same_practice(earlier, later):
                    continue
                marked.add(pair)
                first, second = sorted((earlier, later), key=lambda c: order[id(c)])
                second.setdefault("distinct_from", []).append({"id": first["id"], "reason": DISTINCT_REASON})


def scaled(data: dict[str, Any], factor: int) -> dict[str, Any]:
    """KB data whose checklist has ``factor`` times the questions (``factor`` 1: an unchanged copy)."""
    if factor < 1:
        raise ValueError(f"factor must be 1 or more, not {factor}")
    result = copy.deepcopy(data)
    if factor == 1 or not isinstance(result.get("checklist"), dict):
        return result
    originals = result["checklist"]["questions"]
    pillars = list(dict.fromkeys(question["pillar"] for question in originals))
    questions: list[dict[str, Any]] = []
    for pillar in pillars:  # each pillar's questions stay together: its originals, then copy 2, copy 3...
        own = [question for question in originals if question["pillar"] == pillar]
        questions += own
        for k in range(2, factor + 1):
            questions += [_copy_question(question, k) for question in own]
    _mark_distinct(questions)
    result["checklist"]["questions"] = questions
    _copy_distinct_practices(result["checklist"], originals, factor)
    return result


def _copy_distinct_practices(checklist: dict[str, Any], originals: list[dict[str, Any]], factor: int) -> None:
    """A pair listed as distinct practices is listed again in each copy: its copies read alike too."""
    question_of = {c["id"]: q["id"] for q in originals for c in q.get("choices", [])}
    original = list(checklist.get("distinct_practices") or [])
    copies = [
        {**entry, "choices": [_copy_id(question_of[c], c, k) for c in entry["choices"]]}
        for k in range(2, factor + 1)
        for entry in original
    ]
    listed = {frozenset(entry["choices"]) for entry in original + copies}
    flagged = near_pairs(_choices({"checklist": checklist}), _STOP_WORDS)
    ids = [choice["id"] for _, choice, _ in _choices({"checklist": checklist})]
    # The measure weighs a word by how few choices use it, so in a larger checklist more pairs can reach
    # it (copies of a flagged pair, and originals whose words now weigh more): each is marked, as a KB
    # author would mark a pair that reads alike.
    for first, second in flagged:
        pair = [ids[first], ids[second]]
        if frozenset(pair) not in listed:
            copies.append({"choices": pair, "why": DISTINCT_REASON})
    if original or copies:
        checklist["distinct_practices"] = original + copies


def load(path: str | Path) -> dict[str, Any]:
    """KB data as the build reads it (dates stay text)."""
    loaded: dict[str, Any] = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=kbfile._Loader)
    return loaded


def write(data: dict[str, Any], path: str | Path) -> None:
    """The KB data as YAML, in the order it was given."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=110)
    Path(path).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("factor", type=int)
    parser.add_argument("--kb", type=Path, default=ROOT / "docs" / kbfile.FILENAME)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args()
    write(scaled(load(args.kb), args.factor), args.out)


if __name__ == "__main__":
    main()

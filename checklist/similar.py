"""Near-duplicate practices across questions: two choices that recommend the same work in other words.

The same-practice check (checklist.practices) compares only choices that cite one ML Lens best practice.
A review found 16 practices asked in two or three questions under different lens ids, so this check
compares every pair of choices in different questions by their words. Two choices read alike when

- the words and two-word phrases they share are rare enough in the checklist to carry at least
  ``NEAR_WEIGHT`` of the lighter choice's weight (each word or phrase weighs log(choices / choices using
  it): "early stopping" or "Inferentia" says more than "model" or "data"), or
- they share at least ``NEAR_TITLE_SHARE`` of the content words of the shorter title, or
  ``NEAR_IMPROVEMENT_SHARE`` of the shorter improvement (the same-practice check's measure, with a bar
  high enough for choices that cite nothing in common).

The bars were set on the knowledge base the review read (commit ffa6157): they flag 12 of its 16 groups
with 38 pairs in all. Two choices that read alike but truly differ are listed, with why, in
``checklist.distinct_practices``.
"""

from __future__ import annotations

import math
import re
from itertools import combinations, pairwise
from typing import Any

from checklist.kbproblems import DataPath, Finding, dicts, suggest

NEAR_WEIGHT = 0.14
NEAR_TITLE_SHARE = 0.5
NEAR_IMPROVEMENT_SHARE = 0.4


def _tokens(text: str, stop_words: frozenset[str]) -> list[str]:
    """Content words in order, folded as the same-practice measure folds them (checklist.practices)."""
    out = []
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word in stop_words:
            continue
        for suffix in ("ing", "ed", "es", "s", "e"):
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                word = word[: -len(suffix)]
                break
        out.append(word)
    return out


def _features(choice: dict[str, Any], stop_words: frozenset[str]) -> tuple[set[str], set[str], set[str]]:
    """The title's words, the improvement's words, and both texts' words and adjacent word pairs."""
    title = _tokens(str(choice.get("title", "")), stop_words)
    improvement = _tokens(str(choice.get("improvement", "")), stop_words)
    both = set(title) | set(improvement)
    for words in (title, improvement):
        both |= {f"{a} {b}" for a, b in pairwise(words)}
    return set(title), set(improvement), both


def _share(first: set[str], second: set[str]) -> float:
    return len(first & second) / max(1, min(len(first), len(second)))


def distinct_pairs(data: dict[str, Any]) -> set[frozenset[str]]:
    """The pairs ``checklist.distinct_practices`` declares different (with a reason)."""
    checklist = data.get("checklist")
    entries = dicts(checklist.get("distinct_practices")) if isinstance(checklist, dict) else []
    pairs = set()
    for entry in entries:
        ids = entry.get("choices")
        if isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, str) for i in ids):
            pairs.add(frozenset(ids))
    return pairs


def check_distinct_practices(data: dict[str, Any], known: list[str]) -> list[Finding]:
    """Each entry names two different choices that exist."""
    checklist = data.get("checklist")
    entries = dicts(checklist.get("distinct_practices")) if isinstance(checklist, dict) else []
    findings: list[Finding] = []
    known_set = set(known)
    for index, entry in enumerate(entries):
        ids = entry.get("choices")
        if not isinstance(ids, list):
            continue
        here: DataPath = ("checklist", "distinct_practices", index, "choices")
        for n, ident in enumerate(ids):
            if isinstance(ident, str) and ident not in known_set:
                findings.append(((*here, n), f"unknown choice '{ident}'{suggest(ident, known)}"))
        if len(ids) == 2 and ids[0] == ids[1]:
            findings.append((here, "names one choice twice: list the two choices that differ"))
    return findings


def check_near_duplicates(
    choices: list[tuple[DataPath, dict[str, Any], dict[str, Any]]],
    data: dict[str, Any],
    stop_words: frozenset[str],
) -> list[Finding]:
    """Two choices of different questions that read alike stop the build, unless listed as distinct.

    Pairs that cite a common ML Lens best practice are the same-practice check's, which holds them to a
    lower bar; this check takes the others."""
    features = [_features(choice, stop_words) for _, choice, _ in choices]
    used: dict[str, int] = {}
    for _, _, both in features:
        for feature in both:
            used[feature] = used.get(feature, 0) + 1
    count = len(choices)
    weight = {feature: math.log(count / n) for feature, n in used.items()}
    totals = [sum(weight[f] for f in both) for _, _, both in features]
    refs = [{r for r in choice.get("lens_refs") or () if isinstance(r, str)} for _, choice, _ in choices]
    marked = distinct_pairs(data)
    findings: list[Finding] = []
    for first, second in combinations(range(count), 2):
        (_, a, question_a), (path, b, question_b) = choices[first], choices[second]
        if question_a is question_b or refs[first] & refs[second]:
            continue
        (title_a, improvement_a, both_a), (title_b, improvement_b, both_b) = features[first], features[second]
        shared = both_a & both_b
        lighter = min(totals[first], totals[second]) or 1.0
        alike = (
            sum(weight[f] for f in shared) / lighter >= NEAR_WEIGHT
            or _share(title_a, title_b) >= NEAR_TITLE_SHARE
            or _share(improvement_a, improvement_b) >= NEAR_IMPROVEMENT_SHARE
        )
        if not alike or frozenset((str(a.get("id")), str(b.get("id")))) in marked:
            continue
        findings.append(
            (
                (*path, "id"),
                f"reads like '{a.get('id')}' of question '{question_a.get('id')}': ask the practice once "
                "(merge them and record the old id under checklist.moved), or, if they truly differ, add "
                f"`{{choices: [{a.get('id')}, {b.get('id')}], why: ...}}` to checklist.distinct_practices",
            )
        )
    return findings

"""Near-duplicate practices across questions: two choices that recommend the same work in other words.

The same-practice check (checklist.practices) compares only choices that cite one lens best practice.
A review found 16 practices asked in two or three questions under different lens ids, so this check
compares every pair of choices in different questions by their words. Two choices read alike when

- the words and two-word phrases they share carry at least ``NEAR_WEIGHT`` of the lighter choice's weight,
  where a word or phrase weighs 1 / the number of choices that use it ("early stopping" or "Inferentia"
  says more than "model" or "data"; a word only one choice uses weighs 1, so the measure is the share of
  a choice's distinctive words that the other has), or
- they share at least ``NEAR_TITLE_SHARE`` of the content words of the shorter title, or
  ``NEAR_IMPROVEMENT_SHARE`` of the shorter improvement (the same-practice check's measure, with a bar
  high enough for choices that cite nothing in common),

and in every case they share at least ``NEAR_MIN_WORDS`` content words (two short texts share one easily).

The bars were set on the knowledge base the review read (commit ffa6157): they flag 13 of its 16 groups
with 46 pairs in all, most of the others partial overlaps the review noted; the three groups left (deleting
idle endpoints, reading only the needed data, returning to the previous model) say the same in other words,
which no word measure sees. A word's weight depends only on the choices that use it, so adding a question
with other words changes no other pair's measure. Two choices that read alike but truly differ are
listed, with why, in ``checklist.distinct_practices``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import Any

from checklist.kbproblems import DataPath, Finding, dicts, suggest

NEAR_WEIGHT = 0.06
NEAR_TITLE_SHARE = 0.5
NEAR_IMPROVEMENT_SHARE = 0.4
NEAR_MIN_WORDS = 3


def content_words(text: str, stop_words: frozenset[str]) -> list[str]:
    """Content words in order, folded: case, and plural, -ing, -ed and -e endings (so 'compiled' meets
    'compile'). The same-practice measure (checklist.practices) reads words this way too."""
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
    title = content_words(str(choice.get("title", "")), stop_words)
    improvement = content_words(str(choice.get("improvement", "")), stop_words)
    both = set(title) | set(improvement)
    for words in (title, improvement):
        both |= {f"{a} {b}" for a, b in pairwise(words)}
    return set(title), set(improvement), both


def _weight(used: int) -> float:
    """How much a word or phrase that ``used`` choices use says about a pair that shares it."""
    return 1 / used


def _prefix_sums(values: list[float]) -> list[float]:
    """``[0, v0, v0 + v1, ...]``: the most the k heaviest features can weigh, for every k."""
    sums = [0.0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


def _weighs_enough(
    shared: int, weights: list[float], totals: tuple[float, float], top_a: list[float], top_b: list[float]
) -> bool:
    """The shared features weigh at least NEAR_WEIGHT of the lighter choice's features (``totals``);
    ``top_a`` and ``top_b`` are the prefix sums of each choice's features that another choice uses too."""
    lighter = min(totals) or 1.0
    n = shared.bit_count()
    if min(top_a[min(n, len(top_a) - 1)], top_b[min(n, len(top_b) - 1)]) < NEAR_WEIGHT * lighter:
        return False  # even its n heaviest features, shared, would not weigh enough
    total = 0.0
    while shared:
        low = shared & -shared
        total += weights[low.bit_length() - 1]
        shared ^= low
    return total >= NEAR_WEIGHT * lighter


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
    moved = {
        str(move.get("id")): f" to '{move['to']}'" if isinstance(move.get("to"), str) else ""
        for move in dicts(checklist.get("moved") if isinstance(checklist, dict) else None)
    }
    seen: dict[frozenset[str], int] = {}
    for index, entry in enumerate(entries):
        ids = entry.get("choices")
        if not isinstance(ids, list):
            continue
        here: DataPath = ("checklist", "distinct_practices", index, "choices")
        pair = frozenset(i for i in ids if isinstance(i, str))
        if len(ids) == 2 and len(pair) == 2 and pair in seen:
            findings.append(
                (here, f"lists the pair of entry {seen[pair]} again: keep one entry, with one why")
            )
        seen.setdefault(pair, index)
        for n, ident in enumerate(ids):
            if isinstance(ident, str) and ident in moved:
                findings.append(
                    (
                        (*here, n),
                        f"'{ident}' has moved{moved[ident]}: name the choice that asks the practice now, "
                        "or remove the entry if the two are one practice",
                    )
                )
            elif isinstance(ident, str) and ident not in known_set:
                findings.append(((*here, n), f"unknown choice '{ident}'{suggest(ident, known)}"))
        if len(ids) == 2 and ids[0] == ids[1]:
            findings.append((here, "names one choice twice: list the two choices that differ"))
    return findings


def near_pairs(
    choices: list[tuple[DataPath, dict[str, Any], dict[str, Any]]], stop_words: frozenset[str]
) -> list[tuple[int, int]]:
    """The pairs of ``choices`` (by index, in file order) from different questions, citing no common ML
    Lens best practice, that read alike (the measure in the module's docstring).

    Kept for the last few sets of choices: comparing every pair is the longest of the KB's checks, and
    an edit that leaves the choices as they were (most edits while `make serve` runs) gets its answer
    at once."""
    owners: dict[int, int] = {}
    key = tuple(
        (
            owners.setdefault(id(question), len(owners)),
            str(choice.get("title", "")),
            str(choice.get("improvement", "")),
            tuple(r for r in choice.get("lens_refs") or () if isinstance(r, str)),
        )
        for _, choice, question in choices
    )
    return list(_near_pairs(key, stop_words))


@lru_cache(maxsize=4)
def _near_pairs(
    choices: tuple[tuple[int, str, str, tuple[str, ...]], ...], stop_words: frozenset[str]
) -> tuple[tuple[int, int], ...]:
    texts = [
        _features({"title": title, "improvement": improvement}, stop_words)
        for _, title, improvement, _ in choices
    ]
    used: dict[str, int] = {}
    for _, _, both in texts:
        for feature in both:
            used[feature] = used.get(feature, 0) + 1
    count = len(choices)
    # Each word or phrase is a bit, so each of the count * count / 2 pairs costs a few integer
    # operations; the weighted sum is taken only where an upper bound says it may pass.
    bit = {feature: n for n, feature in enumerate(used)}
    weights = [_weight(used[feature]) for feature in used]
    masks = [tuple(sum(1 << bit[f] for f in part) for part in parts) for parts in texts]
    sizes = [(len(title), len(improvement)) for title, improvement, _ in texts]
    totals = [sum(weights[bit[f]] for f in both) for _, _, both in texts]
    tops = [  # only a feature some other choice uses can be shared
        _prefix_sums(sorted((weights[bit[f]] for f in both if used[f] > 1), reverse=True))
        for _, _, both in texts
    ]
    refs = [frozenset(lens_refs) for _, _, _, lens_refs in choices]
    owner = [question for question, _, _, _ in choices]
    boths = [both for _, _, both in masks]
    found = []
    for first in range(count):
        title_a, improvement_a, both_a = masks[first]
        title_size_a, improvement_size_a = sizes[first]
        # Most pairs share no content word at all: one pass in C drops them.
        for second in [other for other in range(first + 1, count) if both_a & boths[other]]:
            if owner[first] == owner[second] or refs[first] & refs[second]:
                continue
            title_b, improvement_b, both_b = masks[second]
            title_size_b, improvement_size_b = sizes[second]
            if ((title_a | improvement_a) & (title_b | improvement_b)).bit_count() < NEAR_MIN_WORDS:
                continue
            if (
                (title_a & title_b).bit_count() >= NEAR_TITLE_SHARE * max(1, min(title_size_a, title_size_b))
                or (improvement_a & improvement_b).bit_count()
                >= NEAR_IMPROVEMENT_SHARE * max(1, min(improvement_size_a, improvement_size_b))
                or _weighs_enough(
                    both_a & both_b, weights, (totals[first], totals[second]), tops[first], tops[second]
                )
            ):
                found.append((first, second))
    return tuple(found)


def check_near_duplicates(
    choices: list[tuple[DataPath, dict[str, Any], dict[str, Any]]],
    data: dict[str, Any],
    stop_words: frozenset[str],
) -> list[Finding]:
    """Two choices of different questions that read alike stop the build, unless listed as distinct.

    Pairs that cite a common lens best practice are the same-practice check's, which holds them to a
    lower bar; this check takes the others."""
    marked = distinct_pairs(data)
    findings: list[Finding] = []
    for first, second in near_pairs(choices, stop_words):
        (_, a, question_a), (path, b, _) = choices[first], choices[second]
        if frozenset((str(a.get("id")), str(b.get("id")))) in marked:
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

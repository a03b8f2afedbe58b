"""A practice is asked once: the duplicate check stops the build when a merged practice comes back.

tests/fixtures/duplicate-practices.yml keeps the practices the checklist used to ask two or three
times, as they read before they were merged. Each pair goes back into a small KB, both citing the same
ML Lens best practice (the check's first condition), and must be refused; marking a pair as deliberately
distinct (with a reason) lets it through.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml

from checklist.kbproblems import KnowledgeBaseError
from checklist.practices import SAME_PRACTICE_SHARE, shared_share
from sitebuilder import kbfile

FIXTURES = Path(__file__).parent / "fixtures"
FULL = (FIXTURES / "minimal-kb.yml").read_text() + (FIXTURES / "minimal-quizzes-checklist.yml").read_text()
GROUPS = yaml.safe_load((FIXTURES / "duplicate-practices.yml").read_text())
PAIRS = [pair for group in GROUPS for pair in combinations(group, 2)]


def with_choices(*choices: dict[str, Any], extra: str = "") -> str:
    """The minimal KB with ``choices`` added to its one question, each citing MLOPS03-BP01."""
    block = "".join(
        f"        - id: {c['id']}\n          title: {yaml.safe_dump(c['title'], width=1000).splitlines()[0]}\n"
        f"          impact: medium\n          effort: low\n"
        f"          improvement: {yaml.safe_dump(c['improvement'], width=1000).splitlines()[0]}\n"
        f"          lens_refs: [MLOPS03-BP01]\n" + (extra if n == 1 else "")
        for n, c in enumerate(choices)
    )
    anchor = "        - id: check_one_b\n"
    assert FULL.count(anchor) == 1
    return FULL.replace(anchor, block + anchor)


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a['id']}~{b['id']}" for a, b in PAIRS])
def test_a_merged_practice_reintroduced_stops_the_build(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        kbfile.load_text(with_choices(first, second), "kb.yml")
    # The fixture KB's own choice check_one_a cites MLOPS03-BP01 too: only the pair's finding matters here.
    assert any(
        f".id: the same practice as '{first['id']}' (both cite MLOPS03-BP01 and read alike)" in problem
        for problem in caught.value.problems
    ), caught.value.problems


def test_distinct_practices_marked_with_a_reason_pass() -> None:
    first, second = PAIRS[0]
    reason = f"          distinct_from: [{{id: {first['id']}, reason: One is about cost, the other about energy.}}]\n"
    text = with_choices(first, second, extra=reason)
    problems = _problems(text)
    assert not any(second["id"] in p and "same practice" in p for p in problems), problems


def _problems(text: str) -> list[str]:
    try:
        kbfile.load_text(text, "kb.yml")
    except KnowledgeBaseError as error:
        return error.problems
    return []


def test_the_measure_is_the_documented_share_of_shared_words() -> None:
    assert shared_share("Models are compiled or quantized", "Quantize and compile the models") == 1.0
    assert shared_share("Encrypt data at rest", "Rotate credentials") == 0.0
    assert 0 < SAME_PRACTICE_SHARE < 0.5


def test_a_pair_listed_in_distinct_practices_passes_too() -> None:
    first, second = PAIRS[0]
    text = with_choices(first, second)
    listed = f"  distinct_practices:\n    - {{choices: [{first['id']}, {second['id']}], why: They differ.}}\n"
    assert text.count("\n  questions:\n") == 1
    text = text.replace("\n  questions:\n", "\n" + listed + "  questions:\n")
    problems = _problems(text)
    assert not any(second["id"] in p and "same practice" in p for p in problems), problems

"""The real KB's four lenses through the WA Tool round trip (issue 25): a review answered in every lens goes
out as one script that sends each answer to its own lens's review of the workload, and the four lens
reviews the tool lists come back as one state with the same answers. The format's limits per lens file are
test_cli's (test_real_kb_exports_one_lens_file_per_lens_each_within_every_limit)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_cli import REAL_KB, cli
from test_watool import REGION, WORKLOAD, lens_review, recorded_answers, run_with_stub

from checklist.state import Answer, parse_state_text
from sitebuilder import kbfile

KB = kbfile.load(REAL_KB)
assert KB.checklist is not None
LENS_IDS = [lens.id for lens in KB.lenses]
ARNS = {
    lens_id: f"arn:aws:wellarchitected:{REGION}:123456789012:lens/{n:032x}"
    for n, lens_id in enumerate(LENS_IDS, 1)
}
# In each lens, its first question, answered with its first two choices (the default scope asks them all).
PICKED: dict[str, tuple[list[str], bool]] = {
    next(q for q in KB.checklist.questions if q.lens == lens_id).id: (
        [c.id for c in next(q for q in KB.checklist.questions if q.lens == lens_id).choices[:2]],
        True,
    )
    for lens_id in LENS_IDS
}


def test_the_real_kb_reviews_with_four_lenses() -> None:
    assert LENS_IDS == ["machine_learning", "generative_ai", "agentic_ai", "responsible_ai"]


def test_the_script_sends_each_answer_to_its_own_lens_review(tmp_path: Path) -> None:
    answers = {
        q: {"selected": selected, "not_applicable": False, "notes": ""} for q, (selected, _) in PICKED.items()
    }
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 3, "answers": answers}), encoding="utf-8")
    target = ["--workload-id", WORKLOAD]
    for lens_id, arn in ARNS.items():
        target += ["--lens-arn", f"{lens_id}={arn}"]
    result = cli("wa-tool", "script", state, *target, "-o", tmp_path / "to-wa-tool.sh")
    assert result.returncode == 0, result.stderr
    calls = run_with_stub(tmp_path / "to-wa-tool.sh", tmp_path)
    lens_of = {c[c.index("--question-id") + 1]: c[c.index("--lens-alias") + 1] for c in calls[:-1]}
    assert lens_of == {
        q.id: ARNS[q.lens]
        for q in KB.checklist.questions
        if q.id in PICKED  # type: ignore[union-attr]
    }
    assert {q: selected for q, (selected, _, _) in recorded_answers(calls).items()} == {
        q: selected for q, (selected, _) in PICKED.items()
    }


def test_four_lens_reviews_come_back_as_one_state(tmp_path: Path) -> None:
    reviews: list[dict[str, Any]] = [lens_review(KB, lens_id, arn, PICKED) for lens_id, arn in ARNS.items()]
    assert [len(r["AnswerSummaries"]) for r in reviews] == [
        sum(q.lens == lens_id for q in KB.checklist.questions)  # type: ignore[union-attr]
        for lens_id in LENS_IDS
    ]
    files = []
    for n, review in enumerate(reviews):
        path = tmp_path / f"review-{n}.json"
        path.write_text(json.dumps(review), encoding="utf-8")
        files.append(path)
    out = tmp_path / "imported.json"
    result = cli("wa-tool", "import", *files, "-o", out)
    assert result.returncode == 0, result.stderr
    back = parse_state_text(out.read_text(encoding="utf-8"), KB)
    assert {q: a for q, a in back.answers.items() if a.selected} == {
        q: Answer(tuple(selected), False, "") for q, (selected, _) in PICKED.items()
    }


def test_every_practice_of_the_three_ai_lenses_is_asked_by_exactly_one_choice() -> None:
    """Issues 24 and 25: each GenAI, Agentic AI and Responsible AI best practice is asked once across the four
    lenses (a practice two lenses share is one choice citing both ids). The ML Lens's content predates the
    rule: some of its practices span several choices, each a part of it."""
    cited: dict[str, list[str]] = {}
    for question in KB.checklist.questions:  # type: ignore[union-attr]
        for choice in question.choices:
            for ref in choice.lens_refs:
                cited.setdefault(ref, []).append(choice.id)
    for lens_id, count in [("generative_ai", 51), ("agentic_ai", 150), ("responsible_ai", 98)]:
        own = [p.id for p in KB.lens_practices if KB.practice_lens(p.id).id == lens_id]
        assert len(own) == count, lens_id
        assert {ref: cited.get(ref, []) for ref in own if len(cited.get(ref, [])) != 1} == {}, lens_id

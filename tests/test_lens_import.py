"""A custom lens in, a knowledge base out: ids and rules kept, impact derived, deviations warned, round trip.

The lens files are written for the tests (tests/lensfixtures.py): a small realistic one, one at the
format's limits, one of about 500 KB, and one with the deviations real lenses show.
"""

from __future__ import annotations

import copy
import json
import random
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import lensfixtures
import pytest
import yaml
from conftest import run_cli

from checklist import cli
from checklist.assess import question_risk
from checklist.state import Answer
from sitebuilder import kbfile, lensimport

ROOT = Path(__file__).resolve().parent.parent
RISKS = {"HIGH_RISK": "high", "MEDIUM_RISK": "medium", "NO_RISK": "none"}


def lens_risk(question: dict[str, Any], selected: set[str]) -> str:
    """The risk the lens's own rules give, by an evaluator independent of the engine's parser."""
    for rule in question["riskRules"]:
        condition = rule["condition"]
        if condition == "default":
            return RISKS[rule["risk"]]
        expression = re.sub(r"[A-Za-z0-9_]+", lambda m: f"({m.group(0)!r} in selected)", condition)
        expression = expression.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
        if eval(expression, {"selected": selected}):
            return RISKS[rule["risk"]]
    raise AssertionError("no rule held")


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, stdin=stdin)


def imported(lens: dict[str, Any], tmp_path: Path, name: str = "lens") -> tuple[Path, list[str]]:
    """The lens imported by the command line: the KB's path and the warning lines."""
    source = lensfixtures.write(lens, tmp_path / f"{name}.json")
    kb_path = tmp_path / f"{name}.yml"
    done = run("lens", "import", str(source), "-o", str(kb_path))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return kb_path, done.stderr.splitlines()


def exported(kb_path: Path, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "back.json"
    done = run("lens", "--kb", str(kb_path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    back: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return back


def without_version(lens: dict[str, Any]) -> dict[str, Any]:
    """The lens as the format has it: ``version`` is a key some lenses add, outside the format."""
    return {key: value for key, value in lens.items() if key != "version"}


def test_a_small_lens_becomes_a_valid_kb_with_its_own_ids_rules_and_texts(tmp_path: Path) -> None:
    lens = lensfixtures.small()
    kb_path, warnings = imported(lens, tmp_path)
    assert warnings == []
    kb = kbfile.load(kb_path)
    assert kb.lens is not None
    assert (kb.lens.name, kb.lens.version) == (lens["name"], "1.2")
    assert kb.framework.name == lens["name"]
    assert [(p.id, p.name, p.lens_pillar_id) for p in kb.pillars] == [
        (p["id"], p["name"], p["id"]) for p in lens["pillars"]
    ]
    assert kb.checklist is not None
    assert kb.quizzes == ()
    questions = [q for p in lens["pillars"] for q in p["questions"]]
    assert [q.id for q in kb.checklist.questions] == [q["id"] for q in questions]
    for ours, theirs in zip(kb.checklist.questions, questions, strict=True):
        assert [c.id for c in ours.choices] + [ours.none_choice] == [c["id"] for c in theirs["choices"]]
        assert [(r.condition, r.risk) for r in ours.risk_rules] == [
            (r["condition"], RISKS[r["risk"]]) for r in theirs["riskRules"]
        ]
        assert {c.effort for c in ours.choices} == {"unrated"}
    # Impact: the risk the question falls to when that practice alone is missing (worked out by hand).
    first = kb.checklist.question("ingest_q1")
    assert {c.id: c.impact for c in first.choices} == {
        "ingest_q1_retry": "medium",  # dlq still gives MEDIUM
        "ingest_q1_dlq": "medium",
        "ingest_q1_idempotent": "medium",
        "ingest_q1_replay": "low",  # not in the NO_RISK rule: missing it leaves no risk
    }


@pytest.mark.parametrize("make", [lensfixtures.small, lensfixtures.near_limits, lensfixtures.large])
def test_import_then_export_gives_back_the_same_lens(make: Any, tmp_path: Path) -> None:
    lens = make()
    kb_path, warnings = imported(lens, tmp_path)
    assert warnings == []
    assert exported(kb_path, tmp_path) == without_version(lens)


def test_every_question_s_risk_agrees_with_the_lens_s_own_rules_for_any_answers(tmp_path: Path) -> None:
    """Random answers (fixed seed) on the small lens and the one at the limits, None of these included."""
    rng = random.Random(12)
    for make in (lensfixtures.small, lensfixtures.near_limits):
        lens = make()
        kb_path, _ = imported(lens, tmp_path, make.__name__)
        kb = kbfile.load(kb_path)
        assert kb.checklist is not None
        for theirs in (q for p in lens["pillars"] for q in p["questions"]):
            ours = kb.checklist.question(theirs["id"])
            practices = [c.id for c in ours.choices]
            answers = [{ours.none_choice}, set(practices), set()]
            answers += [{c for c in practices if rng.random() < share} for share in (0.3, 0.5, 0.8) * 10]
            for selected in answers:
                if not selected:
                    continue  # unanswered: no rule applies
                got = question_risk(ours, Answer(selected=tuple(selected)))
                assert got == lens_risk(theirs, selected), (theirs["id"], sorted(selected))


def test_deviations_are_imported_with_one_warning_line_each_naming_its_json_path(tmp_path: Path) -> None:
    lens, paths = lensfixtures.deviations()
    kb_path, warnings = imported(lens, tmp_path)
    assert len(warnings) == len(paths)
    for path in paths:
        assert (
            sum(line.startswith(f"{tmp_path / 'lens.json'}: warning: {path}:") for line in warnings) == 1
        ), path
    kb = kbfile.load(kb_path)
    assert kb.checklist is not None
    # What is usable is kept; the round trip gives the lens back with each deviation repaired.
    back = exported(kb_path, tmp_path)
    expected = without_version(copy.deepcopy(lens))
    pillars = expected["pillars"]
    del pillars[0]["questions"][1]["choices"][2]["helpfulResource"]["url"]  # not http(s): left out
    del pillars[1]["questions"][0]["choices"][0]["improvementPlan"]["url"]
    # (e) the rules without `default` come back as written: nothing is added to them.
    assert kb.checklist.question("ingest_q1").unmatched_risk == "high"
    pillars[1]["questions"][0]["choices"].append({"id": "sec_q1_no", "title": "None of these"})
    for node, path in (
        (pillars[0]["questions"][1], "title"),
        (pillars[1]["questions"][0]["choices"][1], "title"),
    ):
        shortened = back_node(back, node["id"])[path]
        assert len(node[path]) > 128 >= len(shortened)
        assert shortened.endswith("…") and node[path].startswith(shortened[:-1])
        node[path] = shortened
    assert back == expected


def back_node(lens: dict[str, Any], ident: str) -> dict[str, Any]:
    for pillar in lens["pillars"]:
        for question in pillar["questions"]:
            if question["id"] == ident:
                return question  # type: ignore[no-any-return]
            for choice in question["choices"]:
                if choice["id"] == ident:
                    return choice  # type: ignore[no-any-return]
    raise KeyError(ident)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"name": "x", "questions": []}',
            "not an AWS Well-Architected custom lens: the top level has no list",
        ),
        (b"[1, 2, 3]", "not an AWS Well-Architected custom lens"),
        (b'{"pillars": [\n  {"id": "p1",\n', "lens.json: not valid JSON: Expecting property name"),
        (b'{"pillars": [\n  {"id": "p1",\n', "at line 3, column 1"),
        (b"", "lens.json: not valid JSON: Expecting value at line 1, column 1"),
        (b'\xff\xfe{"pillars": []}', "not UTF-8 text"),
        (
            b'{"pillars": [{"id": "xyz", "name": "X", "questions": []}]}',
            "no pillar has a question with choices",
        ),
        (
            b'{"pillars": [{"id": "bad id!", "name": "X", "questions": []}]}',
            "pillars[0].id: 'bad id!' is not an id",
        ),
    ],
)
def test_a_file_that_is_not_a_lens_is_an_error_and_nothing_is_written(
    content: bytes, message: str, tmp_path: Path
) -> None:
    source = tmp_path / "lens.json"
    source.write_bytes(content)
    out = tmp_path / "kb.yml"
    done = run("lens", "import", str(source), "-o", str(out))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]  # no partial file either


def test_a_failed_import_leaves_an_existing_kb_as_it_was(tmp_path: Path) -> None:
    source = lensfixtures.write({"pillars": "none"}, tmp_path / "lens.json")
    out = tmp_path / "kb.yml"
    out.write_text("# my KB\n", encoding="utf-8")
    assert run("lens", "import", str(source), "-o", str(out)).returncode == 2
    assert out.read_text(encoding="utf-8") == "# my KB\n"


def test_ids_used_twice_in_their_scope_cannot_map_answers_one_to_one_and_are_an_error(tmp_path: Path) -> None:
    """A question id is unique in the lens, a choice id in its question (the WA Tool's scopes); across
    questions a choice id may repeat (tests/test_lens_ids.py)."""
    lens = lensfixtures.small()
    security = lens["pillars"][1]["questions"]
    security[0]["choices"][1]["id"] = "sec_q1_encrypt_rest"
    security.append(copy.deepcopy(lens["pillars"][0]["questions"][0]))
    source = lensfixtures.write(lens, tmp_path / "lens.json")
    done = run("lens", "import", str(source), "-o", str(tmp_path / "kb.yml"))
    assert done.returncode == 2
    assert (
        "pillars[1].questions[0].choices[1].id: 'sec_q1_encrypt_rest' is already the id of "
        "pillars[1].questions[0].choices[0]" in done.stderr
    )
    assert (
        "pillars[1].questions[1].id: 'ingest_q1' is already the id of pillars[0].questions[0]" in done.stderr
    )


def test_a_lens_of_500_kb_imports_in_seconds(tmp_path: Path) -> None:
    lens = lensfixtures.large()
    assert 480 * 1024 <= len(lensfixtures.to_text(lens).encode()) <= 500 * 1024
    started = time.perf_counter()
    text, warnings = lensimport.import_lens(lensfixtures.to_text(lens).encode(), "large.json", "kb.yml")
    elapsed = time.perf_counter() - started
    print(f"\nimport of a {len(lensfixtures.to_text(lens)) // 1024} KB lens: {elapsed:.2f} s")
    assert warnings == []
    assert yaml.safe_load(text)["lens"]["name"] == lens["name"]


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv"])
def test_the_command_line_assesses_state_files_in_the_lens_s_ids(fmt: str, tmp_path: Path) -> None:
    kb_path, _ = imported(lensfixtures.small(), tmp_path)
    state = {
        "version": 3,
        "workload": {"name": "Orders pipeline"},
        "answers": {
            "ingest_q1": {"selected": ["ingest_q1_retry"]},
            "ingest_q2": {"selected": ["ingest_q2_no"]},
            "sec_q1": {"selected": ["sec_q1_encrypt_rest", "sec_q1_tls", "sec_q1_keys"]},
        },
    }
    state_path = tmp_path / "state.json"
    state_path.write_text(json.dumps(state), encoding="utf-8")
    done = run("assess", str(state_path), "--kb", str(kb_path), "--format", fmt)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        result = json.loads(done.stdout)
        assert {q["id"]: q["risk"] for q in result["questions"]} == {
            "ingest_q1": "medium",
            "ingest_q2": "high",
            "sec_q1": "none",
        }
        first = result["recommendations"][0]
        assert (
            (first["choice"], first["impact"], first["effort"])
            == (
                "ingest_q2_validate",  # no high impact is missing; of the medium ones, the riskier question's first
                "medium",
                "unrated",
            )
        )
    elif fmt == "markdown":
        assert "# " in done.stdout and "Orders pipeline" in done.stdout
        assert "effort not rated" in done.stdout
    else:
        assert "ingest_q1_dlq" in done.stdout


def test_lens_import_without_a_file_says_how_to_call_it(tmp_path: Path) -> None:
    assert cli.main(["lens", "import"]) == 2
    done = run("lens", "import")
    assert "python -m sitebuilder.cli lens import LENS.json -o KB.yml" in done.stderr


def test_a_lens_that_names_a_retired_service_imports_as_its_authors_wrote_it(tmp_path: Path) -> None:
    """The KB's content checks (service names, links, ratings) hold this project's own KB to its yardsticks;
    a custom lens is its authors' text, so naming a service AWS has since retired does not stop its import."""
    lens = lensfixtures.small()
    choice = lens["pillars"][0]["questions"][0]["choices"][0]
    choice["title"] = "Demand is forecast with Amazon Forecast"
    kb_path, _ = imported(lens, tmp_path)
    kb = kbfile.load(kb_path)
    assert kb.checklist is not None
    assert kb.checklist.questions[0].choices[0].title == "Demand is forecast with Amazon Forecast"

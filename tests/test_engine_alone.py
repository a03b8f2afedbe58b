"""The engine stands alone: its wheel, installed in a fresh virtual environment, runs the CLI on a KB given
as JSON with the repository's bytes, checks that KB with every rule the builder applies, and never reaches
for the builder. Every stranger's JSON goes through one boundary (checklist.bounded).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import io
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checklist import bounded, cli, kbjson, watool
from checklist.api import Session
from checklist.errors import InputError
from checklist.kbschema import schema, structure
from checklist.state import parse_state_text
from sitebuilder import bundle, kbfile, lensimport
from sitebuilder.cli import main as builder_main

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
FIXTURE_KB = TESTS / "fixtures" / "engine-kb.yml"
STATE = TESTS / "fixtures" / "states" / "early.json"


def kb_json(path: Path = FIXTURE_KB) -> str:
    """The KB as the site publishes it in its checklist bundle (sitebuilder.publish)."""
    return json.dumps(kbfile.load(path).source, ensure_ascii=False, separators=(",", ":"))


def pretty_kb_json() -> str:
    """The KB as JSON a person might edit: one member per line, so each problem has its own line."""
    return json.dumps(json.loads(kb_json()), indent=2, ensure_ascii=False) + "\n"


def run(main: Callable[[list[str]], int], *args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def engine(*args: str | Path) -> tuple[int, str, str]:
    return run(cli.main, *args)


# The wheel in a fresh virtual environment: one per test session (about 5 s: build, venv, pip).


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtual environment that has the engine's wheel and nothing else."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for path in bundle.wheel_inputs(ROOT):  # exactly what the browser's wheel is built from
        (source / path.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, source / path.relative_to(ROOT))
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work / "dist")]
    subprocess.run([*build, str(source)], check=True, capture_output=True, timeout=120)
    (wheel,) = (work / "dist").glob("checklist-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--no-deps"]
    subprocess.run([*pip, "-q", str(wheel)], check=True, capture_output=True, timeout=120)
    return python


@pytest.fixture(scope="session")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the repository holding the KB as JSON and a state file."""
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "KB.json").write_text(kb_json(), encoding="utf-8")
    shutil.copyfile(STATE, folder / "state.json")
    return folder


def from_the_wheel(python: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # no PYTHONPATH: the repository is out of reach
    return subprocess.run(
        [str(python), "-m", "checklist", *args], cwd=folder, capture_output=True, env=env, timeout=60
    )


def test_the_installed_wheel_assesses_with_the_repository_s_bytes(
    installed: Path, outside: Path, tmp_path: Path
) -> None:
    where = subprocess.run(
        [str(installed), "-c", "import checklist; print(checklist.__file__)"],
        cwd=outside,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout
    done = from_the_wheel(
        installed, outside, "assess", "state.json", "--kb", "KB.json", "--format", "markdown"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    repository = tmp_path / "report.md"
    code, _, err = run(
        builder_main, "assess", STATE, "--kb", FIXTURE_KB, "--format", "markdown", "-o", repository
    )
    assert code == 0, err
    assert done.stdout == repository.read_bytes()
    assert done.stdout == (TESTS / "golden" / "early.report.md").read_bytes()


def test_the_installed_wheel_refuses_an_invalid_json_kb_with_located_errors(
    installed: Path, outside: Path
) -> None:
    text = pretty_kb_json().replace('"risk": "none"', '"risk": "nil"', 1)
    (outside / "bad.json").write_text(text, encoding="utf-8")
    done = from_the_wheel(installed, outside, "assess", "state.json", "--kb", "bad.json")
    assert done.returncode == 2 and done.stdout == b""
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"nil"' in row)
    assert done.stderr.decode().splitlines() == [
        f"bad.json:{line}: checklist.questions[0].risk_rules[0].risk: "
        "must be one of high, medium, none (got 'nil')"
    ]


# The engine's command line alone (in process: the engine is what the wheel holds).


def test_a_json_kb_gives_the_bytes_of_the_yaml_source(tmp_path: Path) -> None:
    kb = tmp_path / "kb.json"
    kb.write_text(kb_json(), encoding="utf-8")
    for fmt in ("json", "csv", "github"):
        assert engine("assess", STATE, "--kb", kb, "--format", fmt) == run(
            builder_main, "assess", STATE, "--kb", FIXTURE_KB, "--format", fmt
        )
    assert engine("lens", "--kb", kb) == run(builder_main, "lens", "--kb", FIXTURE_KB)


def test_a_yaml_kb_given_to_the_engine_names_the_command_to_use() -> None:
    code, out, err = engine("assess", STATE, "--kb", FIXTURE_KB, "--format", "markdown")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"run `python -m sitebuilder.cli assess {STATE} --kb {FIXTURE_KB} --format markdown`" in err


def test_the_engine_without_a_kb_or_the_builder_says_what_to_pass(tmp_path: Path) -> None:
    code, _, err = engine("assess", STATE)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("--kb: pass the knowledge base as JSON")
    code, _, err = engine("lens", "import", str(TESTS / "fixtures" / "lens-small.json"))
    assert code == 2 and err.count("\n") == 1
    assert "the site builder's: run `python -m sitebuilder.cli lens import" in err
    assert list(tmp_path.iterdir()) == []


def line_with(text: str, needle: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), 1) if needle in row)


@pytest.mark.parametrize(
    ("old", "new", "needle", "expected"),
    [
        (  # the schema: a field's value
            '"risk": "none"',
            '"risk": "nil"',
            '"nil"',
            "checklist.questions[0].risk_rules[0].risk: must be one of high, medium, none (got 'nil')",
        ),
        (  # the schema: an unknown field, on its key's line
            '"summary": "Why the framework matters."',
            '"summary": "Why the framework matters.",\n    "summray": "typo"',
            '"summray"',
            "framework.summray: unknown field 'summray' (allowed: cites, closing, name, outlook, summary)",
        ),
        (  # a cross-reference rule
            '"ref_beta"\n',
            '"ref_gamma"\n',
            '"ref_gamma"',
            "pillars[0].practices[0].cites[0]: unknown reference 'ref_gamma'",
        ),
    ],
)
def test_an_invalid_json_kb_is_refused_with_its_path_and_line(
    old: str, new: str, needle: str, expected: str, tmp_path: Path
) -> None:
    text = pretty_kb_json()
    assert old in text
    text = text.replace(old, new, 1)
    kb = tmp_path / "kb.json"
    kb.write_text(text, encoding="utf-8")
    code, out, err = engine("assess", STATE, "--kb", kb)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{kb}:{line_with(text, needle)}: {expected}" in err.splitlines()[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"framework": {}', "not valid JSON: Expecting ',' delimiter at line 1, column 17"),
        ('{"pillars": [], "pillars": []}', 'the key "pillars" is given twice'),
        ("[" * 100 + "]" * 100, "nested more than 64 levels deep at line 1, column 65"),
        ('{"framework": "\\udc00"}', "it holds a lone UTF-16 surrogate"),
        ("[1, 2]", "(top level): must be an object of sections"),
    ],
)
def test_json_that_is_no_kb_is_one_located_line(text: str, message: str, tmp_path: Path) -> None:
    kb = tmp_path / "kb.json"
    kb.write_text(text, encoding="utf-8")
    code, _, err = engine("state", STATE, "--kb", kb)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"{kb}:1: ") and message in err


def test_line_numbers_of_json_paths() -> None:
    text = '{\n "a": [\n  1,\n  {"b": "x,]}"},\n  [\n   true\n  ]\n ],\n "c": {}\n}'
    where = kbjson.lines(text)
    assert where[("a",)] == 2 and where[("a", 0)] == 3 and where[("a", 1)] == 4
    assert where[("a", 1, "b")] == 4 and where[("a", 2, 0)] == 6 and where[("c",)] == 9


def test_the_engine_s_schema_check_finds_what_jsonschema_finds() -> None:
    """The standard-library interpreter of the schema against the reference validator, on mutated KBs."""
    data = kbfile.load(ROOT / "docs" / "knowledge-base.yml").source
    validator = jsonschema.Draft202012Validator(schema())
    places: list[tuple[str | int, ...]] = []

    def collect(node: Any, path: tuple[str | int, ...]) -> None:
        places.append(path)
        children = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        )
        for key, child in children:
            collect(child, (*path, key))

    collect(data, ())
    chance = random.Random(7)
    for _ in range(20):
        mutated = copy.deepcopy(data)
        for _ in range(3):
            path = chance.choice(places[1:])
            parent: Any = mutated
            try:  # an earlier mutation of this round may have removed or replaced the path's parent
                for key in path[:-1]:
                    parent = parent[key]
            except (IndexError, KeyError, TypeError):
                continue
            if isinstance(parent, dict) and chance.random() < 0.3:
                parent.pop(path[-1], None)
            elif isinstance(parent, dict) and chance.random() < 0.2:
                parent["zzz_unknown"] = 1
            else:
                with contextlib.suppress(IndexError, KeyError, TypeError):
                    parent[path[-1]] = chance.choice([1, "", None, [], {}, "x y!", True])
        expected = set()
        for error in validator.iter_errors(mutated):
            where = tuple(error.absolute_path)
            if error.validator == "additionalProperties":
                where = (*where, *sorted(set(error.instance) - set(error.schema.get("properties", {})))[:1])
            expected.add(where)
        assert {path for path, _ in structure(mutated)} == expected


# One boundary for every stranger's JSON.

KB = kbfile.load(FIXTURE_KB)
READERS: dict[str, Callable[[str], object]] = {
    "state file": lambda text: parse_state_text(text, KB),
    "WA Tool answers": lambda text: watool.read_answers_text(KB, text),
    "custom lens": lambda text: lensimport.parse(text.encode("utf-8", "surrogatepass"), "lens.json"),
    "KB as JSON": lambda text: kbjson.load_text(text, "kb.json"),
    "teammate's file (browser)": lambda text: _api_problem({"op": "import", "text": text}),
}


def _api_problem(request: dict[str, Any]) -> None:
    reply = json.loads(Session(kb_json()).handle(json.dumps(request)))
    if not reply["ok"]:
        raise InputError(reply["problems"])


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "a": 2}', 'the key "a" is given twice in one object'),
        ('{"a": "\\ud800"}', bounded.LONE_SURROGATE),
        ("[" * 70 + "]" * 70, "nested more than 64 levels deep at line 1, column 65"),
        ('{"a": 1', "not valid JSON: Expecting ',' delimiter at line 1, column 8"),
        ('{"a": ' + "9" * 5000 + "}", bounded.HUGE_NUMBER),
    ],
)
def test_every_reader_refuses_through_the_one_boundary(reader: str, text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        READERS[reader](text)
    assert len(caught.value.problems) == 1 and message in caught.value.problems[0]


def test_no_engine_module_reaches_for_the_builder_and_no_second_boundary() -> None:
    for path in sorted((ROOT / "checklist").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "sitebuilder" for a in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "sitebuilder", path
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                "import_module",
                "__import__",
            ):
                assert "sitebuilder" not in ast.unparse(node), path
    # The nesting limit and the surrogate finder are written once, in the boundary.
    for path in [*(ROOT / "checklist").glob("*.py"), *(ROOT / "sitebuilder").rglob("*.py")]:
        if path.name != "bounded.py":
            code = path.read_text(encoding="utf-8")
            assert "MAX_DEPTH =" not in code and "\\ud800-\\udfff]" not in code, path

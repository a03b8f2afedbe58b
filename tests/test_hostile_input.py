"""Hostile input is refused early, in bounded time and memory, with a located one-line message.

The cases of the issue, reproduced: a 200 KB state file that is one array nested 100,000 deep, a KB that
is a YAML alias bomb, and a KB nested 100,000 deep (which crashed libyaml's composer). Each surface that
parses outside JSON gets the deep file: state files (and so share links, imports and merges, which go
through the same parser), lens files and the WA Tool's answers.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checklist import cli
from checklist.api import Session
from checklist.kbproblems import KnowledgeBaseError
from sitebuilder import kbfile
from sitebuilder.cli import main as builder_main

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 512 * 1024 * 1024  # the whole Python process, the KB included
DEPTH = 100_000


def deep_state() -> str:
    return '{"version":1,"workload":' + "[" * DEPTH + "]" * DEPTH + ',"answers":{}}'


def alias_bomb() -> str:
    """Nine levels of ten aliases: a billion strings if anything expanded it."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    return "\n".join(lines) + "\n"


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sitebuilder.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=limited,
        timeout=60,
        check=False,
    )
    return done, time.perf_counter() - started


def refused(done: subprocess.CompletedProcess[str], needle: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert needle in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


EVERY_COMMAND = pytest.mark.parametrize(
    ("command", "extra"),
    [
        (["assess"], []),
        (["state"], []),
        (["merge"], ["{good}"]),
        (["wa-tool", "import"], []),
        (["lens", "import"], ["-o", "{out}"]),
    ],
)


@EVERY_COMMAND
def test_a_deeply_nested_file_is_refused_at_once_on_every_command(
    command: list[str], extra: list[str], tmp_path: Path
) -> None:
    hostile = tmp_path / "deep.json"
    hostile.write_text(deep_state(), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text('{"version": 3, "answers": {}}', encoding="utf-8")
    out = tmp_path / "out.yml"
    args = [*command, str(hostile), *(a.format(good=good, out=out) for a in extra)]
    done, elapsed = run(*args)
    refused(done, "nested more than 64 levels deep at line 1, column")
    assert elapsed < 5, elapsed  # a whole Python start and KB load included; the check itself is ~10 ms
    assert not out.exists()


def run_on_every_command(
    command: list[str], extra: list[str], tmp_path: Path, text: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run one of EVERY_COMMAND on a file holding ``text`` (a good state file beside it for merge); the
    result and the output path, which must stay unwritten when the file is refused."""
    hostile = tmp_path / "hostile.json"
    hostile.write_text(text, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text('{"version": 3, "answers": {}}', encoding="utf-8")
    out = tmp_path / "out.yml"
    done, _ = run(*command, str(hostile), *(a.format(good=good, out=out) for a in extra))
    return done, out


@EVERY_COMMAND
def test_a_key_given_twice_is_refused_on_every_command(
    command: list[str], extra: list[str], tmp_path: Path
) -> None:
    """JSON leaves a duplicate key's meaning open (the browser and Python keep the last, other tools the
    first), so a file with one could say one thing to a reviewer and another to the engine."""
    done, out = run_on_every_command(
        command, extra, tmp_path, '{"version": 3, "answers": {}, "answers": {"x": 1}}'
    )
    refused(done, 'the key "answers" is given twice in one object')
    assert not out.exists()


@EVERY_COMMAND
def test_a_lone_surrogate_is_refused_on_every_command(
    command: list[str], extra: list[str], tmp_path: Path
) -> None:
    """Half of a UTF-16 pair, escaped in JSON, parses into a string no file can be written with (found by
    `make fuzz`: the command line's report then stopped with an internal error)."""
    done, out = run_on_every_command(
        command, extra, tmp_path, '{"version": 3, "workload": {"name": "\\ud800"}, "answers": {}}'
    )
    refused(done, "it holds a lone UTF-16 surrogate")
    assert not out.exists()


def test_the_page_s_own_lone_surrogate_comes_back_escaped_not_as_an_internal_error() -> None:
    """The page's JSON.stringify escapes half a pair typed or pasted into a field; the reply does too."""
    session = Session(json.dumps(kbfile.load(ROOT / "docs" / "knowledge-base.yml").source))
    state = {"version": 3, "workload": {"name": "\ud800"}, "answers": {}}
    reply_text = session.handle(json.dumps({"op": "save", "state": state}))
    assert reply_text.isascii()
    reply = json.loads(reply_text)
    assert reply["ok"], reply
    assert json.loads(reply["text"])["workload"]["name"] == "\ud800"


def test_the_deep_state_file_is_refused_in_well_under_a_second(tmp_path: Path) -> None:
    session = Session(json.dumps(kbfile.load(ROOT / "docs" / "knowledge-base.yml").source))
    started = time.perf_counter()
    reply = json.loads(session.handle(json.dumps({"op": "import", "text": deep_state()})))
    assert time.perf_counter() - started < 1
    assert reply["ok"] is False
    assert reply["problems"] == [
        "nested more than 64 levels deep at line 1, column 88: not a file this tool writes"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            alias_bomb(),
            "kb.yml:1:5: yaml: anchors and aliases (&name, *name) are not allowed in the knowledge base",
        ),
        ("a: " + "[" * DEPTH + "]" * DEPTH + "\n", "kb.yml:1:67: yaml: nested more than 64 levels deep"),
    ],
)
def test_a_hostile_kb_is_refused_in_bounded_memory(text: str, message: str, tmp_path: Path) -> None:
    kb = tmp_path / "kb.yml"
    kb.write_text(text, encoding="utf-8")
    state = tmp_path / "state.json"
    state.write_text('{"version": 3, "answers": {}}', encoding="utf-8")
    done, elapsed = run("assess", str(state), "--kb", str(kb))
    assert done.returncode == 2 and done.stderr.strip().endswith(message), done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert elapsed < 5
    with pytest.raises(KnowledgeBaseError) as caught:  # the build's own reader: the usual KB error format
        kbfile.load_text(text, "kb.yml")
    assert str(caught.value) == message


def test_anchors_are_refused_even_when_harmless() -> None:
    text = (ROOT / "docs" / "knowledge-base.yml").read_text(encoding="utf-8")
    text = text.replace("framework:\n", "framework: &framework\n", 1)
    with pytest.raises(KnowledgeBaseError) as caught:
        kbfile.load_text(text, "kb.yml")
    assert "anchors and aliases" in str(caught.value)


def test_an_internal_error_is_one_line_that_says_where_to_report_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(*_: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "assess", broken)
    state = tmp_path / "state.json"
    state.write_text('{"version": 3, "answers": {}}', encoding="utf-8")
    assert builder_main(["assess", str(state)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(
        "internal error (ZeroDivisionError: division by zero); please report it at https://"
    )

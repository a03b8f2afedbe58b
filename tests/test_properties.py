"""Property-based tests of every input surface that reads outside data (Hypothesis).

Generated and mutated inputs: state files of every version (which is also what share links, imports and
merges carry), teammates' files for a merge, the WA Tool's answer listings, custom lens files and KBs as
JSON, several workloads' files for a portfolio. Missing keys, wrong types, huge strings and numbers, deep nesting, duplicate keys, NaN and
Infinity, lone surrogates, NUL and bidirectional-override characters. The invariants:

- the engine answers with its own verdict (``ok`` true, or false with problems), never an internal error;
- the command line exits 0 or 2, never with a traceback, and writes an output file whole or not at all;
- the same input gives the same output.

`make test` runs a bounded number of examples with a fixed seed; `make fuzz` runs many more
(HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import lensfixtures
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist.api import Session
from checklist.errors import InputError
from checklist.kbproblems import KnowledgeBaseError
from sitebuilder import cli, kbfile, lensimport

ROOT = Path(__file__).resolve().parent.parent

KB = kbfile.load(ROOT / "docs" / "knowledge-base.yml")
SESSION = Session(json.dumps(KB.source))
assert KB.checklist is not None
QUESTIONS = KB.checklist.questions
STATES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/fixtures/states").glob("*.json"))]

HOSTILE = "\x00\u202e\u2066\ud800\udfff\ufeff<script>alert(1)</script>"
text = st.text(alphabet=st.characters(codec=None) | st.sampled_from(list(HOSTILE)), max_size=40) | st.just(
    "x" * 100_000
)
numbers = st.integers(min_value=-(10**30), max_value=10**30) | st.floats(allow_nan=True, allow_infinity=True)
scalars = st.none() | st.booleans() | numbers | text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@st.composite
def states(draw: st.DrawFn) -> dict[str, Any]:
    """A state file near a valid one: real ids mostly, then parts replaced, dropped or mistyped."""
    answers: dict[str, Any] = {}
    for question in draw(st.lists(st.sampled_from(QUESTIONS), max_size=6, unique_by=lambda q: q.id)):
        ids = [c.id for c in question.choices] + [question.none_choice, "no_such_choice"]
        answers[question.id] = {
            "selected": draw(st.lists(st.sampled_from(ids), max_size=4)),
            "notes": draw(text),
            "not_applicable": draw(st.booleans()),
        }
    state: dict[str, Any] = {
        "version": draw(st.sampled_from([1, 2, 3, 4, 0, "3", None])),
        "workload": {"name": draw(text), "pillar_priorities": draw(st.lists(text, max_size=3))},
        "scope": draw(st.dictionaries(text, text, max_size=2)),
        "answers": answers,
        "decisions": draw(st.dictionaries(text, json_values, max_size=2)),
    }
    for key in draw(st.lists(st.sampled_from(sorted(state)), max_size=2, unique=True)):
        if draw(st.booleans()):
            del state[key]
        else:
            state[key] = draw(json_values)
    return state


def as_text(data: Any, draw_dupe: bool) -> str:
    """JSON text (NaN and Infinity as Python writes them); with a duplicated key when asked."""
    written = json.dumps(data)
    if draw_dupe and written.startswith("{") and len(written) > 2:
        written = '{"version": 2, ' + written[1:]
    return written


def engine(request: dict[str, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(SESSION.handle(json.dumps(request)))
    assert reply["ok"] or reply["problems"], reply
    assert not any(p.startswith("internal error") for p in reply.get("problems", [])), reply
    return reply


@given(states(), st.booleans())
def test_state_files_and_share_links_get_the_engine_s_own_verdict(state: dict[str, Any], dupe: bool) -> None:
    written = as_text(state, dupe)
    first = engine({"op": "import", "text": written})
    assert engine({"op": "import", "text": written}) == first  # the same input, the same output
    if dupe and "version" in state:  # as_text gave "version" twice: refused, whatever else is wrong
        assert not first["ok"]
    if first["ok"]:
        assessed = engine({"op": "assess", "state": first["state"]})
        assert assessed["ok"]


@given(st.sampled_from(STATES), st.integers(min_value=0, max_value=10_000), st.text(max_size=3))
def test_saved_state_files_cut_or_spliced_anywhere(original: str, at: int, splice: str) -> None:
    at %= len(original) + 1
    engine({"op": "import", "text": original[:at] + splice + original[at + len(splice) :]})


@given(states(), st.booleans())
def test_a_teammate_s_file_merged_in(theirs: dict[str, Any], dupe: bool) -> None:
    mine = {"version": 3, "answers": {QUESTIONS[0].id: {"selected": [QUESTIONS[0].none_choice]}}}
    engine(
        {
            "op": "merge",
            "mine": mine,
            "mine_name": "me",
            "theirs_text": as_text(theirs, dupe),
            "theirs_name": "x",
        }
    )


# File names as a browser or a shell gives them (a 100 KB one would only make each example slower).
file_names = st.text(alphabet=st.characters(codec=None) | st.sampled_from(list(HOSTILE)), max_size=40)


# Each example sends the files five times over (the page and its four downloads), each its text escaped
# inside the request: fewer examples in `make test`, many more in `make fuzz`.
@settings(max_examples=max(10, settings.default.max_examples // 6))
@given(st.lists(st.tuples(file_names, states(), st.booleans()), max_size=3), file_names)
def test_a_portfolio_of_files_of_any_kind(files: list[tuple[str, dict[str, Any], bool]], name: str) -> None:
    """Whatever the files and their names, a readable one is shown, each other one is named as left out, and
    every download is made (a portfolio's names and texts reach its Markdown, CSV and HTML)."""
    given_files = [{"name": n, "text": as_text(state, dupe)} for n, state, dupe in files]
    given_files.append({"name": name, "text": STATES[0].replace("pillar_two", "security")})
    first = engine({"op": "portfolio", "files": given_files, "today": "2026-06-01"})
    assert first["ok"]
    shown = first["portfolio"]
    assert len(shown["workloads"]) + len(shown["left_out"]) == len(given_files)
    for fmt in ("markdown", "csv", "html", "json"):
        engine({"op": "portfolio", "files": given_files, "today": "2026-06-01", "format": fmt})


@given(json_values | st.fixed_dictionaries({"AnswerSummaries": st.lists(json_values, max_size=3)}))
def test_wa_tool_answer_listings(data: Any) -> None:
    from checklist import watool

    with contextlib.suppress(InputError):
        watool.read_answers_text(KB, json.dumps(data))


@st.composite
def lenses(draw: st.DrawFn) -> Any:
    """The small fixture lens with parts replaced by anything, or anything at all."""
    lens: Any = lensfixtures.small()
    parts = [lens]  # every object of the lens, taken before any is replaced
    for pillar in lens["pillars"]:
        parts.append(pillar)
        for question in pillar["questions"]:
            parts += [question, *question["choices"]]
    for target in draw(st.lists(st.sampled_from(parts), max_size=3)):
        target[draw(st.sampled_from(sorted(target)))] = draw(json_values)
    return draw(st.just(lens) | json_values)


@given(lenses())
def test_lens_files(lens: Any) -> None:
    data = json.dumps(lens).encode("utf-8", "surrogatepass")
    try:
        first = lensimport.import_lens(data, "lens.json", "kb.yml")
    except lensimport.LensImportError as error:
        assert error.problems
        return
    assert lensimport.import_lens(data, "lens.json", "kb.yml") == first


def run_cli(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(args)
    return code, err.getvalue()


# Each example loads and checks the whole YAML KB (about 0.2 s since the second lens): 40 examples keep
# the property's reach over state shapes (the engine-level property on state files keeps its hundred) at
# under half the time.
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(state=states(), dupe=st.booleans(), fmt=st.sampled_from(["json", "markdown", "csv", "github"]))
def test_the_command_line_exits_0_or_2_and_writes_whole_files(
    state: dict[str, Any], dupe: bool, fmt: str, tmp_path_factory: Any
) -> None:
    work = tmp_path_factory.mktemp("cli")
    source = work / "state.json"
    source.write_text(as_text(state, dupe), encoding="utf-8", errors="surrogatepass")
    out = work / "out"
    code, err = run_cli(["assess", str(source), "--format", fmt, "-o", str(out)])
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 0:
        assert out.read_text(encoding="utf-8")
    else:
        assert not out.exists()
    assert sorted(p.name for p in work.iterdir()) == sorted(["state.json", *(["out"] if code == 0 else [])])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=json_values | st.dictionaries(st.sampled_from(["framework", "pillars", "checklist"]), json_values)
)
def test_a_kb_given_as_json(data: Any, tmp_path_factory: Any) -> None:
    """The CLI's engine-only KB (JSON, as the site publishes it): anything that is not one is an error."""
    work = tmp_path_factory.mktemp("kb")
    kb = work / "kb.json"
    kb.write_text(json.dumps(data), encoding="utf-8", errors="surrogatepass")
    state = work / "state.json"
    state.write_text('{"version": 3, "answers": {}}', encoding="utf-8")
    code, err = run_cli(["assess", str(state), "--kb", str(kb)])
    assert code in (0, 2), err


MINIMAL_KB = (ROOT / "tests" / "fixtures" / "minimal-kb.yml").read_text(encoding="utf-8")


@given(
    at=st.integers(min_value=0, max_value=len(MINIMAL_KB)),
    cut=st.integers(min_value=0, max_value=40),
    splice=text
    | st.sampled_from(["&a ", "*a", "[" * 80, "{", ": :", "\t", "- ", "!!python/object:os.system"]),
)
def test_a_kb_cut_or_spliced_anywhere_is_valid_or_a_located_kb_error(at: int, cut: int, splice: str) -> None:
    """The build's reader: any text gives the model or the KB error (file:line: field: message), no other."""
    mutated = MINIMAL_KB[:at] + splice + MINIMAL_KB[at + cut :]
    try:
        kbfile.load_text(mutated, "kb.yml")
    except KnowledgeBaseError as error:
        assert error.problems and all(p.startswith("kb.yml:") for p in error.problems)

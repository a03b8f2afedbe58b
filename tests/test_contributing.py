"""CONTRIBUTING's YAML examples and `make new`'s skeletons, applied to a copy of the real KB, must build.

Each ```yaml block in CONTRIBUTING.md follows an HTML comment that says where the example goes (see the
page's section "The examples on this page are tests"). An example marked ``error: "..."`` must fail with
exactly as many problems as it documents, each message containing its text; every other example, together
with the rest of its group, must load.
"""

from __future__ import annotations

import copy
import re
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from conftest import KB_PATH, ROOT

from checklist.kbproblems import KnowledgeBaseError
from checklist.knowledge import KnowledgeBase
from sitebuilder import kbfile, skeleton

NAME = "docs/knowledge-base.yml"
KB_TEXT = KB_PATH.read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

EXAMPLE = re.compile(r"^<!-- example: (?P<spec>.*?) -->\n```yaml\n(?P<body>.*?)^```$", re.M | re.S)
ACTION = re.compile(
    r"(?P<verb>insert under|merge into|replace) (?P<path>\S+)"
    r"|top of (?P<file>docs/knowledge-base\.yml)"
    r"|output of make new KIND=(?P<kind>\S+)(?: PILLAR=(?P<pillar>\S+))?"
)
CLAUSE = re.compile(r';\s*(?P<name>group|error):\s*(?:"(?P<quoted>[^"]*)"|(?P<word>[\w-]+))')
SEGMENT = re.compile(r"(?P<name>[a-z_]+)(?:\[(?P<key>[a-z_]+)=(?P<value>[a-z0-9_]+)\])?")


@dataclass(frozen=True)
class Example:
    line: int
    action: re.Match[str]
    group: str
    errors: tuple[str, ...]
    body: str

    @property
    def name(self) -> str:
        return f"line {self.line}: {self.action[0]}"


def parse_examples(text: str) -> list[Example]:
    examples = []
    for match in EXAMPLE.finditer(text):
        action_text, semicolon, rest = match["spec"].partition(";")
        action = ACTION.fullmatch(action_text.strip())
        line = text.count("\n", 0, match.start()) + 1
        assert action, f"CONTRIBUTING.md:{line}: unknown example action {action_text!r}"
        clauses = [(c["name"], c["quoted"] or c["word"]) for c in CLAUSE.finditer(semicolon + rest)]
        leftover = CLAUSE.sub("", semicolon + rest).strip()
        assert not leftover, f"CONTRIBUTING.md:{line}: cannot read {leftover!r} in the example comment"
        groups = [value for name, value in clauses if name == "group"]
        errors = tuple(value for name, value in clauses if name == "error")
        examples.append(Example(line, action, groups[0] if groups else "", errors, match["body"]))
    return examples


EXAMPLES = parse_examples(CONTRIBUTING)
KB_EXAMPLES = [e for e in EXAMPLES if e.action["verb"]]


def cases() -> list[Any]:
    """One case per group (its good examples together), per ungrouped example, and per error example."""
    found = []
    groups: dict[str, list[Example]] = {}
    for example in KB_EXAMPLES:
        if example.group:
            groups.setdefault(example.group, [])
            if not example.errors:
                groups[example.group].append(example)
        elif not example.errors:
            found.append(pytest.param([example], None, id=example.name))
    for name, good in groups.items():
        found.append(pytest.param(good, None, id=f"group {name}"))
    for example in KB_EXAMPLES:
        if example.errors:
            found.append(pytest.param(groups.get(example.group, []), example, id=example.name))
    return found


@pytest.fixture(scope="module")
def kb_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(KB_TEXT, Loader=_Loader)
    return data


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return kbfile.load_text(KB_TEXT, NAME)


def resolve(data: Any, path: str) -> tuple[Any, Any]:
    """``(container, key)`` such that ``container[key]`` is the value at ``path``."""
    container: Any = None
    key: Any = None
    node = data
    for segment in path.split("."):
        match = SEGMENT.fullmatch(segment)
        assert match, f"{path}: cannot read {segment!r}"
        assert isinstance(node, dict) and match["name"] in node, f"{path}: no field {match['name']!r}"
        container, key = node, match["name"]
        node = node[key]
        if match["key"]:
            hits = [
                index
                for index, item in enumerate(node)
                if isinstance(item, dict) and str(item.get(match["key"])) == match["value"]
            ]
            assert len(hits) == 1, f"{path}: {len(hits)} entries match [{match['key']}={match['value']}]"
            container, key = node, hits[0]
            node = node[key]
    return container, key


def apply(data: dict[str, Any], example: Example) -> None:
    value = yaml.load(example.body, Loader=_Loader)
    container, key = resolve(data, example.action["path"])
    node = container[key]
    verb = example.action["verb"]
    if verb == "insert under":
        assert isinstance(node, list), f"{example.name}: not a list"
        node.extend(value if isinstance(value, list) else [value])
    elif verb == "merge into":
        assert isinstance(node, dict) and isinstance(value, dict), f"{example.name}: not two mappings"
        node.update(value)
    else:
        if isinstance(key, int) and isinstance(value, list):
            (value,) = value
        container[key] = value


def dump(data: dict[str, Any]) -> str:
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000)
    return text


def problems(text: str) -> list[str]:
    """The messages of the KB's problems (without file, line and field); empty when it loads."""
    try:
        kbfile.load_text(text, NAME)
    except KnowledgeBaseError as error:
        return [problem.message for problem in error.located]
    return []


def test_every_yaml_block_is_a_recognised_example() -> None:
    fences = re.findall(r"^```yaml$", CONTRIBUTING, re.M)
    assert len(fences) == len(EXAMPLES), (
        "every ```yaml block needs an <!-- example: ... --> comment before it"
    )
    groups = {e.group for e in KB_EXAMPLES if e.group}
    for group in groups:
        assert any(e.group == group and not e.errors for e in KB_EXAMPLES), (
            f"group {group} has no good example"
        )
    assert len(KB_EXAMPLES) >= 10


def test_the_unchanged_kb_survives_the_round_trip(kb_data: dict[str, Any]) -> None:
    assert problems(dump(kb_data)) == []


@pytest.mark.parametrize(("good", "wrong"), cases())
def test_example_applies(kb_data: dict[str, Any], good: list[Example], wrong: Example | None) -> None:
    data = copy.deepcopy(kb_data)
    for example in good:
        apply(data, example)
    if wrong is None:
        assert problems(dump(data)) == [], [e.name for e in good]
        return
    apply(data, wrong)
    found = problems(dump(data))
    assert len(found) == len(wrong.errors), found
    for documented in wrong.errors:
        assert any(documented in message for message in found), (documented, found)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.action["file"]], ids=lambda e: e.name)
def test_example_is_the_top_of_the_kb(example: Example) -> None:
    assert KB_TEXT.startswith(example.body)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.action["kind"]], ids=lambda e: e.name)
def test_example_is_the_output_of_make_new(kb: KnowledgeBase, example: Example) -> None:
    expected = skeleton.skeleton(kb, example.action["kind"], example.action["pillar"])
    assert example.body == expected, "update CONTRIBUTING.md with the output of the make new command"


# --------------------------------------------------------------------------------------- make new


def where(text: str) -> tuple[str, str | None]:
    """The paths a skeleton's comment names: where to paste it, and (for a reference) what cites it."""
    comment = " ".join(
        line.strip().removeprefix("#").strip() for line in text.splitlines() if line.strip().startswith("#")
    )
    paste = re.search(r"Paste under (\S+)", comment)
    cite = re.search(r"cites of the item it supports, such as (\S+?)\.?(?:\s|$)", comment)
    assert paste, text
    return paste[1], cite[1] if cite else None


def paste(kb_text: str, text: str, path: str) -> str:
    """``text`` pasted as is, after the last entry of the list at ``path`` in ``kb_text``."""
    node = yaml.compose(kb_text, Loader=_Loader)
    for segment in path.split("."):
        match = SEGMENT.fullmatch(segment)
        assert match and isinstance(node, yaml.MappingNode)
        node = next(value for key, value in node.value if key.value == match["name"])
        if match["key"]:
            node = next(
                item
                for item in node.value
                if any(k.value == match["key"] and v.value == match["value"] for k, v in item.value)
            )
    assert isinstance(node, yaml.SequenceNode) and node.flow_style is False, path
    lines = kb_text.splitlines(keepends=True)
    end = node.end_mark.line  # a block list ends where the next token starts, on a line of its own
    return "".join([*lines[:end], text, *lines[end:]])


def pasted(kb_text: str, text: str) -> str:
    """The KB with a skeleton pasted where its comment says (and, for a reference, cited as it says)."""
    target, citing = where(text)
    result = paste(kb_text, text, target)
    if citing is None:
        return result
    data = yaml.load(result, Loader=_Loader)
    container, key = resolve(data, citing)
    ident = re.search(r"^\s*- id: (\S+)", text, re.M)
    assert ident
    container[key].setdefault("cites", []).append(ident[1])
    return dump(data)


SKELETONS = [
    ("practice", "reliability"),
    ("practice", "operational_excellence"),
    ("question", "reliability"),
    ("question", "sustainability"),
    ("quiz-question", "security"),
    ("quiz-question", "performance_efficiency"),
    ("reference", None),
    ("reference", "cost_optimization"),
]
PREFIXES = {
    "operational_excellence": "oe_",
    "security": "sec_",
    "reliability": "rel_",
    "performance_efficiency": "perf_",
    "cost_optimization": "cost_",
    "sustainability": "sus_",
}


@pytest.mark.parametrize(("kind", "pillar"), SKELETONS)
def test_skeleton_builds_where_it_says(kb: KnowledgeBase, kind: str, pillar: str | None) -> None:
    text = skeleton.skeleton(kb, kind, pillar)
    ident = re.search(r"^\s*- id: (\S+)", text, re.M)
    assert ident and ident[1] not in skeleton.taken_ids(kb)
    if pillar is not None and kind != "reference":
        prefix = PREFIXES[pillar]
        assert ident[1].startswith(prefix[:-1] + "q_" if kind == "quiz-question" else prefix)
    assert problems(pasted(KB_TEXT, text)) == []


def test_prefixes_come_from_the_kb(kb: KnowledgeBase) -> None:
    assert {pillar.id: skeleton.pillar_prefix(kb, pillar.id) for pillar in kb.pillars} == PREFIXES


def test_question_skeleton_follows_the_choice_convention(kb: KnowledgeBase) -> None:
    text = skeleton.skeleton(kb, "question", "security")
    (question,) = yaml.load(text, Loader=_Loader)
    for choice in question["choices"]:
        assert choice["id"].startswith(question["id"] + "_")
    conditions = " ".join(rule["condition"] for rule in question["risk_rules"])
    assert set(re.findall(r"[a-z][a-z0-9_]+", conditions)) - {"default"} <= {
        c["id"] for c in question["choices"]
    }


def test_taken_ids_get_a_numeric_suffix(kb: KnowledgeBase) -> None:
    first = skeleton.skeleton(kb, "practice", "reliability")
    once = pasted(KB_TEXT, first)
    again = skeleton.skeleton(kbfile.load_text(once, NAME), "practice", "reliability")
    assert "- id: rel_new_practice_2 " in again
    assert problems(pasted(once, again)) == []


def copied(text: str, first: str, after: str, *renames: tuple[str, str]) -> str:
    """``text`` with the block of lines from ``first`` up to ``after`` repeated, renamed, after itself."""
    start, end = text.index(first), text.index(after)
    block = text[start:end]
    for old, new in renames:
        block = block.replace(old, new)
    return text[:end] + block + text[end:]


def test_a_new_pillar_gets_its_own_prefix(tmp_path: Any, capsys: Any) -> None:
    text = copied(
        KB_TEXT,
        "  - id: reliability\n",
        "  - id: performance_efficiency\n",
        ("id: reliability\n", "id: governance\n"),
        ("id_prefix: rel\n", "id_prefix: gov\n"),
        ("name: Reliability\n", "name: Governance\n"),
        ("lens_pillar_id: reliability\n", "lens_pillar_id: governance\n"),
        ("id: rel_", "id: gov_"),
    )
    text = copied(
        text,
        "  - id: reliability_quiz\n",
        "  - id: performance_efficiency_quiz\n",
        ("id: reliability_quiz", "id: governance_quiz"),
        ("pillar: reliability", "pillar: governance"),
        ("id: relq_", "id: govq_"),
    )
    assert problems(text) == []
    path = tmp_path / "knowledge-base.yml"
    path.write_text(text, encoding="utf-8")
    for kind, expected in (
        ("practice", "gov_new_practice"),
        ("question", "gov_new_question"),
        ("quiz-question", "govq_new_question"),
    ):
        assert skeleton.main([kind, "--pillar", "governance", "--kb", str(path)]) == 0
        out = capsys.readouterr().out
        assert f"- id: {expected} " in out
        assert problems(pasted(text, out)) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["practice", "--pillar", "relability"], "unknown pillar 'relability' (did you mean 'reliability'?)"),
        (["question"], "a question belongs to a pillar"),
        (["pratice"], "invalid choice: 'pratice'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(argv: list[str], message: str, capsys: Any) -> None:
    with pytest.raises(SystemExit) as caught:
        skeleton.main(argv)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_make_new_runs_the_skeleton_with_the_venv() -> None:
    result = subprocess.run(
        ["make", "-n", "new", "KIND=practice", "PILLAR=reliability"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ".venv/bin/python -m sitebuilder.skeleton 'practice' --pillar 'reliability'" in result.stdout


def _section(title: str) -> str:
    start = CONTRIBUTING.index(f"\n## {title}\n")
    return CONTRIBUTING[start : CONTRIBUTING.index("\n## ", start + 1)]


def _schema_fields(node: Any) -> set[str]:
    """Every property name the KB's schema defines, at any depth."""
    found: set[str] = set()
    if isinstance(node, dict):
        found |= set(node.get("properties", {}))
        for value in node.values():
            found |= _schema_fields(value)
    elif isinstance(node, list):
        for value in node:
            found |= _schema_fields(value)
    return found


def test_how_to_verify_a_statement_names_the_kb_fields_that_hold_sources() -> None:
    section = _section("How to verify a statement")
    named = {part for name in re.findall(r"`([a-z_.]+)", section) for part in name.split(".")}
    fields = _schema_fields(kbfile.schema())
    for field in ("cites", "references", "reference", "note", "status", "state", "since", "replacement"):
        assert field in named, field
        assert field in fields, field
    # The fields the content checks read, each named where a contributor looks for how to get past them.
    for field in ("impact_reason", "effort_reason", "distinct_practices", "lens_refs"):
        assert field in named and field in fields, field
    assert "former_names" in _section("Rules that hold everywhere in the KB") and "former_names" in fields
    assert "effort_scale_signals" in _section("Add a checklist question") and "effort_scale_signals" in fields

"""Every validation rule, on good and bad input: one line per problem, with the right line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist import kbfile
from checklist.problems import KnowledgeBaseError

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal-kb.yml").read_text()
NAME = "docs/knowledge-base.yml"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def problems(text: str) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        kbfile.load_text(text, NAME)
    lines = str(caught.value).splitlines()
    assert lines == [p.render(NAME) for p in caught.value.problems]
    return lines


def broken(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


def test_minimal_kb_loads() -> None:
    kb = kbfile.load_text(MINIMAL, NAME)
    assert [p.id for p in kb.pillars] == ["pillar_one"]
    assert kb.pillars[0].practices[0].services == ("service_one",)
    assert kb.pillars[0].slug == "pillar-one"


def test_real_kb_loads() -> None:
    kb = kbfile.load(Path(__file__).parent.parent / "docs" / "knowledge-base.yml")
    assert len(kb.pillars) == 6
    assert len(kb.references) == 37


def test_yaml_syntax_error_names_line_and_column() -> None:
    text = broken("    name: Pillar One\n", "    name: Pillar One\n    summary: [unclosed\n")
    (message,) = problems(text)
    assert message.startswith(f"{NAME}:{line_of(text, '[unclosed') + 1}:")
    assert ": yaml: " in message


def test_yaml_tab_indentation_is_reported_not_raised() -> None:
    text = broken("  summary: Why the framework matters.", "\tsummary: Why the framework matters.")
    (message,) = problems(text)
    assert message.startswith(f"{NAME}:{line_of(text, 'Why the framework')}:")


def test_missing_required_field() -> None:
    text = broken("      industry: Retail\n", "")
    assert problems(text) == [
        f"{NAME}:{line_of(text, '    example:')}: pillars[0].example: missing required field 'industry'"
    ]


def test_unknown_field_points_at_its_own_line() -> None:
    text = broken("    name: Pillar One\n", "    name: Pillar One\n    colour: blue\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'colour: blue')}: pillars[0].colour: unknown field 'colour' "
        "(allowed: cites, considerations, example, id, lens_pillar_id, name, outcome, practices, summary)"
    ]


def test_wrong_type() -> None:
    text = broken("        services: [service_one]", "        services: service_one")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'services: service_one')}: pillars[0].practices[0].services: "
        "must be an array, not a string"
    ]


def test_bad_id_pattern() -> None:
    text = broken("  - id: pillar_one", "  - id: Pillar-One")
    (message,) = problems(text)
    assert message.startswith(
        f"{NAME}:{line_of(text, 'Pillar-One')}: pillars[0].id: 'Pillar-One' is not valid:"
    )
    assert "a-z" in message


def test_too_long_title() -> None:
    text = broken("        title: Do the first thing", "        title: " + "x" * 81)
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'x' * 81)}: pillars[0].practices[0].title: "
        "must be at most 80 characters (has 81)"
    ]


def test_blank_text() -> None:
    text = broken("        text: Consider the first thing.", "        text: '   '")
    assert problems(text) == [
        f"{NAME}:{line_of(text, "text: '   '")}: pillars[0].considerations[0].text: must not be blank"
    ]


def test_reference_url_must_be_https() -> None:
    text = broken("url: https://example.com/beta", "url: http://example.com/beta")
    (message,) = problems(text)
    assert message.startswith(f"{NAME}:{line_of(text, 'http://example.com/beta')}: references[1].url:")
    assert "https" in message


def test_bad_enum() -> None:
    text = broken("        impact: low", "        impact: medium")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'impact: medium')}: assessment.prioritization.rules[2].impact: "
        "must be one of high, low (got 'medium')"
    ]


def test_duplicate_id_across_sections() -> None:
    text = broken("        - id: point_one", "        - id: practice_one")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'id: practice_one', 2)}: assessment.steps[0].points[0].id: "
        "id 'practice_one' is already used by pillars[0].practices[0].id"
    ]


def test_duplicate_key() -> None:
    text = broken("    name: Pillar One\n", "    name: Pillar One\n    name: Pillar Uno\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'Pillar Uno')}: pillars[0].name: duplicate key; the later one wins"
    ]


def test_unknown_citation_suggests_the_closest_id() -> None:
    text = broken("        cites: [ref_beta]", "        cites: [ref_betta]")
    found = problems(text)
    assert (
        f"{NAME}:{line_of(text, 'ref_betta')}: pillars[0].practices[0].cites[0]: "
        "unknown reference 'ref_betta' (did you mean 'ref_beta'?)" in found
    )
    # ref_beta is now cited nowhere: reported too, in the same run.
    assert (
        f"{NAME}:{line_of(text, 'id: ref_beta')}: references[1].id: "
        "'ref_beta' is not used: list it in the cites of an item, or remove it" in found
    )


def test_unknown_service() -> None:
    text = broken("        services: [service_one]", "        services: [service_two]")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'service_two')}: pillars[0].practices[0].services[0]: "
        "unknown service 'service_two' (did you mean 'service_one'?)",
        f"{NAME}:{line_of(text, 'id: service_one')}: services[0].id: "
        "'service_one' is not used: list it in the services of an item, or remove it",
    ]


def test_prioritization_gap_and_overlap() -> None:
    gap = broken("        effort: high\n", "        effort: low\n")
    rules_line = line_of(gap, "    rules:")
    assert problems(gap) == [
        f"{NAME}:{rules_line}: assessment.prioritization.rules: "
        "high impact with low effort matches more than one rule: 'rule_quick', 'rule_long'",
        f"{NAME}:{rules_line}: assessment.prioritization.rules: no rule covers high impact with high effort",
    ]


def test_duplicate_lens_pillar_id() -> None:
    second = MINIMAL.split("pillars:\n", 1)[1].split("assessment:", 1)[0]
    second = second.replace("pillar_one", "pillar_two").replace("consideration_one", "consideration_two")
    second = second.replace("practice_one", "practice_two")
    text = MINIMAL.replace("assessment:", second + "assessment:", 1)
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'lens_pillar_id: pillarOne', 2)}: pillars[1].lens_pillar_id: "
        "'pillarOne' is used by another pillar"
    ]


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    text = broken("  name: Test framework", "  name: ''")
    text = text.replace("        impact: low", "        impact: none")
    text = text.replace("    title: Beta", "    title: Beta\n    extra: 1")
    found = problems(text)
    assert len(found) == 3
    assert [int(line.split(":")[1]) for line in found] == sorted(int(line.split(":")[1]) for line in found)


def test_not_a_mapping() -> None:
    assert problems("- just\n- a list\n") == [
        f"{NAME}:1: (top level): the file must hold a mapping of sections"
    ]


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        kbfile.load(tmp_path / "missing.yml", NAME)
    assert str(caught.value).startswith(f"{NAME}:1: file: cannot read:")


def test_cached_load_rereads_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "kb.yml"
    path.write_text(MINIMAL)
    first = kbfile.load_cached(path)
    assert kbfile.load_cached(path) is first
    path.write_text(MINIMAL.replace("Pillar One", "Pillar Uno"))
    assert kbfile.load_cached(path).pillars[0].name == "Pillar Uno"

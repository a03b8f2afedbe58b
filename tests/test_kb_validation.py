"""Every validation rule, on good and bad input: one line per problem, with the right line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.kbproblems import KnowledgeBaseError
from sitebuilder import kbfile

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
    assert lines == [p.render(NAME) for p in caught.value.located]
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
    assert kb.references and kb.checklist is not None


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
        "(allowed: cites, considerations, example, id, id_prefix, lens_pillar_id, name, outcome, practices, summary)"
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
    text = broken("        cites: [ref_beta]", "        cites: [ref_betaa2]")
    found = problems(text)
    assert (
        f"{NAME}:{line_of(text, 'ref_betaa2')}: pillars[0].practices[0].cites[0]: "
        "unknown reference 'ref_betaa2' (did you mean 'ref_beta'?) (references are defined under `references:`)"
        in found
    )
    # ref_beta is now cited nowhere: reported too, in the same run.
    assert (
        f"{NAME}:{line_of(text, 'id: ref_beta')}: references[1].id: "
        "'ref_beta' is not used: list it in the cites of an item, or remove it" in found
    )


def test_a_misspelt_definition_is_reported_once_on_its_own_line() -> None:
    # The contributor misspells the reference's own id; every citation of it is right.
    text = FULL.replace("  - id: ref_beta\n", "  - id: ref_btea\n")
    assert FULL.count("ref_beta") >= 2
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'id: ref_btea')}: references[1].id: 'ref_btea' is used nowhere, but 'ref_beta' "
        f"is used {FULL.count('ref_beta') - 1} times and defined nowhere: this id is probably misspelt"
    ]
    # One citation, one definition: the message cannot tell which is wrong, and says so.
    text = broken("        cites: [ref_beta]", "        cites: [ref_betta]")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'id: ref_beta')}: references[1].id: 'ref_beta' is used nowhere, but 'ref_betta' "
        "is used once (pillars[0].practices[0].cites[0]) and defined nowhere: one of the two is misspelt"
    ]


def test_two_references_with_one_url_are_an_error() -> None:
    url = (FULL.split("  - id: ref_alpha\n", 1)[1].split("url: ", 1)[1]).split("\n", 1)[0]
    text = FULL.replace(f"url: {url}", "url: https://example.com/same").replace(
        "url: https://example.com/beta", "url: https://example.com/same"
    )
    found = problems(text)
    assert found == [
        f"{NAME}:{line_of(text, 'https://example.com/same', 2)}: references[1].url: the same URL as reference "
        "'ref_alpha': cite that one instead"
    ]


def test_ids_follow_the_conventions_and_the_message_says_which() -> None:
    text = FULL.replace("    name: Pillar One\n", "    name: Pillar One\n    id_prefix: one\n")
    found = problems(text)
    assert (
        f"{NAME}:{line_of(text, '- id: practice_one')}: pillars[0].practices[0].id: 'practice_one' should start "
        "with 'one_': the pillar_one pillar's practices start with its id_prefix (see CONTRIBUTING.md, Id "
        "conventions)" in found
    )
    assert any("checklist.questions[0].id: 'check_one' should start with 'one_'" in p for p in found)
    text = broken_full("        - id: check_one_b\n", "        - id: other_b\n").replace(
        "check_one_b", "other_b"
    )
    assert any(
        "checklist.questions[0].choices[1].id: 'other_b' should start with 'check_one_': a choice's id starts "
        "with its question's id and _" in p
        for p in problems(text)
    )


def test_unknown_service() -> None:
    text = broken("        services: [service_one]", "        services: [service_two]")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'service_two')}: pillars[0].practices[0].services[0]: "
        "unknown service 'service_two' (did you mean 'service_one'?) (services are defined under `services:`)",
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


FULL = MINIMAL + (Path(__file__).parent / "fixtures" / "minimal-quizzes-checklist.yml").read_text()


def broken_full(old: str, new: str) -> str:
    assert FULL.count(old) == 1, old
    return FULL.replace(old, new)


def test_quizzes_and_checklist_load() -> None:
    kb = kbfile.load_text(FULL, NAME)
    assert kb.pillar_quiz("pillar_one") is kb.quiz("quiz-one")
    assert kb.checklist is not None
    assert kb.checklist.questions[0].none_choice == "check_one_no"


def test_quiz_with_no_correct_option() -> None:
    text = broken_full(
        "          - text: This one\n            correct: true\n", "          - text: This one\n"
    )
    assert problems(text) == [
        f"{NAME}:{line_of(text, '        options:')}: quizzes[0].questions[0].options: "
        "no option is marked `correct: true`; mark exactly one, or set `multi: true`"
    ]


def test_quiz_with_two_correct_options_unless_multi() -> None:
    text = broken_full(
        "          - text: That one\n", "          - text: That one\n            correct: true\n"
    )
    (message,) = problems(text)
    assert message.endswith(
        "quizzes[0].questions[0].options: 2 options are marked `correct: true`; "
        "mark exactly one, or set `multi: true`"
    )


def test_multi_answer_quiz_needs_a_correct_option() -> None:
    text = FULL.replace("          - text: First\n            correct: true\n", "          - text: First\n")
    text = text.replace("          - text: Second\n            correct: true\n", "          - text: Second\n")
    (message,) = problems(text)
    assert message.endswith("quizzes[0].questions[1].options: no option is marked `correct: true`")


def test_duplicated_quiz_option() -> None:
    text = broken_full("          - text: That one\n", "          - text: this  ONE\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'this  ONE')}: quizzes[0].questions[0].options[1].text: same text as option 1"
    ]


def test_quiz_option_count_is_two_to_six() -> None:
    text = broken_full("          - text: That one\n", "")
    (message,) = problems(text)
    assert message.endswith("quizzes[0].questions[0].options: must have at least 2 entries (has 1)")


def test_quiz_cites_must_exist() -> None:
    text = broken_full(
        "        explanation: Because it is.\n        cites: [ref_alpha]",
        "        explanation: Because it is.\n        cites: [ref_gamma]",
    )
    assert any("quizzes[0].questions[0].cites[0]: unknown reference 'ref_gamma'" in p for p in problems(text))


def test_every_pillar_needs_its_quiz() -> None:
    text = broken_full(
        "    title: Check your understanding\n    pillar: pillar_one\n",
        "    title: Check your understanding\n",
    )
    assert problems(text) == [
        f"{NAME}:{line_of(text, '  - id: pillar_one')}: pillars[0].id: "
        "pillar 'pillar_one' has no quiz (set `pillar: pillar_one` on one)"
    ]


def test_risk_rule_with_unknown_choice_and_syntax_error() -> None:
    text = broken_full(
        "check_one_a && (check_one_b || check_one_c)", "check_one_a && (check_one_b || check_one_d"
    )
    (message,) = problems(text)
    assert message == (
        f"{NAME}:{line_of(text, 'check_one_d')}: checklist.questions[0].risk_rules[0].condition: cannot parse "
        "'check_one_a && (check_one_b || check_one_d': the '(' at character 16 is never closed"
    )
    text = broken_full("- condition: check_one_a\n", "- condition: check_one_a || check_one_x\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'check_one_x')}: checklist.questions[0].risk_rules[1].condition: "
        "unknown choice 'check_one_x' (did you mean 'check_one_c'?)"
    ]


def test_none_choice_may_appear_in_conditions() -> None:
    kbfile.load_text(
        broken_full("- condition: check_one_a\n", "- condition: check_one_a || check_one_no\n"), NAME
    )


def test_default_must_be_last_and_present() -> None:
    text = broken_full("        - condition: default\n", "        - condition: check_one_b\n")
    assert problems(text)[-1].endswith(
        "checklist.questions[0].risk_rules[2].condition: the last rule must be 'default', so every answer gets a risk"
    )
    text = broken_full("- condition: check_one_a\n", "- condition: default\n")
    assert any("risk_rules[1].condition: 'default' must be the last rule" in p for p in problems(text))


def test_at_most_three_risk_rules() -> None:
    text = broken_full(
        "      risk_rules:\n", "      risk_rules:\n        - condition: check_one_c\n          risk: none\n"
    )
    (message,) = problems(text)
    assert message.endswith("checklist.questions[0].risk_rules: must have at most 3 entries (has 4)")


def test_buckets_cover_every_impact_effort_pair_once() -> None:
    # The middle values moved from the last bucket to the first: high/medium twice, medium/* nowhere.
    text = broken_full(
        "      middle: [{impact: medium, effort: any}]\n", "      middle: [{impact: high, effort: medium}]\n"
    )
    found = problems(text)
    assert any(
        "high impact with medium effort falls in more than one bucket: 'bucket_first', 'bucket_rest'" in p
        for p in found
    )
    assert any("no bucket takes medium impact with low effort" in p for p in found)


def test_buckets_apply_the_assessment_rules() -> None:
    """Buckets derive from the assessment's prioritization rules: each rule once, middle values declared."""
    text = broken_full("      rule: rule_long\n", "      rule: rule_lnog\n")
    found = problems(text)
    assert any(
        "checklist.buckets[1].rule: unknown prioritization rule 'rule_lnog' (did you mean 'rule_long'?)" in p
        for p in found
    )
    assert any("no bucket applies the prioritization rule 'rule_long'" in p for p in found)
    text = broken_full("      rule: rule_long\n", "      rule: rule_quick\n")
    assert any(
        "checklist.buckets[1].rule: rule 'rule_quick' is already applied by bucket 'bucket_first'" in p
        for p in problems(text)
    )
    text = broken_full(
        "      middle: [{impact: high, effort: medium}]\n", "      middle: [{impact: high, effort: low}]\n"
    )
    assert any(
        "checklist.buckets[0].middle[0]: a middle value has medium impact or medium effort" in p
        for p in problems(text)
    )


def test_question_focus_names_a_focus_area() -> None:
    text = broken_full("      focus: data\n", "      focus: dta\n")
    assert any(
        "checklist.questions[0].focus: unknown focus area 'dta' (did you mean 'data'?)" in p
        for p in problems(text)
    )


def test_choice_reference_and_lens_ref_forms() -> None:
    text = broken_full("          reference: ref_beta\n", "          reference: ref_betaa\n")
    assert any(
        "checklist.questions[0].choices[0].reference: unknown reference 'ref_betaa'" in p
        for p in problems(text)
    )
    text = broken_full("lens_refs: [MLOPS03-BP01]", "lens_refs: [MLSOP03-BP01]")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'MLSOP03-BP01')}: checklist.questions[0].choices[0].lens_refs[0]: unknown ML Lens "
        "best practice 'MLSOP03-BP01' (did you mean 'MLOPS03-BP01'?) (lens_practices, at the end of the file, "
        "lists the real ones)"
    ]


def test_no_choice_links_to_the_ml_lens_landing_page() -> None:
    landing = (
        "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/machine-learning-lens.html"
    )
    text = broken_full("          reference: ref_beta\n", f"          reference: {landing}\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, landing)}: checklist.questions[0].choices[0].reference: links to the ML Lens "
        "landing page; leave `reference` out and it links to MLOPS03-BP01's own page"
    ]
    kb = kbfile.load_text(broken_full("          reference: ref_beta\n", ""), NAME)
    assert kb.checklist is not None
    choice = kb.checklist.questions[0].choices[0]
    assert kb.reference_url(choice) == (
        "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/mlops03-bp01.html"
    )


def test_a_choice_without_lens_refs_names_its_phase() -> None:
    text = broken_full("          phase: monitoring\n", "")
    assert problems(text) == [
        f"{NAME}:{line_of(text, '- id: check_one_c')}: checklist.questions[0].choices[2].phase: a choice "
        "without lens_refs needs a phase (one of lens_phases)"
    ]
    text = broken_full("          phase: monitoring\n", "          phase: monitorign\n")
    assert problems(text)[0].endswith(
        "unknown phase 'monitorign' (did you mean 'monitoring'?) (see lens_phases)"
    )


def test_applies_if_names_scope_options() -> None:
    scope = (
        "  scope:\n    - id: inference_mode\n      question: How?\n      options:\n"
        "        - {id: realtime_inference, label: Real time}\n        - {id: batch_only, label: Batch only}\n"
    )
    text = broken_full("  buckets:\n", scope + "  buckets:\n")
    text = text.replace(
        "      focus: data\n", "      focus: data\n      applies_if: realtime_inferense || (\n"
    )
    found = problems(text)
    assert found == [
        f"{NAME}:{line_of(text, 'applies_if')}: checklist.questions[0].applies_if: cannot parse "
        "'realtime_inferense || (': the condition ends too early"
    ]
    text = text.replace("realtime_inferense || (", "realtime_inferense")
    assert problems(text)[0].endswith(
        "unknown scope option 'realtime_inferense' (did you mean 'realtime_inference'?) (checklist.scope lists them)"
    )
    assert kbfile.load_text(text.replace("realtime_inferense", '"!batch_only"'), NAME)


def test_a_scope_question_s_condition_names_earlier_options_and_says_what_it_counts_as() -> None:
    scope = (
        "  scope:\n    - id: model_source\n      question: Models?\n      options:\n"
        "        - {id: own_models, label: Own}\n        - {id: prebuilt_ai_only, label: Pre-built}\n"
        "    - id: hosting\n      question: Where?\n      applies_if: own_models\n      otherwise: managed_only\n"
        "      options:\n        - {id: self_managed_compute, label: Self}\n        - {id: managed_only, label: Managed}\n"
    )
    good = broken_full("  buckets:\n", scope + "  buckets:\n")
    kb = kbfile.load_text(good, NAME)
    assert kb.checklist is not None
    assert (kb.checklist.scope[1].applies_if, kb.checklist.scope[1].otherwise) == (
        "own_models",
        "managed_only",
    )
    # A condition on its own or a later question's options could not be answered in order.
    text = good.replace("applies_if: own_models", "applies_if: managed_only")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'applies_if')}: checklist.scope[1].applies_if: unknown scope option "
        "'managed_only' (a scope question names the options before it)"
    ]
    text = good.replace("      otherwise: managed_only\n", "")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'id: hosting')}: checklist.scope[1].otherwise: needs the option it counts "
        "as when not asked"
    ]
    text = good.replace("otherwise: managed_only", "otherwise: managed")
    assert problems(text)[0].endswith(
        "checklist.scope[1].otherwise: 'managed' is not one of its options (did you mean 'managed_only'?)"
    )
    text = good.replace("      applies_if: own_models\n", "")
    assert problems(text)[0].endswith(
        "checklist.scope[1].otherwise: only a scope question with applies_if needs it"
    )


def test_moved_ids_are_retired_and_point_at_what_exists() -> None:
    moved = (
        "  moved:\n    - {id: check_one_b, to: check_one_a, why: Merged.}\n"
        "    - {id: check_one_old, to: check_one_x, why: Merged.}\n"
    )
    text = broken_full("  buckets:\n", moved + "  buckets:\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'id: check_one_b, to')}: checklist.moved[0].id: 'check_one_b' is still in use: "
        "only a retired id can move",
        f"{NAME}:{line_of(text, 'check_one_x')}: checklist.moved[1].to: unknown question or choice 'check_one_x' "
        "(did you mean 'check_one_c'?)",
    ]


def test_a_service_with_a_status_is_listed_wherever_it_is_named() -> None:
    status = "    status: {state: retired, since: 2023-04-15, replacement: Service Two}\n"
    text = broken_full("    name: Service One\n", "    name: Service One\n" + status)
    text = text.replace("          title: Practice A\n", "          title: Practice A with Service One\n")
    found = problems(text)
    assert found == [
        f"{NAME}:{line_of(text, '- id: check_one_a')}: checklist.questions[0].choices[0].services: names Service "
        "One, which has a status: list 'service_one' in services so the page shows its caveat",
        f"{NAME}:{line_of(text, 'Practice A with')}: checklist.questions[0].choices[0].title: is titled after "
        "Service One, which is no longer available",
    ]
    kb = kbfile.load_text(broken_full("    name: Service One\n", "    name: Service One\n" + status), NAME)
    assert kb.service("service_one").caveat == (
        "Service One is no longer available (AWS stopped offering it to new customers on April 15, 2023); "
        "use Service Two instead."
    )


def test_reserved_none_choice_id() -> None:
    text = broken_full("        - id: check_one_c\n", "        - id: check_one_no\n")
    text = text.replace("check_one_b || check_one_c", "check_one_b || check_one_no")
    assert any("'check_one_no' is reserved" in p for p in problems(text))


def test_unknown_pillar_on_question() -> None:
    text = broken_full("      pillar: pillar_one\n      focus", "      pillar: pillar_once\n      focus")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'pillar_once')}: checklist.questions[0].pillar: "
        "unknown pillar 'pillar_once' (did you mean 'pillar_one'?)"
    ]


def test_a_known_valid_kb_is_not_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kb.yml"
    path.write_text(FULL)
    marks = tmp_path / "valid"
    kbfile._cache.clear()
    first = kbfile.load_cached(path, known_valid=marks)
    assert len(list(marks.iterdir())) == 1
    kbfile._cache.clear()

    def no_validation(*args: object) -> list[object]:
        raise AssertionError("validated again")

    monkeypatch.setattr(kbfile, "validate", no_validation)
    assert kbfile.load_cached(path, known_valid=marks) == first  # same text: trusted
    kbfile._cache.clear()
    path.write_text(FULL.replace("Pillar One", "Pillar Uno"))
    with pytest.raises(AssertionError, match="validated again"):  # changed text: checked
        kbfile.load_cached(path, known_valid=marks)
    kbfile._cache.clear()
    monkeypatch.undo()
    path.write_text(
        FULL.replace(
            "        impact: high\n        effort: low\n", "        impact: urgent\n        effort: low\n", 1
        )
    )
    with pytest.raises(KnowledgeBaseError):  # and a broken one is never marked valid
        kbfile.load_cached(path, known_valid=marks)


def test_a_known_valid_mark_that_holds_no_model_means_check_again(tmp_path: Path) -> None:
    """Builds before the model was kept left empty marks (and a build may be cut off mid-write): such a
    mark is no verdict, so the text is checked and loaded again, and the mark then holds its model."""
    path = tmp_path / "kb.yml"
    path.write_text(FULL.replace("Pillar One", "Pillar Uno"))
    marks = tmp_path / "valid"
    kbfile._cache.clear()
    expected = kbfile.load_cached(path, known_valid=marks)
    (mark,) = marks.iterdir()
    for damaged in (b"", b"\x80\x05 cut off"):
        mark.write_bytes(damaged)
        kbfile._cache.clear()
        assert kbfile.load_cached(path, known_valid=marks) == expected
        assert mark.read_bytes() not in (b"", damaged)
        kbfile._cache.clear()
        assert kbfile.load_cached(path, known_valid=marks).pillars[0].name == "Pillar Uno"


def test_a_hand_written_pillar_still_needs_its_guide() -> None:
    """Only a KB imported from a custom lens (with its `lens:` section) may have pillars without guides."""
    text = broken("    summary: What the first pillar covers.\n", "")
    assert problems(text) == [
        f"{NAME}:{line_of(text, '- id: pillar_one')}: pillars[0]: missing 'summary': a pillar's guide needs it"
    ]
    lens = "lens:\n  name: A lens\n  description: Imported.\n"
    assert kbfile.load_text(lens + text, NAME).pillars[0].summary == ""


def test_a_kb_names_its_site_and_a_bad_site_id_is_located() -> None:
    text = broken("framework:\n", "site:\n  id: team-x\n  title: Team X review site\nframework:\n")
    kb = kbfile.load_text(text, NAME)
    assert (kb.site.id, kb.site.title) == ("team-x", "Team X review site")
    bad = text.replace("id: team-x", "id: 'team:x'")
    (message,) = problems(bad)
    assert message.startswith(f"{NAME}:{line_of(bad, 'team:x')}: site.id: 'team:x' is not valid")


def test_a_kb_written_before_sites_had_ids_keeps_the_identity_it_had() -> None:
    """Saved answers are kept under the site's id: a KB with no ``site`` keeps the keys it always had,
    this project's own, or for a KB imported from a lens, those of its lens's name."""
    kb = kbfile.load_text(MINIMAL, NAME)
    assert "site:" not in MINIMAL
    assert (kb.site.id, kb.site.title) == ("wa-ml", "Well-Architected for AI/ML")
    lens = broken(
        "framework:\n", "lens:\n  name: Data & ML Platform Lens!\n  description: Ours.\nframework:\n"
    )
    imported = kbfile.load_text(lens, NAME)
    assert (imported.site.id, imported.site.title) == (
        "lens-data-ml-platform-lens",
        "Data & ML Platform Lens!",
    )

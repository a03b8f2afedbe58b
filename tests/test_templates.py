"""Review templates (checklist.templates): save, the three-way apply, provenance marks in the result and
the reports, moved ids, hostile template files, the CLI and the page's operations. On the engine's fixture
KB (tests/fixtures/engine-kb.yml): three questions, two scope questions and four moved ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from checklist import report, templates
from checklist.api import Session
from checklist.assess import assess
from checklist.errors import StateError
from checklist.migrate import VERSION
from checklist.state import State, parse_state, parse_state_text
from checklist.templates import Template, apply, parse_template, parse_template_text, save
from checklist.words import page_words
from sitebuilder import kbfile

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_KB = FIXTURES / "engine-kb.yml"
KB = kbfile.load(FIXTURE_KB)
TITLES = {
    "data_quality": "How do you keep training data sound?",
    "model_review": "How do you review models before release?",
}


def state(answers: dict[str, Any], scope: dict[str, str] | None = None, name: str = "") -> State:
    data: dict[str, Any] = {"version": VERSION, "workload": {"name": name}, "scope": scope or {}}
    data["answers"] = {q: (a if isinstance(a, dict) else {"selected": a}) for q, a in answers.items()}
    return parse_state(data, KB)


def template(answers: dict[str, Any], version: str = "1", scope: dict[str, str] | None = None) -> Template:
    return save(KB, state(answers, scope), "Landing zone", version)


def selected(s: State, question: str) -> tuple[str, ...]:
    return s.answer(question).selected


def kinds(changes: templates.Changes) -> dict[str, str]:
    return {item.question: item.kind for item in changes.items}


def marked(s: State) -> dict[str, str]:
    return {q["id"]: q["from_template"] for q in assess(KB, s)["questions"] if "from_template" in q}


# The platform team's templates: version 1, then version 2 that changes every answer version 1 gave.
V1 = {"data_quality": ["data_quality_profile"], "model_review": ["model_review_metrics"]}
V2 = {
    "data_quality": ["data_quality_profile", "data_quality_version"],
    "model_review": ["model_review_metrics", "model_review_signoff"],
    "endpoint_scaling": ["endpoint_scaling_auto"],
}


def test_two_workloads_keep_their_own_changes_when_an_updated_template_is_re_applied() -> None:
    """The issue's "done when": applied to two workloads, updated, re-applied; each keeps its own changes,
    the reports mark the template's answers."""
    one, _ = apply(KB, state({}, name="Churn"), template(V1))
    two, _ = apply(KB, state({}, name="Fraud"), template(V1))
    assert marked(one) == marked(two) == {"data_quality": "Landing zone 1", "model_review": "Landing zone 1"}
    # Each workload changes a different answer itself.
    one = parse_state(
        {
            **one.to_dict(KB),
            "answers": {**one.to_dict(KB)["answers"], "data_quality": {"selected": ["data_quality_no"]}},
        },
        KB,
    )
    two = parse_state(
        {
            **two.to_dict(KB),
            "answers": {**two.to_dict(KB)["answers"], "model_review": {"not_applicable": True}},
        },
        KB,
    )
    assert marked(one) == {"model_review": "Landing zone 1"} and marked(two) == {
        "data_quality": "Landing zone 1"
    }

    one, changes_one = apply(KB, one, template(V2, "2"))
    two, changes_two = apply(KB, two, template(V2, "2"))
    assert selected(one, "data_quality") == ("data_quality_no",)  # its own change, kept
    assert selected(one, "model_review") == ("model_review_metrics", "model_review_signoff")
    assert two.answer("model_review").not_applicable  # its own change, kept
    assert selected(two, "data_quality") == ("data_quality_profile", "data_quality_version")
    for s in (one, two):
        assert selected(s, "endpoint_scaling") == ("endpoint_scaling_auto",)
    assert kinds(changes_one) == {
        "data_quality": "kept",
        "model_review": "updated",
        "endpoint_scaling": "added",
    }
    assert kinds(changes_two) == {
        "data_quality": "updated",
        "model_review": "kept",
        "endpoint_scaling": "added",
    }
    assert changes_one.summary() == (
        "Applied the template Landing zone 2: 1 filled in, 1 updated, 1 kept because you changed it."
    )
    (kept,) = [item.text for item in changes_one.items if item.kind == "kept"]
    assert kept == (
        f"“{TITLES['data_quality']}”: you changed it; the template now says ticked: Profile source data; "
        "Version datasets"
    )
    assert marked(one) == {"model_review": "Landing zone 2", "endpoint_scaling": "Landing zone 2"}

    # The reports mark the template's answers, and only those.
    markdown = report.to_markdown(assess(KB, one))
    assert (
        f"- **{TITLES['model_review']}** (Training): High risk\n  - From template Landing zone 2\n"
        in markdown
    )
    assert markdown.count("From template Landing zone 2") == 2
    printed = page_words(assess(KB, one))["print_summary"]["answers"]
    facts = {q["title"]: q["facts"] for p in printed for q in p["questions"]}
    assert facts[TITLES["model_review"]][0] == "From template Landing zone 2"
    assert not any("template" in fact for fact in facts[TITLES["data_quality"]])
    assert page_words(assess(KB, one))["template_mark"] == "from template Landing zone 2"


def test_a_first_application_fills_unanswered_questions_only_and_lists_the_differing_ones_as_kept() -> None:
    mine = state({"model_review": ["model_review_bias"], "data_quality": ["data_quality_profile"]})
    applied, changes = apply(KB, mine, template({**V1, "endpoint_scaling": {"not_applicable": True}}))
    assert selected(applied, "model_review") == ("model_review_bias",)
    assert applied.answer("endpoint_scaling").not_applicable
    # The answer that already said what the template says is neither a change nor the workload's own.
    assert kinds(changes) == {"model_review": "kept", "endpoint_scaling": "added"}
    assert [s["heading"] for s in changes.sections()] == [
        "Filled in from the template",
        "Kept because you changed them",
    ]
    assert changes.sections()[1]["items"] == [
        f"“{TITLES['model_review']}”: you answered it yourself; the template says ticked: Agree on metrics"
    ]
    assert marked(applied) == {"data_quality": "Landing zone 1", "endpoint_scaling": "Landing zone 1"}


def test_re_applying_the_same_version_changes_nothing() -> None:
    applied, _ = apply(KB, state({}), template(V1))
    again, changes = apply(KB, applied, template(V1))
    assert again.to_json(KB) == applied.to_json(KB)
    assert changes.items == ()
    assert changes.summary() == "Applied the template Landing zone 1: nothing changed."


def test_an_answer_the_template_no_longer_gives_is_cleared_unless_the_workload_changed_it() -> None:
    applied, _ = apply(KB, state({}), template(V1))
    edited = parse_state(
        {
            **applied.to_dict(KB),
            "answers": {**applied.to_dict(KB)["answers"], "model_review": {"selected": ["model_review_no"]}},
        },
        KB,
    )
    after, changes = apply(KB, edited, template({}, "2"))
    assert "data_quality" not in after.answers  # the template's own answer, taken back
    assert selected(after, "model_review") == ("model_review_no",)  # the workload's, kept
    assert kinds(changes) == {"data_quality": "removed", "model_review": "kept"}
    texts = {item.question: item.text for item in changes.items}
    assert texts["data_quality"] == (
        f"“{TITLES['data_quality']}”: the template no longer answers it, so its answer (ticked: Profile "
        "source data) is cleared"
    )
    assert texts["model_review"].endswith(
        "you changed it; the template no longer answers it, so your answer stays"
    )
    assert (
        changes.summary() == "Applied the template Landing zone 2: 1 kept because you changed it, 1 removed."
    )


def test_a_note_added_to_a_template_answer_makes_it_the_workloads_own() -> None:
    applied, _ = apply(KB, state({}), template(V1))
    answers = applied.to_dict(KB)["answers"]
    answers["data_quality"]["notes"] = "Also checked by hand"
    noted = parse_state({**applied.to_dict(KB), "answers": answers}, KB)
    assert marked(noted) == {"model_review": "Landing zone 1"}
    after, changes = apply(KB, noted, template(V2, "2"))
    assert after.answer("data_quality").notes == "Also checked by hand"
    assert kinds(changes)["data_quality"] == "kept"


def test_the_tick_order_does_not_make_an_answer_the_workloads_own() -> None:
    applied, _ = apply(
        KB, state({}), template({"data_quality": ["data_quality_version", "data_quality_profile"]})
    )
    answers = applied.to_dict(KB)["answers"]
    answers["data_quality"]["selected"].reverse()  # the page sends ticks in the form's order
    assert marked(parse_state({**applied.to_dict(KB), "answers": answers}, KB)) == {
        "data_quality": "Landing zone 1"
    }


def test_the_scope_follows_the_same_three_way_rules() -> None:
    mine = state({}, {"inference_mode": "batch_only"})
    first, changes = apply(
        KB,
        mine,
        template({}, scope={"data_sensitivity": "no_sensitive_data", "inference_mode": "realtime_inference"}),
    )
    # realtime_inference is the default option: a template that gives it gives nothing
    assert first.scope == {"inference_mode": "batch_only", "data_sensitivity": "no_sensitive_data"}
    assert [item.text for item in changes.items] == [
        "About this workload, “Does it handle personal data?”: “No personal data”"
    ]
    second, changes = apply(KB, first, template({}, "2", {"inference_mode": "batch_only"}))
    assert second.scope == {"inference_mode": "batch_only"}
    assert [item.text for item in changes.items] == [
        "About this workload, “Does it handle personal data?”: the template no longer answers it, so it "
        "is back to “Yes, or not sure”"
    ]


def test_a_different_template_replaces_the_one_applied_and_says_so() -> None:
    applied, _ = apply(KB, state({}), template(V1))
    other = save(KB, state({"data_quality": ["data_quality_catalog"]}), "Regulated data", "3")
    after, changes = apply(KB, applied, other)
    assert selected(after, "data_quality") == ("data_quality_catalog",)
    assert "model_review" not in after.answers
    assert changes.summary().startswith(
        "Applied the template Regulated data 3 (in place of the template Landing zone 1):"
    )
    assert after.template is not None and after.template.label == "Regulated data 3"


# The template file and the state's record of it.


def test_save_writes_a_template_file_with_no_workload_decisions_or_disagreements() -> None:
    mine = parse_state(
        {
            "version": VERSION,
            "workload": {"name": "Churn", "owner": "Ana"},
            "scope": {"data_sensitivity": "no_sensitive_data"},
            "answers": {
                "data_quality": {"selected": ["data_quality_profile"], "notes": "SCP"},
                "model_review": {},
            },
            "decisions": {"data_quality_version": {"status": "planned"}},
        },
        KB,
    )
    text = save(KB, mine, " Landing zone ", "2026.1").to_json(KB)
    assert json.loads(text) == {
        "version": VERSION,
        "template": {"name": "Landing zone", "version": "2026.1"},
        "scope": {"data_sensitivity": "no_sensitive_data"},
        "answers": {
            "data_quality": {"selected": ["data_quality_profile"], "not_applicable": False, "notes": "SCP"}
        },
    }
    assert parse_template_text(text, KB).to_json(KB) == text


def test_a_state_without_a_template_is_written_as_before_and_one_with_it_round_trips() -> None:
    early = (FIXTURES / "states" / "early.json").read_text()
    plain = parse_state_text(early, KB)
    assert plain.template is None and "template" not in plain.to_dict(KB)
    applied, _ = apply(KB, plain, template(V1))
    text = applied.to_json(KB)
    assert list(json.loads(text))[-1] == "template"
    again = parse_state_text(text, KB)
    assert again.to_json(KB) == text
    assert again.template == applied.template


def test_moved_ids_in_a_template_and_in_the_states_record_are_followed() -> None:
    old_ids = {
        "version": VERSION,
        "template": {"name": "Landing zone", "version": "1"},
        "answers": {"release_gates": {"selected": ["model_review_metrics", "model_review_fairness"]}},
    }
    moved = parse_template(old_ids, KB)
    assert moved.answers["model_review"].selected == ("model_review_metrics", "model_review_bias")
    assert moved.warnings == (
        "question 'release_gates' is now 'How do you review models before release?': its answer moved there",
        "'model_review_fairness' is now 'model_review_bias' in the same question",
    )
    # A workload saved while the KB had the old ids: the record follows them too, so the mark stays.
    saved = {
        "version": VERSION,
        "answers": {"release_gates": {"selected": ["model_review_fairness", "model_review_metrics"]}},
        "template": {"name": "Landing zone", "version": "1", "answers": old_ids["answers"]},
    }
    assert marked(parse_state(saved, KB)) == {"model_review": "Landing zone 1"}


def problems_of(data: str | bytes) -> list[str]:
    with pytest.raises(StateError) as error:
        parse_template_text(data, KB)
    return error.value.problems


HEAD = '"version": 4, "template": {"name": "LZ", "version": "1"}'


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "not valid JSON: Expecting value at line 1, column 1"),
        ("[1]", "a template must be a JSON object, not a list"),
        (
            "[" * 100 + "]" * 100,
            "nested more than 64 levels deep at line 1, column 65: not a file this tool writes",
        ),
        (
            '{"version": 4, "version": 4}',
            'not a template file: the key "version" is given twice in one object, so which value is meant is unclear',
        ),
        (
            "{" + HEAD + ', "answers": {"x": {"notes": "\\ud800"}}}',
            "not a template file: it holds a lone UTF-16 surrogate (a \\ud800-\\udfff escape without its pair), which is not text",
        ),
        (
            '{"version": 3, "template": {"name": "LZ", "version": "1"}}',
            "version: must be a number from 4 to 4 (got 3)",
        ),
        ('{"version": 4}', "template: must be an object with the template's name and version, not null"),
        (
            "{" + HEAD + ', "workload": {}}',
            "workload: a template carries no workload: is this a state file? Make a template from it with “Save as template” or `template save`",
        ),
        ("{" + HEAD + ', "extra": 1}', "extra: unknown field"),
        ('{"version": 4, "template": {"name": "", "version": 2}}', "template.name: must not be empty"),
        (
            '{"version": 4, "template": {"name": "LZ", "version": 2}}',
            "template.version: must be a string, not a number",
        ),
        (
            '{"version": 4, "template": {"name": "' + "x" * 101 + '", "version": "1"}}',
            "template.name: must be at most 100 characters (got 101)",
        ),
        (
            '{"version": 4, "template": {"name": "L\\nZ", "version": "1"}}',
            "template.name: must be one line of text, without control characters",
        ),
        (
            '{"version": 4, "template": {"name": "LZ", "version": "1", "by": "x"}}',
            "template.by: unknown field",
        ),
        (
            "{" + HEAD + ', "answers": {"data_quality": {"selected": ["nope"]}}}',
            "answers.data_quality.selected[0]: unknown choice 'nope' for this question",
        ),
        ("{" + HEAD + ', "answers": []}', "answers: must be an object, not a list"),
        (
            "{" + HEAD + ', "scope": {"inference_mode": "sometimes"}}',
            'scope.inference_mode: must be one of realtime_inference, batch_only (got "sometimes")',
        ),
    ],
)
def test_a_hostile_template_file_is_refused_with_a_located_message(text: str, problem: str) -> None:
    assert problem in problems_of(text)


def test_a_template_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    assert problems_of(b" " * (templates.MAX_BYTES + 1)) == [
        f"the file is {templates.MAX_BYTES + 1:,} bytes; a template file may be at most {templates.MAX_BYTES:,} bytes"
    ]
    assert problems_of(b"\xff{}") == ["not UTF-8 text (byte 0)"]


def test_a_broken_template_record_in_a_state_is_located_under_template() -> None:
    with pytest.raises(StateError) as error:
        parse_state(
            {
                "version": VERSION,
                "template": {
                    "name": "LZ",
                    "version": "1",
                    "answers": {"data_quality": {"selected": [1]}},
                    "scope": 2,
                },
            },
            KB,
        )
    assert error.value.problems == [
        "template.answers.data_quality.selected[0]: must be a string, not a number",
        "template.scope: must be an object, not a number",
    ]


# The command line and the page's operations.


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_cli_saves_a_template_and_applies_it(tmp_path: Path) -> None:
    platform = write(
        tmp_path / "platform.json",
        {"version": VERSION, "answers": {"data_quality": {"selected": ["data_quality_profile"]}}},
    )
    made = run_cli(
        "template",
        "save",
        platform,
        "--name",
        "Landing zone",
        "--version",
        "1",
        "--kb",
        FIXTURE_KB,
        "-o",
        tmp_path / "lz.json",
    )
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "lz.json").read_text() == save(
        KB, parse_state_text(platform.read_text(), KB), "Landing zone", "1"
    ).to_json(KB)
    workload = write(
        tmp_path / "churn.json",
        {"version": VERSION, "answers": {"model_review": {"selected": ["model_review_bias"]}}},
    )
    done = run_cli("template", "apply", tmp_path / "lz.json", workload, "--kb", FIXTURE_KB)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "Applied the template Landing zone 1: 1 filled in.\n"
        "Filled in from the template:\n"
        f"- “{TITLES['data_quality']}”: ticked: Profile source data\n"
    )
    applied = parse_state_text(done.stdout, KB)
    assert selected(applied, "data_quality") == ("data_quality_profile",)
    assert selected(applied, "model_review") == ("model_review_bias",)


def test_the_cli_refuses_a_bad_template_and_writes_nothing(tmp_path: Path) -> None:
    workload = write(tmp_path / "churn.json", {"version": VERSION})
    state_file = write(tmp_path / "state-as-template.json", {"version": VERSION, "workload": {}})
    out = tmp_path / "out.json"
    done = run_cli("template", "apply", state_file, workload, "--kb", FIXTURE_KB, "-o", out)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{state_file}: workload: a template carries no workload: is this a state")
    assert f"{state_file}: template: must be an object" in done.stderr
    assert not out.exists()
    bad = run_cli("template", "save", workload, "--name", " ", "--version", "1", "--kb", FIXTURE_KB)
    assert (bad.returncode, bad.stderr) == (2, "--name: must not be empty\n")


SESSION = Session(json.dumps(KB.source))


def ask(**request: Any) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(SESSION.handle(json.dumps(request)))
    return reply


def test_the_page_saves_and_applies_templates_through_the_api() -> None:
    page = {
        "version": VERSION,
        "answers": {
            "data_quality": {"selected": ["data_quality_profile"], "not_applicable": False, "notes": ""},
            "model_review": {"selected": [], "not_applicable": False, "notes": ""},
        },
    }
    saved = ask(op="template_save", state=page, name="Landing zone", version="1")
    assert saved == {
        "ok": True,
        "text": save(KB, parse_state(page, KB), "Landing zone", "1").to_json(KB),
        "file": "landing-zone-1.template.json",
    }
    applied = ask(
        op="template_apply", state={"version": VERSION}, text=saved["text"], size=len(saved["text"])
    )
    assert applied["ok"], applied
    assert applied["state"]["template"]["name"] == "Landing zone"
    assert applied["changes"] == {
        "summary": "Applied the template Landing zone 1: 1 filled in.",
        "sections": [
            {
                "kind": "added",
                "heading": "Filled in from the template",
                "items": [f"“{TITLES['data_quality']}”: ticked: Profile source data"],
            }
        ],
    }
    assessed = ask(op="assess", state=applied["state"])
    assert [q.get("from_template") for q in assessed["result"]["questions"]] == ["Landing zone 1", None, None]
    assert assessed["words"]["template_mark"] == "from template Landing zone 1"


def test_the_page_gets_problems_not_a_state_for_a_bad_template() -> None:
    reply = ask(op="template_apply", state={"version": VERSION}, text="{", size=1)
    assert reply == {
        "ok": False,
        "problems": ["not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"],
    }
    big = ask(op="template_apply", state={"version": VERSION}, text="{}", size=templates.MAX_BYTES + 1)
    assert big["ok"] is False and "a template file may be at most" in big["problems"][0]
    unnamed = ask(op="template_save", state={"version": VERSION}, name="", version="1")
    assert unnamed == {"ok": False, "problems": ["template.name: must not be empty"]}


def test_a_team_merge_keeps_the_template_marks_only_where_everyone_applied_the_same_template() -> None:
    from checklist import merge

    ana, _ = apply(KB, state({}, name="Churn"), template(V1))
    bo, _ = apply(KB, state({}, name="Churn"), template(V1))
    together = merge.merge(KB, [("Ana", ana), ("Bo", bo)])
    assert marked(together) == {"data_quality": "Landing zone 1", "model_review": "Landing zone 1"}
    newer, _ = apply(KB, state({}, name="Churn"), template(V2, version="2"))
    apart = merge.merge(KB, [("Ana", ana), ("Cy", newer)])
    assert apart.template is None and marked(apart) == {}


def test_a_template_carries_the_wa_tool_s_reasons_and_practice_marks() -> None:
    """A practice the platform team marked not applicable (say, a control the landing zone does not use)
    travels with the template like a tick, and its mark is part of the answer the workload inherits."""
    set_aside = {"status": "not_applicable", "reason": "ARCHITECTURE_CONSTRAINTS"}
    only_marks = {"selected": [], "choices": {"endpoint_scaling_multi_az": set_aside}}
    given = template({"endpoint_scaling": only_marks, "model_review": ["model_review_metrics"]})
    assert "endpoint_scaling" in given.answers  # a mark alone is an answer worth carrying
    workload, changes = apply(KB, state({}, name="Churn"), given)
    assert workload.answer("endpoint_scaling").set_aside["endpoint_scaling_multi_az"].reason == (
        "ARCHITECTURE_CONSTRAINTS"
    )
    assert kinds(changes)["endpoint_scaling"] == "added"
    assert parse_template_text(given.to_json(KB), KB).answers == given.answers


def test_a_template_file_opened_as_a_state_file_is_refused_with_what_to_do_instead() -> None:
    """Opened by mistake (Import state, a teammate's file, the portfolio), a template would read as a
    nameless workload whose template gave nothing: every later apply would then keep its answers."""
    text = template(V1).to_json(KB)
    with pytest.raises(StateError) as refused:
        parse_state_text(text, KB)
    assert refused.value.problems == [
        "template: this is a review template, not a state file: apply it to a workload with "
        "“Apply a template…” (or `template apply`)"
    ]
    applied, _ = apply(KB, state({}, name="Churn"), template(V1))
    assert parse_state_text(applied.to_json(KB), KB) == applied  # a state's own record still reads

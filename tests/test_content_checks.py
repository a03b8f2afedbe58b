"""The five content checks a review's defect classes asked for (issue 23): each stops the build with the
file, line and field, and each lets through what its rule allows (a stated reason, a listed pair).

The rules are shown on small fixture KBs; the review's near-duplicates (tests/fixtures/near-duplicates.yml)
go back into two questions and must be refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import KB_PATH

from checklist.kbproblems import KnowledgeBaseError
from checklist.names import former_name_uses
from checklist.ratings import signal_pattern
from sitebuilder import kbfile

FIXTURES = Path(__file__).parent / "fixtures"
FULL = (FIXTURES / "minimal-kb.yml").read_text() + (FIXTURES / "minimal-quizzes-checklist.yml").read_text()
PAIRS = yaml.safe_load((FIXTURES / "near-duplicates.yml").read_text())
NAME = "docs/knowledge-base.yml"


def line_of(text: str, needle: str, after: str = "") -> int:
    """1-based line of the first line containing ``needle`` (below the first containing ``after``)."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines, start=1) if n > start and needle in line)


def problems(text: str) -> list[str]:
    try:
        kbfile.load_text(text, NAME)
    except KnowledgeBaseError as error:
        return error.problems
    return []


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _choice(ident: str, title: str, improvement: str) -> str:
    return (
        f"        - id: {ident}\n          title: {yaml.safe_dump(title, width=1000).splitlines()[0]}\n"
        "          impact: medium\n          effort: low\n"
        f"          improvement: {yaml.safe_dump(improvement, width=1000).splitlines()[0]}\n"
        "          reference: https://example.com/b\n          phase: monitoring\n"
    )


def two_questions(first: dict[str, Any], second: dict[str, Any], checklist_extra: str = "") -> str:
    """The fixture KB with ``first`` added to its question and ``second`` in a second question."""
    text = edited(
        FULL,
        "        - id: check_one_b\n",
        _choice("check_one_p", first["title"], first["improvement"]) + "        - id: check_one_b\n",
    )
    question = (
        "    - id: check_two\n      pillar: pillar_one\n      focus: data\n      title: A second question?\n"
        "      description: About something else.\n      choices:\n"
        + _choice("check_two_q", second["title"], second["improvement"])
        + "      risk_rules:\n        - condition: check_two_q\n          risk: none\n"
        "        - condition: default\n          risk: high\n"
    )
    text = edited(text, "lens_phases:\n", question + "lens_phases:\n")
    return edited(text, "\n  questions:\n", "\n" + checklist_extra + "  questions:\n")


# 1. Near-duplicate practices across questions


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a['id']}~{b['id']}" for a, b in PAIRS])
def test_a_practice_asked_again_in_another_question_stops_the_build(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    text = two_questions(first, second)
    assert problems(text) == [
        f"{NAME}:{line_of(text, '- id: check_two_q')}: checklist.questions[1].choices[0].id: reads like "
        "'check_one_p' of question 'check_one': ask the practice once (merge them and record the old id under "
        "checklist.moved), or, if they truly differ, add `{choices: [check_one_p, check_two_q], why: ...}` to "
        "checklist.distinct_practices"
    ]


def test_two_practices_that_differ_pass_and_a_listed_pair_passes_with_its_reason() -> None:
    unrelated = two_questions(
        {"title": "Encryption keys are rotated every year", "improvement": "Turn on automatic key rotation."},
        {"title": "Training jobs resume after an interruption", "improvement": "Set a checkpoint location."},
    )
    assert problems(unrelated) == []
    # Two short texts easily share one rare word: a pair shares at least three content words.
    short = two_questions(
        {"title": "Load test", "improvement": "Load test before launch."},
        {"title": "Profile source data", "improvement": "Profile every new source before it is used."},
    )
    assert problems(short) == []
    first, second = PAIRS[0]
    listed = "  distinct_practices:\n    - {choices: [check_one_p, check_two_q], why: 'One is about X, the other Y.'}\n"
    assert problems(two_questions(first, second, listed)) == []


def test_a_distinct_practices_entry_names_existing_choices() -> None:
    first, second = PAIRS[0]
    listed = "  distinct_practices:\n    - {choices: [check_one_p, check_two_z], why: They differ.}\n"
    text = two_questions(first, second, listed)
    found = problems(text)
    assert (
        f"{NAME}:{line_of(text, 'check_two_z')}: checklist.distinct_practices[0].choices[1]: unknown choice "
        "'check_two_z' (did you mean 'check_two_q'?)"
    ) in found


def test_a_distinct_practices_entry_that_names_a_moved_choice_says_where_it_went() -> None:
    first, second = PAIRS[0]
    listed = (
        "  moved:\n    - {id: check_two_old, to: check_two_q, why: Merged.}\n"
        "  distinct_practices:\n    - {choices: [check_one_p, check_two_old], why: They differ.}\n"
    )
    text = two_questions(first, second, listed)
    assert (
        f"{NAME}:{line_of(text, 'check_two_old], why')}: checklist.distinct_practices[0].choices[1]: "
        "'check_two_old' has moved to 'check_two_q': name the choice that asks the practice now, or remove the "
        "entry if the two are one practice"
    ) in problems(text)


# 2. Impact below the lens practice's risk


def test_an_impact_below_the_lens_risk_needs_a_reason() -> None:
    text = edited(
        FULL,
        "          impact: high\n          effort: low\n          improvement: Do A.\n",
        "          impact: medium\n          effort: low\n          improvement: Do A.\n",
    )
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'impact: medium', after='- id: check_one_a')}: checklist.questions[0].choices[0].impact: is medium, below "
        "the high risk the ML Lens gives MLOPS03-BP01: rate it high, or say why it is lower in `impact_reason`"
    ]
    reason = "          impact_reason: Only one team reads this data.\n"
    assert (
        problems(edited(text, "          improvement: Do A.\n", "          improvement: Do A.\n" + reason))
        == []
    )
    stale = edited(FULL, "          improvement: Do A.\n", "          improvement: Do A.\n" + reason)
    assert problems(stale) == [
        f"{NAME}:{line_of(stale, 'impact_reason')}: checklist.questions[0].choices[0].impact_reason: explains an "
        "impact below MLOPS03-BP01's risk, but the impact (high) is not below it: remove it"
    ]


# 3. Links


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (
            "https://aws.amazon.com/sagemaker/mlops/",
            "a page of the AWS website (a product, marketing or news page), not the documentation",
        ),
        (
            "https://aws.amazon.com/guardduty/",
            "a page of the AWS website (a product, marketing or news page), not the documentation",
        ),
        (
            "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/incident-response.html",
            "a section landing page of a Well-Architected guide, not a best practice",
        ),
        ("https://docs.aws.amazon.com/sagemaker/latest/dg/", "the landing page of a documentation guide"),
        ("https://aws.amazon.com/blogs/machine-learning/a-post/", "an AWS page outside the documentation"),
    ],
)
def test_a_choice_with_a_lens_id_links_its_practice_never_a_landing_page(url: str, kind: str) -> None:
    text = edited(FULL, "          reference: ref_beta\n", f"          reference: {url}\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, url)}: checklist.questions[0].choices[0].reference: links to {kind}: leave "
        "`reference` out and it links to MLOPS03-BP01's own page, or link a docs.aws.amazon.com page on this "
        "practice"
    ]


def test_a_landing_page_is_refused_through_a_reference_id_too_and_specific_docs_pass() -> None:
    text = edited(FULL, "url: https://example.com/beta", "url: https://aws.amazon.com/macie/")
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'reference: ref_beta')}: checklist.questions[0].choices[0].reference: links to a "
        "page of the AWS website (a product, marketing or news page), not the documentation (through reference "
        "'ref_beta'): leave `reference` out and it links "
        "to MLOPS03-BP01's own page, or link a docs.aws.amazon.com page on this practice"
    ]
    for good in (
        "https://docs.aws.amazon.com/macie/latest/user/data-classification.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec_incident_response_develop_management_plans.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/mlsec03-bp03.html",
    ):
        assert problems(edited(FULL, "url: https://example.com/beta", f"url: {good}")) == [], good


def test_a_page_known_not_to_exist_is_refused() -> None:
    missing = "https://docs.aws.amazon.com/sagemaker/latest/dg/multi-az-endpoints.html"
    text = edited(FULL, "url: https://example.com/beta", f"url: {missing}")
    assert problems(text) == [
        f"{NAME}:{line_of(text, missing)}: references[1].url: this page does not exist; cite "
        "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-best-practices.html or another page that "
        "says it"
    ]


# 4. Service names


def test_a_former_service_name_in_prose_is_refused_unless_it_starts_a_longer_name() -> None:
    renamed = edited(
        FULL, "    name: Service One\n", "    name: Service One AI\n    former_names: [Service One]\n"
    )
    assert problems(renamed) == []  # "Service One AI" is the current name
    text = edited(
        renamed, "        text: Do it with a service.\n", "        text: Do it with Service One, daily.\n"
    )
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'with Service One,')}: pillars[0].practices[0].text: names 'Service One', the "
        "former name of Service One AI (services: service_one): write 'Service One AI' (a longer name that "
        "starts with it, such as a feature's, is fine)"
    ]
    feature = edited(
        renamed, "        text: Do it with a service.\n", "        text: Do it with Service One Monitor.\n"
    )
    assert problems(feature) == []


def test_the_former_name_rule() -> None:
    former = "Amazon SageMaker"
    assert former_name_uses("Train it in Amazon SageMaker, then deploy.", former) == [12]
    assert former_name_uses("Use Amazon SageMaker managed MLflow.", former) == [4]
    assert former_name_uses("Use Amazon SageMaker AI or Amazon SageMaker Model Monitor.", former) == []
    assert former_name_uses("Amazon SageMakerX", former) == []


def test_a_retired_service_carries_its_status_and_is_listed_where_named() -> None:
    unentered = edited(
        FULL, "        text: Do it with a service.\n", "        text: Do it with AWS DeepLens.\n"
    )
    assert problems(unentered) == [
        f"{NAME}:{line_of(unentered, 'with AWS DeepLens')}: pillars[0].practices[0].text: names AWS DeepLens, "
        "which AWS has retired or closed to new customers: add it to `services` with its `status` and list it "
        "in this item's services, so the page shows the caveat"
    ]
    text = edited(FULL, "    name: Service One\n", "    name: AWS DeepLens\n")
    assert problems(text) == [
        f"{NAME}:{line_of(text, '- id: service_one')}: services[0]: AWS DeepLens is retired or closed to new "
        "customers: add `status` (state, since, replacement, reference) so every page that names it shows the "
        "caveat"
    ]
    status = "    status: {state: retired, since: 2024-01-31, replacement: Service Two}\n"
    text = edited(text, "    name: AWS DeepLens\n", "    name: AWS DeepLens\n" + status)
    text = edited(text, "          title: Practice A\n", "          title: Practice A on DeepLens\n")
    assert (
        f"{NAME}:{line_of(text, '- id: check_one_a')}: checklist.questions[0].choices[0].services: names AWS "
        "DeepLens, which has a status: list 'service_one' in services so the page shows its caveat"
    ) in problems(text)


# 5. Efforts against the effort scale


def test_an_effort_below_a_phrase_of_the_scale_needs_a_reason() -> None:
    signals = "  effort_scale_signals:\n    high: [migrate, another Region]\n    medium: [tagging scheme]\n"
    base = edited(FULL, "  buckets:\n", signals + "  buckets:\n")
    assert problems(base) == []
    text = edited(
        base, "          improvement: Do A.\n", "          improvement: Move the jobs to ANOTHER Region.\n"
    )
    assert problems(text) == [
        f"{NAME}:{line_of(text, 'effort: low', after='- id: check_one_a')}: checklist.questions[0].choices[0].effort: is low, but the text "
        "says 'another Region', which the effort scale calls high (checklist.effort_scale_signals): rate it high, "
        "or say why it is less in `effort_reason`"
    ]
    reason = "          effort_reason: The data is already replicated there.\n"
    assert (
        problems(
            edited(
                text,
                "          effort: low\n",
                "          effort: low\n" + reason,
            )
        )
        == []
    )
    # Whole words only: "migrated" is not "migrate", and a medium choice may say a medium phrase.
    words = edited(base, "          improvement: Do A.\n", "          improvement: Check what migrated.\n")
    assert problems(words) == []


def real_signals() -> dict[str, tuple[str, ...]]:
    checklist = kbfile.load(KB_PATH).checklist
    assert checklist is not None and checklist.effort_scale_signals is not None
    return {"high": checklist.effort_scale_signals.high, "medium": checklist.effort_scale_signals.medium}


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Move batch training to a lower-carbon Region", "high"),
        ("Relocate the jobs to a greener Region", "high"),
        ("Run training in a Region with a lower-carbon grid", "high"),
        ("Adopt a new ML platform across the organization", "high"),
        ("Re-platform the serving stack", "high"),
        ("Plan the migration of the feature pipelines", "high"),
        ("Define a tagging scheme and apply it to every endpoint", "medium"),
        ("Turn on S3 Versioning for the buckets that hold training data", ""),
        ("Add an alarm on the endpoint's error rate in the same Region", ""),
    ],
)
def test_the_real_effort_signals_catch_the_scale_s_work_in_other_words(text: str, level: str) -> None:
    """The review's classes (a Region move, a new platform, a migration) reworded as a contributor might:
    the KB's signals still find them, and everyday low-effort work stays unflagged."""
    signals = real_signals()
    found = [
        lvl for lvl in ("high", "medium") for phrase in signals[lvl] if signal_pattern(phrase).search(text)
    ]
    assert (found[0] if found else "") == level, found


def test_an_imported_custom_lens_is_kept_as_written() -> None:
    lens = "lens:\n  name: A lens\n  description: Imported.\n"
    text = edited(
        FULL, "          reference: ref_beta\n", "          reference: https://aws.amazon.com/sagemaker/\n"
    )
    assert problems(text)  # a hand-written KB may not link a product page
    assert not any("links to" in p for p in problems(lens + text))


# All five on the real KB


def test_the_real_kb_passes_every_content_check() -> None:
    assert problems(KB_PATH.read_text(encoding="utf-8")) == []


def test_an_exemption_that_no_longer_explains_anything_is_refused() -> None:
    """A reason kept after the text or rating changed hides nothing, but it misleads the next reviewer:
    an effort_reason where no effort word is above the rating, an impact_reason on a choice without a
    rated lens practice, and a distinct pair listed twice are each reported."""
    signals = "  effort_scale_signals:\n    high: [migrat*]\n"
    base = edited(FULL, "  buckets:\n", signals + "  buckets:\n")
    stale_effort = edited(
        base,
        "          effort: low\n",
        "          effort: low\n          effort_reason: Already replicated.\n",
    )
    assert any("effort_reason: explains an effort below" in p for p in problems(stale_effort))
    fresh = edited(stale_effort, "          improvement: Do A.\n", "          improvement: Migrate A.\n")
    assert not any("effort_reason" in p for p in problems(fresh))
    no_lens = edited(
        base,
        "          improvement: Do B.\n",
        "          improvement: Do B.\n          impact_reason: Lower.\n",
    )
    assert any(
        "check_one_b" not in p and "cites no lens practice with a risk level: remove it" in p
        for p in problems(no_lens)
    )
    twice = edited(
        base,
        "  buckets:\n",
        "  distinct_practices:\n    - {choices: [check_one_a, check_one_b], why: They differ.}\n"
        "    - {choices: [check_one_b, check_one_a], why: Still.}\n  buckets:\n",
    )
    assert [p for p in problems(twice) if "distinct_practices" in p] == [
        f"{NAME}:{line_of(twice, 'why: Still.')}: checklist.distinct_practices[1].choices: lists the pair of entry 0 "
        "again: keep one entry, with one why"
    ]

"""Several AWS lenses in one review: the model (aws_lenses, a practice's lens and page), the KB checks with
located messages, the results per lens, and the reports, CSV and tickets that name each item's lens.

The fixture is tests/fixtures/two-lens-kb.yml: the engine KB plus one Generative AI Lens question, scoped
to workloads that use generative AI.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import lensfixtures
import pytest
from conftest import KB_PATH

from checklist import report, trackers
from checklist.assess import assess, plan_order
from checklist.kbproblems import KnowledgeBaseError
from checklist.knowledge import ML_LENS, AwsLens, KnowledgeBase, lens_of_ref, lens_practice_url
from checklist.result import Result
from checklist.state import parse_state
from checklist.words import page_words
from sitebuilder import kbfile, lensimport

FIXTURES = Path(__file__).parent / "fixtures"
NAME = "two-lens-kb.yml"
TEXT = (FIXTURES / NAME).read_text()
KB = kbfile.load_text(TEXT, NAME)
ENGINE_KB = kbfile.load(FIXTURES / "engine-kb.yml")
GEN_PAGE = "https://docs.aws.amazon.com/wellarchitected/latest/generative-ai-lens/{}.html"
BOTH = "This review covers the Machine Learning Lens and the Generative AI Lens."


def pick(*choices: str) -> dict[str, Any]:
    return {"selected": list(choices), "not_applicable": False, "notes": ""}


def result_for(answers: dict[str, Any], kb: KnowledgeBase = KB, **scope: str) -> Result:
    data = {"version": 3, "workload": {"name": "Assistant"}, "answers": answers, "scope": scope}
    return assess(kb, parse_state(data, kb))


ANSWERED = {
    "data_quality": pick("data_quality_profile"),
    "model_review": pick("model_review_metrics"),
    "gen_evaluation": pick("gen_evaluation_budget"),
}


# --- the model ---------------------------------------------------------------------------------------------


def test_a_practice_links_to_its_own_lens_page_by_the_longest_prefix() -> None:
    gen = AwsLens("generative_ai", "Generative AI Lens", "GenAI", "GEN", GEN_PAGE)
    narrower = AwsLens("gen_x", "X Lens", "X", "GENX", "https://example.com/x/{}.html")
    lenses = (ML_LENS, gen, narrower)
    assert lens_practice_url("GENOPS01-BP01", lenses) == GEN_PAGE.format("genops01-bp01")
    assert lens_of_ref("GENXOPS01-BP01", lenses) == narrower
    assert lens_practice_url("GENXOPS01-BP01", lenses) == "https://example.com/x/genxops01-bp01.html"
    # Today's function, unchanged for ML ids.
    assert lens_practice_url("MLSEC01-BP01") == (
        "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/mlsec01-bp01.html"
    )
    assert lens_of_ref("OPS01-BP01", lenses) is None


def test_the_kb_knows_each_questions_lens_and_each_practices_page() -> None:
    assert [lens.id for lens in KB.lenses] == ["machine_learning", "generative_ai"]
    assert KB.question_lens(KB.checklist.question("data_quality")).name == "Machine Learning Lens"  # type: ignore[union-attr]
    question = KB.checklist.question("gen_evaluation")  # type: ignore[union-attr]
    assert KB.question_lens(question).name == "Generative AI Lens"
    assert KB.reference_url(question.choices[0]) == GEN_PAGE.format("genops01-bp01")
    practice = KB.lens_practice("GENOPS01-BP01")
    assert (practice.phase, practice.protects, practice.services) == (
        "",
        "Wrong answers reach users unnoticed.",
        ("service_one",),
    )
    assert practice.url == GEN_PAGE.format("genops01-bp01")
    assert KB.phase_of(question.choices[0]) == ""


def test_a_kb_without_aws_lenses_reviews_with_the_ml_lens_alone() -> None:
    assert ENGINE_KB.lenses == (ML_LENS,)
    assert ENGINE_KB.lens_practice("MLOPS03-BP01").url == lens_practice_url("MLOPS03-BP01")
    result = result_for({"data_quality": pick("data_quality_profile")}, ENGINE_KB)
    assert [lens["id"] for lens in result["lenses"]] == ["machine_learning"]
    assert result["lenses_text"] == ""  # its reports read as before
    assert not report.to_markdown(result).count("This review covers")


def test_a_kb_imported_from_a_custom_lens_reviews_with_that_lens() -> None:
    text, _ = lensimport.import_lens(json.dumps(lensfixtures.small()).encode(), "lens.json", "kb.yml")
    kb = kbfile.load_text(text, "kb.yml")
    assert [lens.name for lens in kb.lenses] == ["Serverless Data Pipeline Lens"]
    assert {q.lens for q in kb.checklist.questions} == {kb.site.id}  # type: ignore[union-attr]
    named = text.replace("  - id: ingest_q1\n", "  - id: ingest_q1\n    lens: machine_learning\n", 1)
    with pytest.raises(KnowledgeBaseError) as caught:
        kbfile.load_text(named, "kb.yml")
    assert (
        "checklist.questions[0].lens: unknown lens 'machine_learning' (aws_lenses lists the lenses)"
        in str(caught.value)
    )


# --- the checks, located ------------------------------------------------------------------------------------


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    return [n for n, line in enumerate(text.splitlines(), start=1) if needle in line][occurrence - 1]


def problems(old: str, new: str) -> tuple[str, list[str]]:
    assert TEXT.count(old) == 1, old
    text = TEXT.replace(old, new)
    with pytest.raises(KnowledgeBaseError) as caught:
        kbfile.load_text(text, NAME)
    return text, str(caught.value).splitlines()


def test_a_question_names_a_lens_of_aws_lenses() -> None:
    text, found = problems("    lens: generative_ai\n", "    lens: generative\n")
    assert found == [
        f"{NAME}:{line_of(text, 'lens: generative')}: checklist.questions[3].lens: unknown lens 'generative' "
        "(did you mean 'generative_ai'?) (aws_lenses lists the lenses)"
    ]


def test_a_choice_cites_its_questions_lens_first() -> None:
    text, found = problems(
        "      - GENOPS02-BP01\n      - MLOPS03-BP01\n", "      - MLOPS03-BP01\n      - GENOPS02-BP01\n"
    )
    assert (
        f"{NAME}:{line_of(text, '- MLOPS03-BP01', 2)}: checklist.questions[3].choices[1].lens_refs[0]: "
        "'MLOPS03-BP01' is not a Generative AI Lens practice, the lens of question 'gen_evaluation': cite a "
        "practice of the Generative AI Lens first (one of another lens may follow when it is the same "
        "practice), or move the choice to a question of its lens"
    ) in found


def test_each_practice_belongs_to_a_lens_and_an_ml_one_has_its_phase() -> None:
    text, found = problems("{id: GENCOST01-BP01,", "{id: COST01-BP01,")
    assert (
        f"{NAME}:{line_of(text, '{id: COST01-BP01')}: lens_practices[5].id: 'COST01-BP01' belongs to no lens: "
        "ids start with ML (Machine Learning Lens), GEN (Generative AI Lens)"
    ) in found
    text, found = problems(
        "{id: MLOPS03-BP01, pillar: pillar_one, phase: data_processing,",
        "{id: MLOPS03-BP01, pillar: pillar_one,",
    )
    assert found == [
        f"{NAME}:{line_of(text, '{id: MLOPS03-BP01')}: lens_practices[0]: an ML Lens best practice needs its "
        "phase (one of lens_phases)"
    ]


def test_an_unknown_practice_is_named_with_its_lens() -> None:
    text, found = problems("      - GENOPS01-BP01\n", "      - GENOPS01-BP09\n")
    assert found == [
        f"{NAME}:{line_of(text, 'GENOPS01-BP09')}: checklist.questions[3].choices[0].lens_refs[0]: unknown GenAI "
        "Lens best practice 'GENOPS01-BP09' (did you mean 'GENOPS01-BP01'?) (lens_practices, at the end of the "
        "file, lists the real ones)"
    ]


def test_the_impact_floor_is_the_cited_practices_risk_whatever_its_lens() -> None:
    text, found = problems(
        "      title: Score answers for grounding\n      impact: high\n",
        "      title: Score answers for grounding\n      impact: medium\n",
    )
    assert found == [
        f"{NAME}:{line_of(text, 'Score answers for grounding') + 1}: checklist.questions[3].choices[0].impact: is medium, below "
        "the high risk the GenAI Lens gives GENOPS01-BP01: rate it high, or say why it is lower in `impact_reason`"
    ]
    # GENCOST01-BP01's risk is Low: no floor, so the fixture's low-impact choice citing it loads (above).
    assert KB.lens_practice("GENCOST01-BP01").risk == "low"
    assert KB.checklist.question("gen_evaluation").choices[2].impact == "low"  # type: ignore[union-attr]


def test_no_choice_links_to_a_lens_landing_page() -> None:
    landing = "https://docs.aws.amazon.com/wellarchitected/latest/generative-ai-lens/generative-ai-lens.html"
    text, found = problems(
        "      lens_refs:\n      - GENOPS01-BP01\n",
        f"      reference: {landing}\n      lens_refs:\n      - GENOPS01-BP01\n",
    )
    assert found == [
        f"{NAME}:{line_of(text, landing)}: checklist.questions[3].choices[0].reference: links to the GenAI Lens "
        "landing page; leave `reference` out and it links to GENOPS01-BP01's own page"
    ]


def test_a_choice_needs_an_ml_phase_only_in_an_ml_lens_question() -> None:
    """Without lens_refs, a choice of a GenAI question needs no lifecycle phase; an ML one still does."""
    cited = "      lens_refs:\n      - GENCOST01-BP01\n"
    assert TEXT.count(cited) == 1
    kb = kbfile.load_text(TEXT.replace(cited, "      reference: ref_alpha\n"), NAME)
    choice = kb.checklist.question("gen_evaluation").choices[2]  # type: ignore[union-attr]
    assert (choice.lens_refs, kb.phase_of(choice)) == ((), "")
    text, found = problems(
        "      phase: model_development\n      applies_if: sensitive_data\n",
        "      applies_if: sensitive_data\n",
    )
    assert found == [
        f"{NAME}:{line_of(text, 'id: model_review_bias')}: checklist.questions[1].choices[1].phase: a "
        "choice without lens_refs needs a phase (one of lens_phases)"
    ]


def test_two_lenses_cannot_share_a_prefix() -> None:
    text, found = problems("  short: GenAI\n  prefix: GEN\n", "  short: GenAI\n  prefix: ML\n")
    assert found[0] == (
        f"{NAME}:{line_of(text, 'prefix: ML', 2)}: aws_lenses[1].prefix: 'ML' is already the prefix of lens "
        "'machine_learning'"
    )


# --- results per lens ---------------------------------------------------------------------------------------


def test_each_question_and_recommendation_carries_its_lens() -> None:
    result = result_for(ANSWERED)
    lenses = {q["id"]: (q["lens"], q["lens_name"]) for q in result["questions"]}
    assert lenses["gen_evaluation"] == ("generative_ai", "Generative AI Lens")
    assert lenses["data_quality"] == ("machine_learning", "Machine Learning Lens")
    items = {item["choice"]: item for item in result["recommendations"]}
    grounding = items["gen_evaluation_grounding"]
    assert (grounding["lens"], grounding["lens_name"]) == ("generative_ai", "Generative AI Lens")
    assert grounding["reference"] == GEN_PAGE.format("genops01-bp01")
    assert items["gen_evaluation_logging"]["lens_links"] == [
        {"id": "GENOPS02-BP01", "lens": "GenAI Lens", "url": GEN_PAGE.format("genops02-bp01")},
        {"id": "MLOPS03-BP01", "lens": "ML Lens", "url": lens_practice_url("MLOPS03-BP01")},
    ]


def test_the_result_counts_progress_and_risks_per_lens_and_pillar() -> None:
    result = result_for(ANSWERED)
    assert result["lenses_text"] == BOTH
    ml, gen = result["lenses"]
    assert (ml["id"], ml["short"], ml["answered"], ml["total"], ml["text"]) == (
        "machine_learning",
        "ML",
        2,
        3,
        "2 of 3 questions answered",
    )
    assert (gen["id"], gen["high"], gen["answered"], gen["total"]) == ("generative_ai", 1, 1, 1)
    assert [p["id"] for p in gen["pillars"]] == ["pillar_two"]
    assert gen["pillars"][0]["high"] == 1
    assert sum(lens["high"] for lens in result["lenses"]) == result["summary"]["high"]
    words = page_words(result)
    assert words["several_lenses"]
    assert words["lens_progress"] == "ML Lens: 2 of 3 answered · GenAI Lens: 1 of 1 answered"
    assert [line["text"] for line in words["groups"]["lenses"]] == ["2 of 3 answered", "1 of 1 answered"]
    assert words["print_summary"]["lenses"] == BOTH
    assert any(line["meta"].startswith("Generative AI Lens · Pillar Two · ") for line in words["plan"])


def test_a_lens_with_no_question_in_scope_is_not_in_the_review() -> None:
    result = result_for(ANSWERED, generative="no_generative_ai")
    assert [lens["id"] for lens in result["lenses"]] == ["machine_learning"]
    assert result["lenses_text"] == "This review covers the Machine Learning Lens."
    words = page_words(result)
    assert not words["several_lenses"]
    assert words["lens_progress"] == ""
    assert all("Lens ·" not in line["meta"] for line in words["plan"])


def test_the_plan_ranks_every_lenss_practices_together_and_says_so() -> None:
    plan = result_for(ANSWERED)["recommendations"]
    # One order by bucket, impact, effort and risk: the GenAI practice of medium impact and low effort comes
    # before the ML one of medium effort, and the ML high-impact ones come before it.
    assert [item["choice"] for item in plan] == [
        "model_review_bias",
        "gen_evaluation_grounding",
        "data_quality_version",
        "gen_evaluation_logging",
        "data_quality_lineage",
        "model_review_signoff",
        "data_quality_catalog",
    ]
    assert {item["lens"] for item in plan} == {"machine_learning", "generative_ai"}
    # A question that names the default lens is of the same lens as one that names none.
    engine_text = (FIXTURES / "engine-kb.yml").read_text()
    named = engine_text.replace("    focus: data\n", "    lens: machine_learning\n    focus: data\n", 1)
    assert named != engine_text
    one_lens = kbfile.load_text(named, "engine-kb.yml").checklist
    assert one_lens is not None
    assert "every lens" not in plan_order(one_lens)
    rule = plan_order(KB.checklist)  # type: ignore[arg-type]
    assert "The practices of every lens are ranked together by these same rules" in rule
    assert "every lens" not in plan_order(ENGINE_KB.checklist)  # type: ignore[arg-type]


# --- reports, CSV and tickets --------------------------------------------------------------------------------


def test_the_report_names_the_lenses_and_each_plan_items_lens() -> None:
    text = report.to_markdown(result_for(ANSWERED))
    assert text.startswith(f"# Well-Architected for AI/ML review: Assistant\n\n{BOTH}\n\n## Workload\n")
    assert "### By lens\n\n| Lens and pillar |" in text
    assert "| **Generative AI Lens** | 1 | 0 | 0 | 0 | 0 |" in text
    assert "| Generative AI Lens: Pillar Two | 1 | 0 | 0 | 0 | 0 |" in text
    assert (
        "(Generative AI Lens; Pillar Two; How do you evaluate generated answers?, high risk; impact medium, "
        f"effort low; rank 4; GenAI Lens [GENOPS02-BP01]({GEN_PAGE.format('genops02-bp01')}); ML Lens "
        f"[MLOPS03-BP01]({lens_practice_url('MLOPS03-BP01')}))"
    ) in text


def test_the_backlog_appends_the_lens_column_last() -> None:
    result = result_for(ANSWERED)
    header, *rows = csv.reader(io.StringIO(report.to_csv(result), newline=""))
    assert header[-2:] == ["Review by", "Lens"]
    lens_of = {row[0]: row[-1] for row in rows}
    assert lens_of["gen_evaluation_grounding"] == "Generative AI Lens"
    assert lens_of["data_quality_version"] == "Machine Learning Lens"


def test_each_ticket_names_its_lens_in_a_review_of_several() -> None:
    result = result_for(ANSWERED)
    item = next(i for i in result["recommendations"] if i["choice"] == "gen_evaluation_logging")
    body = trackers.description(result, item)
    assert "Question: How do you evaluate generated answers? (Pillar Two)\nLens: Generative AI Lens\n" in body
    assert "GenAI Lens: GENOPS02-BP01\nML Lens: MLOPS03-BP01\n" in body
    one = result_for(ANSWERED, generative="no_generative_ai")
    assert "Lens: Machine" not in trackers.description(one, one["recommendations"][0])


def test_a_malformed_or_repeated_lens_entry_is_reported_once_where_it_is() -> None:
    """Review of issue 24: a lens entry without its prefix buried its one message under 64 about every GEN
    practice and GenAI question; two entries with one id were never named."""
    text = KB_PATH.read_text(encoding="utf-8")
    assert "    prefix: GEN\n" in text
    with pytest.raises(KnowledgeBaseError) as raised:
        kbfile.load_text(text.replace("    prefix: GEN\n", "", 1), "kb.yml")
    assert [p.split(": ", 1)[1] for p in raised.value.problems] == [
        "aws_lenses[1]: missing required field 'prefix'"
    ]
    twice = text.replace(
        "  - id: generative_ai\n    name: Generative AI Lens",
        "  - id: machine_learning\n    name: Generative AI Lens",
        1,
    )
    with pytest.raises(KnowledgeBaseError) as raised:
        kbfile.load_text(twice, "kb.yml")
    assert any(
        "aws_lenses[1].id: 'machine_learning' is already the id of aws_lenses[0]" in p
        for p in raised.value.problems
    )


def test_a_lens_practice_with_an_unknown_pillar_is_refused_where_it_is() -> None:
    """Review of issue 24: such a practice was accepted, then dropped off its lens's page while the
    checklist question still linked to its section there."""
    text = KB_PATH.read_text(encoding="utf-8")
    broken = text.replace(
        "  - id: GENOPS01-BP01\n    pillar: operational_excellence\n",
        "  - id: GENOPS01-BP01\n    pillar: operational_excelence\n",
        1,
    )
    assert broken != text
    with pytest.raises(KnowledgeBaseError) as raised:
        kbfile.load_text(broken, "kb.yml")
    assert [p.split(": ", 1)[1] for p in raised.value.problems] == [
        "lens_practices[105].pillar: unknown pillar 'operational_excelence' (did you mean 'operational_excellence'?)"
    ]

"""A lens organised by its own areas rather than by pillars (the Responsible AI Lens, issue 25, item 2).

The fixture is the three-lens KB of test_three_lenses with a fourth lens that has areas: two questions of it
in two areas and two pillars. Its results and its guide go by area; each practice still counts in the pillar
the KB maps it to; the KB's checks say where an area, a question's area or a mapping is wrong.
"""

from __future__ import annotations

import pytest
from test_three_lenses import ANSWERS, kb_text

from checklist import report
from checklist.assess import assess
from checklist.kbproblems import KnowledgeBaseError
from checklist.state import parse_state
from checklist.words import page_words
from sitebuilder import kbfile
from sitebuilder.pages import form, lensguide

LENS_ENTRY = """- id: responsible_ai
  name: Responsible AI Lens
  short: Responsible AI
  prefix: RAI
  page: https://docs.aws.amazon.com/wellarchitected/latest/responsible-ai-lens/{}.html
  areas:
  - {id: use_case, name: Use case, prefix: RAIUC}
  - {id: benefits_risks, name: Benefits and risks, prefix: RAIBR}
  - {id: monitoring, name: Monitoring, prefix: RAIMON}
"""
QUESTIONS = """  - id: rai_use_case
    pillar: pillar_one
    lens: responsible_ai
    area: use_case
    focus: data
    title: How do you decide the problem needs AI?
    description: A use case nobody questioned is the first source of harm.
    choices:
    - id: rai_use_case_problem
      title: The problem is written down with who it helps
      impact: high
      effort: low
      improvement: Write one page on the problem, how often it arises and who gains when it is solved.
      lens_refs: [RAIUC01-BP01]
    - id: rai_use_case_harms
      title: Possible harms are listed with their likelihood
      impact: high
      effort: medium
      improvement: List the harms per group of people affected and rate how likely each is.
      lens_refs: [RAIBR02-BP01]
    risk_rules:
    - condition: rai_use_case_problem && rai_use_case_harms
      risk: none
    - condition: default
      risk: high
  - id: rai_monitoring
    pillar: pillar_two
    lens: responsible_ai
    area: monitoring
    focus: inference
    title: How do you watch the system once it is live?
    description: Behavior drifts once real users arrive.
    choices:
    - id: rai_monitoring_consent
      title: Users agree before their data is monitored
      impact: high
      effort: low
      improvement: Tell users what monitoring collects and ask before collecting it.
      lens_refs: [RAIMON01-BP01]
    risk_rules:
    - condition: rai_monitoring_consent
      risk: none
    - condition: default
      risk: high
"""
PRACTICES = """- {id: RAIUC01-BP01, pillar: pillar_one, risk: high, title: State the problem and who gains}
- {id: RAIBR02-BP01, pillar: pillar_one, risk: high, title: Find where outcomes could be unfair}
- {id: RAIMON01-BP01, pillar: pillar_two, risk: high, title: Ask before monitoring people's data}
"""


def four_lens_text() -> str:
    text = kb_text()
    marker = "  - id: agent_tools\n"
    text = text.replace(marker, QUESTIONS + marker, 1)
    end = "aws_lenses:\n"
    at = text.index(end) + len(end)
    lenses_end = text.index("\n", text.index("agentic-ai-lens/{}.html", at)) + 1
    return text[:lenses_end] + LENS_ENTRY + text[lenses_end:].rstrip("\n") + "\n" + PRACTICES


KB = kbfile.load_text(four_lens_text(), "four-lens-kb.yml")
RAI_ANSWERS = {
    **ANSWERS,
    "rai_use_case": {"selected": ["rai_use_case_problem"], "not_applicable": False, "notes": ""},
}


def result() -> dict:
    return assess(KB, parse_state({"version": 3, "answers": RAI_ANSWERS, "scope": {}}, KB))  # type: ignore[return-value]


def test_the_results_count_a_lens_with_areas_by_area_and_its_practices_in_their_pillars() -> None:
    found = result()
    rai = next(lens for lens in found["lenses"] if lens["id"] == "responsible_ai")
    assert [(a["id"], a["high"], a["unanswered"]) for a in rai["areas"]] == [
        ("use_case", 1, 0),
        ("monitoring", 0, 1),
    ]
    # The pillar view still counts both questions, each in the pillar its practices map to.
    assert [p["id"] for p in rai["pillars"]] == ["pillar_one", "pillar_two"]
    assert {q["id"]: q["area"] for q in found["questions"] if q["lens"] == "responsible_ai"} == {
        "rai_use_case": "use_case",
        "rai_monitoring": "monitoring",
    }
    # A lens without areas has none.
    assert all(lens["areas"] == [] for lens in found["lenses"] if lens["id"] != "responsible_ai")
    words = page_words(found)
    (table,) = words["area_tables"]
    assert table["heading"] == "Responsible AI Lens area"
    assert [(g["name"], g["text"]) for g in table["groups"]] == [
        ("Use case", "1 of 1 answered"),
        ("Monitoring", "0 of 1 answered"),
    ]
    assert table["groups"][1]["first_unanswered"] == {
        "id": "rai_monitoring",
        "title": "How do you watch the system once it is live?",
    }
    assert words["lens_texts"]["responsible_ai"] == "Responsible AI Lens: 1 of 2 answered"
    markdown = report.to_markdown(found)
    assert "| Responsible AI Lens: Use case | 1 |" in markdown
    assert "| Responsible AI Lens: Monitoring | 0 |" in markdown
    assert "Agentic AI Lens: Pillar Two" in markdown  # a lens without areas keeps its pillars


def test_the_guide_of_a_lens_with_areas_goes_by_area_and_names_each_practices_pillar() -> None:
    page = lensguide.lens_guide(KB, KB.aws_lens("responsible_ai"), "responsible-ai-lens.md", "references/")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Use case {#use_case}",
        "## Benefits and risks {#benefits_risks}",
        "## Monitoring {#monitoring}",
    ]
    assert (
        "flowchart TB" in page
        and "Use case: 1 practice" in page
        and "(3 of the 3 leave a high risk when missing)" in page
    )
    monitoring = page[page.index("## Monitoring") :]
    assert "counts in [Pillar Two](pillars/pillar-two.md)" in monitoring
    assert "asked in the checklist: [Users agree before their data is monitored]" in monitoring
    # The lens's pillar mapping is drawn too, as for a lens with pillars.
    assert "The pillars whose results count the Responsible AI Lens's practices" in page
    assert 'p_0 -.- c_0["2 practices, 2 high risk"]' in page


def test_the_checklist_offers_to_show_one_lens_at_a_time() -> None:
    bar = form.app_shell(KB, "w.mjs", "b.js", "../")
    assert '<select data-lens-view autocomplete="off"><option value="">Every lens</option>' in bar
    assert '<option value="responsible_ai">Responsible AI Lens</option>' in bar
    question = KB.checklist.questions[0]  # type: ignore[union-attr]
    fieldset = form.question_form(KB, question, 1)
    # The fieldset itself names its lens (what lensview.js shows or hides), not only its lens tag inside.
    assert fieldset.startswith(
        f'<fieldset class="kb-question" id="{question.id}" data-question="{question.id}" data-lens="{question.lens}">'
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    area: monitoring\n",
            "",
            "].area: a Responsible AI Lens question names its area: one of use_case, benefits_risks",
        ),
        (
            "    area: monitoring\n",
            "    area: monitorin\n",
            "unknown area 'monitorin' (did you mean 'monitoring'?)",
        ),
        (
            "    applies_if: uses_agents\n",
            "    applies_if: uses_agents\n    area: use_case\n",
            "only a question of a lens with areas (aws_lenses[].areas) names an area",
        ),
        (
            "{id: RAIMON01-BP01, pillar: pillar_two",
            "{id: RAIMON01-BP01, pillar: pillar_one",
            "'RAIMON01-BP01' counts in the pillar 'pillar_one' (its lens_practices entry maps it there), but this "
            "question is in 'pillar_two'",
        ),
        ("prefix: RAIMON}", "prefix: RAIMX}", "'RAIMON01-BP01' is in no area of the Responsible AI Lens"),
        ("prefix: RAIUC}", "prefix: GENUC}", "'GENUC' does not start with its lens's prefix 'RAI'"),
        ("prefix: RAIBR}", "prefix: RAIUC}", "'RAIUC' is already the prefix of another area"),
        (
            "    area: monitoring\n",
            "    area: use_case\n",
            "'use_case' is not where most of its practices are: its results count in one area, the area of "
            "most of them ('monitoring')",
        ),
    ],
)
def test_the_kb_checks_say_where_an_area_or_a_mapping_is_wrong(old: str, new: str, message: str) -> None:
    text = four_lens_text()
    assert old in text
    with pytest.raises(KnowledgeBaseError) as caught:
        kbfile.load_text(text.replace(old, new, 1), "four-lens-kb.yml")
    problems = "\n".join(caught.value.problems)
    assert message in problems
    assert "four-lens-kb.yml:" in problems

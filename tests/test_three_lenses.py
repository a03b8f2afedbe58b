"""A review of three AWS lenses (issue 25): nothing that worked for the ML and GenAI lenses assumes two.

The fixture is tests/fixtures/two-lens-kb.yml with an Agentic AI Lens added here: the lens, an ``agents``
scope question asked only of generative AI workloads, one question of the lens (``applies_if: uses_agents``)
and the practices it cites. A second variant lists the lens before it has practices or questions (the state
of a lens whose content is being written): the site, the results and the exports must go on as before.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_cli import cli
from test_watool import GEN_ARN, LENS_ARN, REGION, WORKLOAD, lens_review, recorded_answers, run_with_stub

from checklist import lens, report, trackers
from checklist.assess import assess
from checklist.knowledge import KnowledgeBase
from checklist.result import Result
from checklist.state import Answer, parse_state, parse_state_text
from checklist.words import page_words
from sitebuilder import kbfile, kbsite, lensimport
from sitebuilder.pages import checklist_page, form, lensguide, sitemap

TWO_LENS = (Path(__file__).parent / "fixtures" / "two-lens-kb.yml").read_text(encoding="utf-8")
AGENT_PAGE = "https://docs.aws.amazon.com/wellarchitected/latest/agentic-ai-lens/{}.html"
AGENT_ARN = f"arn:aws:wellarchitected:{REGION}:123456789012:lens/0a1b2c3d4e5f60718293a4b5c6d7e8f9"
THREE = "This review covers the Machine Learning Lens, the Generative AI Lens and the Agentic AI Lens."
LENS_ENTRY = """- id: agentic_ai
  name: Agentic AI Lens
  short: Agentic AI
  prefix: AGENT
  page: https://docs.aws.amazon.com/wellarchitected/latest/agentic-ai-lens/{}.html
"""
SCOPE_QUESTION = """  - id: agents
    question: Do its models act as agents?
    applies_if: uses_generative_ai
    otherwise: no_agents
    options:
    - {id: uses_agents, label: "Yes, or not sure"}
    - {id: no_agents, label: "No"}
"""
QUESTION = """  - id: agent_tools
    pillar: pillar_two
    lens: agentic_ai
    focus: security
    applies_if: uses_agents
    title: How do you bound what the agent's tools can do?
    description: An agent acts with whatever access its tools give it.
    choices:
    - id: agent_tools_least_privilege
      title: Tool access is scoped to each task
      impact: high
      effort: medium
      improvement: Authorize each tool call at a gateway with short-lived credentials for the task.
      lens_refs:
      - AGENTSEC03-BP03
      - AGENTREL02-BP02
    - id: agent_tools_tracing
      title: Every run is traced end to end
      impact: high
      effort: low
      improvement: Record each model call and tool call of a run under one trace identifier.
      lens_refs:
      - AGENTOPS05-BP01
    - id: agent_tools_loop_budget
      title: Reasoning loops stop at a budget
      impact: medium
      effort: low
      improvement: Give every loop an exit rule and a token budget.
      lens_refs:
      - AGENTCOST01-BP01
    risk_rules:
    - condition: agent_tools_least_privilege && agent_tools_tracing
      risk: none
    - condition: agent_tools_least_privilege
      risk: medium
    - condition: default
      risk: high
"""
PRACTICES = """- {id: AGENTSEC03-BP03, pillar: pillar_two, risk: high, title: Narrow agent permissions, protects: An agent misled once reaches everything its role allows., services: [service_one]}
- {id: AGENTREL02-BP02, pillar: pillar_one, risk: high, title: Minimal access per agent task}
- {id: AGENTOPS05-BP01, pillar: pillar_one, risk: high, title: Trace agent runs}
- {id: AGENTCOST01-BP01, pillar: pillar_two, risk: medium, title: Bounded reflection loops}
"""
GEN_LENS_END = "  page: https://docs.aws.amazon.com/wellarchitected/latest/generative-ai-lens/{}.html\n"
GEN_SCOPE_END = '    - {id: no_generative_ai, label: "No"}\n'


def kb_text(with_content: bool = True) -> str:
    """The two-lens fixture with the Agentic AI Lens added (``with_content=False``: the lens alone)."""
    text = TWO_LENS.replace(GEN_LENS_END, GEN_LENS_END + LENS_ENTRY, 1)
    assert text != TWO_LENS
    if with_content:
        text = text.replace(GEN_SCOPE_END, GEN_SCOPE_END + SCOPE_QUESTION, 1)
        text = text.replace("aws_lenses:\n", QUESTION + "aws_lenses:\n", 1)
        text = text.rstrip("\n") + "\n" + PRACTICES
    return text


KB = kbfile.load_text(kb_text(), "three-lens-kb.yml")
LISTED_ONLY = kbfile.load_text(kb_text(with_content=False), "three-lens-kb.yml")
ANSWERS = {
    "data_quality": {"selected": ["data_quality_profile"], "not_applicable": False, "notes": ""},
    "gen_evaluation": {"selected": ["gen_evaluation_grounding"], "not_applicable": False, "notes": ""},
    "agent_tools": {"selected": ["agent_tools_least_privilege"], "not_applicable": False, "notes": "gateway"},
}
TARGET = [
    "--workload-id",
    WORKLOAD,
    "--lens-arn",
    f"machine_learning={LENS_ARN}",
    "--lens-arn",
    f"generative_ai={GEN_ARN}",
    "--lens-arn",
    f"agentic_ai={AGENT_ARN}",
]


def result_for(kb: KnowledgeBase = KB, **scope: str) -> Result:
    data = {"version": 3, "workload": {"name": "Agent"}, "answers": ANSWERS, "scope": scope}
    if kb is LISTED_ONLY:
        data["answers"] = {q: a for q, a in ANSWERS.items() if q != "agent_tools"}
    return assess(kb, parse_state(data, kb))


def written(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- results, page words, reports --------------------------------------------------------------------------


def test_the_results_count_each_of_three_lenses_and_say_so() -> None:
    result = result_for()
    assert [lens["id"] for lens in result["lenses"]] == ["machine_learning", "generative_ai", "agentic_ai"]
    assert result["lenses_text"] == THREE
    agentic = result["lenses"][2]
    assert (agentic["short"], agentic["answered"], agentic["total"], agentic["medium"]) == (
        "Agentic AI",
        1,
        1,
        1,
    )
    assert sum(lens["high"] + lens["medium"] for lens in result["lenses"]) == (
        result["summary"]["high"] + result["summary"]["medium"]
    )
    words = page_words(result)
    assert words["lens_progress"] == (
        "ML Lens: 1 of 3 answered · GenAI Lens: 1 of 1 answered · Agentic AI Lens: 1 of 1 answered"
    )
    assert any(line["meta"].startswith("Agentic AI Lens · Pillar Two · ") for line in words["plan"])
    items = {item["choice"]: item for item in result["recommendations"]}
    tracing = items["agent_tools_tracing"]
    assert (tracing["lens"], tracing["lens_name"]) == ("agentic_ai", "Agentic AI Lens")
    assert tracing["reference"] == AGENT_PAGE.format("agentops05-bp01")
    assert items["agent_tools_loop_budget"]["lens_links"] == [
        {"id": "AGENTCOST01-BP01", "lens": "Agentic AI Lens", "url": AGENT_PAGE.format("agentcost01-bp01")}
    ]


def test_the_report_backlog_and_tickets_name_the_third_lens() -> None:
    result = result_for()
    text = report.to_markdown(result)
    assert f"\n\n{THREE}\n\n## Workload\n" in text
    assert "| **Agentic AI Lens** | 0 | 1 | 0 | 0 | 0 |" in text
    assert "Agentic AI Lens [AGENTOPS05-BP01](" in text
    header, *rows = csv.reader(io.StringIO(report.to_csv(result), newline=""))
    assert header[-1] == "Lens"
    assert {row[0]: row[-1] for row in rows}["agent_tools_tracing"] == "Agentic AI Lens"
    item = next(i for i in result["recommendations"] if i["choice"] == "agent_tools_tracing")
    assert "\nLens: Agentic AI Lens\n" in trackers.description(result, item)


@pytest.mark.parametrize(
    ("scope", "lenses", "not_asked"),
    [
        ({"generative": "no_generative_ai"}, ["machine_learning"], True),
        ({"agents": "no_agents"}, ["machine_learning", "generative_ai"], False),
    ],
)
def test_the_scope_leaves_a_lens_out_of_the_review(
    scope: dict[str, str], lenses: list[str], not_asked: bool
) -> None:
    result = result_for(**scope)
    assert [lens["id"] for lens in result["lenses"]] == lenses
    assert "agent_tools" in result["scope"]["questions"]
    (agents,) = [c for c in result["scope"]["chosen"] if c["question"] == "agents"]
    assert agents["option"] == "no_agents" and bool(agents["not_asked"]) == not_asked
    assert "Agentic AI" not in page_words(result)["lens_progress"]


# --- custom-lens exports and the WA Tool round trip ----------------------------------------------------------


def test_each_lens_is_its_own_custom_lens_file(tmp_path: Path) -> None:
    kb_path = written(tmp_path, kb_text(), "kb.yml")
    out = tmp_path / "lenses"
    result = cli("lens", "--kb", kb_path, "-o", out)
    assert result.returncode == 0, result.stderr
    names = {
        "custom-lens-machine-learning.json": ["data_quality", "model_review", "endpoint_scaling"],
        "custom-lens-generative-ai.json": ["gen_evaluation"],
        "custom-lens-agentic-ai.json": ["agent_tools"],
    }
    assert sorted(f.name for f in out.iterdir()) == sorted(names)
    for name, questions in names.items():
        document = json.loads((out / name).read_text(encoding="utf-8"))
        assert lens.problems(document) == [], name
        assert [q["id"] for p in document["pillars"] for q in p["questions"]] == questions
    assert json.loads((out / "custom-lens-agentic-ai.json").read_text())["name"].endswith(": Agentic AI Lens")
    one = cli("lens", "--kb", kb_path, "--lens", "agentic_ai", "-o", tmp_path / "one.json")
    assert one.returncode == 0, one.stderr
    assert (tmp_path / "one.json").read_bytes() == (out / "custom-lens-agentic-ai.json").read_bytes()
    # A workload without agents gets the two other lenses, and is told why the third is missing.
    state = written(
        tmp_path, json.dumps({"version": 3, "scope": {"agents": "no_agents"}, "answers": {}}), "s.json"
    )
    scoped = cli("lens", "--kb", kb_path, "--state", state, "-o", tmp_path / "scoped")
    assert scoped.returncode == 0, scoped.stderr
    assert sorted(f.name for f in (tmp_path / "scoped").iterdir()) == sorted(names)[1:]
    assert "leaves out every question of the Agentic AI Lens: no custom-lens-agentic-ai.json" in scoped.stderr
    # The page offers the three files, named for their lenses.
    page = checklist_page.render(KB, sitemap.CHECKLIST, "")
    assert "download [Machine Learning Lens](" in page and ", [Generative AI Lens](" in page
    assert " and [Agentic AI Lens](assets/checklist/custom-lens-agentic-ai.json)" in page


def script(tmp_path: Path, *target: str) -> subprocess.CompletedProcess[str]:
    state = written(tmp_path, json.dumps({"version": 3, "answers": ANSWERS}), "state.json")
    kb_path = written(tmp_path, kb_text(), "kb.yml")
    return cli("wa-tool", "script", state, "--kb", kb_path, *target, "-o", tmp_path / "to-wa-tool.sh")


def test_the_script_sends_each_answer_to_its_lens_of_three(tmp_path: Path) -> None:
    result = script(tmp_path, *TARGET)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "to-wa-tool.sh").read_text(encoding="utf-8")
    assert f"# Lens generative_ai: {GEN_ARN}\n# Lens agentic_ai: {AGENT_ARN}\n" in text
    calls = run_with_stub(tmp_path / "to-wa-tool.sh", tmp_path)
    lens_of = {c[c.index("--question-id") + 1]: c[c.index("--lens-alias") + 1] for c in calls[:-1]}
    assert lens_of == {"data_quality": LENS_ARN, "gen_evaluation": GEN_ARN, "agent_tools": AGENT_ARN}
    assert recorded_answers(calls)["agent_tools"] == (["agent_tools_least_privilege"], True, "gateway")


@pytest.mark.parametrize(
    ("target", "error"),
    [
        (
            TARGET[:6],
            "the state answers 1 question of the Agentic AI Lens: pass its ARN too, --lens-arn agentic_ai=ARN "
            "(the ARN the tool gave its imported custom lens)",
        ),
        (
            ["--workload-id", WORKLOAD, "--lens-arn", LENS_ARN],
            f"--lens-arn {LENS_ARN!r}: this checklist has several lenses, one custom lens each in the tool: name "
            "each ARN's lens, --lens-arn machine_learning=ARN --lens-arn generative_ai=ARN --lens-arn agentic_ai=ARN",
        ),
        (
            [*TARGET[:7], f"agentic_ai={GEN_ARN}"],
            "--lens-arn: two lenses have the same ARN; each lens is imported into the tool on its own",
        ),
        (
            [*TARGET, "--lens-arn", f"agentic_ai={AGENT_ARN}"],
            f"--lens-arn 'agentic_ai={AGENT_ARN}': the lens agentic_ai is given twice",
        ),
    ],
    ids=["missing", "bare", "same_arn", "twice"],
)
def test_each_of_three_lenses_needs_its_own_arn(tmp_path: Path, target: list[str], error: str) -> None:
    result = script(tmp_path, *target)
    assert result.returncode == 2 and result.stdout == ""
    assert any(line.endswith(error) for line in result.stderr.splitlines()), result.stderr
    assert not (tmp_path / "to-wa-tool.sh").exists()


def test_import_reads_three_lens_reviews_into_one_state(tmp_path: Path) -> None:
    picked: dict[str, tuple[list[str], bool]] = {
        "data_quality": (["data_quality_profile"], True),
        "gen_evaluation": (["gen_evaluation_budget"], True),
        "agent_tools": (["agent_tools_tracing", "agent_tools_loop_budget"], True),
    }
    reviews: list[dict[str, Any]] = [
        lens_review(KB, lens_id, arn, picked)
        for lens_id, arn in [
            ("machine_learning", LENS_ARN),
            ("generative_ai", GEN_ARN),
            ("agentic_ai", AGENT_ARN),
        ]
    ]
    assert [len(r["AnswerSummaries"]) for r in reviews] == [3, 1, 1]
    files = [written(tmp_path, json.dumps(r), f"review-{n}.json") for n, r in enumerate(reviews)]
    kb_path = written(tmp_path, kb_text(), "kb.yml")
    out = tmp_path / "imported.json"
    result = cli("wa-tool", "import", *files, "--kb", kb_path, "-o", out)
    assert result.returncode == 0, result.stderr
    back = parse_state_text(out.read_text(encoding="utf-8"), KB)
    assert {q: a for q, a in back.answers.items() if a.selected} == {
        q: Answer(tuple(selected), False, "") for q, (selected, _) in picked.items()
    }


# --- the site ---------------------------------------------------------------------------------------------------


def test_the_site_has_a_guide_page_per_further_lens() -> None:
    nav = sitemap.nav(KB)
    assert nav[2:4] == [
        {"Generative AI Lens": "generative-ai-lens.md"},
        {"Agentic AI Lens": "agentic-ai-lens.md"},
    ]
    assert kbsite.pages(KB)["agentic-ai-lens.md"].endswith('{{ lens_guide("agentic_ai") }}\n')
    guide = lensguide.lens_guide(KB, KB.aws_lens("agentic_ai"), "agentic-ai-lens.md", "references/")
    assert "Below, the lens's 4 best practices by pillar" in guide
    assert "[AGENTSEC03-BP03](<" + AGENT_PAGE.format("agentsec03-bp03") + ">) in the Agentic AI Lens" in guide
    assert "asked in the checklist: [Tool access is scoped to each task](checklist.md#agent_tools)" in guide
    question = KB.checklist.question("agent_tools")  # type: ignore[union-attr]
    assert sitemap.question_guide(KB, question) == "agentic-ai-lens/#agentsec03-bp03"
    assert (
        '<span class="kb-question__lens" data-lens="agentic_ai">Agentic AI Lens</span>'
        in form.question_form(KB, question, 5)
    )


def test_a_lens_listed_before_its_content_breaks_nothing(tmp_path: Path) -> None:
    """While the lens has no practice and no question: its page says so, the review and the exports are those
    of the other two lenses."""
    kb = LISTED_ONLY
    assert [x.id for x in kb.lenses] == ["machine_learning", "generative_ai", "agentic_ai"]
    assert {"Agentic AI Lens": "agentic-ai-lens.md"} in sitemap.nav(kb)
    guide = lensguide.lens_guide(kb, kb.aws_lens("agentic_ai"), "agentic-ai-lens.md", "references/")
    assert (
        "This guide does not cover the Agentic AI Lens's best practices yet: the [checklist](checklist.md)"
        in guide
    )
    assert "best practices by pillar" not in guide and "mermaid" not in guide
    result = result_for(kb)
    assert [x["id"] for x in result["lenses"]] == ["machine_learning", "generative_ai"]
    assert [x.id for x in lens.lenses(kb)] == ["machine_learning", "generative_ai"]
    assert sorted(lens.exports(kb, None)) == [
        "custom-lens-generative-ai.json",
        "custom-lens-machine-learning.json",
    ]


def test_each_lens_file_imports_back_as_a_kb_of_its_questions() -> None:
    """`lens import` reads any custom lens: each of the three files becomes a KB of that lens's questions."""
    for name, text in lens.exports(KB, None).items():
        kb_text_back, warnings = lensimport.import_lens(text.encode("utf-8"), name, "kb.yml")
        assert warnings == [], name
        back = kbfile.load_text(kb_text_back, "kb.yml")
        assert back.checklist is not None
        lens_id = next(x.id for x in KB.lenses if lens.file_name(KB, x.id) == name)
        assert [q.id for q in back.checklist.questions] == [
            q.id
            for q in KB.checklist.questions
            if q.lens == lens_id  # type: ignore[union-attr]
        ], name
    assert len(lens.exports(KB, None)) == 3

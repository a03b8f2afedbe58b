"""The portfolio (issue 26, item 2): many workloads' risks side by side, the practices most of them miss and
their decisions, in four formats, from the engine, the API and the command line alike."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import portfoliofiles
import pytest
from conftest import run_cli
from portfoliofiles import TODAY

from checklist import portfolioreport
from checklist.api import Session
from checklist.assess import assess, practice_order
from checklist.errors import InputError
from checklist.portfolio import (
    MAX_WORKLOADS,
    SHOWN_PRACTICES,
    Portfolio,
    StateFile,
    level,
    names,
    portfolio,
)
from checklist.state import MAX_BYTES, parse_state
from sitebuilder import kbfile

ROOT = Path(__file__).resolve().parent.parent
KB = kbfile.load(ROOT / "docs" / "knowledge-base.yml")
ONE_LENS = kbfile.load(ROOT / "tests" / "fixtures" / "engine-kb.yml")
FIVE = portfoliofiles.five(KB)


def files(extra: dict[str, str] | None = None) -> list[StateFile]:
    given = [StateFile(name, json.dumps(data)) for name, data in FIVE.items()]
    return given + [StateFile(name, text) for name, text in (extra or {}).items()]


@pytest.fixture(scope="module")
def five() -> Portfolio:
    return portfolio(KB, files(), TODAY)


def results() -> list[Any]:
    return [assess(KB, parse_state(data, KB), "", TODAY) for data in FIVE.values()]


# --- the risk table ---------------------------------------------------------------------------------------


def test_each_row_is_that_workloads_own_assessment(five: Portfolio) -> None:
    table = five["pillars"]
    assert [c["name"] for c in table["columns"]] == [p.name for p in KB.pillars]
    assert [row["file"] for row in table["rows"]] == list(FIVE)  # the files' order
    for row, result in zip(table["rows"], results(), strict=True):
        for cell, group in zip(row["cells"], result["pillars"], strict=True):
            assert cell["id"] == group["id"]
            assert cell["counts"] == {r: group[r] for r in cell["counts"]}  # type: ignore[literal-required]
        assert row["total"]["counts"] == {r: result["summary"][r] for r in row["total"]["counts"]}  # type: ignore[literal-required]
    for n, cell in enumerate(table["totals"]["cells"]):
        added = Counter[str]()
        for row in table["rows"]:
            added.update(row["cells"][n]["counts"])
        assert dict(added) == {k: v for k, v in cell["counts"].items() if v} or not any(added.values())


def test_a_cell_takes_the_worst_outcome_and_says_it_in_words(five: Portfolio) -> None:
    rows = {row["file"]: row for row in five["pillars"]["rows"]}
    sustainability = rows["forecast-eu.json"]["cells"][-1]
    assert sustainability["counts"]["high"] == 0 and sustainability["counts"]["medium"] > 0
    assert (sustainability["level"], sustainability["label"]) == ("medium", "Medium risk")
    security = rows["forecast-us.json"]["cells"][1]  # only the first 30 questions are answered
    assert security["level"] == "unanswered" and security["label"] == "Not fully answered"
    assert security["text"] == f"{security['counts']['unanswered']} unanswered"
    assert (
        security["title"] == f"Forecast (forecast-us.json), Security: Not fully answered ({security['text']})"
    )
    assert level({"high": 0, "medium": 0, "none": 3, "not_applicable": 2, "unanswered": 0}) == "none"
    assert (
        level({"high": 0, "medium": 0, "none": 0, "not_applicable": 2, "unanswered": 0}) == "not_applicable"
    )
    assert level({"high": 1, "medium": 5, "none": 0, "not_applicable": 0, "unanswered": 9}) == "high"
    every = [cell for row in five["pillars"]["rows"] for cell in row["cells"]]
    assert all(cell["text"] and cell["label"] for cell in every)  # the heat map reads without colour


def test_the_lens_table_follows_each_workloads_scope(five: Portfolio) -> None:
    lenses = five["lenses"]
    assert lenses is not None
    assert [c["id"] for c in lenses["columns"]] == [x.id for x in KB.lenses]
    eu = next(row for row in lenses["rows"] if row["file"] == "forecast-eu.json")
    out = {cell["id"]: cell for cell in eu["cells"] if cell["level"] == "not_in_scope"}
    assert sorted(out) == ["agentic_ai", "generative_ai"]
    assert out["generative_ai"]["text"] == "left out by the workload's scope"
    assert out["generative_ai"]["label"] == "Not in scope"
    churn = lenses["rows"][0]
    assert all(cell["level"] == "high" for cell in churn["cells"])  # every lens in scope, answered


def test_a_kb_of_one_lens_has_no_lens_table() -> None:
    early = (ROOT / "tests" / "fixtures" / "states" / "early.json").read_text()
    found = portfolio(ONE_LENS, [StateFile("early.json", early)], TODAY)
    assert found["lenses"] is None
    assert "not_in_scope" not in [lvl["id"] for lvl in found["levels"]]
    assert "Risk by lens" not in portfolioreport.to_markdown(found)


# --- names ------------------------------------------------------------------------------------------------


def test_workloads_are_named_and_told_apart() -> None:
    assert names(["a/churn.json", "b/x.json"], ["Churn", ""]) == ["Churn", "x"]
    assert names(["eu.json", "us.json"], ["Forecast", " Forecast "]) == [
        "Forecast (eu.json)",
        "Forecast (us.json)",
    ]
    assert names(["a/f.json", "b/f.json", "g.json"], ["F", "F", "G"]) == ["F (f.json) 1", "F (f.json) 2", "G"]


# --- the practices most workloads miss --------------------------------------------------------------------


def test_practices_are_ranked_by_how_many_workloads_miss_them_then_the_plan_order(five: Portfolio) -> None:
    items = five["practices"]["items"]
    missing: Counter[str] = Counter()
    for result in results():
        missing.update({item["choice"] for item in [*result["recommendations"], *result["accepted"]]})
    assert {item["choice"]: item["count"] for item in items} == dict(missing)
    order = practice_order(KB)
    assert [i["choice"] for i in items] == sorted(missing, key=lambda c: (-missing[c], order[c]))
    assert [i["rank"] for i in items] == list(range(1, len(items) + 1))
    first = items[0]
    assert first["text"] == f"Missing in {first['count']} of 5 workloads"
    assert len(first["workloads"]) == first["count"]
    accepted = next(i for i in items if i["accepted"])
    assert accepted["text"].endswith(f"(risk accepted in {accepted['accepted']})")
    assert five["practices"]["shown"] == SHOWN_PRACTICES < len(items)
    assert five["practices"]["text"].startswith(
        f"The {SHOWN_PRACTICES} practices missing in the most workloads"
    )


def test_practice_order_is_the_plans_own_for_a_workload_without_priorities() -> None:
    assert KB.checklist is not None
    data = portfoliofiles.state(KB, "x", 0)
    data["answers"] = {  # every question "None of these": every practice in scope missing, at one risk
        q.id: {"selected": [q.none_choice]} for q in KB.checklist.questions
    }
    plan = [  # a question's risk orders the plan too: one risk's items (most of them)
        item
        for item in assess(KB, parse_state(data, KB))["recommendations"]
        if item["question_risk"] == "high"
    ]
    assert len(plan) > 300
    order = practice_order(KB)
    assert [item["choice"] for item in plan] == sorted((i["choice"] for i in plan), key=order.__getitem__)


# --- decisions --------------------------------------------------------------------------------------------


def test_decisions_open_overdue_and_accepted_risks_due_for_review(five: Portfolio) -> None:
    lists = {d["id"]: d for d in five["decisions"]}
    assert [d["id"] for d in five["decisions"]] == ["overdue", "open", "review"]
    (overdue,) = lists["overdue"]["items"]
    assert (overdue["workload"], overdue["status"], overdue["owner"], overdue["date"]) == (
        "Churn model",
        "Planned",
        "Ana",
        "2026-01-31",
    )
    assert overdue["ticket"] == "https://t.example/1"
    assert overdue["text"] == "Churn model: Planned · Ana · due 2026-01-31"
    assert lists["overdue"]["heading"] == "Overdue decisions (1)"
    # Dated work first, then undated; an untouched recommendation is no decision.
    assert [(i["workload"], i["status"], i["date"]) for i in lists["open"]["items"]] == [
        ("Churn model", "In progress", "2026-09-30"),
        ("Support chat", "Open", ""),
    ]
    (review,) = lists["review"]["items"]  # the one reviewed in 2027 is not due
    assert (review["workload"], review["owner"], review["date"]) == ("Churn model", "Cy", "2026-03-01")
    assert review["reason"] == "Batch only <b>for now</b>"
    assert "1 overdue decision" in five["summary"] and "1 accepted risk due for review" in five["summary"]


def test_without_a_date_nothing_is_overdue_and_the_page_says_why() -> None:
    found = portfolio(KB, files(), "")
    lists = {d["id"]: d for d in found["decisions"]}
    assert lists["overdue"]["items"] == [] and lists["review"]["items"] == []
    assert (
        lists["overdue"]["empty"]
        == "None: no open decision is past its due date (no date was given, so none can be overdue)."
    )
    assert len(lists["open"]["items"]) == 3  # the overdue one is open work all the same


# --- bad input --------------------------------------------------------------------------------------------

HOSTILE = {
    "syntax.json": "{",
    "twice.json": '{"version": 4, "version": 4}',
    "deep.json": "[" * 100 + "]" * 100,
    "field.json": json.dumps({"version": 4, "answers": {}, "oops": 1}),
    "list.json": "[]",
}


def test_a_bad_file_is_left_out_and_named_and_the_rest_computed() -> None:
    found = portfolio(KB, [*files(HOSTILE), StateFile("big.json", "{}", MAX_BYTES + 1)], TODAY)
    assert [row["file"] for row in found["pillars"]["rows"]] == list(FIVE)
    left = {item["file"]: item["problems"] for item in found["left_out"]}
    assert list(left) == [*HOSTILE, "big.json"]
    assert left["syntax.json"] == [
        "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"
    ]
    assert "is given twice" in left["twice.json"][0]
    assert "nested more than 64 levels" in left["deep.json"][0]
    assert left["field.json"] == ["oops: unknown field"]
    assert left["big.json"] == [
        f"the file is {MAX_BYTES + 1:,} bytes; a state file may be at most {MAX_BYTES:,} bytes"
    ]
    assert found["left_out_heading"] == "Files left out (6)"
    assert found["summary"].endswith("6 files left out")
    assert found["practices"]["items"][0]["text"].endswith("of 5 workloads")


def test_nothing_readable_no_file_or_too_many_is_refused_whole() -> None:
    with pytest.raises(InputError) as error:
        portfolio(KB, [StateFile("a.json", "{"), StateFile("b.json", "[]")], TODAY)
    assert error.value.problems == [
        "a.json: not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2",
        "b.json: the state must be a JSON object, not a list",
        "no state file could be read, so there is no portfolio to show",
    ]
    with pytest.raises(InputError, match="at least one state file"):
        portfolio(KB, [], TODAY)
    with pytest.raises(InputError, match=f"at most {MAX_WORKLOADS}"):
        portfolio(KB, [StateFile("a.json", "{}")] * (MAX_WORKLOADS + 1), TODAY)


# --- formats ----------------------------------------------------------------------------------------------

NASTY = "<script>alert(1)</script> | *x* [l](javascript:x)"


def nasty() -> Portfolio:
    data = json.loads(json.dumps(FIVE["churn.json"]))
    data["workload"]["name"] = NASTY
    return portfolio(KB, [StateFile("evil<x>.json", json.dumps(data)), StateFile("bad<i>.json", "{")], TODAY)


def test_json_is_the_portfolio_and_the_same_bytes_every_time(five: Portfolio) -> None:
    text = portfolioreport.to_json(five)
    assert json.loads(text) == json.loads(json.dumps(five))
    assert text == portfolioreport.to_json(portfolio(KB, files(), TODAY))


def test_markdown_shows_every_part_with_user_text_escaped(five: Portfolio) -> None:
    text = portfolioreport.to_markdown(five)
    for heading in (
        "## Risk by pillar",
        "## Risk by lens",
        "## Practices missing in the most workloads",
        "### Overdue decisions (1)",
        "### Accepted risks due for review (1)",
        "## Notes on the files",
    ):
        assert heading in text
    assert "| Churn model | **High risk**: " in text
    assert "| Planned | Ana | 2026-01-31 | <https://t.example/1> |" in text
    assert "Batch only \\<b\\>for now\\</b\\>" in text
    hostile = portfolioreport.to_markdown(nasty())
    assert "<script>" not in hostile and "\\<script\\>" in hostile
    assert "\\| \\*x\\* \\[l\\](javascript:x)" in hostile
    assert "- **bad\\<i\\>.json**: not valid JSON" in hostile


def test_csv_is_the_risk_table_one_row_per_workload_and_group(five: Portfolio) -> None:
    text = portfolioreport.to_csv(five)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(portfolioreport.CSV_COLUMNS)
    assert len(rows) == 1 + 6 * (len(KB.pillars) + len(KB.lenses))  # five workloads and the totals
    churn_security = next(r for r in rows if r[0] == "Churn model" and r[3] == "Security")
    cell = five["pillars"]["rows"][0]["cells"][1]
    assert churn_security == [
        "Churn model",
        "churn.json",
        "Pillar",
        "Security",
        cell["label"],
        *(str(cell["counts"][k]) for k in ("high", "medium", "none", "not_applicable", "unanswered")),
    ]  # type: ignore[literal-required]
    assert any(r[2] == "Lens" and r[4] == "Not in scope" for r in rows)


def test_html_is_standalone_escaped_and_reads_without_colour(five: Portfolio) -> None:
    page = portfolioreport.to_html(five)
    assert page.startswith("<!doctype html>") and page.endswith("</html>\n")
    assert "<script" not in page
    assert "src=" not in page  # nothing to fetch; the one link is the overdue decision's ticket
    assert re.findall(r'href="([^"]*)"', page) == ["https://t.example/1"]
    assert ' style="' not in page  # every style is the one <style>, allowed by the file's own policy
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None and style.group(1) == portfolioreport.STYLE
    assert f"style-src 'sha256-{portfolioreport._STYLE_HASH}'" in policy.group(1)
    assert policy.group(1).startswith("default-src 'none'")
    cells = re.findall(
        r'<td class="level level-(\w+)"[^>]*><strong>([^<]+)</strong> <small>([^<]+)</small>', page
    )
    assert len(cells) == 6 * (len(KB.pillars) + 1 + len(KB.lenses) + 1)
    assert all(label and text for _, label, text in cells)
    hostile = portfolioreport.to_html(nasty())
    assert "<script>" not in hostile and "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "bad&lt;i&gt;.json" in hostile


def test_the_style_hash_is_the_styles() -> None:
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(portfolioreport.STYLE.encode()).digest()).decode()
    assert digest == portfolioreport._STYLE_HASH


# --- the page's operation ---------------------------------------------------------------------------------

SESSION = Session(json.dumps(KB.source))


def ask(**request: Any) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(SESSION.handle(json.dumps(request)))
    return reply


def page_files(extra: dict[str, str] | None = None) -> list[dict[str, Any]]:
    return [{"name": f.name, "text": f.text, "size": len(f.text.encode())} for f in files(extra)]


def test_the_page_gets_the_engines_portfolio_and_the_clis_bytes(five: Portfolio) -> None:
    reply = ask(op="portfolio", files=page_files(), today=TODAY)
    assert reply == {"ok": True, "portfolio": json.loads(json.dumps(five))}
    for fmt, write in portfolioreport.FORMATS.items():
        assert ask(op="portfolio", files=page_files(), today=TODAY, format=fmt) == {
            "ok": True,
            "text": write(five),
        }


def test_the_page_hears_what_was_wrong() -> None:
    oversized = [*page_files()[:1], {"name": "big.json", "text": "{}", "size": MAX_BYTES + 1}]
    reply = ask(op="portfolio", files=oversized, today=TODAY)
    assert reply["ok"] and reply["portfolio"]["left_out"][0]["file"] == "big.json"
    sized_wrong = [{"name": "a.json", "text": "{}", "size": "12"}]
    assert ask(op="portfolio", files=sized_wrong)["problems"] == [
        "files: must be a list of {name, text, size}"
    ]
    assert ask(op="portfolio", files="nope") == {
        "ok": False,
        "problems": ["files: must be a list of {name, text, size}"],
    }
    assert ask(op="portfolio", files=[{"name": "a.json", "text": "{"}]) == {
        "ok": False,
        "problems": [
            "a.json: not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2",
            "no state file could be read, so there is no portfolio to show",
        ],
    }
    bad_format = ask(op="portfolio", files=page_files(), today=TODAY, format="pdf")
    assert bad_format == {"ok": False, "problems": ["format: must be one of markdown, json, csv, html"]}


# --- the command line -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def five_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return portfoliofiles.write_five(KB, tmp_path_factory.mktemp("five"))


def test_the_cli_writes_each_format_as_the_engine_does(five_files: list[Path], tmp_path: Path) -> None:
    expected = portfolio(KB, [StateFile(str(p), p.read_text()) for p in five_files], TODAY)
    for fmt, write in portfolioreport.FORMATS.items():
        out = tmp_path / f"p.{fmt}"
        result = run_cli("portfolio", *five_files, "--format", fmt, "--today", TODAY, "-o", out)
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert out.read_bytes().decode("utf-8") == write(expected)
    shown = run_cli("portfolio", *five_files, "--today", TODAY)
    assert shown.stdout == portfolioreport.to_markdown(expected)  # markdown, on standard output
    assert "forecast-eu.json: warning: the scope question" in shown.stderr


def test_the_cli_leaves_a_bad_file_out_says_so_and_exits_2(five_files: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"version": 4, "workload": {"name": "\xff"}}')
    out = tmp_path / "p.json"
    result = run_cli(
        "portfolio", *five_files, bad, binary, tmp_path / "gone.json", "--format", "json", "-o", out
    )
    assert result.returncode == 2
    assert (
        f"{bad}: not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"
        in result.stderr
    )
    assert f"{binary}: not UTF-8 text (byte 37)" in result.stderr
    assert f"{tmp_path / 'gone.json'}: cannot read: No such file or directory" in result.stderr
    written = json.loads(out.read_text())
    assert len(written["workloads"]) == 5 and len(written["left_out"]) == 3
    nothing = run_cli("portfolio", bad, "--format", "json")
    assert nothing.returncode == 2 and nothing.stdout == ""
    assert "no state file could be read" in nothing.stderr


def test_the_cli_dates_the_portfolio_today_unless_told(five_files: list[Path]) -> None:
    result = run_cli("portfolio", five_files[0], "--format", "json")
    assert json.loads(result.stdout)["date"] == datetime.date.today().isoformat()
    undated = run_cli("portfolio", five_files[0], "--format", "json", "--today", "")
    assert json.loads(undated.stdout)["date"] == ""
    wrong = run_cli("portfolio", five_files[0], "--today", "1 June")
    assert wrong.returncode == 2 and wrong.stderr == "--today: must be a date as YYYY-MM-DD (got '1 June')\n"
    assert run_cli("portfolio", "--help").returncode == 0


def test_a_ticket_with_markdown_table_syntax_in_it_keeps_the_decisions_table_whole() -> None:
    """A ticket is the decision row's last cell, written as a link where Markdown reads one: a "|" in it
    must not start a new cell."""
    data = json.loads(json.dumps(next(iter(FIVE.values()))))
    overdue = next(c for c, d in data["decisions"].items() if d.get("ticket"))  # planned, past its due date
    data["decisions"][overdue]["ticket"] = "https://t.example/a|b"
    text = portfolioreport.to_markdown(portfolio(KB, [StateFile("w.json", json.dumps(data))], TODAY))
    rows = [line for line in text.splitlines() if "t.example" in line]
    assert len(rows) == 1
    header = next(
        line for line in text.splitlines()[: text.splitlines().index(rows[0])][::-1] if "---" in line
    )
    assert len(re.findall(r"(?<!\\)\|", rows[0])) == header.count("|")  # the header's cells, no more

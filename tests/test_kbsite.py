"""`make lens-site` and `make build KB=...`: a site from any custom lens or knowledge base, in one command."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import lensfixtures
import pytest

from checklist import report, trackers
from checklist.assess import assess
from checklist.state import parse_state
from sitebuilder import kbfile, kbsite

ROOT = Path(__file__).resolve().parent.parent
LENS = lensfixtures.small()


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True)


def page_text(html: str) -> str:
    """The article's words (scripts and tags left out)."""
    article = html[html.index("<article") : html.index("</article>")]
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", article, flags=re.S))


@pytest.mark.build
def test_make_lens_site_writes_the_kb_and_a_site_made_of_the_lens_alone(tmp_path: Path) -> None:
    lens = LENS
    source = lensfixtures.write(lens, tmp_path / "pipeline-lens.json")
    out = tmp_path / "out"
    started = time.perf_counter()
    done = make("lens-site", f"LENS={source}", f"OUT={out}")
    print(f"\nmake lens-site, small lens: {time.perf_counter() - started:.1f} s")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["knowledge-base.yml", "site"]
    site = out / "site"
    pages = {
        "index.html": lens["name"],
        "pillars/dataIngestion/index.html": "Data Ingestion",
        "pillars/security/index.html": "Security",
        "checklist/index.html": "Assessment checklist",
        "references/index.html": "Links",
    }
    for path, heading in pages.items():
        html = (site / path).read_text(encoding="utf-8")
        assert "<title>" in html and lens["name"] in html.split("<title>")[1].split("</title>")[0], path
        assert heading in page_text(html), path
        words = page_text(html)
        assert "AI/ML" not in words and "machine learning" not in words.lower(), path
    assert not (site / "assessment").exists() and not (site / "self-check").exists()
    home = page_text((site / "index.html").read_text(encoding="utf-8"))
    assert "Lens version 1.2" in home and lens["description"].split(":")[0] in home
    # The site offers the lens back for the AWS Well-Architected Tool, as it came in.
    offered = json.loads((site / "assets/checklist/custom-lens.json").read_text(encoding="utf-8"))
    assert offered == {key: value for key, value in lens.items() if key != "version"}
    # Every helpful resource and improvement plan URL of the lens is on the Links page.
    links = (site / "references/index.html").read_text(encoding="utf-8")
    urls = set(re.findall(r'"url": "([^"]+)"', lensfixtures.to_text(lens)))
    assert urls and all(url in links for url in urls)

    # The site is the lens's: its storage, caches, report and tickets are named by it, not by this project.
    site_id = "lens-serverless-data-pipeline-lens"
    assert lens["name"] == "Serverless Data Pipeline Lens"
    checklist = (site / "checklist/index.html").read_text(encoding="utf-8")
    assert f'data-store="{site_id}"' in checklist and "wa-ml" not in checklist
    assert f'"site":"{site_id}"' in (site / "sw.js").read_text(encoding="utf-8")
    kb = kbfile.load(out / "knowledge-base.yml")
    answers = {"ingest_q1": {"selected": ["ingest_q1_no"], "not_applicable": False, "notes": ""}}
    result = assess(kb, parse_state({"version": 3, "workload": {"name": "Orders"}, "answers": answers}, kb))
    assert report.to_markdown(result).startswith(f"# {lens['name']} review: Orders\n")
    jira = list(csv.reader(io.StringIO(trackers.to_jira(result), newline="")))[1:]
    assert jira and all(row[3] == site_id and row[4].startswith(f"{site_id}:") for row in jira)
    assert f"{site_id}:ingest_q1_retry" in [row[4] for row in jira]
    assert f"open work of a {lens['name']} review." in trackers.to_github(result)


@pytest.mark.parametrize(
    ("make", "warned"),
    [
        (lensfixtures.repeated_choice_ids, ["pillars[0].questions[0].choices[0].id: choice ids repeat"]),
        (
            lensfixtures.no_default,
            [f"pillars[{p}].questions[0].riskRules: no 'default' rule" for p in (0, 1)],
        ),
    ],
)
@pytest.mark.build
def test_lens_site_builds_a_lens_with_repeated_choice_ids_or_no_default_rule(
    make: Any, warned: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `make lens-site` runs, in process: the lens imports with its warnings and its site is built;
    the checklist's boxes carry the KB's unique ids, and the lens offered back is the lens as written."""
    lens = make()
    source = lensfixtures.write(lens, tmp_path / "lens.json")
    assert kbsite.main(["lens", str(source), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == len(warned)
    for line, start in zip(lines, warned, strict=True):
        assert line.startswith(f"{source}: warning: {start}"), line
    site = tmp_path / "out" / "site"
    page = (site / "checklist/index.html").read_text(encoding="utf-8")
    questions = [q for p in lens["pillars"] for q in p["questions"]]
    boxes = [
        (name, value)
        for name, value in re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]+)"', page)
        if name in {q["id"] for q in questions}  # not the pillar priorities
    ]
    assert [name for name, _ in boxes] == [q["id"] for q in questions for c in q["choices"]]
    assert len({value for _, value in boxes}) == len(boxes)  # no box shares its value with another
    offered = json.loads((site / "assets/checklist/custom-lens.json").read_text(encoding="utf-8"))
    assert offered == {key: value for key, value in lens.items() if key != "version"}


def test_make_lens_site_on_a_file_that_is_not_a_lens_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "notes.json"
    source.write_text('{"title": "meeting notes"}', encoding="utf-8")
    out = tmp_path / "out"
    done = make("lens-site", f"LENS={source}", f"OUT={out}")
    assert done.returncode != 0
    assert "not an AWS Well-Architected custom lens" in done.stderr
    assert not out.exists()


def test_make_lens_site_without_its_arguments_says_how_to_call_it() -> None:
    done = make("lens-site")
    assert done.returncode != 0
    assert "usage: make lens-site LENS=path/to/lens.json OUT=path/to/dir" in done.stderr


@pytest.mark.build
def test_make_build_with_a_kb_builds_the_site_of_that_kb(tmp_path: Path) -> None:
    """The project's own KB through the generic pages: guides, assessment, quiz and references appear."""
    kb = tmp_path / "kb.yml"
    kb.write_text((ROOT / "docs" / "knowledge-base.yml").read_text(encoding="utf-8"), encoding="utf-8")
    command = [str(ROOT / ".venv/bin/python"), "-m", "sitebuilder.kbsite", "build", "--kb", str(kb)]
    done = subprocess.run(
        [*command, "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "site"
    for path in ("pillars/security", "assessment", "checklist", "self-check", "references"):
        assert (site / path / "index.html").is_file(), path
    security = page_text((site / "pillars/security/index.html").read_text(encoding="utf-8"))
    assert "Best practices by lifecycle phase" in security

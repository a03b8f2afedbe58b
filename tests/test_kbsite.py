"""`make lens-site` and `make build KB=...`: a site from any custom lens or knowledge base, in one command."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import lensfixtures

ROOT = Path(__file__).resolve().parent.parent


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True)


def page_text(html: str) -> str:
    """The article's words (scripts and tags left out)."""
    article = html[html.index("<article") : html.index("</article>")]
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", article, flags=re.S))


def test_make_lens_site_writes_the_kb_and_a_site_made_of_the_lens_alone(tmp_path: Path) -> None:
    lens = lensfixtures.small()
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

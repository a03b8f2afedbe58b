"""The portfolio page in Chromium, under the site's own policy: five state files give the figures the
command line gives for the same files (issue 26's "same figures in the CLI and in the page"), a download is
the CLI's bytes, and a bad file dropped with the others is named while the rest are still shown."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import time
from pathlib import Path
from typing import Any

import portfoliofiles
import pytest
from conftest import KB_PATH

from sitebuilder import kbfile

pytestmark = pytest.mark.browser

KB = kbfile.load(KB_PATH)
HOSTILE_NAME = '<img src=x onerror="window.__ran = 1">.json'
VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def poll(page: Any, expression: str, timeout: float = 60) -> None:
    """Until ``expression`` holds, polled from Python: the page's policy forbids evaluating strings inside it."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.05)


def cli(folder: Path, names: list[str], fmt: str, today: str) -> bytes:
    """``portfolio`` run where the files are, so that it names them as the page does (by file name); in this
    process, as conftest.run_cli runs the CLI."""
    from sitebuilder import cli as builder_cli

    out = io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = builder_cli.main(
            ["portfolio", *names, "--kb", str(KB_PATH), "--format", fmt, "--today", today]
        )
    assert code == 0
    return out.getvalue().encode("utf-8")


def cells(page: Any, section: str) -> list[list[str]]:
    """Each row of a heat map as the page shows it: the workload, then each cell's words."""
    rows: list[list[str]] = page.evaluate(
        f"""[...document.querySelectorAll("[data-section={section}] tbody tr")].map((tr) =>
            [...tr.children].map((c) => c.textContent))"""
    )
    return rows


def expected(table: dict[str, Any]) -> list[list[str]]:
    return [
        [row["workload"], *(f"{c['label']} {c['text']}" for c in [*row["cells"], row["total"]])]
        for row in [*table["rows"], table["totals"]]
    ]


def test_five_state_files_give_the_clis_figures_and_downloads(
    browser: Any, site_url: str, tmp_path: Path
) -> None:
    paths = portfoliofiles.write_five(KB, tmp_path)
    names = [path.name for path in paths]
    context = browser.new_context(bypass_csp=False, viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + "portfolio/")
    poll(page, "document.querySelector('#kb-portfolio.is-ready') !== null")
    page.set_input_files("input[data-files]", [str(path) for path in paths])
    poll(page, "document.querySelector('#kb-portfolio').dataset.drawn === '1'")

    today = datetime.date.today().isoformat()  # the page passes the browser's date: this machine's
    figures = json.loads(cli(tmp_path, names, "json", today))
    assert page.locator("[data-summary]").inner_text() == f"{figures['dated']} {figures['summary']}."
    assert cells(page, "pillars") == expected(figures["pillars"])
    assert cells(page, "lenses") == expected(figures["lenses"])
    assert page.locator("[data-section=pillars] td.kb-heat--not_in_scope").count() == 0
    assert page.locator("[data-section=lenses] td.kb-heat--not_in_scope").count() == 2  # forecast-eu's
    practices = figures["practices"]
    shown = page.locator("[data-section=practices] tbody tr")
    assert shown.count() == practices["shown"]
    assert shown.nth(0).locator("td").all_inner_texts() == [
        str(practices["items"][0]["rank"]),
        practices["items"][0]["title"],
        practices["items"][0]["pillar_name"],
        practices["items"][0]["lens_name"],
        practices["items"][0]["text"],
        ", ".join(practices["items"][0]["workloads"]),
    ]
    for listed in figures["decisions"]:
        box = page.locator(f"[data-decisions={listed['id']}]")
        assert box.locator("h3").inner_text() == listed["heading"]
        assert box.locator("tbody tr").count() == len(listed["items"])
    ticket = page.locator("[data-decisions=overdue] tbody tr").first.locator("td a")
    assert ticket.get_attribute("href") == ticket.inner_text() == "https://t.example/1"
    review = page.locator("[data-decisions=review] tbody tr").first.locator("td").all_inner_texts()
    assert review[-1] == "Batch only <b>for now</b>"  # a reason with markup is text on the page

    for fmt in ("json", "html"):
        with page.expect_download() as info:
            page.locator(f"button[data-format={fmt}]").click()
        assert info.value.suggested_filename == f"portfolio.{fmt}"
        assert Path(info.value.path()).read_bytes() == cli(tmp_path, names, fmt, today)
    # The HTML report on its own: its policy lets its one style block colour the heat map, and nothing else.
    report = context.new_page()
    console: list[str] = []
    report.on("console", lambda message: console.append(message.text))
    report.set_content(Path(info.value.path()).read_text(encoding="utf-8"))
    high = "getComputedStyle(document.querySelector('td.level-high')).backgroundColor"
    assert report.evaluate(high) not in ("rgba(0, 0, 0, 0)", "transparent")
    assert console == []
    report.close()

    # Dropped with a file that is no state file: that file is named, the five are still shown.
    page.evaluate(
        """(files) => {
            const transfer = new DataTransfer();
            for (const [name, text] of files) transfer.items.add(new File([text], name, { type: "application/json" }));
            const drop = document.querySelector("[data-drop]");
            drop.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        [[path.name, path.read_text()] for path in paths] + [[HOSTILE_NAME, "not json"]],
    )
    poll(page, "document.querySelector('#kb-portfolio').dataset.drawn === '2'")
    left_out = page.locator("[data-section=left-out]")
    assert left_out.locator("h2").inner_text() == "Files left out (1)"
    problem = "not valid JSON: Expecting value at line 1, column 1"
    assert left_out.locator("li").inner_text() == f"{HOSTILE_NAME}: {problem}"
    assert page.locator("#kb-portfolio img").count() == 0  # a file's name is text
    assert cells(page, "pillars") == expected(figures["pillars"])
    assert page.evaluate("window.__violations") == []
    assert errors == []
    context.close()

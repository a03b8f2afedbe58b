"""`make bench` keeps working: one quick pass prints every figure (the figures themselves are not judged)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser


def test_bench_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench.py"), "--runs", "3", "--page-runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for figure in (
        "engine: assess",
        "mkdocs build: this site / plain Material",
        "site/ size",
        "checklist ready / bare Pyodide boot",
        "answer click to updated results",
        "longest main-thread task",
        "bytes: pillar guide",
        "requests that tried to leave",
    ):
        assert figure in result.stdout, figure

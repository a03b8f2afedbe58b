"""`make bench` keeps working: its quick mode prints every figure, each a measured value.

The figures themselves are not judged here (speed is measured in `make bench`, not asserted in tests);
what is checked is that each row carries numbers and that nothing tried to leave the local server.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIGURES = {
    "engine: assess": r"\d+\.\d+ ms",
    "engine: portfolio of 50 workloads, full KB, HTML": r"^\d+ ms$",
    "CLI: portfolio of 50 state files, full KB, HTML": r"^\d+\.\d\d s$",
    "mkdocs build: this site / plain Material": r"^\d+\.\d+  \(\d+\.\d+ s / \d+\.\d+ s\)$",
    "make serve: KB edit -> checklist page shows it": r"^median \d+\.\d\d s, max \d+\.\d\d s$",
    "site/ size": r"^\d+\.\d MB: Pyodide \d+\.\d MB, Mermaid \d+\.\d MB",
    "engine wheel": r"^\d+\.\d KB \(\d+\.\d KB unpacked, \d+ modules\)$",
    "checklist ready / bare Pyodide boot": r"^\d+\.\d+  \(\d+ ms / \d+ ms\)$",
    "first plan / bare Pyodide boot, cold": r"^\d+\.\d+  \(\d+ ms / \d+ ms\)$",
    "first plan, repeat visit (service worker)": r"^\d+\.\d+  \(\d+ ms\)$",
    "how those visits started Python": r"snapshot|python \(",
    "first plan, usual boot (no snapshot) / bare boot": r"^\d+\.\d+  \(\d+ ms / \d+ ms\)$",
    "10 Mbit/s: first plan / usual boot's": r"^\d+\.\d+  \(\d+ ms / \d+ ms; bare boot \d+ ms\)$",
    "10 Mbit/s: first plan, repeat visit": r"^\d+\.\d+  \(\d+ ms / \d+ ms\)$",
    "memory snapshot: Python's memory": r"^\d+\.\d MB / \d+\.\d MB / \d+\.\d\d MB$",
    "memory snapshot: build time it adds": r"^\d+\.\d\d s$",
    "where the first plan's time goes": r"^worker created \d+, .*, plan on screen \d+$",
    "answer click to updated results, 5 changes": r"^p50 \d+\.\d ms, p95 \d+\.\d ms$",
    "longest main-thread task": r"^\d+ ms",
    "bytes: checklist page, cold, restoring the snapshot": r"^\d+\.\d\d MB in \d+ files; gzip-encoded by the host: ",
    "bytes: pillar guide": r"Pyodide files: 0$",
    "bytes: references page": r"Pyodide or Mermaid files: 0$",
    "requests that tried to leave": r"^0$",
    # The scale group (tests/kbscale.py): x1 and x3 in the quick run, each row ending in the largest/smallest ratio.
    "scale: checklist questions, choices": r"^\d+( / \d+)+, \d+( / \d+)+$",
    "scale: KB load + validate": r"^\d+\.\d( / \d+\.\d)+ ms; \d+\.\d$",
    "scale: full build (kbsite)": r"^\d+\.\d\d( / \d+\.\d\d)+ s; \d+\.\d$",
    "scale: assess in CPython": r"^\d+\.\d\d( / \d+\.\d\d)+ ms; \d+\.\d$",
    "scale: checklist page HTML": r"^\d+\.\d( / \d+\.\d)+ KB; \d+\.\d$",
    "scale: change->result p95 in Chromium": r"^\d+\.\d( / \d+\.\d)+ ms; \d+\.\d$",
}


def test_quick_bench_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [
        re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in result.stdout.splitlines() if line.strip()
    ]
    for figure, shape in FIGURES.items():
        values = [row[1] for row in rows if row[0].startswith(figure) and len(row) == 2]
        assert values, f"no row for {figure!r} in:\n{result.stdout}"
        assert all(re.search(shape, value) for value in values), (figure, values)

"""The engine the browser runs imports only the standard library and itself (it must load in Pyodide)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ENGINE = ["api", "assess", "compare", "knowledge", "lens", "problems", "report", "rules", "state"]
PACKAGE = Path(__file__).resolve().parent.parent / "checklist"


@pytest.mark.parametrize("module", ENGINE)
def test_engine_module_imports_only_the_standard_library(module: str) -> None:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    outside = {name for name in imported if name != "checklist" and name not in sys.stdlib_module_names}
    assert outside == set()
    own = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("checklist.")
    }
    assert {name.split(".")[1] for name in own} <= set(ENGINE), "the engine imports a build-time module"


def test_engine_modules_do_no_io() -> None:
    forbidden = ("open(", "Path(", "subprocess", "os.environ", "print(", "time.time", "random")
    for module in ENGINE:
        source = (PACKAGE / f"{module}.py").read_text()
        found = [word for word in forbidden if word in source]
        assert found == [], f"checklist/{module}.py uses {found}"

"""The wheel the browser runs is the engine alone, and the engine reaches nothing outside itself.

Checked on the wheel the build published, in a fresh interpreter started with ``-I`` (no site-packages,
no PYTHONPATH, no current folder) that has nothing but the standard library and that wheel: every module
must import, none may pull in another package, and the browser's operations must do no I/O at all (an
audit hook records any file, process or network event while they run).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

PROBE = r"""
import importlib, json, sys
wheel, kb_json_path, modules = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
kb_json = open(kb_json_path, encoding="utf-8").read()
sys.path.insert(0, wheel)
before = set(sys.modules)
for name in modules:
    importlib.import_module(name)
loaded = sorted({m.split(".")[0] for m in set(sys.modules) - before})
outside = [m for m in loaded if m != "checklist" and m not in sys.stdlib_module_names]
from checklist.api import Session
session = Session(kb_json)
questions = json.loads(kb_json)["checklist"]["questions"]
state = {"version": 1, "workload": {"name": "Probe"},
         "answers": {q["id"]: {"selected": [q["id"] + "_no"]} for q in questions[:5]}}
from checklist.migrate import VERSION
template = {"version": VERSION, "template": {"name": "Landing zone", "version": "1"},
            "answers": state["answers"]}
files = [{"name": n, "text": json.dumps(state), "size": len(json.dumps(state))} for n in ("a.json", "b.json")]
events = []
IO = ("open", "os.", "socket.", "subprocess.", "shutil.", "urllib.", "http.", "sqlite3", "ctypes")
sys.addaudithook(lambda event, args: events.append(event) if event.startswith(IO) else None)
replies = [
    json.loads(session.handle(json.dumps(request)))
    for request in (
        {"op": "assess", "state": state},
        {"op": "report", "state": state, "format": "markdown"},
        {"op": "report", "state": state, "format": "csv"},
        {"op": "save", "state": state},
        {"op": "import", "text": json.dumps(state)},
        {"op": "compare", "old": {"version": 1}, "new": state, "since": "start"},
        {"op": "merge", "mine": state, "mine_name": "A", "theirs_text": json.dumps(state), "theirs_name": "B"},
        {"op": "template_save", "state": state, "name": "Landing zone", "version": "1"},
        {"op": "template_apply", "state": {"version": 1}, "text": json.dumps(template)},
        {"op": "tracker_status", "state": state, "text": "[]", "format": "github"},
        {"op": "portfolio", "files": files, "today": "2026-12-06"},
        {"op": "portfolio", "files": files, "today": "2026-12-06", "format": "html"},
    )
]
print(json.dumps({"outside": outside, "events": sorted(set(events)), "ok": [r["ok"] for r in replies]}))
"""


def _bundle(built_site: Path) -> tuple[Path, Path]:
    (wheel,) = built_site.glob("assets/checklist/*/checklist-*.whl")
    return wheel, wheel.parent / "knowledge-base.json"


def test_the_wheel_holds_only_the_engine(built_site: Path) -> None:
    wheel, _ = _bundle(built_site)
    names = zipfile.ZipFile(wheel).namelist()
    code = [n for n in names if not n.startswith("checklist-") or not n.split("/")[0].endswith(".dist-info")]
    data = ["checklist/knowledge-base.schema.json"]  # the KB's shape, which the engine checks a JSON KB by
    assert code and all(n.startswith("checklist/") and (n.endswith(".py") or n in data) for n in code), code
    assert "checklist/api.py" in code and "checklist/cli.py" in code


def test_every_module_of_the_wheel_imports_alone_and_does_no_io(built_site: Path) -> None:
    wheel, kb_json = _bundle(built_site)
    modules = [
        name[: -len(".py")].replace("/", ".").removesuffix(".__init__")
        for name in zipfile.ZipFile(wheel).namelist()
        if name.endswith(".py") and name != "checklist/__main__.py"  # __main__ runs the CLI on import
    ]
    assert len(modules) >= 10
    result = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(wheel), str(kb_json), json.dumps(modules)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=wheel.parent,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {"outside": [], "events": [], "ok": [True] * 12}

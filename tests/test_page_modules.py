"""The checklist page and its worker are ES modules loaded without a bundler: every relative import must
name a file that is published and a name that file exports, or the page (or the engine) never starts.
Checked here statically, in milliseconds; the browser tests run them."""

from __future__ import annotations

import re
from pathlib import Path

from sitebuilder import publish
from sitebuilder.pages import sitemap

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCRIPTS = DOCS / "assets" / "javascripts"
ENTRIES = [SCRIPTS / "checklist.js", SCRIPTS / "portfolio.js"]  # the pages' modules, in mkdocs.yml
PAGE = [*ENTRIES, *sorted((SCRIPTS / "checklist").glob("*.js"))]
WORKER = [SCRIPTS / "checklist-worker.mjs", *sorted((SCRIPTS / "checklist-worker").glob("*.mjs"))]
IMPORT = re.compile(r'^import \{([^}]*)\} from "(\.[^"]+)";', re.M)
BARE_IMPORT = re.compile(r'^import "(\.[^"]+)";', re.M)  # fetched with the importer, for no name
EXPORT = re.compile(r"^export (?:async )?(?:function|const|let|class) ([\w$]+)", re.M)


def exported(path: Path) -> set[str]:
    return set(EXPORT.findall(path.read_text(encoding="utf-8")))


def test_every_import_names_a_module_and_what_it_exports() -> None:
    seen = 0
    for module in PAGE + WORKER:
        for names, target in IMPORT.findall(module.read_text(encoding="utf-8")):
            source = (module.parent / target).resolve()
            assert source.is_file(), f"{module.name} imports {target}, which does not exist"
            for name in (n.strip() for n in names.split(",") if n.strip()):
                assert name in exported(source), (
                    f"{module.name} imports {name} from {target}, which does not export it"
                )
                seen += 1
    assert seen > 40  # the modules really import from one another
    for module in WORKER:
        for target in BARE_IMPORT.findall(module.read_text(encoding="utf-8")):
            assert (module.parent / target).is_file(), f"{module.name} imports {target}, which does not exist"


def test_every_page_module_is_imported_and_none_uses_current_script() -> None:
    """A module has no document.currentScript (it is null): they find their files by import.meta.url."""
    imported = {
        (module.parent / target).resolve()
        for module in PAGE
        for _, target in IMPORT.findall(module.read_text(encoding="utf-8"))
    }
    for module in PAGE[len(ENTRIES) :]:
        assert module.resolve() in imported, f"{module.name} is imported by no module"
    for module in PAGE + WORKER:
        assert "document.currentScript" not in module.read_text(encoding="utf-8"), module.name


def test_the_page_loads_its_entry_as_a_module() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for entry in ENTRIES:
        assert re.search(rf"- path: assets/javascripts/{entry.name}\b.*\n\s+type: module\n", config), (
            entry.name
        )


def test_the_worker_modules_are_published_in_its_bundle() -> None:
    listed = publish._worker_modules(DOCS)
    assert sorted(str(p.relative_to(DOCS).as_posix()) for p in WORKER[1:]) == listed
    assert all(path.startswith(sitemap.WORKER_MODULES) for path in listed)

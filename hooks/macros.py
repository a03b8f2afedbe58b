"""mkdocs-macros module: the macros that pages call, each a one-line adapter onto checklist.pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checklist import kbfile
from checklist.knowledge import KnowledgeBase
from checklist.pages import guide


def define_env(env: Any) -> None:
    """Register the macros; the knowledge base was loaded (and checked) by hooks/site.py's on_config."""

    def kb() -> KnowledgeBase:
        return kbfile.load_cached(Path(env.conf["docs_dir"]) / kbfile.FILENAME)

    def here() -> str:
        return str(env.page.file.src_uri)

    def overview() -> str:
        return guide.overview(kb(), here())

    def pillar_guide(pillar_id: str) -> str:
        return guide.pillar_guide(kb(), kb().pillar(pillar_id), here())

    def assessment_process() -> str:
        return guide.assessment_process(kb(), here())

    def references() -> str:
        return guide.references(kb(), here())

    for macro in (
        overview,
        pillar_guide,
        assessment_process,
        references,
    ):
        env.macro(macro)

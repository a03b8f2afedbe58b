"""mkdocs-macros module: the macros that pages call, each a one-line adapter onto checklist.pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from checklist import kbfile
from checklist.knowledge import KnowledgeBase
from checklist.pages import checklist, guide, quiz, sitemap
from checklist.pages.markdown import text


def define_env(env: Any) -> None:
    """Register the macros; the knowledge base was loaded (and checked) by hooks/site.py's on_config."""

    def kb() -> KnowledgeBase:
        return kbfile.load_cached(Path(env.conf["docs_dir"]) / kbfile.FILENAME)

    def here() -> str:
        return str(env.page.file.src_uri)

    def url_of(src_uri: str) -> str:
        """The built URL of another page, relative to this one (for raw HTML, which MkDocs leaves as is)."""
        conf = env.conf
        target = File(src_uri, conf["docs_dir"], conf["site_dir"], conf["use_directory_urls"])
        return str(get_relative_url(target.url, env.page.url))

    def quiz_html(quiz_id: str) -> str:
        return quiz.render(kb(), kb().quiz(quiz_id), url_of(sitemap.REFERENCES))

    def overview() -> str:
        return guide.overview(kb(), here())

    def pillar_guide(pillar_id: str) -> str:
        """The guide, ending with the pillar's own quiz."""
        pillar = kb().pillar(pillar_id)
        page = guide.pillar_guide(kb(), pillar, here())
        own = kb().pillar_quiz(pillar.id)
        return page if own is None else f"{page}\n{quiz.section(kb(), own, url_of(sitemap.REFERENCES))}"

    def assessment_process() -> str:
        return guide.assessment_process(kb(), here())

    def references() -> str:
        return guide.references(kb(), here())

    def checklist_intro() -> str:
        current = kb().checklist
        return text(current.intro) if current else ""

    def workload_form() -> str:
        return checklist.workload_form(kb())

    def checklist_questions() -> str:
        return checklist.questions(kb())

    def checklist_app() -> str:
        worker = env.conf["extra"]["checklist_worker"]  # set by hooks/site.py, which publishes the bundle
        return checklist.app_shell(kb(), url_of(worker), url_of(sitemap.WORKER_BOOT))

    def checklist_results() -> str:
        return checklist.results_shell()

    def prioritization_table() -> str:
        return checklist.prioritization(kb())

    def quiz_macro(quiz_id: str) -> str:
        """{{ quiz("self-check") }}: a named quiz anywhere on an opted-in page."""
        return quiz_html(quiz_id)

    env.macro(quiz_macro, "quiz")
    for macro in (
        checklist_app,
        checklist_results,
        checklist_intro,
        workload_form,
        checklist_questions,
        prioritization_table,
        overview,
        pillar_guide,
        assessment_process,
        references,
    ):
        env.macro(macro)

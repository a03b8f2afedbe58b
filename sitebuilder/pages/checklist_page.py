"""The checklist page, whole, for any KB: docs/checklist.md calls it (``{{ checklist_page() }}``) and a KB's
site (sitebuilder.kbsite) publishes that same file, so the two can never word the page differently.

The wording follows the KB: a scope section only when the checklist has scope questions, effort only when
the checklist rates it, the lens downloads (one per AWS lens) only when the checklist fits the format. The
plan-order rule is the engine's sentence (checklist.assess.plan_order), as on the assessment page.
"""

from __future__ import annotations

from checklist import lens
from checklist.assess import plan_order
from checklist.knowledge import KnowledgeBase
from checklist.scales import UNRATED
from checklist.scope import RISK_IN_SCOPE
from sitebuilder.pages import form, sitemap
from sitebuilder.pages.markdown import link, text


def render(kb: KnowledgeBase, here: str, app: str) -> str:
    """The page's Markdown, for the page at docs-relative ``here``. ``app`` is the checklist's app shell (it
    needs the page's URLs to the worker)."""
    checklist = kb.checklist
    if checklist is None:
        return ""
    parts = ["# Assessment checklist"]
    if checklist.intro:
        parts.append(text(checklist.intro))
    parts.append(app)
    if checklist.scope:
        parts += [
            "## About this workload { #scope-section }",
            "Tell the checklist what kind of workload this is, and it leaves out what does not apply (each "
            "question it leaves out counts as not applicable, with the reason, in the results and the reports).",
            form.scope_form(kb),
        ]
    parts += [
        "## Workload { #workload-section }",
        form.workload_form(kb),
        form.questions(kb),
        "## Your results { #results }",
        form.results_shell(kb),
        f"## How the plan is ordered {{ #{sitemap.PLAN_ORDER_ANCHOR} }}",
    ]
    rated = any(effort != UNRATED for effort in checklist.efforts)
    impact = "Its impact is the risk exposed while that practice is missing" + (
        ": the risk its question is left at while that practice alone is missing, by the lens's risk rules"
        if kb.lens
        else ""
    )
    parts.append(
        "Each best practice you have not ticked, in a question whose risk is high or medium, becomes a "
        f"recommendation. {impact}"
        + ("; its effort is the work to put it in place." if rated else "; " + _no_effort(kb))
        + " Recommendations are grouped into these buckets, in this order:"
    )
    if checklist.scope:
        parts.insert(-1, RISK_IN_SCOPE)
    parts += [form.bucket_table(kb, here), form.prioritization_grid(kb)]
    if checklist.effort_scale is not None:
        parts += ["Effort is rated on one scale, in team time:", form.effort_scale(kb)]
    parts.append(plan_order(checklist))
    parts.append("## Use it elsewhere { #elsewhere }")
    if lens.fits(kb) and lens.several(kb):
        files = [
            f"[{aws_lens.name}]({link(here, sitemap.LENS_DOWNLOADS + lens.file_name(kb, aws_lens.id))})"
            for aws_lens in lens.lenses(kb)
        ]
        parts.append(
            "- **AWS Well-Architected Tool:** this checklist is one custom lens per AWS lens, each with that "
            f"lens's questions: download {', '.join(files[:-1])} and {files[-1]}, import each in the tool "
            "(Custom lenses, Create custom lens), then publish them and apply them to a workload; their ids "
            "are this checklist's, so answers map one to one, with the reasons a question or a practice does not "
            "apply and the notes."
        )
    elif lens.fits(kb):
        parts.append(
            f"- **AWS Well-Architected Tool:** [download this checklist as a custom lens]({link(here, sitemap.LENS_DOWNLOAD)}) "
            "and import it in the tool (Custom lenses, Create custom lens), then publish it and apply it to a "
            "workload; its ids are this checklist's, so answers map one to one, with the reasons a question or a "
            "practice does not apply and the notes."
        )
    parts.append(
        "- **Review templates:** a platform team answers the controls its landing zone already covers once, "
        "saves them with *Save as template…* (a name and a version), and each workload applies the file with "
        "*Apply a template…*. The template's answers fill in, marked “from template” beside the question and "
        "in the reports; change one and it becomes the workload's own. Applying a newer version lists what "
        "changed and never overwrites an answer the workload changed itself."
    )
    parts.append(
        f"- **Many workloads:** the [portfolio]({link(here, sitemap.PORTFOLIO)}) opens several saved state "
        "files at once, in this browser, and shows their risks side by side as a heat map, the practices "
        "most of them miss, and the decisions open, overdue or due for review."
    )
    parts.append(
        "- **Trackers:** *Export…* turns the plan's open work into a Jira, Azure Boards or GitLab import or a "
        "GitHub CLI script; *Update decisions from a tracker export…*, above the plan, reads what the tracker "
        "exports later and moves each decision to the ticket's status, listing any it would contradict "
        "rather than overwriting them."
    )
    parts.append(
        "- **Command line:** the same engine runs offline on a saved state file and the knowledge base this "
        "site is built from (`--kb`; `docs/knowledge-base.yml` unless given), in a clone of the repository: "
        "`python -m sitebuilder.cli assess state.json --format markdown`, `--format csv` for a backlog, and "
        "`python -m sitebuilder.cli compare old.json new.json` for milestones (`template save` and "
        "`template apply` for review templates, `portfolio` for many workloads, `tracker-status` for a "
        "tracker's export). `python -m checklist` is the "
        "engine alone: it takes the knowledge base as JSON (`--kb`), as this site publishes it."
    )
    return "\n\n".join(parts)


def _no_effort(kb: KnowledgeBase) -> str:
    return "the lens rates no effort." if kb.lens else "effort is not rated."

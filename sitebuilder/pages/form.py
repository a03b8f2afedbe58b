"""The checklist page's form: the workload and every question as a static form, readable and printable
without JavaScript; docs/assets/javascripts/checklist.js brings it to life with the engine in Pyodide."""

from __future__ import annotations

import json

from checklist import reasons
from checklist.assess import LEFT_OUT_WORDS, MATRIX_NOTE, PROGRESS_WORDS, progress_text
from checklist.decisions import STATUSES
from checklist.knowledge import NONE_TITLE, Choice, KnowledgeBase, Question
from checklist.migrate import VERSION as STATE_VERSION
from checklist.scales import EFFORTS, IMPACTS, LEVEL_WORDS, RISK_LABELS, effort_words
from checklist.state import DEFAULT_ENVIRONMENT, ENVIRONMENTS, MAX_BYTES, TEMPLATE_NAME_LIMITS
from checklist.trackerstatus import EXPORT as TRACKER_EXPORT
from checklist.words import START_HERE
from sitebuilder.pages import sitemap
from sitebuilder.pages.markdown import caveat_spans, html_text, link, text


def _field(name: str, label: str, hint: str = "", kind: str = "text") -> str:
    described = f' aria-describedby="workload-{name}-hint"' if hint else ""
    help_text = f'<span class="kb-hint" id="workload-{name}-hint">{html_text(hint)}</span>' if hint else ""
    if kind == "textarea":
        control = f'<textarea id="workload-{name}" name="{name}" rows="2"{described}></textarea>'
    else:
        control = f'<input id="workload-{name}" name="{name}" type="text" autocomplete="off"{described}>'
    return (
        f'<p class="kb-field"><label for="workload-{name}">{html_text(label)}</label>{control}{help_text}</p>'
    )


def scope_form(kb: KnowledgeBase) -> str:
    """'About this workload': one radio group per scope question, the default (everything in scope) first."""
    assert kb.checklist is not None
    groups = []
    for question in kb.checklist.scope:
        options = "".join(
            f'<label><input type="radio" name="scope__{question.id}" value="{option.id}" data-scope="{question.id}"'
            f"{' checked' if n == 0 else ''}> {html_text(option.label)}</label> "
            for n, option in enumerate(question.options)
        )
        # A scope question with applies_if may not be asked: the page then disables it and shows the
        # engine's sentence (result.scope.chosen[].not_asked) in its note.
        note = '<p class="kb-hint" data-scope-note hidden></p>' if question.applies_if else ""
        groups.append(
            f'<fieldset class="kb-choices" data-scope-group="{question.id}">'
            f"<legend>{html_text(question.question)}</legend>{options}{note}</fieldset>"
        )
    # Which lenses the review covers follows from the scope, so the engine's sentence is said here too.
    lenses = '<p class="kb-hint" data-lenses-text aria-live="polite"></p>' if kb.aws_lenses else ""
    return (
        f'<div class="kb-scope" id="scope">{"".join(groups)}'
        f'<p class="kb-hint" data-scope-text aria-live="polite"></p>{lenses}</div>'
    )


def effort_scale(kb: KnowledgeBase) -> str:
    """What each effort level means, so a team can read (and challenge) the plan's ratings."""
    assert kb.checklist is not None
    scale = kb.checklist.effort_scale
    if scale is None:
        return ""
    rows = ["| Effort | What it means |", "| --- | --- |"]
    rows += [f"| {LEVEL_WORDS[level]} | {text(getattr(scale, level))} |" for level in EFFORTS]
    return "\n".join(rows)


def workload_form(kb: KnowledgeBase) -> str:
    """The workload definition, as in the Well-Architected Tool."""
    environments = "".join(
        f'<label><input type="radio" name="environment" value="{env}"{" checked" if env == DEFAULT_ENVIRONMENT else ""}> '
        f"{env.capitalize()}</label> "
        for env in ENVIRONMENTS
    )
    priorities = "".join(
        f'<label><input type="checkbox" name="pillar_priorities" value="{p.id}"> {html_text(p.name)}</label> '
        for p in kb.pillars
    )
    return f"""<fieldset class="kb-workload" id="workload" data-workload="">
<legend class="kb-visually-hidden">Workload</legend>
{_field("name", "Name", "For example: Customer churn prediction model")}
{_field("description", "Description", "What the workload does and for whom", "textarea")}
{_field("industry", "Industry")}
{_field("regions", "AWS Regions", "Separate with commas, for example: eu-west-1, us-east-1")}
{_field("owner", "Review owner")}
{_field("stakeholders", "Key stakeholders", "Separate with commas")}
<fieldset class="kb-choices"><legend>Environment</legend>{environments}</fieldset>
<fieldset class="kb-choices"><legend>Pillar priorities</legend>{priorities}<span class="kb-hint">Ticked pillars come first within each group of the plan, in the order you tick them.</span></fieldset>
</fieldset>"""


def _choice(kb: KnowledgeBase, question: Question, choice: Choice) -> str:
    notes = caveat_spans(kb, choice.services)
    return (
        f'<li data-choice-item="{choice.id}"><label><input type="checkbox" name="{question.id}" '
        f'value="{choice.id}" data-choice=""> {html_text(choice.title)}</label>{notes}</li>'
    )


def _several_lenses(kb: KnowledgeBase) -> bool:
    """Whether the checklist asks questions of more than one lens."""
    return kb.checklist is not None and len({q.lens for q in kb.checklist.questions}) > 1


def question_form(kb: KnowledgeBase, question: Question, number: int, several: bool | None = None) -> str:
    """One question: its choices as labelled checkboxes, None of these, Not applicable, notes; where the
    checklist has ``several`` lenses (worked out when not given), the question says which it belongs to."""
    if several is None:
        several = _several_lenses(kb)
    qid = question.id
    choices = "\n".join(_choice(kb, question, c) for c in question.choices)
    lens = kb.question_lens(question)
    tag = (
        f'<span class="kb-question__lens" data-lens="{lens.id}">{html_text(lens.name)}</span> '
        if several
        else ""
    )
    lens_attr = f' data-lens="{lens.id}"' if several else ""
    return f"""<fieldset class="kb-question" id="{qid}" data-question="{qid}"{lens_attr}>
<legend><span class="kb-question__number">{number}.</span> {html_text(question.title)} <span class="kb-risk" data-risk-for="{qid}" aria-live="polite"></span></legend>
<p class="kb-question__description">{tag}{html_text(question.description)} <a class="kb-question__guide" href="../{sitemap.question_guide(kb, question)}">Read about it in the guide</a></p>
<p class="kb-question__left-out" data-left-out-for="{qid}" hidden data-search-exclude="">This question is <span data-left-out-reason></span>. <a href="#scope">Change the workload's scope</a> to bring it back.</p>
<ul class="kb-question__choices" data-search-exclude="">
{choices}
<li class="kb-question__none"><label><input type="checkbox" name="{qid}" value="{question.none_choice}" data-none=""> {NONE_TITLE}</label></li>
</ul>
<p class="kb-question__extra" data-search-exclude=""><label><input type="checkbox" name="{qid}__na" data-na=""> Not applicable to this workload</label></p>
<p class="kb-disagreement" data-disagreement-for="{qid}" aria-live="polite" data-search-exclude=""></p>
<p class="kb-question__notes" data-search-exclude=""><label for="{qid}__notes">Notes</label> <textarea id="{qid}__notes" name="{qid}__notes" rows="1" data-notes=""></textarea></p>
</fieldset>"""


def questions(kb: KnowledgeBase) -> str:
    """Every pillar's questions under a Markdown heading (so they join the table of contents).

    Each pillar's questions arrive in a ``<noscript>``: a reader without JavaScript (and a print without
    it) sees the form as it is, while a browser that runs scripts reads them as one inert string, so
    neither the first parse nor Material's walk of the page meets a few hundred KB of form (for a checklist
    of several lenses, the load's longest task). The page puts in one section per frame once it starts,
    the section a link points into first (checklist/sections.js)."""
    assert kb.checklist is not None
    parts = []
    number = 0
    several = _several_lenses(kb)
    for pillar in kb.pillars:
        own = [q for q in kb.checklist.questions if q.pillar == pillar.id]
        if not own:
            continue
        parts.append(f"## {text(pillar.name)} {{#pillar-{pillar.id}}}")
        forms = []
        for question in own:
            number += 1
            forms.append(question_form(kb, question, number, several))
        parts.append(
            f'<div class="kb-questions" data-questions="{pillar.id}"><noscript>\n'
            + "\n".join(forms)
            + "\n</noscript></div>"
        )
    return "\n\n".join(parts)


def bucket_table(kb: KnowledgeBase, here: str) -> str:
    """How the plan is ordered: each bucket, the assessment rule it applies, and what it means."""
    assert kb.checklist is not None
    rules = {rule.id: rule for rule in kb.assessment.prioritization.rules}
    rows = ["| Bucket | Applies | What it means |", "| --- | --- | --- |"]
    for bucket in kb.checklist.buckets:
        applies = []
        if bucket.rule and kb.assessment.steps:  # the assessment page exists and explains the rule
            target = link(here, sitemap.ASSESSMENT, bucket.rule)
            applies.append(f"the rule [{text(rules[bucket.rule].action)}]({target})")
        elif bucket.rule:
            applies.append(f"the rule **{text(rules[bucket.rule].action)}**: {text(rules[bucket.rule].text)}")
        if bucket.middle:
            cells = ", ".join(f"{i} impact with {effort_words(e)}" for i, e in bucket.middle)
            applies.append(f"the middle values {cells}")
        rows.append(f"| **{text(bucket.label)}** | {' and '.join(applies)} | {text(bucket.description)} |")
    rationale = text(kb.checklist.bucket_rationale) if kb.checklist.bucket_rationale else ""
    return "\n".join(rows) + (f"\n\n{rationale}" if rationale else "")


def prioritization_grid(kb: KnowledgeBase) -> str:
    """Every impact x effort cell with the bucket it falls in; the assessment page and the checklist page
    both show this grid, so the rules and the plan can be seen to agree."""
    assert kb.checklist is not None
    efforts = kb.checklist.efforts or EFFORTS
    header = "| Impact \\ effort | " + " | ".join(effort_words(e).capitalize() for e in efforts) + " |"
    rows = [header, "| --- |" + " --- |" * len(efforts)]
    for impact in IMPACTS:
        cells = []
        for effort in efforts:
            bucket = next(b for b in kb.checklist.buckets if b.admits(impact, effort))
            middle = " (middle value)" if (impact, effort) in bucket.middle else ""
            cells.append(f"{text(bucket.label)}{middle}")
        rows.append(f"| **{LEVEL_WORDS[impact]} impact** | " + " | ".join(cells) + " |")
    return "\n".join(rows)


# The engine's rule for an answered question (checklist.state.Answer.answered: a practice or "None of these"
# ticked, or not applicable), in this form's terms: the page counts with it until the engine's first result,
# and marks the questions it leaves unanswered with the engine's risk and label for them.
ANSWERED = "input[data-choice]:checked, input[data-none]:checked, input[data-na]:checked"
UNANSWERED = "unanswered"  # the engine's risk for such a question (checklist.scales)


def _reason_attributes() -> str:
    """The WA Tool's reason codes and the engine's words for them (checklist.reasons), which the page
    places: the select of a question marked not applicable, and the mark beside a practice so marked."""
    return (
        f' data-reasons="{html_text(json.dumps(reasons.REASONS))}" data-reason-default="{reasons.DEFAULT}"'
        f' data-reason-label="{html_text(reasons.REASON_LABEL)}"'
        f' data-practice-mark="{html_text(reasons.PRACTICE_MARK)}" data-practice-status="{reasons.NOT_APPLICABLE}"'
    )


def app_shell(kb: KnowledgeBase, worker_url: str, boot_url: str, site_root: str) -> str:
    """Status, the file actions and the progress bar; hidden until checklist.js starts, as none work
    without it."""
    assert kb.checklist is not None
    total = len(kb.checklist.questions)
    return f"""<div class="kb-app" id="kb-app" data-store="{kb.site.id}" data-max-bytes="{MAX_BYTES}" data-worker-url="{html_text(worker_url)}" data-site-root="{html_text(site_root)}" data-state-version="{STATE_VERSION}" data-answered="{ANSWERED}" data-unanswered="{UNANSWERED}" data-unanswered-label="{html_text(RISK_LABELS[UNANSWERED])}"{_reason_attributes()} hidden>
<p class="kb-status"><span role="status" data-status>Starting the assessment engine (Python, running in this browser)…</span> <span class="kb-status__download" data-download></span>
<span class="kb-hint" data-meanwhile>You can answer meanwhile: your answers are kept in this browser.</span></p>
<div class="kb-toolbar" role="group" aria-label="Files">
<button type="button" class="md-button" data-action="download-state">Save state (JSON)</button>
<details class="kb-export"><summary class="md-button">Export…</summary><div class="kb-export__menu">
{_exports()}
</div></details>
<label class="md-button kb-file">Import state… <input type="file" accept=".json,application/json" data-action="import" data-needs-engine></label>
<label class="md-button kb-file">Merge a teammate's file… <input type="file" accept=".json,application/json" data-action="merge" data-needs-engine></label>
<button type="button" class="md-button" data-action="share" data-needs-engine>Share link</button>
<button type="button" class="md-button kb-danger" data-action="reset">Clear answers</button>
</div>
<div class="kb-templates" role="group" aria-label="Review templates"><span class="kb-hint" title="Answers a platform team gives once, for many workloads">Review templates:</span>
<button type="button" class="md-button" data-action="save-template" data-needs-engine>Save as template…</button>
<label class="md-button kb-file">Apply a template… <input type="file" accept=".json,application/json" data-action="apply-template" data-needs-engine></label>
</div>
<p class="kb-share" data-share hidden><label>Share link (the answers travel in the link itself, after the #, and never reach a server): <input type="text" readonly data-share-url></label></p>
<div class="kb-messages" data-messages role="alert"></div>
<div class="kb-template-changes" data-template-changes aria-live="polite" hidden></div>
{_decision_dialog()}
{_template_dialog()}
{_practice_dialog()}
<dialog class="kb-dialog" data-dialog>
<form method="dialog">
<p data-dialog-text></p>
<p class="kb-dialog__actions"><button class="md-button md-button--primary" value="yes" data-dialog-yes>Replace</button> <button class="md-button" value="no" data-dialog-no>Keep my answers</button></p>
</form>
</dialog>
</div>
<script src="{html_text(boot_url)}"></script>
{_progress_bar(kb, total)}"""


def _lens_view(kb: KnowledgeBase) -> str:
    """Where the checklist has several lenses: a select that shows one lens's questions (checklist/lensview.js),
    so a team can work lens by lens as well as pillar by pillar; "" otherwise."""
    if not _several_lenses(kb):
        return ""
    options = "".join(f'<option value="{lens.id}">{html_text(lens.name)}</option>' for lens in kb.lenses)
    return (
        '<label class="kb-progress__lens">Show <select data-lens-view autocomplete="off">'
        f'<option value="">Every lens</option>{options}</select></label> '
    )


def _progress_bar(kb: KnowledgeBase, total: int) -> str:
    """The way-finding bar: it stays in view (sticky) from here to the end of the page, so it sits outside
    #kb-app. Hidden until checklist.js starts; the engine's numbers replace the text."""
    return (
        '<div class="kb-progress" data-progress-bar hidden>'
        f'<progress data-progress max="{total}" value="0" aria-labelledby="kb-progress-text"></progress> '
        f'<span id="kb-progress-text" data-progress-text data-progress-words="{html_text(PROGRESS_WORDS)}" '
        f'data-left-out-words="{html_text(LEFT_OUT_WORDS)}">'
        f"{progress_text(0, total)}</span> {_lens_view(kb)}"
        '<span class="kb-progress__links"><button type="button" class="kb-link-button" data-action="next-unanswered">'
        'Next unanswered</button> <a href="#results">See your results</a></span></div>'
    )


# The exports: (action, format for the engine, file suffix, media type, label). The engine writes each.
EXPORTS = (
    ("download-report", "markdown", "report.md", "text/markdown", "Report (Markdown)"),
    ("download-backlog", "csv", "backlog.csv", "text/csv", "Backlog (CSV)"),
    ("download-jira", "jira", "jira.csv", "text/csv", "Jira (CSV import)"),
    ("download-azure", "azure-boards", "azure-boards.csv", "text/csv", "Azure Boards (CSV import)"),
    ("download-gitlab", "gitlab", "gitlab.csv", "text/csv", "GitLab issues (CSV import)"),
    ("download-github", "github", "github-issues.sh", "text/x-shellscript", "GitHub issues (gh script)"),
)


def _exports() -> str:
    buttons = [
        f'<button type="button" class="md-button" data-action="{action}" data-format="{fmt}" data-suffix="{suffix}" '
        f'data-type="{kind}" data-needs-engine>{label}</button>'
        for action, fmt, suffix, kind, label in EXPORTS
    ]
    buttons.append(
        '<button type="button" class="md-button" data-action="print" data-needs-engine>Print or save as PDF</button>'
    )
    return "\n".join(buttons)


def _decision_dialog() -> str:
    """The decision on one recommendation, edited in a dialog (the plan redraws; the dialog does not)."""
    statuses = "".join(
        f'<option value="{ident}">{html_text(label)}</option>' for ident, label in STATUSES.items()
    )
    fields = [
        f'<label>Status <select name="status">{statuses}</select></label>',
        '<label>Owner <input type="text" name="owner" autocomplete="off"></label>',
        '<label>Due date <input type="date" name="due"></label>',
        '<label>Ticket <input type="url" name="ticket" placeholder="https://"></label>',
        '<label>Reason (needed for risk accepted or won\'t do) <input type="text" name="reason"></label>',
        '<label>Review the accepted risk by <input type="date" name="review"></label>',
        '<label>Note <textarea name="note" rows="2"></textarea></label>',
    ]
    return (
        '<dialog class="kb-dialog kb-decision" data-decision-dialog aria-labelledby="kb-decision-title">'
        '<form method="dialog"><p id="kb-decision-title" data-decision-title></p>'
        + "".join(f"<p>{field}</p>" for field in fields)
        + '<p class="kb-dialog__actions"><button class="md-button md-button--primary" value="save">Save decision</button> '
        '<button class="md-button" value="cancel">Cancel</button></p></form></dialog>'
    )


def _tracker_input() -> str:
    """The way back from the trackers (checklist.trackerstatus; checklist/trackerstatus.js): an export the
    tracker wrote, read by the engine into the plan's decisions."""
    return (
        '<label class="md-button kb-file" title="A Jira or GitLab issues CSV, an Azure Boards query CSV, or '
        'what gh issue list --state all --json number,title,state,labels,url prints">Update decisions from a '
        'tracker export… <input type="file" accept=".csv,.json,text/csv,application/json" '
        f'data-action="tracker-status" data-max-bytes="{TRACKER_EXPORT.max_bytes}" data-needs-engine></label>'
    )


def _template_dialog() -> str:
    """ "Save as template": the template's name and version, then the engine writes the file."""
    fields = "".join(
        f'<p><label>Template {key} <input type="text" name="{key}" required maxlength="{limit}" '
        f'autocomplete="off"></label></p>'
        for key, limit in TEMPLATE_NAME_LIMITS.items()
    )
    return (
        '<dialog class="kb-dialog" data-template-dialog aria-labelledby="kb-template-title">'
        '<form method="dialog"><p id="kb-template-title"><strong>Save as template</strong>: these answers and '
        "the workload's scope, without the workload itself or its decisions, as a file other workloads can "
        "apply. Their answers from it are marked, and applying a newer version never overwrites an answer a "
        "workload changed itself.</p>"
        + fields
        + '<p class="kb-dialog__actions"><button class="md-button md-button--primary" value="save">Download template</button> '
        '<button class="md-button" value="cancel" formnovalidate>Cancel</button></p></form></dialog>'
    )


def _practice_dialog() -> str:
    """A practice marked not applicable (the WA Tool's status), from the plan: the reason code and notes
    the tool keeps on it (checklist.reasons)."""
    options = "".join(
        f'<option value="{code}">{html_text(label)}</option>' for code, label in reasons.REASONS.items()
    )
    return (
        '<dialog class="kb-dialog kb-decision" data-practice-dialog aria-labelledby="kb-practice-title">'
        '<form method="dialog"><p id="kb-practice-title" data-practice-title></p>'
        f"<p>{html_text(reasons.PRACTICE_DIALOG)}</p>"
        f"<p><label>{html_text(reasons.REASON_LABEL)} <select data-practice-reason>{options}</select></label></p>"
        f"<p><label>Notes (at most {reasons.CHOICE_NOTES_LIMIT} characters) "
        f'<textarea data-practice-notes rows="2" maxlength="{reasons.CHOICE_NOTES_LIMIT}"></textarea></label></p>'
        '<p class="kb-dialog__actions"><button class="md-button md-button--primary" value="save">Mark not applicable</button> '
        '<button class="md-button" value="cancel">Cancel</button></p></form></dialog>'
    )


def results_shell(kb: KnowledgeBase) -> str:
    """Where checklist.js draws the results; without JavaScript, a note says what the page needs."""
    focus = (
        '<h3 id="results-focus">Risks by focus area</h3>\n<div data-focus-chart></div>\n'
        if kb.checklist and kb.checklist.focus_areas
        else ""
    )
    # A KB that names its lenses says which this review covers; the table and the progress per lens show
    # only when the review covers more than one (results.js, from the engine's words), then a table per
    # lens organised by its own areas (the Responsible AI Lens).
    lenses = (
        '<p data-lenses-text></p>\n<div data-lens-results hidden>\n<h3 id="results-lenses">Risks by lens</h3>\n'
        '<p class="kb-hint" data-lens-progress></p>\n<div data-lens-chart></div>\n<div data-area-charts></div>\n'
        "</div>\n"
        if kb.aws_lenses
        else ""
    )
    # A checklist of several lenses lets the plan be worked through lens by lens (shown when the plan
    # draws on more than one: plan.js, from the engine's view).
    lens_filter = (
        '\n<label data-lens-filter hidden>Lens <select data-filter="lens"></select></label>'
        if _several_lenses(kb)
        else ""
    )
    return f"""<div class="kb-results" id="kb-results" data-results>
<noscript><p>The results are computed in your browser and need JavaScript. The questions above can still be read and printed.</p></noscript>
<div data-results-body hidden>
<section class="kb-print-summary" data-print-summary aria-label="Executive summary"></section>
{lenses}<h3 id="results-risks">Risks by pillar</h3>
<div data-pillar-chart></div>
{focus}<h3 id="results-start">{html_text(START_HERE)}</h3>
<ol class="kb-start-here" data-start-here></ol>
<h3 id="results-quadrant">Impact and effort</h3>
<p class="kb-hint" data-quadrant-note>{html_text(MATRIX_NOTE)}</p>
<div data-quadrant></div>
<h3 id="results-plan">Improvement plan</h3>
<div class="kb-plan-tools"><span data-plan-progress></span>
<label>Status <select data-filter="status"></select></label>
<label>Owner <select data-filter="owner"></select></label>
<label>Pillar <select data-filter="pillar"></select></label>{lens_filter}
{_tracker_input()}</div>
<div class="kb-tracker-report" data-tracker-report aria-live="polite" hidden></div>
<div data-plan></div>
<h3 id="results-accepted">Accepted risks</h3>
<div data-accepted></div>
<section class="kb-print-answers" data-print-answers aria-label="Answers"></section>
<h3 id="results-milestones">Milestones</h3>
<p>Save a named snapshot of your answers, then compare your current answers with it later.</p>
<p class="kb-milestone-save"><label>Milestone name <input type="text" data-milestone-name placeholder="For example: Before the security sprint"></label> <button type="button" class="md-button" data-action="save-milestone">Save milestone</button> <span class="kb-hint" data-milestone-status role="status"></span></p>
<p class="kb-milestone-compare"><label>Compare with <select data-milestone-select></select></label> <button type="button" class="md-button" data-action="compare" data-needs-engine>Compare</button></p>
<div data-comparison aria-live="polite"></div>
</div>
</div>"""

// Checklist glue, the entry module (ES modules under checklist/, by concern). The page's form (rendered
// from the KB) is the source of the answers; the modules keep them in localStorage (storage.js), send them
// to the worker (engine.js: checklist.api on Pyodide) and place what comes back (results.js, plan.js).
// Scoring, ordering, validation and every sentence about the results come from Python: nothing here
// decides a risk or a rank, and the state file is written by the engine (by the page only when the
// engine could not start).
import { app, setApp } from "./checklist/context.js";
import { $, $$, isRecord } from "./checklist/dom.js";
import { adoptWorker, stopEngine } from "./checklist/engine.js";
import { clearAnswers, importFile, mergeFile, openSharedLink, report, saveState, share } from "./checklist/files.js";
import { emptyState, fileStem, fillAnswers, fillForm, readForm, unmark } from "./checklist/form.js";
import { compareMilestone, listMilestones, saveMilestone } from "./checklist/milestones.js";
import { markDone, openDecision, resolveDisagreement, unfold } from "./checklist/plan.js";
import { changed, countBeforeEngine, nextUnanswered, placeQuestions, refresh, showLeftOut, showLinkedQuestion } from "./checklist/results.js";
import { clearMark, openPracticeReason, showReason, untickMark } from "./checklist/reasons.js";
import { showSections } from "./checklist/sections.js";
import { trackerStatus } from "./checklist/trackerstatus.js";
import { applyTemplate, saveTemplate } from "./checklist/templates.js";
import { onStorage, readStored, storageFailed, storageWorks, units } from "./checklist/storage.js";

function onInput(event) {
  // A form control changed. "None of these" and the practices exclude each other, as the engine requires.
  const input = event.target;
  const box = input.closest("fieldset[data-question]");
  if (box) unmark(box);
  if (box && input.matches("input[data-none]") && input.checked) {
    for (const other of $$("input[data-choice]", box)) other.checked = false;
  } else if (box && input.matches("input[data-choice]") && input.checked) {
    $("input[data-none]", box).checked = false;
    untickMark(box, input.value);
  } else if (box && input.matches("input[data-na]")) {
    box.classList.toggle("is-not-applicable", input.checked);
    showReason(box, input.checked);
  } else if (input.name === "pillar_priorities") {
    app.priorities = app.priorities.filter((p) => p !== input.value);
    if (input.checked) app.priorities.push(input.value);
  }
  changed();
}

function listen(article) {
  article.addEventListener("change", (event) => {
    if (event.target.matches("[data-action=import]")) importFile(event.target);
    else if (event.target.matches("[data-action=merge]")) mergeFile(event.target);
    else if (event.target.matches("[data-action=tracker-status]")) trackerStatus(event.target);
    else if (event.target.matches("[data-action=apply-template]")) applyTemplate(event.target);
    else if (event.target.matches("[data-filter]")) {
      app.filter[event.target.dataset.filter] = event.target.value;
      refresh();
    }
    else if (event.target.matches("[data-lens-view]")) {
      app.lensView = event.target.value;
      placeQuestions();
    }
    else if (event.target.closest("fieldset[data-question], #workload, #scope")) onInput(event);
  });
  article.addEventListener("input", (event) => {
    if (event.target.matches("#workload input[type=text], #workload textarea, textarea[data-notes]")) {
      const box = event.target.closest("fieldset[data-question]");
      if (box) unmark(box);
      changed();
    }
  });
  article.addEventListener("click", (event) => {
    const target = event.target.closest("[data-decide], [data-done], [data-resolve], [data-unfold], [data-mark-na], [data-clear-na]");
    if (target?.dataset.unfold) unfold(target.dataset.unfold);
    else if (target?.dataset.markNa) openPracticeReason(target.dataset.markNa, changed);
    else if (target?.dataset.clearNa) clearMark(target.dataset.clearNa, changed);
    else if (target?.dataset.decide) openDecision(target.dataset.decide);
    else if (target?.dataset.done) markDone(target.dataset.done);
    else if (target?.dataset.resolve) resolveDisagreement(target.dataset.resolve);
    if (target) return;
    const action = event.target.closest("button[data-action]")?.dataset.action;
    const stem = fileStem();
    const button = event.target.closest("button[data-format]");
    if (button) report(button.dataset.format, `${stem}-${button.dataset.suffix}`, button.dataset.type);
    else if (action === "download-state") saveState(stem);
    else if (action === "print") window.print();
    else if (action === "share") share();
    else if (action === "save-template") saveTemplate();
    else if (action === "reset") clearAnswers();
    else if (action === "save-milestone") saveMilestone();
    else if (action === "next-unanswered") nextUnanswered();
    else if (action === "compare") compareMilestone();
  });
}

// Heading permalinks stay clickable but leave the tab order (a keyboard user meets questions, not "¶"),
// and lose the title whose tooltip covered the first question's title below the heading.
function quietPermalinks(article) {
  for (const link of $$("a.headerlink", article)) {
    link.tabIndex = -1;
    if (link.title) link.setAttribute("aria-label", link.title);
    link.removeAttribute("title");
  }
}

// The progress bar, shown; its height kept for the scroll margin that keeps questions and headings clear
// of it (site.css). Shown before the questions go in: a new height restyles the whole page, which is then
// small. Set only when it changes.
function showBar(bar) {
  bar.hidden = false;
  const style = document.documentElement.style;
  const observer = new ResizeObserver(() => {
    const height = `${bar.offsetHeight}px`;
    if (style.getPropertyValue("--kb-bar-height") !== height) style.setProperty("--kb-bar-height", height);
  });
  observer.observe(bar);
  return observer;
}

let starting = null; // the checklist whose questions are being put in (checklist/sections.js)

async function start() {
  const root = $("#kb-app");
  if (app && app.root !== root) {
    stopEngine(app); // leaving the checklist
    app.barObserver?.disconnect();
    setApp(undefined);
  }
  document.body.classList.toggle("kb-has-bar", Boolean(root)); // site.css: room for the progress bar
  if (!root) {
    starting = null;
    return;
  }
  if ((app && app.root === root) || starting === root) return;
  // The questions first, a section per frame: the form is whole before it is filled or read. Each section
  // takes its saved answers, and the page's mark and badge on its unanswered questions (the engine's rule
  // and label, from the build), before it goes in, where they cost no restyle or layout: the engine's
  // first result then changes only what the page could not tell. The form is filled again below, whole.
  starting = root;
  const bar = $("[data-progress-bar]");
  const barObserver = showBar(bar);
  const saved = readStored().state?.answers;
  const prepare = (part) => {
    if (isRecord(saved)) fillAnswers(saved, part);
    for (const box of $$("fieldset[data-question]", part)) {
      const unanswered = !$(root.dataset.answered, box);
      box.classList.toggle("is-unanswered", unanswered);
      const badge = $("[data-risk-for]", box);
      if (unanswered && badge) {
        badge.textContent = root.dataset.unansweredLabel;
        badge.className = `kb-risk kb-risk--${root.dataset.unanswered}`; // as results.js draws the engine's
      }
    }
  };
  await showSections(root.closest("article") || document, prepare);
  if (starting !== root || !root.isConnected) {
    barObserver.disconnect();
    return; // the page was left meanwhile
  }
  starting = null;
  setApp({
    root,
    status: $("[data-status]", root),
    download: $("[data-download]", root),
    meanwhile: $("[data-meanwhile]", root),
    messages: $("[data-messages]", root),
    bar,
    barObserver,
    progress: $("[data-progress]"),
    progressText: $("[data-progress-text]"),
    progressWords: $("[data-progress-text]").dataset.progressWords, // the engine's, with {answered} {total}
    leftOutWords: $("[data-progress-text]").dataset.leftOutWords, // the engine's, with {left_out}
    nextButton: $("button[data-action=next-unanswered]"),
    unanswered: null, // the ids of unanswered questions, from the engine's last result
    priorities: [],
    inFlight: false,
    dirty: false,
    ready: false,
    failed: false,
    pending: new Map(),
    nextId: 1,
    filter: { status: "", owner: "", pillar: "", lens: "" },
    lensView: $("[data-lens-view]")?.value ?? "", // the lens whose questions show ("" for every lens)
    unfolded: new Set(),
  });
  root.hidden = false;
  for (const control of $$("[data-needs-engine]", document)) control.disabled = true;
  const stored = readStored();
  fillForm(stored.state || emptyState());
  app.base = units(readForm()); // as the form reads it: a unit it cannot show is not this tab's change
  app.own = new Set(); // units this tab has changed and saved, until another tab changes them
  app.written = null; // the text of this tab's last save
  if (stored.error) storageFailed(stored.error);
  else if (!storageWorks()) storageFailed("full");
  countBeforeEngine();
  listMilestones();
  const article = root.closest("article") || document;
  quietPermalinks(article);
  listen(article);
  adoptWorker();
}

// Another tab of the checklist saved its answers.
window.addEventListener("storage", onStorage);
// A share link pasted into the address bar of an open checklist changes only the fragment.
window.addEventListener("hashchange", () => {
  if (app && app.ready) openSharedLink();
  showLinkedQuestion();
  showLeftOut();
});
// On a full load this module runs before Material mounts the page (on DOMContentLoaded): the permalinks
// lose their titles now, so Material gives them no tooltip (each one it mounts lays out the whole page).
if ($("#kb-app")) quietPermalinks($("#kb-app").closest("article") || document);
// Material's instant navigation swaps pages without loading this module again: document$ says when.
if (typeof document$ !== "undefined") document$.subscribe(start);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

// The form <-> the state file, and what the page reads from the build's data attributes (the engine's
// state version, size limit and answered rule, the site's root).
import { app } from "./context.js";
import { $, $$, splitList } from "./dom.js";
import { fillReasons, readMarks, readReason } from "./reasons.js";

export const maxBytes = () => Number(app.root.dataset.maxBytes);
// YYYY-MM-DD in the visitor's own time zone (by hand: the first toLocaleDateString call loads the locale
// data, a few tens of ms in the first assessment's task).
export function today() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}
export const stateVersion = () => Number(app.root.dataset.stateVersion); // the engine's, written into the page
export const siteRoot = () => new URL(app.root.dataset.siteRoot, location.href).href;
export const emptyState = () => ({ version: stateVersion(), workload: {}, scope: {}, answers: {} });

// Whether a question is answered, by the engine's rule as the build writes it for the form (data-answered):
// the page's own count, shown only until the engine's first result, and whether another tab's change
// replaced an answer.
export const answeredBox = (box) => $$(app.root.dataset.answered, box).length > 0;

// The environment the build checked as the engine's default.
const defaultEnvironment = () => $$("input[name=environment]").find((radio) => radio.defaultChecked)?.value;

export function fileStem() {
  const name = $("#workload-name").value.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return name.replace(/^-+|-+$/g, "") || "workload";
}

// The answers as the form holds them: every question, empty or not. The engine decides what a state
// file keeps (checklist.state.State.to_dict), so this has no rule of its own.
export function readForm() {
  const workload = {
    name: $("#workload-name").value,
    description: $("#workload-description").value,
    industry: $("#workload-industry").value,
    regions: splitList($("#workload-regions").value),
    owner: $("#workload-owner").value,
    stakeholders: splitList($("#workload-stakeholders").value),
    pillar_priorities: app.priorities.slice(),
  };
  const environment = $("input[name=environment]:checked");
  if (environment) workload.environment = environment.value; // none checked: the engine's default
  const scope = {};
  for (const radio of $$("input[data-scope]:checked")) scope[radio.dataset.scope] = radio.value;
  const answers = {};
  for (const box of $$("fieldset[data-question]")) {
    const selected = $$("input[data-choice]:checked, input[data-none]:checked", box).map((i) => i.value);
    const notApplicable = $("input[data-na]", box).checked;
    const notes = $("textarea[data-notes]", box).value;
    const answer = { selected, not_applicable: notApplicable, notes };
    const reason = readReason(box, notApplicable); // the WA Tool's fields, where the question has them
    if (reason) answer.reason = reason;
    const choices = readMarks(box);
    if (choices) answer.choices = choices;
    answers[box.dataset.question] = answer;
  }
  const state = { version: stateVersion(), workload, scope, answers, decisions: app.decisions, disagreements: app.disagreements };
  if (app.template) state.template = app.template; // the review template last applied (templates.js)
  return state;
}

// ownAnswers: the state is the engine's reading of this page's own answers (a merge, a template applied),
// which sets aside a decision still being filled in here; such a decision stays, the engine's win the rest.
export function fillForm(state, { ownAnswers = false } = {}) {
  const workload = state.workload || {};
  $("#workload-name").value = workload.name || "";
  $("#workload-description").value = workload.description || "";
  $("#workload-industry").value = workload.industry || "";
  $("#workload-regions").value = (workload.regions || []).join(", ");
  $("#workload-owner").value = workload.owner || "";
  $("#workload-stakeholders").value = (workload.stakeholders || []).join(", ");
  const environment = workload.environment || defaultEnvironment();
  for (const radio of $$("input[name=environment]")) radio.checked = radio.value === environment;
  const scope = state.scope || {};
  for (const group of new Set($$("input[data-scope]").map((radio) => radio.dataset.scope))) {
    const radios = $$(`input[data-scope="${group}"]`);
    const chosen = radios.find((radio) => radio.value === scope[group]) || radios[0];
    for (const radio of radios) radio.checked = radio === chosen;
  }
  app.priorities = (workload.pillar_priorities || []).slice();
  app.decisions = { ...(ownAnswers ? app.decisions : {}), ...(state.decisions || {}) };
  app.disagreements = (state.disagreements || []).slice();
  app.template = state.template || null;
  for (const box of $$("input[name=pillar_priorities]")) box.checked = app.priorities.includes(box.value);
  fillAnswers(state.answers || {});
}

// The answers into the questions under root (the whole form, or a section before it goes into the page).
export function fillAnswers(answers, root = document) {
  for (const box of $$("fieldset[data-question]", root)) {
    const answer = answers[box.dataset.question] || {};
    for (const input of $$("input[data-choice], input[data-none]", box)) {
      input.checked = (answer.selected || []).includes(input.value);
    }
    $("input[data-na]", box).checked = Boolean(answer.not_applicable);
    $("textarea[data-notes]", box).value = answer.notes || "";
    box.classList.toggle("is-not-applicable", Boolean(answer.not_applicable));
    fillReasons(box, answer);
  }
}

export function unmark(root) {
  // This tab's own edit: the note that another tab changed the question has served.
  for (const note of $$("[data-changed-elsewhere]", root)) note.remove();
}

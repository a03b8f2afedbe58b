// The WA Tool's reasons in the form: the reason select of a question marked not applicable, and the mark
// beside a practice marked not applicable (what an import from the tool may bring). The codes, their
// labels, the status of a practice so marked and the mark's wording are the engine's (checklist.reasons),
// written by the build on #kb-app; the engine checks what the form sends. Nothing is made for a question
// until it needs it: the select when the question is marked not applicable, a mark when a practice is.
import { $, $$, el } from "./dom.js";

const words = () => document.getElementById("kb-app").dataset;
const made = new WeakSet(); // the questions that have their reason select
const marked = new WeakSet(); // the questions with practice statuses (most have none: no attribute read)

// The question's reason select, made the first time the question is marked not applicable.
function select(box, make) {
  let found = $("select[data-reason]", box);
  if (!found && make) {
    const data = words();
    const labels = JSON.parse(data.reasons);
    found = el("select", { "data-reason": "", name: `${box.dataset.question}__reason` },
      ...Object.entries(labels).map(([code, label]) => el("option", { value: code, text: label })));
    found.value = data.reasonDefault;
    $(".kb-question__extra", box).append(" ", el("label", { class: "kb-reason", "data-reason-for": "" },
      `${data.reasonLabel} `, found));
    made.add(box);
  }
  return found;
}

// A question's answer into its reason select and practice marks; a question with neither, which most
// are, costs two lookups.
export function fillReasons(box, answer) {
  if (answer.not_applicable || made.has(box)) showReason(box, Boolean(answer.not_applicable), answer.reason);
  if (answer.choices || marked.has(box)) fillMarks(box, answer.choices);
}

// Shows the reason select where the question is not applicable (set to `reason`, when given), hides it
// elsewhere.
export function showReason(box, notApplicable, reason = undefined) {
  const found = select(box, notApplicable);
  if (!found) return;
  found.closest("[data-reason-for]").hidden = !notApplicable;
  if (reason !== undefined) found.value = reason || words().reasonDefault;
}

// The question's reason, for the state file: only where it is not applicable.
export function readReason(box, notApplicable) {
  return notApplicable ? $("select[data-reason]", box)?.value : undefined;
}

// The practices' statuses (answer.choices) are kept on the question as the file gave them, and each
// practice marked not applicable shows its mark.
export function fillMarks(box, choices) {
  for (const mark of $$("[data-na-mark]", box)) mark.remove();
  if (!choices || !Object.keys(choices).length) {
    delete box.dataset.marks;
    marked.delete(box);
    return;
  }
  box.dataset.marks = JSON.stringify(choices);
  marked.add(box);
  const data = words();
  const labels = JSON.parse(data.reasons);
  for (const [id, entry] of Object.entries(choices)) {
    if (entry?.status !== data.practiceStatus) continue;
    const item = $(`[data-choice-item="${CSS.escape(id)}"]`, box);
    const label = labels[entry.reason] ?? entry.reason;
    item?.append(el("span", { class: "kb-practice-na", "data-na-mark": id },
      el("span", { text: data.practiceMark.replace("{reason}", label) }), " ",
      el("button", { type: "button", class: "kb-link-button", "data-clear-na": id, text: "Applies after all" })));
  }
}

export const readMarks = (box) => (marked.has(box) ? JSON.parse(box.dataset.marks) : undefined);

// A practice ticked is in place: its not-applicable mark goes (the engine refuses a practice that is both).
// True if there was one.
export function untickMark(box, id) {
  const choices = readMarks(box);
  if (choices?.[id]?.status !== words().practiceStatus) return false;
  const rest = { ...choices[id] }; // its notes stay
  delete rest.status;
  delete rest.reason;
  if (Object.keys(rest).length) choices[id] = rest;
  else delete choices[id];
  fillMarks(box, choices);
  return true;
}

const questionOf = (id) => $(`input[data-choice][value="${CSS.escape(id)}"]`)?.closest("fieldset[data-question]");

// "Applies after all", beside a practice's mark.
export function clearMark(id, onChange) {
  const box = questionOf(id);
  if (box && untickMark(box, id)) onChange();
}

// "Does not apply…" on a recommendation: the practice's reason and notes, in the page's dialog.
export function openPracticeReason(id, onChange) {
  const box = questionOf(id);
  const dialog = $("[data-practice-dialog]");
  if (!box || !dialog) return;
  const current = readMarks(box)?.[id] ?? {};
  const reason = $("[data-practice-reason]", dialog);
  const notes = $("[data-practice-notes]", dialog);
  $("[data-practice-title]", dialog).textContent = $(`input[value="${CSS.escape(id)}"]`, box).closest("label").textContent.trim();
  reason.value = current.reason ?? words().reasonDefault;
  notes.value = current.notes ?? "";
  dialog.returnValue = "";
  dialog.addEventListener("close", () => {
    if (dialog.returnValue !== "save") return;
    const choices = readMarks(box) ?? {};
    choices[id] = { status: words().practiceStatus, reason: reason.value };
    if (notes.value) choices[id].notes = notes.value;
    fillMarks(box, choices);
    onChange();
  }, { once: true });
  dialog.showModal();
}

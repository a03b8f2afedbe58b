// Working lens by lens: in a checklist of several lenses, the progress bar's select shows one lens's
// questions (every lens's by default), and the bar then counts that lens with the engine's words for it.
// The engine decides which questions the scope leaves out; this only narrows what the page shows.
import { app } from "./context.js";
import { $, $$ } from "./dom.js";

export const inView = (box) => !app.lensView || box.dataset.lens === app.lensView;

// The lenses the select offers: those the engine found a question in scope for (result.lenses); the others
// are disabled as well as hidden, as some browsers show hidden options. A lens the scope has just taken
// away leaves the view on every lens.
export function offerLenses(lenses) {
  const select = $("[data-lens-view]");
  if (!select) return;
  const covered = new Set(lenses.map((lens) => lens.id));
  for (const option of select.options) {
    if (option.value) option.hidden = option.disabled = !covered.has(option.value);
  }
  if (app.lensView && !covered.has(app.lensView)) setLensView("");
}

// The lens shown ("" for every lens), in the app and in its select.
export function setLensView(value) {
  app.lensView = value;
  const select = $("[data-lens-view]");
  if (select) select.value = value;
}

// A pillar with no question shown (another lens's, or the scope left them out) loses its heading too.
export function markEmptySections() {
  for (const section of $$("[data-questions]")) {
    const empty = !$$("fieldset[data-question]", section).some((box) => !box.hidden);
    section.classList.toggle("is-empty", empty);
    const heading = section.previousElementSibling;
    if (heading?.matches("h2")) heading.classList.toggle("is-empty", empty);
  }
}

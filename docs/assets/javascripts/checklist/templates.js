// Review templates: "Save as template" (the engine writes the file), "Apply a template" (the engine merges
// it with the answers and words what changed) and the "from template" marks beside the answers it gave.
// Which answers are the template's is the engine's call (its result's from_template): an answer changed
// here stops being one at the next assessment, and its mark goes.
import { app } from "./context.js";
import { $, download, el, say } from "./dom.js";
import { ask } from "./engine.js";
import { fillForm, maxBytes, readForm, unmark } from "./form.js";
import { changed } from "./results.js";

export function saveTemplate() {
  const dialog = $("[data-template-dialog]", app.root);
  const form = $("form", dialog);
  // A platform team saving its next version starts from the name of the template these answers came from.
  form.elements.namedItem("name").value ||= app.template?.name || "";
  dialog.returnValue = "";
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "save") return;
    const reply = await ask({ op: "template_save", state: readForm(), name: form.elements.namedItem("name").value,
      version: form.elements.namedItem("version").value });
    if (reply.ok) download(reply.file, reply.text, "application/json");
    else say("failure", "The template could not be saved:", reply.problems);
  }, { once: true });
  dialog.showModal();
}

export async function applyTemplate(input) {
  const file = input.files[0];
  input.value = "";
  if (!file) return;
  // Never more than the limit is read: the engine refuses an oversized file by the size given.
  const text = await file.slice(0, maxBytes() + 1).text();
  const reply = await ask({ op: "template_apply", state: readForm(), text, size: file.size });
  if (!reply.ok) {
    say("failure", `The template ${file.name} was not applied, and your answers are unchanged:`, reply.problems);
    return;
  }
  fillForm(reply.state, { ownAnswers: true });
  unmark(app.root.closest("article") || document);
  changed();
  say("success", reply.changes.summary, reply.warnings);
  drawChanges(reply.changes.sections);
}

function drawChanges(sections) {
  const box = $("[data-template-changes]", app.root);
  box.replaceChildren(...sections.flatMap((section) => [
    el("p", {}, el("strong", { text: section.heading })),
    el("ul", {}, ...section.items.map((text) => el("li", { class: `kb-change kb-change--${section.kind}`, text })))]));
  box.hidden = !sections.length;
}

// The engine's mark beside each answer its result says came from the applied template; marks it no longer
// gives are taken away. Only the marked questions are touched.
function drawMarks({ result, words }) {
  app.templateMarks ??= new Map(); // question id -> its mark
  const marked = new Set(result.questions.filter((question) => question.from_template).map((q) => q.id));
  for (const [id, mark] of app.templateMarks) {
    if (marked.has(id)) continue;
    mark.remove();
    app.templateMarks.delete(id);
  }
  for (const id of marked) {
    let mark = app.templateMarks.get(id);
    if (!mark) {
      const badge = $(`[data-risk-for="${CSS.escape(id)}"]`);
      if (!badge) continue;
      mark = el("span", { class: "kb-template-mark", "data-template-mark": id });
      badge.after(mark);
      app.templateMarks.set(id, mark);
    }
    if (mark.textContent !== words.template_mark) mark.textContent = words.template_mark;
  }
}

document.addEventListener("kb-checklist:assessed", () => {
  if (app?.drawn) drawMarks(app.drawn);
});

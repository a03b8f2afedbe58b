// Milestones: named snapshots of the answers, kept in this browser, and the engine's comparison with one.
import { MILESTONES } from "./context.js";
import { $, download, el, say } from "./dom.js";
import { ask } from "./engine.js";
import { fileStem, readForm } from "./form.js";
import { readList, writeJSON } from "./storage.js";

export async function saveMilestone() {
  const nameField = $("[data-milestone-name]");
  const name = nameField.value.trim() || `Milestone ${readList(MILESTONES).length + 1}`;
  const milestones = readList(MILESTONES).filter((m) => m.name !== name);
  milestones.push({ name, state: readForm() });
  if (!writeJSON(MILESTONES, milestones)) {
    say("failure", "The milestone could not be saved: this browser's storage is full or turned off.");
    return;
  }
  nameField.value = "";
  listMilestones(name);
  $("[data-milestone-status]").textContent = `Saved the milestone “${name}”.`; // next to the button
}

export function listMilestones(selected) {
  const select = $("[data-milestone-select]");
  const milestones = readList(MILESTONES);
  select.replaceChildren(...milestones.map((m) => el("option", { value: m.name, text: m.name })));
  if (selected) select.value = selected;
}

export async function compareMilestone() {
  const name = $("[data-milestone-select]").value;
  const milestone = readList(MILESTONES).find((m) => m.name === name);
  const out = $("[data-comparison]");
  if (!milestone) {
    out.replaceChildren(el("p", { text: "Save a milestone first." }));
    return;
  }
  const reply = await ask({ op: "compare", old: milestone.state, new: readForm(), since: name });
  if (!reply.ok) {
    say("failure", "The milestone cannot be compared:", reply.problems);
    return;
  }
  const parts = [el("p", { "data-comparison-summary": "", text: reply.comparison.summary_text })];
  for (const section of reply.sections) {
    parts.push(el("p", {}, el("strong", { text: section.heading })), el("ul", {}, ...section.items.map((item) =>
      el("li", { class: item.kind ? `kb-change kb-change--${item.kind}` : "kb-change", text: item.text }))));
  }
  const save = el("button", { type: "button", class: "md-button", text: "Download comparison (Markdown)" });
  save.addEventListener("click", () => download(`${fileStem()}-comparison.md`, reply.text, "text/markdown"));
  parts.push(el("p", {}, save));
  out.replaceChildren(...parts);
}

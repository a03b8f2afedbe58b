// Tracker status back into decisions: the engine reads a tracker's export (checklist.trackerstatus),
// returns the decisions it changes and its report; this places them. A ticket done in the tracker is a
// line with the plan's own "Mark done", for the team to press once it has seen the practice in place.
import { app } from "./context.js";
import { $, el, say } from "./dom.js";
import { ask } from "./engine.js";
import { readForm } from "./form.js";
import { changed } from "./results.js";

function drawReport(box, reply) {
  const parts = [el("p", { text: reply.summary })];
  for (const section of reply.sections) {
    parts.push(el("h4", { text: section.heading }), el("ul", {}, ...section.lines.map((line) => el("li", {}, line.text,
      line.choice ? " " : null,
      line.choice ? el("button", { type: "button", class: "kb-link-button", "data-done": line.choice, text: "Mark done" }) : null))));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
}

export async function trackerStatus(input) {
  const file = input.files[0];
  input.value = "";
  if (!file || !app.ready) return;
  // Never more than the limit is read: the engine refuses an oversized file by the size given.
  const text = await file.slice(0, Number(input.dataset.maxBytes) + 1).text();
  const reply = await ask({ op: "tracker_status", state: readForm(), text, size: file.size });
  const box = $("[data-tracker-report]");
  if (!reply.ok) {
    box.hidden = true;
    say("failure", `The file ${file.name} was not read, and your decisions are unchanged:`, reply.problems);
    return;
  }
  // Only the decisions the engine changed: one still being filled in here stays as it is.
  for (const [choice, decision] of Object.entries(reply.changed)) app.decisions[choice] = decision;
  drawReport(box, reply);
  if (Object.keys(reply.changed).length) changed();
  say("success", reply.summary);
}

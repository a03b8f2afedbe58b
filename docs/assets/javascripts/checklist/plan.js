// The improvement plan, "Start here", the plan's filters, and the decisions a team records on it.
import { app } from "./context.js";
import { $, $$, el } from "./dom.js";
import { siteRoot } from "./form.js";
import { changed, refresh } from "./results.js";

const FOLDED = 5; // a bucket shows this many items until "Show all"

export function drawPlan(result, words) {
  const plan = $("[data-plan]");
  drawFilters(result.view);
  drawStartHere(result.start_here);
  if (result.plan_note) {
    plan.replaceChildren(el("p", { text: result.plan_note }));
    return;
  }
  const byRank = new Map(result.recommendations.map((item) => [item.rank, item]));
  const lines = new Map(words.plan.map((line) => [line.rank, line]));
  const parts = [];
  for (const bucket of result.buckets.filter((b) => b.ranks.length)) {
    parts.push(el("h4", { text: bucket.heading }), el("p", { class: "kb-hint", text: bucket.description }));
    if (bucket.ranks.length > FOLDED) {
      const open = app.unfolded.has(bucket.id);
      const toggle = el("button", { type: "button", class: "kb-link-button", "data-unfold": bucket.id,
        "aria-expanded": String(open), text: open ? "Show the first few" : `Show all ${bucket.count}` });
      parts.push(el("p", { class: "kb-plan__fold" }, toggle));
    }
    parts.push(el("ol", { class: "kb-plan", start: String(bucket.ranks[0]) }, ...bucket.ranks.map((rank) => {
      const item = byRank.get(rank);
      const line = lines.get(rank);
      const reference = el("a", { href: item.reference, rel: "noopener", target: "_blank", text: "Reference" });
      return el("li", { id: `plan-${rank}`, value: String(rank), "data-pillar": item.pillar, "data-choice": item.choice },
        el("strong", { text: item.title }), " ",
        el("span", { class: "kb-plan__meta", text: line.meta }),
        el("br"), el("span", { text: item.improvement }), " ", reference, " · ",
        el("a", { href: new URL(item.guide, siteRoot()).href, text: "Guide" }),
        ...item.caveats.map((caveat) => el("span", { class: "kb-caveat", text: caveat })),
        el("br"), el("a", { class: "kb-plan__question", href: `#${item.question}`, text: item.question_title }),
        decisionLine(item, line, result.unfinished[item.choice]));
    })));
  }
  plan.replaceChildren(...parts);
  // The engine says which ranks the filters leave in view; a long bucket shows its first few until unfolded.
  const visible = new Set(result.view.visible);
  for (const list of $$("ol.kb-plan", plan)) {
    const bucket = list.previousElementSibling?.querySelector("[data-unfold]")?.dataset.unfold;
    $$("li[data-choice]", list).forEach((li, index) => {
      li.hidden = !visible.has(Number(li.value)) || (bucket && !app.unfolded.has(bucket) && index >= FOLDED);
    });
  }
}

function drawStartHere(items) {
  $("[data-start-here]").replaceChildren(...items.map((item) => el("li", { value: String(item.rank) },
    el("a", { href: `#plan-${item.rank}`, text: item.title }), ` (${item.pillar_name}) `,
    el("span", { class: "kb-hint", text: item.why }))));
}

function decisionLine(item, line, unfinished) {
  const { decision } = item;
  const facts = el("span", { class: `kb-decision-line kb-status--${decision.status}` }, el("span", { text: line.decision }), " ",
    el("button", { type: "button", class: "kb-link-button", "data-decide": item.choice, text: "Decide…" }), " ",
    el("button", { type: "button", class: "kb-link-button", "data-done": item.choice, text: "Mark done" }), " ",
    el("button", { type: "button", class: "kb-link-button", "data-mark-na": item.choice, text: "Does not apply…" }));
  if (decision.ticket) facts.append(" ", el("a", { href: decision.ticket, rel: "noopener", target: "_blank", text: "Ticket" }));
  if (unfinished) facts.append(el("span", { class: "kb-unfinished", text: unfinished.join(" ") }));
  return el("div", {}, facts);
}

function drawFilters(view) {
  // The engine counts and filters; the selects only show its lists and send the choice back.
  const fill = (select, all, options, chosen) => {
    select.replaceChildren(el("option", { value: "", text: all }), ...options.map(([value, text]) => el("option", { value, text })));
    select.value = chosen;
  };
  fill($("[data-filter=status]"), "All statuses", view.statuses.map((s) => [s.id, s.text]), view.status);
  fill($("[data-filter=owner]"), "All owners", view.owners.map((o) => [o, o]), view.owner);
  fill($("[data-filter=pillar]"), "All pillars", view.pillars.map((p) => [p.id, p.text]), view.pillar);
  const lens = $("[data-filter=lens]"); // only in a checklist of several lenses
  if (lens) {
    fill(lens, "All lenses", view.lenses.map((l) => [l.id, l.text]), view.lens);
    lens.closest("[data-lens-filter]").hidden = view.lenses.length === 0 && !view.lens;
  }
}

export function unfold(bucket) {
  if (!app.unfolded.delete(bucket)) app.unfolded.add(bucket);
  refresh();
}

export function openDecision(choice) {
  const dialog = $("[data-decision-dialog]", app.root);
  const form = $("form", dialog);
  const current = app.decisions[choice] || {};
  const title = $(`input[value="${choice}"]`)?.closest("label")?.textContent.trim() || choice;
  $("[data-decision-title]", dialog).textContent = title;
  for (const field of form.elements) {
    if (field.name) field.value = current[field.name] || field.querySelector?.("option")?.value || "";
  }
  dialog.returnValue = "";
  dialog.addEventListener("close", () => {
    if (dialog.returnValue !== "save") return;
    const decision = {};
    for (const field of form.elements) if (field.name && field.value.trim()) decision[field.name] = field.value.trim();
    app.decisions[choice] = decision;
    changed();
  }, { once: true });
  dialog.showModal();
}

export function markDone(choice) {
  // Done means the practice is in place: tick it (one source of truth), and the recommendation goes.
  const box = $(`input[data-choice][value="${choice}"]`);
  if (box && !box.checked) box.click();
}

export function resolveDisagreement(question) {
  app.disagreements = app.disagreements.filter((item) => item.question !== question);
  changed();
}

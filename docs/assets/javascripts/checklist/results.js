// The results: one assess request at a time, and the drawing of what the engine returns (its result and
// the words checklist.words builds around it). Nothing here counts, ranks or words a result.
import { app } from "./context.js";
import { $, $$, el, say } from "./dom.js";
import { answeredBox, readForm, today } from "./form.js";
import { ask } from "./engine.js";
import { inView, markEmptySections, offerLenses, setLensView } from "./lensview.js";
import { drawPlan } from "./plan.js";
import { showAll } from "./sections.js";
import { save } from "./storage.js";

export async function refresh() {
  // One assess request at a time; changes made meanwhile are folded into one more request afterwards.
  const current = app;
  if (!current || !current.ready) return;
  if (current.inFlight) {
    current.dirty = true;
    return;
  }
  current.inFlight = true;
  const state = readForm();
  const reply = await ask({ op: "assess", state, today: today(), ...app.filter });
  current.inFlight = false;
  if (current !== app || reply.restarted) return; // the page changed, or the engine restarts and assesses
  if (reply.ok) {
    current.answered = reply.result.summary.answered;
    draw(reply.result, reply.words, JSON.stringify(state));
  }
  else say("failure", "These answers cannot be assessed:", reply.problems);
  if (current.dirty) {
    current.dirty = false;
    refresh();
  }
}

// What the user changed: saved (when storage fails, save says so once and the answers stay in the form),
// counted, and assessed.
export function changed(options) {
  save(options);
  countBeforeEngine();
  refresh();
}

function draw(result, words, assessedJSON) {
  if (!performance.getEntriesByName("kb-first-draw").length) performance.mark("kb-first-assess");
  app.drawn = { result, words };
  const labels = result.risk_labels;
  app.unanswered = new Set(words.unanswered);
  app.badges ??= new Map($$("[data-risk-for]").map((badge) => [badge.dataset.riskFor, badge]));
  for (const question of result.questions) {
    const badge = app.badges.get(question.id);
    if (!badge) continue;
    if (badge.textContent !== labels[question.risk]) badge.textContent = labels[question.risk];
    badge.className = `kb-risk kb-risk--${question.risk}`;
    badge.closest("fieldset").classList.toggle("is-unanswered", app.unanswered.has(question.id));
  }
  offerLenses(result.lenses);
  placeQuestions();
  const hiddenChoices = new Set(result.scope.choices);
  for (const item of $$("[data-choice-item]")) item.hidden = hiddenChoices.has(item.dataset.choiceItem);
  const scopeText = $("[data-scope-text]"); // absent where the KB asks no scope questions
  if (scopeText) scopeText.textContent = result.scope.text;
  if (drawScopeQuestions(result.scope.chosen)) changed(); // the form now says what the engine counted
  $("[data-results-body]").hidden = false;
  // Prints as the review record. An attribute, not a class: the page's style sheets make any change of a
  // class restyle the element's whole subtree, here every question.
  const article = app.root.closest("article");
  if (article && !article.hasAttribute("data-has-results")) article.setAttribute("data-has-results", "");
  drawLenses(result, words);
  drawGroups($("[data-pillar-chart]"), "Pillar", words.groups.pillars);
  const focusChart = $("[data-focus-chart]"); // absent where the KB has no focus areas
  if (focusChart) drawGroups(focusChart, "Focus area", words.groups.focus_areas);
  drawQuadrant(result);
  drawPlan(result, words);
  $("[data-plan-progress]").textContent = result.progress.text;
  drawAccepted(result.accepted, words.accepted_note);
  drawDisagreements(result.disagreements);
  drawPrintSummary(words.print_summary);
  if (!performance.getEntriesByName("kb-first-draw").length) performance.mark("kb-first-draw"); // `make bench`
  // Tests and benchmarks wait for this; the detail says which answers the drawing shows.
  document.dispatchEvent(new CustomEvent("kb-checklist:assessed", { detail: assessedJSON }));
}

// A scope question the engine does not ask (it would contradict the answers before it) is disabled and
// set to the option the engine counts it as, with the engine's sentence; the user's own answer is kept and
// put back when the question is asked again. True if an answer changed (the form is then saved again).
function drawScopeQuestions(chosen) {
  if (app.dirty) return false; // newer answers are on their way: this result is about to be replaced
  let moved = false;
  for (const item of chosen) {
    const group = $(`fieldset[data-scope-group="${item.question}"]`);
    const note = group && $("[data-scope-note]", group);
    if (!note) continue; // a question the KB always asks
    group.disabled = Boolean(item.not_asked);
    note.hidden = !item.not_asked;
    if (note.textContent !== item.not_asked) note.textContent = item.not_asked;
    const radios = $$("input[data-scope]", group);
    const checked = radios.find((radio) => radio.checked)?.value;
    let wanted = checked;
    if (item.not_asked) {
      if (checked !== item.option) group.dataset.before ??= checked;
      wanted = item.option;
    } else if (group.dataset.before) {
      wanted = group.dataset.before;
      delete group.dataset.before;
    }
    if (wanted === checked) continue;
    for (const radio of radios) radio.checked = radio.value === wanted;
    moved = true;
  }
  return moved;
}

function drawGroups(target, heading, groups) {
  const share = "Share of questions";
  const columns = groups[0]?.parts ?? [];
  const head = el("tr", {}, el("th", { scope: "col", text: heading }),
    ...columns.map((part) => el("th", { scope: "col", text: part.label })),
    el("th", { scope: "col", text: share }));
  const rows = groups.map((group) => {
    const bar = el("div", { class: "kb-bar", "aria-hidden": "true" },
      ...group.parts.filter((part) => part.count).map((part) =>
        el("span", { class: `kb-bar__part kb-risk--${part.risk}`, style: `width:${part.percent}%`, title: part.title })));
    // data-label names each cell where a narrow screen stacks the row (site.css). A count the engine gives
    // a question (the unanswered) links to it.
    const cell = (part) => {
      const count = part.question
        ? el("a", { href: `#${part.question.id}`, title: part.question.title, "data-first-unanswered": "", text: String(part.count) })
        : String(part.count);
      return el("td", { "data-label": part.label, "data-risk": part.risk }, count);
    };
    return el("tr", { "data-group": group.id }, el("th", { scope: "row", text: group.name }),
      ...group.parts.map(cell), el("td", { "data-label": share, class: "kb-share-cell" }, bar));
  });
  target.replaceChildren(
    el("table", { class: "kb-pillar-table" }, el("thead", {}, head), el("tbody", {}, ...rows)));
}

function drawLenses(result, words) {
  // Which lenses the review covers (absent where the KB names none); per lens only when it covers several.
  for (const line of $$("[data-lenses-text]")) {
    if (line.textContent !== result.lenses_text) line.textContent = result.lenses_text;
  }
  const box = $("[data-lens-results]");
  if (!box) return;
  box.hidden = !words.several_lenses;
  $("[data-lens-progress]", box).textContent = words.lens_progress;
  if (words.several_lenses) drawGroups($("[data-lens-chart]", box), "Lens", words.groups.lenses);
  else $("[data-lens-chart]", box).replaceChildren();
  // A lens organised by its own areas (Responsible AI) also shows its risks area by area.
  const areas = $("[data-area-charts]", box);
  if (!areas) return;
  areas.replaceChildren(...words.area_tables.map((table) => {
    const target = el("div", { "data-area-chart": "" });
    drawGroups(target, table.heading, table.groups);
    return target;
  }));
}

function drawQuadrant(result) {
  const { matrix } = result;
  const head = el("tr", {}, el("th", { scope: "col", text: matrix.corner }),
    ...matrix.rows[0].cells.map((cell) => el("th", { scope: "col", text: cell.label })));
  const rows = matrix.rows.map((row) => el("tr", {}, el("th", { scope: "row", text: row.label }),
    ...row.cells.map((cell) => {
      const td = el("td", { class: `kb-quadrant--${row.impact}-${cell.effort}`, "data-impact": row.impact,
        "data-effort": cell.effort });
      if (!cell.items.length) {
        td.append(el("span", { class: "kb-quadrant__count", text: "–" }));
        return td;
      }
      // The cell's titles, folded: a click or Enter on its count shows them, each linking to the plan.
      td.append(el("details", { class: "kb-quadrant__items" },
        el("summary", { class: "kb-quadrant__count", text: String(cell.items.length) }),
        el("ol", {}, ...cell.items.map((item) => el("li", { value: String(item.rank) },
          el("a", { class: "kb-quadrant__item", href: `#plan-${item.rank}`, text: item.title }))))));
      return td;
    })));
  const table = el("table", { class: "kb-quadrant" },
    el("caption", { class: "kb-visually-hidden", text: matrix.caption }),
    el("thead", {}, head), el("tbody", {}, ...rows));
  $("[data-quadrant]").replaceChildren(table);
}

function drawAccepted(accepted, note) {
  const box = $("[data-accepted]");
  if (note) {
    box.replaceChildren(el("p", { class: "kb-hint", text: note }));
    return;
  }
  box.replaceChildren(el("ul", { class: "kb-accepted" }, ...accepted.map((risk) =>
    el("li", { class: risk.overdue ? "kb-overdue" : "", "data-accepted-choice": risk.choice },
      el("strong", { text: risk.title }), ` (${risk.pillar_name}) `, el("span", { text: risk.reason }), " ",
      el("span", { class: "kb-review", text: risk.text }), " ",
      el("button", { type: "button", class: "kb-link-button", "data-decide": risk.choice, text: "Decide…" })))));
}

function drawDisagreements(disagreements) {
  for (const box of $$("[data-disagreement-for]")) box.replaceChildren();
  for (const item of disagreements) {
    const box = $(`[data-disagreement-for="${item.question}"]`);
    if (!box) continue;
    box.replaceChildren(el("span", { text: item.text }), " ",
      el("button", { type: "button", class: "kb-link-button", "data-resolve": item.question, text: "Resolved" }));
  }
}

function drawPrintSummary(summary) {
  // Shown only when printing: the workload, its scope, the counts and "Start here" before the plan, and
  // every answer after it (the screen has the form for those).
  const facts = (fields) => el("dl", { class: "kb-print-facts" },
    ...fields.flatMap((field) => [el("dt", { text: field.label }), el("dd", { text: field.value })]));
  $("[data-print-summary]").replaceChildren(
    el("h2", { text: summary.heading }),
    el("p", { text: summary.line }),
    ...(summary.lenses ? [el("p", { text: summary.lenses })] : []),
    ...(summary.workload.length ? [el("h3", { text: summary.workload_heading }), facts(summary.workload)] : []),
    el("h3", { text: summary.scope_heading }), facts(summary.scope),
    el("table", { class: "kb-pillar-table" }, el("thead", {}, el("tr", {}, el("th", { text: "Pillar" }),
      ...summary.columns.map((label) => el("th", { text: label })))),
      el("tbody", {}, ...summary.rows.map((row) => el("tr", {}, el("th", { text: row.name }),
        ...row.counts.map((count) => el("td", { text: String(count) })))))),
    el("h3", { text: summary.actions_heading }),
    el("ol", { "data-first-actions": "" }, ...summary.actions.map((action) =>
      el("li", { value: String(action.rank) }, el("strong", { text: action.title }), action.text))));
  $("[data-print-answers]").replaceChildren(
    el("h3", { text: summary.answers_heading }),
    ...summary.answers.flatMap((pillar) => [el("h4", { text: pillar.name }),
      el("ul", {}, ...pillar.questions.map((question) => el("li", {},
        el("strong", { text: question.title }), `: ${question.risk}`,
        el("ul", {}, ...question.facts.map((fact) => el("li", { text: fact }))))))]));
}

// --- way-finding -------------------------------------------------------------------------------------

// The questions shown, numbered in order (1, 2, 3…): the engine's last result decides what the workload's
// scope leaves out (the page only hides it), the lens select which lens is shown; the bar counts what is
// shown, in the engine's words. Before the engine's first result, the page's own count.
export function placeQuestions() {
  if (!app.drawn) {
    for (const box of $$("fieldset[data-question]")) box.hidden = !inView(box);
    markEmptySections();
    countBeforeEngine();
    return;
  }
  const { result, words } = app.drawn;
  const hiddenQuestions = new Set(result.scope.questions);
  app.leftOut = new Map(result.questions.filter((q) => hiddenQuestions.has(q.id)).map((q) => [q.id, q.reason]));
  let number = 0;
  for (const box of $$("fieldset[data-question]")) {
    box.hidden = hiddenQuestions.has(box.dataset.question) || !inView(box);
    const label = box.querySelector(".kb-question__number");
    if (box.hidden || !label) continue;
    number += 1;
    if (label.textContent !== `${number}.`) label.textContent = `${number}.`;
  }
  showLeftOut();
  markEmptySections();
  app.nextButton.hidden = !$$("fieldset[data-question]").some((box) => !box.hidden && app.unanswered.has(box.dataset.question));
  drawTocCounts((app.lensView && words.lens_pillars[app.lensView]) || words.groups.pillars);
  const lens = app.lensView && words.groups.lenses.find((line) => line.id === app.lensView);
  const shown = lens || result.summary;
  app.progress.value = shown.answered;
  app.progress.max = shown.total;
  app.progressText.textContent = lens ? words.lens_texts[lens.id] : result.summary.text;
}

export function countBeforeEngine() {
  // The page's own count until the engine's first result, in the engine's words (data-progress-words).
  if (app.unanswered) return; // the engine has answered: its numbers win
  // As the engine counts: answered among the questions in scope (shown), and those the scope left out
  // (of the lens shown, where one is).
  const all = $$("fieldset[data-question]").filter(inView);
  const boxes = all.filter((box) => !box.hidden);
  const count = boxes.filter(answeredBox).length;
  const leftOut = all.length - boxes.length;
  app.progress.value = count;
  app.progress.max = boxes.length;
  app.progressText.textContent = app.progressWords.replace("{answered}", count).replace("{total}", boxes.length)
    + (leftOut ? app.leftOutWords.replace("{left_out}", leftOut) : "");
}

function drawTocCounts(pillars) {
  // Material's table of contents links to each pillar's heading; each gets the pillar's answered count (of
  // the lens shown, where one is: a pillar without a question of that lens leaves the contents meanwhile).
  const counted = new Set(pillars.map((pillar) => `#pillar-${pillar.id}`));
  for (const link of $$(".md-sidebar a.md-nav__link[href*='#pillar-']")) {
    link.closest("li").hidden = !counted.has(link.hash);
  }
  for (const pillar of pillars) {
    for (const link of $$(".md-sidebar a.md-nav__link")) {
      if (link.hash !== `#pillar-${pillar.id}`) continue;
      const count = $(".kb-toc-count", link) || link.appendChild(el("span", { class: "kb-toc-count" }));
      count.replaceChildren(el("span", { "aria-hidden": "true", text: pillar.short }),
        el("span", { class: "kb-visually-hidden", text: `, ${pillar.text}` }));
    }
  }
}

export function nextUnanswered() {
  // The next unanswered question below the top of the view (wrapping round), scrolled to and focused.
  showAll(); // sections still waiting for their frame (checklist/sections.js) would hide the next one
  const open = $$("fieldset[data-question]").filter((box) => !box.hidden &&
    (app.unanswered ? app.unanswered.has(box.dataset.question) : !answeredBox(box)));
  if (!open.length) return;
  const below = open.find((box) => box.getBoundingClientRect().top > parseFloat(getComputedStyle(box).scrollMarginTop) + 1);
  const box = below || open[0];
  box.scrollIntoView({ block: "start" });
  const first = $$("input", box).find((input) => !input.closest("[hidden]"));
  first?.focus({ preventScroll: true });
}

// A link to a question the scope left out (a guide's "in the checklist") lands on it, greyed, with the
// engine's reason (app.leftOut, from the last result) and the way back to the scope.
export function showLeftOut() {
  if (!app || !app.leftOut) return;
  let target = "";
  try {
    target = decodeURIComponent(location.hash.slice(1));
  } catch {
    target = "";
  }
  for (const box of $$("fieldset.is-left-out")) {
    if (box.dataset.question === target && app.leftOut.has(target)) continue;
    box.classList.remove("is-left-out");
    box.querySelector("[data-left-out-for]").hidden = true;
    if (app.leftOut.has(box.dataset.question)) box.hidden = true;
  }
  if (!app.leftOut.has(target)) return;
  const box = document.getElementById(target);
  if (!box || !box.matches("fieldset[data-question]")) return;
  const note = box.querySelector("[data-left-out-for]");
  note.querySelector("[data-left-out-reason]").textContent = app.leftOut.get(target);
  note.hidden = false;
  const arrived = box.hidden;
  box.hidden = false;
  box.classList.add("is-left-out");
  markEmptySections(); // its pillar's heading, had the scope left nothing else there
  if (arrived) box.scrollIntoView();
}

// A link to a question of a lens not shown (a results table, the plan, a guide) shows every lens again, so
// it lands on its question.
export function showLinkedQuestion() {
  if (!app || !app.lensView) return;
  let box = null;
  try {
    box = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  } catch {
    box = null;
  }
  if (!box || !box.matches("fieldset[data-question]") || inView(box)) return;
  setLensView("");
  placeQuestions();
  box.scrollIntoView();
}

// Printing shows every lens's questions (the select that narrows them does not print), then the view
// comes back.
window.addEventListener("beforeprint", () => {
  if (!app || !app.lensView) return;
  app.printedView = app.lensView;
  setLensView("");
  placeQuestions();
});
window.addEventListener("afterprint", () => {
  if (!app || !app.printedView) return;
  setLensView(app.printedView);
  app.printedView = "";
  placeQuestions();
});

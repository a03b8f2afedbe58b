// The portfolio page's glue: the files the user opens go, as text, to the checklist's own worker (started by
// checklist-boot.js, as on the checklist page), whose engine (checklist.portfolio) reads them and words every
// figure and sentence; this module places them, and offers the engine's downloads. Nothing leaves the page.
import { $, $$, download, el } from "./checklist/dom.js";
import { today } from "./checklist/form.js";

const BOOT_SCRIPT = new URL("checklist-boot.js", import.meta.url).href;
const READY = "Ready: open state files; they are read in this browser and sent nowhere.";

let page = null; // the portfolio page now shown: its elements, worker and the files it shows

function start() {
  const root = document.getElementById("kb-portfolio");
  if (page && page.root !== root) {
    stop(page); // the page was left (instant navigation)
    page = null;
  }
  if (!root || page) return;
  page = {
    root,
    status: $("[data-status]", root),
    messages: $("[data-messages]", root),
    result: $("[data-result]", root),
    worker: null,
    pending: new Map(),
    nextId: 1,
    shown: null, // the request whose portfolio is drawn: its downloads ask for the same files
    bootRequested: false,
  };
  root.hidden = false;
  for (const control of $$("[data-needs-engine]", root)) control.disabled = true;
  listen(page);
  adopt(page);
}

function stop(old) {
  old.worker?.terminate();
  for (const settle of old.pending.values()) settle({ ok: false, problems: ["the page was left"] });
  old.pending.clear();
}

// The worker checklist-boot.js started for this page; the script is loaded again if it has not run here.
function adopt(current) {
  const boot = window.kbChecklistBoot;
  if (!boot || boot.root !== current.root) {
    if (current.bootRequested) return;
    current.bootRequested = true;
    const script = el("script", { src: BOOT_SCRIPT });
    script.onload = () => adopt(current);
    script.onerror = () => failed(current, "checklist-boot.js did not load");
    document.head.append(script);
    return;
  }
  if (boot.error) {
    failed(current, boot.error);
    return;
  }
  current.worker = boot.worker;
  current.worker.onmessage = ({ data }) => {
    if (data.type === "ready") ready(current);
    else if (data.type === "failed") failed(current, data.message);
    else if (data.type === "fatal") failed(current, "the engine stopped");
    else if (data.type === "reply") {
      const settle = current.pending.get(data.id);
      current.pending.delete(data.id);
      if (settle) settle(data.reply);
    }
  };
  current.worker.onerror = (event) => {
    event.preventDefault();
    failed(current, event.message || "the worker stopped");
  };
  for (const event of boot.early.splice(0)) current.worker.onmessage(event);
}

function ready(current) {
  current.ready = true;
  current.root.classList.add("is-ready");
  current.status.textContent = READY;
  for (const control of $$("[data-needs-engine]", current.root)) control.disabled = false;
  document.dispatchEvent(new CustomEvent("kb-portfolio:ready")); // offline.js keeps the engine then
}

function failed(current, message) {
  if (current.failed) return;
  current.failed = true;
  current.root.classList.add("is-failed");
  current.status.textContent =
    "The assessment engine could not load, so the files cannot be read here. The command line below makes the same report.";
  current.status.title = message;
  for (const control of $$("[data-needs-engine]", current.root)) control.disabled = true;
  for (const settle of current.pending.values()) settle({ ok: false, problems: [message] });
  current.pending.clear();
}

function ask(current, request) {
  return new Promise((resolve) => {
    const id = current.nextId++;
    current.pending.set(id, resolve);
    current.worker.postMessage({ id, request });
  });
}

function say(current, kind, heading, lines = []) {
  const box = current.messages;
  box.replaceChildren();
  box.className = `kb-messages admonition ${kind}`;
  box.append(el("p", { class: "admonition-title", text: heading }));
  if (lines.length) box.append(el("ul", {}, ...lines.map((line) => el("li", { text: line }))));
}

async function openFiles(current, chosen) {
  if (!chosen.length) return;
  if (!current.ready) {
    say(current, "note", current.failed ? "The files cannot be read here: the engine did not load." : "The engine is still starting: open the files again in a moment.");
    return;
  }
  // Never more than the engine takes is read: one file past its count, each file one byte past its size
  // (the engine refuses either by what it is given, in its own words).
  const maxBytes = Number(current.root.dataset.maxBytes);
  const given = [...chosen].slice(0, Number(current.root.dataset.maxFiles) + 1);
  const files = await Promise.all(
    given.map(async (file) => ({ name: file.name, size: file.size, text: await file.slice(0, maxBytes + 1).text() })),
  );
  current.status.textContent = "Reading the files…";
  const request = { op: "portfolio", files, today: today() };
  const reply = await ask(current, request);
  if (current !== page || current.failed) return;
  current.status.textContent = READY;
  if (!reply.ok) {
    say(current, "failure", "No portfolio could be made from these files (the one shown, if any, is unchanged):", reply.problems);
    return;
  }
  current.messages.replaceChildren();
  current.messages.className = "kb-messages";
  current.shown = request;
  draw(current, reply.portfolio);
}

async function offer(current, button) {
  if (!current.shown) return;
  const reply = await ask(current, { ...current.shown, format: button.dataset.format });
  if (reply.ok) download(button.dataset.name, reply.text, button.dataset.type);
  else say(current, "failure", "The download could not be made:", reply.problems);
}

function listen(current) {
  const root = current.root;
  root.addEventListener("change", (event) => {
    if (!event.target.matches("[data-files]")) return;
    const chosen = [...event.target.files];
    event.target.value = "";
    openFiles(current, chosen);
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-format]");
    if (button) offer(current, button);
  });
  const drop = $("[data-drop]", root);
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("is-over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("is-over");
    openFiles(current, [...event.dataTransfer.files]);
  });
}

// --- drawing what the engine returned ----------------------------------------------------------------------

// A table in a box that scrolls sideways on a narrow screen; the box takes keyboard focus, so that it can be
// scrolled without a mouse, and is named by its table's heading.
function table(columns, rows, className = "", label = "") {
  return el(
    "div",
    { class: "kb-scroll", tabindex: "0", role: "region", "aria-label": label || columns.join(", ") },
    el(
      "table",
      className ? { class: className } : {}, // a table without a class takes Material's table style
      el("thead", {}, el("tr", {}, ...columns.map((name) => el("th", { scope: "col", text: name })))),
      el("tbody", {}, ...rows),
    ),
  );
}

function heatCell(cell) {
  return el(
    "td",
    { class: `kb-heat__cell kb-heat--${cell.level}`, title: cell.title, "data-group": cell.id || "total" },
    el("strong", { text: cell.label }),
    " ",
    el("small", { text: cell.text }),
  );
}

function heatRow(row, totals = false) {
  const name = totals ? el("strong", { text: row.workload }) : row.workload;
  return el(
    "tr",
    totals ? { class: "kb-heat__totals" } : { "data-workload": row.workload },
    el("th", { scope: "row" }, name),
    ...row.cells.map(heatCell),
    heatCell(row.total),
  );
}

function heatTable(found) {
  const columns = [found.corner, ...found.columns.map((column) => column.name), found.total];
  const rows = [...found.rows.map((row) => heatRow(row)), heatRow(found.totals, true)];
  const wrapper = table(columns, rows, "kb-heat", found.heading);
  $("table", wrapper).prepend(el("caption", { text: found.caption }));
  return wrapper;
}

function plainRow(values) {
  return el("tr", {}, ...values.map((value) => el("td", { text: value })));
}

// An open decision's row, its ticket last: a link (the engine lets only http and https addresses in), as the
// checklist's plan links it.
function decisionRow(values, ticket) {
  const link = ticket ? el("a", { href: ticket, rel: "noopener", target: "_blank", text: ticket }) : null;
  return el("tr", {}, ...values.map((value) => el("td", { text: value })), el("td", {}, link));
}

function draw(current, portfolio) {
  const parts = [];
  const section = (id, ...children) => parts.push(el("section", { "data-section": id }, ...children));
  if (portfolio.left_out.length) {
    section(
      "left-out",
      el("h2", { text: portfolio.left_out_heading }),
      el("p", { text: portfolio.left_out_text }),
      el("ul", {}, ...portfolio.left_out.map((item) =>
        el("li", {}, el("strong", { text: item.file }), `: ${item.problems.join("; ")}`))),
    );
  }
  for (const found of [portfolio.pillars, portfolio.lenses].filter(Boolean)) {
    section(found === portfolio.pillars ? "pillars" : "lenses", el("h2", { text: found.heading }), heatTable(found));
  }
  section(
    "levels",
    el("p", { text: portfolio.legend }),
    el("ul", { class: "kb-heat__legend" }, ...portfolio.levels.map((level) =>
      el("li", {}, el("span", { class: `kb-heat__swatch kb-heat--${level.id}`, text: level.label }),
        `: ${level.meaning}`))),
  );
  const practices = portfolio.practices;
  const shown = practices.items.slice(0, practices.shown);
  section(
    "practices",
    el("h2", { text: practices.heading }),
    el("p", { text: practices.text || practices.empty }),
    shown.length
      ? table(practices.columns, shown.map((item) => plainRow([
        String(item.rank), item.title, item.pillar_name, item.lens_name, item.text, item.workloads.join(", "),
      ])), "", practices.heading)
      : null,
  );
  const lists = portfolio.decisions.map((listed) => el(
    "div",
    { "data-decisions": listed.id },
    el("h3", { text: listed.heading }),
    listed.items.length
      ? table(listed.columns, listed.items.map((item) => (listed.id === "review"
        ? plainRow([item.workload, item.title, item.owner, item.date, item.reason])
        : decisionRow([item.workload, item.title, item.status, item.owner, item.date], item.ticket))), "", listed.heading)
      : el("p", { text: listed.empty }),
  ));
  section("decisions", el("h2", { text: portfolio.decisions_heading }), ...lists);
  const noted = portfolio.workloads.filter((workload) => workload.warnings.length);
  if (noted.length) {
    section(
      "notes",
      el("h2", { text: portfolio.warnings_heading }),
      el("ul", {}, ...noted.flatMap((workload) => workload.warnings.map((warning) =>
        el("li", {}, el("strong", { text: workload.name }), ` (${workload.file}): ${warning}`)))),
    );
  }
  $("[data-summary]", current.result).textContent = [portfolio.dated, `${portfolio.summary}.`].filter(Boolean).join(" ");
  $("[data-sections]", current.result).replaceChildren(...parts);
  current.result.hidden = false;
  current.root.dataset.drawn = String(Number(current.root.dataset.drawn || 0) + 1); // for tests
}

// Material's instant navigation swaps pages without loading this module again: document$ says when.
if (typeof document$ !== "undefined") document$.subscribe(start);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

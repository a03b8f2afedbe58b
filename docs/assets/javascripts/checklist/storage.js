// The saved state, shared by every tab of the checklist, and the page's other stored lists (milestones).
//
// Tabs on one origin share the saved state, so a save never writes the form over it whole. The state is
// cut into units: each answer, each workload field, each scope answer, each decision, and every other key
// whole. app.base holds the units as this tab last read or wrote them: a unit that differs from it in the
// form is this tab's change; any other unit is taken from what is saved at the time. Another tab's save
// comes in as a storage event, and goes into the form except where this tab has a change not yet saved.
// A saved state that cannot be read is never written over, except by "Clear answers".
import { app, STORE } from "./context.js";
import { $, $$, el, isRecord, say } from "./dom.js";
import { answeredBox, fillForm, readForm, unmark } from "./form.js";
import { countBeforeEngine, refresh } from "./results.js";

const NESTED = new Set(["answers", "workload", "scope", "decisions"]);

export const readJSON = (key, fallback) => {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
};
export const readList = (key) => {
  const value = readJSON(key, []);
  return Array.isArray(value) ? value.filter(isRecord) : [];
};
export const writeJSON = (key, value) => {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // storage full or disabled: the caller tells the user
  }
};

export function units(state) {
  // unit name ("answers.<question id>", "version", …) -> the unit's value as JSON
  const out = new Map();
  if (!isRecord(state)) return out;
  for (const [key, value] of Object.entries(state)) {
    if (NESTED.has(key) && isRecord(value)) {
      for (const [id, inner] of Object.entries(value)) out.set(`${key}.${id}`, JSON.stringify(inner));
    } else out.set(key, JSON.stringify(value));
  }
  return out;
}

function fromUnits(map) {
  const state = {};
  for (const [unit, json] of map) {
    if (json === undefined) continue; // removed
    const dot = unit.indexOf(".");
    const top = dot < 0 ? unit : unit.slice(0, dot);
    if (dot < 0 && !(NESTED.has(top) && isRecord(state[top]))) state[top] = JSON.parse(json);
    else if (dot >= 0) {
      if (!isRecord(state[top])) state[top] = {};
      state[top][unit.slice(dot + 1)] = JSON.parse(json);
    }
  }
  return state;
}

const unitNames = (...maps) => new Set(maps.flatMap((map) => [...map.keys()]));

export function readStored() {
  // What this browser holds: { text, state } (both null when nothing is saved), or an error:
  // "unavailable" (storage turned off) or "unreadable" (something is saved that is not a state).
  let text;
  try {
    text = localStorage.getItem(STORE);
  } catch {
    return { error: "unavailable" };
  }
  if (text === null) return { text, state: null };
  try {
    const state = JSON.parse(text);
    if (isRecord(state)) return { text, state };
  } catch {
    // not JSON: reported below
  }
  return { text, error: "unreadable" };
}

export function storageWorks() {
  // Reading is not enough: a full storage reads but refuses every write.
  try {
    const key = `${STORE}:probe`;
    localStorage.setItem(key, "1");
    localStorage.removeItem(key);
    return true;
  } catch {
    return false;
  }
}

export function storageFailed(kind) {
  // Said once per page: the answers stay in the form, and the state file keeps them.
  if (app.storageWarned) return false;
  app.storageWarned = true;
  app.meanwhile.hidden = true; // it says the answers are kept in this browser
  say("warning", kind === "unreadable"
    ? "The answers saved in this browser cannot be read, so they are left as they are and nothing is saved over them."
    : "This browser is not saving your answers: its storage is full or turned off.");
  app.messages.append(el("p", {}, "Your answers are kept in this page only: save the state file to keep them. ",
    el("button", { type: "button", class: "md-button", "data-action": "download-state", text: "Save state file" })));
  return false;
}

function adopt(state, names, before) {
  // Another tab's units into the form (``before``: the form's units now). A question this tab had answered
  // otherwise says it changed there.
  const wasAnswered = new Set($$("fieldset[data-question]").filter(answeredBox).map((box) => box.dataset.question));
  fillForm(state);
  const now = units(readForm());
  for (const name of names) {
    app.own.delete(name); // the other tab's change is the later one
    if (!name.startsWith("answers.") || now.get(name) === before.get(name)) continue;
    const question = name.slice("answers.".length);
    const box = $(`fieldset[data-question="${CSS.escape(question)}"]`);
    const note = box && $("[data-changed-elsewhere]", box);
    if (note && note.dataset.was === now.get(name)) unmark(box); // back to this tab's answer
    else if (box && !note && wasAnswered.has(question)) {
      $("legend", box).after(el("p", { class: "kb-changed-elsewhere", role: "status", "data-changed-elsewhere": "",
        "data-was": before.get(name), text: "Changed in another tab." }));
    }
  }
}

export function save({ force = false } = {}) {
  // This tab's changes, merged into what is saved now. Returns whether the answers are in storage.
  const stored = readStored();
  if (stored.error === "unavailable" || (stored.error && !force)) return storageFailed(stored.error);
  let form = readForm();
  let mine = units(form);
  const theirs = stored.error ? new Map() : units(stored.state);
  const merged = new Map();
  const foreign = [];
  for (const name of unitNames(mine, app.base, theirs)) {
    if (mine.get(name) !== app.base.get(name) || !stored.state) {
      merged.set(name, mine.get(name));
      if (mine.get(name) !== app.base.get(name)) app.own.add(name);
    } else {
      merged.set(name, theirs.get(name));
      if (theirs.get(name) !== mine.get(name)) foreign.push(name);
    }
  }
  if (foreign.length) {
    adopt(fromUnits(merged), foreign, mine);
    form = readForm(); // the form reads back what it shows: the merge, as the next save compares it
    mine = units(form);
  }
  const text = JSON.stringify(form);
  try {
    localStorage.setItem(STORE, text);
  } catch {
    return storageFailed("full"); // app.base stays: this tab's changes are still its own, for a later save
  }
  app.base = mine;
  app.written = text;
  return true;
}

export function onStorage(event) {
  // Another tab saved: its units go into the form, except those this tab has changed and not saved.
  if (!app || event.key !== STORE || event.newValue === null) return;
  let state;
  try {
    state = JSON.parse(event.newValue);
  } catch {
    return;
  }
  const stored = readStored();
  if (!isRecord(state) || stored.error) return;
  const theirs = units(state);
  const mine = units(readForm());
  if (stored.text !== event.newValue) {
    // Saved over since. By another tab: that save's own event follows. By this tab: that save was merged
    // from a read that did not have this one yet (each tab's storage catches up a moment later), so it
    // dropped this one's changes. Take them back, except where this tab changed the unit itself, and save.
    if (stored.text !== app.written) return;
    const missed = [...unitNames(theirs, mine)].filter((name) =>
      theirs.get(name) !== mine.get(name) && !app.own.has(name) && mine.get(name) === app.base.get(name));
    if (!missed.length) return;
    const merged = new Map(mine);
    for (const name of missed) merged.set(name, theirs.get(name));
    adopt(fromUnits(merged), missed, mine);
    save(); // the taken units differ from app.base, so this save writes them
    for (const name of missed) app.own.delete(name);
  } else {
    const changed = [...unitNames(theirs, mine)].filter((name) =>
      theirs.get(name) !== mine.get(name) && mine.get(name) === app.base.get(name));
    app.base = theirs;
    if (!changed.length) return;
    const taken = new Set(changed);
    const merged = new Map(theirs); // in their order: the form then reads back as they saved it
    for (const name of unitNames(theirs, mine)) merged.set(name, (taken.has(name) ? theirs : mine).get(name));
    adopt(fromUnits(merged), changed, mine);
  }
  countBeforeEngine();
  refresh();
}

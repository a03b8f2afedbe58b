// Files and links: the state file, the exports, import, merge, the share link, and clearing the answers.
// The engine writes and reads every one of them (the share link's format is checklist.share's).
import { app } from "./context.js";
import { $, download, say } from "./dom.js";
import { ask } from "./engine.js";
import { emptyState, fillForm, maxBytes, readForm, siteRoot, today, unmark } from "./form.js";
import { changed } from "./results.js";

export async function saveState(stem) {
  // The engine writes the state file (the CLI's bytes); only without it does the page write its own.
  const name = `${stem}-state.json`;
  if (!app.ready) {
    download(name, `${JSON.stringify(readForm(), null, 2)}\n`, "application/json");
    return;
  }
  const reply = await ask({ op: "save", state: readForm() });
  if (reply.ok) download(name, reply.text, "application/json");
  else say("failure", "The state could not be saved:", reply.problems);
}

export async function report(format, name, type) {
  const reply = await ask({ op: "report", state: readForm(), format, site_url: siteRoot(), today: today() });
  if (reply.ok) download(name, reply.text, type);
  else say("failure", "The report could not be made:", reply.problems);
}

export function confirmReplace(text) {
  const dialog = $("[data-dialog]", app.root);
  $("[data-dialog-text]", dialog).textContent = text;
  dialog.returnValue = ""; // Esc closes without setting it: it must not keep an earlier "yes"
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    dialog.showModal();
    $("[data-dialog-no]", dialog).focus(); // the safe answer is the default
  });
}

// A file's or a link's answers, as the engine read them (``request``: an import or open_link operation),
// in place of the form's once the user agrees.
async function importWith(request, source) {
  if (!app.ready) {
    say("failure", `${source} cannot be checked: the assessment engine is not available. Nothing was changed.`);
    return false;
  }
  const reply = await ask({ ...request, current: $("#workload-name").value });
  if (!reply.ok) {
    say("failure", `${source} was not imported, and your answers are unchanged:`, reply.problems);
    return false;
  }
  if (app.answered && !(await confirmReplace(reply.question))) {
    say("note", "Kept your current answers.");
    return false;
  }
  fillForm(reply.state);
  unmark(app.root.closest("article") || document);
  changed();
  say("success", `Imported ${source}.`, reply.warnings);
  return true;
}

export async function importFile(input) {
  const file = input.files[0];
  input.value = "";
  if (!file) return;
  // Never more than the limit is read: the engine refuses an oversized file by the size given.
  const source = `the file ${file.name}`;
  const text = await file.slice(0, maxBytes() + 1).text();
  await importWith({ op: "import", text, size: file.size, source }, source);
}

export async function share() {
  const reply = await ask({ op: "share", state: readForm() });
  if (!reply.ok) {
    say("failure", "The share link could not be made:", reply.problems);
    return;
  }
  const url = new URL(location.href);
  url.hash = reply.fragment;
  const field = $("[data-share-url]", app.root);
  field.value = url.href;
  $("[data-share]", app.root).hidden = false;
  field.focus();
  field.select();
  try {
    await navigator.clipboard.writeText(url.href);
    say("success", "Share link copied. Anyone who opens it sees these answers; they stay in the link.");
  } catch {
    say("note", "Copy the share link from the field below.");
  }
}

export async function openSharedLink() {
  // The link is taken out of the address bar whatever it holds; the engine reads it, or says what is wrong.
  if (!location.hash.startsWith("#state=")) return;
  const fragment = location.hash.slice(1);
  history.replaceState(history.state, "", location.pathname + location.search);
  await importWith({ op: "open_link", fragment }, "the share link");
}

export async function mergeFile(input) {
  const file = input.files[0];
  input.value = "";
  if (!file) return;
  const mine = readForm();
  const reply = await ask({ op: "merge", mine, mine_name: mine.workload.owner,
    theirs_text: await file.slice(0, maxBytes() + 1).text(), theirs_name: file.name.replace(/\.json$/i, "") });
  if (!reply.ok) {
    say("failure", `The file ${file.name} was not merged, and your answers are unchanged:`, reply.problems);
    return;
  }
  fillForm(reply.state, { ownAnswers: true });
  unmark(app.root.closest("article") || document);
  changed();
  say("success", reply.text);
}

export async function clearAnswers() {
  if (!(await confirmReplace("Clear every answer and the workload? Saved milestones are kept."))) return;
  fillForm(emptyState());
  unmark(app.root.closest("article") || document);
  changed({ force: true }); // explicit: may write over a saved state this page could not read
  say("note", "Cleared all answers.");
}

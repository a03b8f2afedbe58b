// The worker client: adopts the worker checklist-boot.js started, asks it for the engine's answers, and
// shows its progress, readiness and failure.
import { app } from "./context.js";
import { $$, el, say } from "./dom.js";
import { fillForm } from "./form.js";
import { openSharedLink } from "./files.js";
import { refresh } from "./results.js";
import { readStored, save } from "./storage.js";

const BOOT_SCRIPT = new URL("../checklist-boot.js", import.meta.url).href;

export function adoptWorker() {
  // checklist-boot.js started the worker as the page was parsed; start one here only if it could not.
  const boot = window.kbChecklistBoot;
  if (!boot || boot.root !== app.root) {
    const script = el("script", { src: BOOT_SCRIPT });
    script.onload = () => adoptWorker();
    script.onerror = () => engineFailed("checklist-boot.js did not load");
    if (!app.bootRequested) {
      app.bootRequested = true;
      document.head.append(script);
    }
    return;
  }
  if (boot.error) {
    engineFailed(boot.error);
    return;
  }
  const worker = boot.worker;
  app.worker = worker;
  worker.onmessage = ({ data }) => {
    if (data.type === "progress") showDownload(data);
    else if (data.type === "ready") {
      app.phases = data.phases;
      engineReady();
    } else if (data.type === "failed") engineFailed(data.message);
    else if (data.type === "fatal") restartEngine("the engine stopped");
    else if (data.type === "reply") {
      const settle = app.pending.get(data.id);
      app.pending.delete(data.id);
      if (settle) settle(data.reply);
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    if (app.ready) restartEngine(event.message || "the worker stopped");
    else engineFailed(event.message || "the worker stopped");
  };
  for (const event of boot.early.splice(0)) worker.onmessage(event);
}

// The engine stopped after it had started (Python's fatal error, or the worker died): what was asked of
// it fails with the engine's own sentence, a fresh worker starts once, and the answers (the form's) stay.
// A second stop is the "could not load" state.
function restartEngine(reason) {
  if (app.restarted || app.failed) {
    engineFailed(reason);
    return;
  }
  app.restarted = true;
  app.ready = false;
  app.root.classList.remove("is-ready");
  app.worker.terminate();
  for (const settle of app.pending.values()) {
    settle({ ok: false, restarted: true, problems: ["The assessment engine stopped on this request and was restarted."] });
  }
  app.pending.clear();
  for (const control of $$("[data-needs-engine]", document)) control.disabled = true;
  setStatus("Restarting the assessment engine…");
  const worker = new Worker(new URL(app.root.dataset.workerUrl, document.baseURI).href, { type: "module" });
  window.kbChecklistBoot = { root: app.root, path: location.pathname, worker, early: [], error: null };
  worker.onmessage = (event) => window.kbChecklistBoot.early.push(event);
  worker.postMessage({ type: "boot" });
  adoptWorker();
  say("note", "The assessment engine stopped and was started again. Your answers are kept.");
}

// One request to checklist.api.Session; the reply is the engine's ({ok, ...} or {ok: false, problems}).
export function ask(request) {
  return new Promise((resolve) => {
    const id = app.nextId++;
    app.pending.set(id, resolve);
    app.worker.postMessage({ id, request });
  });
}

function setStatus(text) {
  if (app.status.textContent !== text) app.status.textContent = text; // a live region: say changes only
}

const megabytes = (bytes) => (bytes / 1e6).toFixed(1);

function showDownload({ loaded, total, unsized, active }) {
  // What the worker has fetched so far. The figures sit outside the live region, which only says the phase.
  if (app.ready || app.failed) return;
  if (active) {
    setStatus("Downloading the assessment engine…");
    app.download.textContent = unsized ? `${megabytes(loaded)} MB so far` : `${megabytes(loaded)} of ${megabytes(total)} MB`;
  } else {
    setStatus("Starting the assessment engine (Python, running in this browser)…");
    app.download.textContent = "";
  }
}

function engineLoaded() {
  app.download.hidden = true;
  app.meanwhile.hidden = true;
}

async function engineReady() {
  performance.mark("kb-checklist-ready", { detail: app.phases }); // read by `make bench`
  app.ready = true;
  app.root.classList.add("is-ready");
  engineLoaded();
  setStatus("Ready: answers are assessed in this browser; nothing is sent anywhere.");
  for (const control of $$("[data-needs-engine]", document)) control.disabled = false;
  refresh(); // the first answer first: it is what the visitor is waiting for
  await updateSaved();
  openSharedLink();
}

async function updateSaved() {
  // Answers saved by an older version of the checklist go through the engine once, which follows moved
  // and merged practices; the user is told what moved. A state it cannot read is left as it is.
  const { text } = readStored();
  if (!text) return;
  const reply = await ask({ op: "import", text });
  if (!reply.ok || !reply.warnings.length) return;
  fillForm(reply.state);
  save();
  refresh();
  say("note", "Your saved answers were brought up to date with this version of the checklist:", reply.warnings);
}

function engineFailed(message) {
  if (app.failed) return;
  app.failed = true;
  app.root.classList.add("is-failed");
  engineLoaded();
  app.status.textContent =
    "The assessment engine could not load, so risks and the plan cannot be computed here. " +
    "Your answers are kept in this browser, and you can still save them as a state file.";
  app.status.title = message;
  for (const control of $$("[data-needs-engine]", document)) control.disabled = true;
  for (const pending of app.pending?.values() || []) pending({ ok: false, problems: [message] });
}

// Leaving the checklist: stop its worker and settle what it still owed, so nothing waits forever.
export function stopEngine(old) {
  if (old.worker) old.worker.terminate();
  for (const settle of old.pending.values()) settle({ ok: false, problems: ["the page was left"] });
  old.pending.clear();
}

// Module worker: starts the self-hosted Pyodide with the checklist engine and the KB, then answers
// requests. Every answer comes from checklist.api.Session. Python starts one of two ways: restored from
// the build's memory snapshot (the engine imported, the session built; sha256-checked), when it is kept on
// this device or the network is fast; or booted, the checklist wheel installed (sha256-checked against the
// lock file) and the KB JSON loaded. Any trouble with the snapshot means the second way, and nothing else.
// The build publishes this file in the checklist's bundle directory, beside its lock file, wheel, KB JSON,
// snapshot and its own modules (checklist-worker/: downloads, runtime, snapshot, wheel), and replaces
// __PYODIDE__ with the relative path to the Pyodide runtime, so the import below is static: the browser
// fetches Pyodide's loader while it is still reading this file.
import { loadPyodide } from "__PYODIDE__/pyodide.mjs";
import { countedFetch, early, stopCounting } from "./checklist-worker/downloads.mjs";
import { instantiation, runtimeFiles, startRuntime } from "./checklist-worker/runtime.mjs";
import { snapshotBytes } from "./checklist-worker/snapshot.mjs";
import { install } from "./checklist-worker/wheel.mjs";

const here = (name) => new URL(name, import.meta.url).href;

const phases = {}; // boot phase times, reported with "ready" for `make bench`
let session;

// The engine's wheel, as the lock file beside it lists it (the build writes both in).
const WHEEL = { file: "__WHEEL__", sha256: "__WHEEL_SHA256__" };

let warm = null; // imports what only the later operations need, once the first answer is out
let engine; // the Pyodide instance, to tell a fatal error (after which it is not safe to use) from others

// Pyodide after a fatal error refuses every call: then the page is told to start a fresh worker.
function fatallyFailed() {
  try {
    engine.runPython("None");
    return false;
  } catch {
    return true;
  }
}

// The build's memory snapshot (checklist-worker/snapshot.mjs). No file name (as under `mkdocs serve`): none.
const SNAPSHOT = { file: "__SNAPSHOT__", sha256: "__SNAPSHOT_SHA256__", bytes: Number("__SNAPSHOT_BYTES__") };

const PYODIDE = here("__PYODIDE__/");

// Python restored from the snapshot, with the session it holds; null if it will not restore.
async function restore(bytes) {
  try {
    const options = { indexURL: PYODIDE, lockFileURL: here("pyodide-lock.json"), _loadSnapshot: bytes };
    const pyodide = await Promise.race([loadPyodide(options), instantiation()]);
    if (pyodide.runPython("type(session).__name__") !== "Session") return null;
    return pyodide;
  } catch (error) {
    console.warn("The checklist's memory snapshot did not restore; booting Python instead.", error);
    return null;
  }
}

async function boot() {
  phases.start = performance.now();
  const speed = startRuntime(PYODIDE);
  // What the usual boot needs besides the runtime, asked for at once as before the snapshot existed, so a
  // slow network that rules the snapshot out waits for nothing more (on a fast one, 0.3 MB too many).
  const lock = here("pyodide-lock.json");
  early.set(lock, countedFetch(lock));
  const kbText = fetch(here("knowledge-base.json")).then((response) => {
    if (!response.ok) throw new Error(`knowledge base: HTTP ${response.status}`);
    return response.text();
  });
  const wheel = fetch(here(WHEEL.file)).then((response) => {
    if (!response.ok) throw new Error(`engine wheel: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  kbText.catch(() => {}); // not needed when the snapshot restores; reported below when it is
  wheel.catch(() => {});
  const snapshot = { ...SNAPSHOT, url: SNAPSHOT.file ? here(SNAPSHOT.file) : "" };
  let [bytes, why] = await snapshotBytes(snapshot, speed, runtimeFiles(PYODIDE).wasm).catch((error) => [null, String(error)]);
  phases.snapshot = performance.now();
  const restored = bytes && (await restore(bytes));
  bytes = null; // 31 MB, no longer needed
  if (restored) {
    phases.boot = "snapshot";
    phases.pyodide = phases.wheel = phases.imports = performance.now();
    session = restored.globals.get("session");
    phases.session = performance.now();
    engine = restored;
    return restored.version;
  }
  phases.boot = why ? `python (${why})` : "python (the snapshot did not restore)";
  const pyodide = await Promise.race([
    loadPyodide({
      indexURL: PYODIDE,
      lockFileURL: here("pyodide-lock.json"), // lists the checklist wheel, beside it in this directory
    }),
    instantiation(),
  ]);
  phases.pyodide = performance.now();
  await install(pyodide, wheel, WHEEL.sha256);
  phases.wheel = performance.now();
  pyodide.runPython("import checklist.api");
  phases.imports = performance.now();
  pyodide.globals.set("kb_json", await kbText);
  session = pyodide.runPython("checklist.api.Session(kb_json)");
  phases.session = performance.now();
  warm = () => pyodide.runPython("checklist.api.warm()");
  engine = pyodide;
  return pyodide.version;
}

let ready;
self.onmessage = async ({ data }) => {
  if (data.type === "boot") {
    ready = boot();
    try {
      self.postMessage({ type: "ready", version: await ready, phases });
      stopCounting(); // the engine is loaded: nothing more to count
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message ? error.message : error) });
    }
    return;
  }
  try {
    await ready;
    const reply = session.handle(JSON.stringify(data.request));
    self.postMessage({ type: "reply", id: data.id, reply: JSON.parse(reply) });
  } catch (error) {
    if (engine && fatallyFailed()) {
      self.postMessage({ type: "fatal", id: data.id });
      return;
    }
    // The engine answers bad input with its own messages; anything else is a bug: said in words, the
    // details left in the console for a report.
    console.error(error);
    const problem = "the assessment engine failed on this request (an internal error, shown in the console)";
    self.postMessage({ type: "reply", id: data.id, reply: { ok: false, problems: [problem] } });
  }
  if (warm) {
    const now = warm;
    warm = null;
    setTimeout(now, 0); // after the first reply is on its way
  }
};

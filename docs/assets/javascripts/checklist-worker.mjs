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
import { countedFetch, stopCounting } from "./checklist-worker/downloads.mjs";
import { fetchStdlib, instantiation, lazyStdlib, runtimeFiles, startRuntime } from "./checklist-worker/runtime.mjs";
import { snapshotMemory, worthFetching } from "./checklist-worker/snapshot.mjs";
import { install } from "./checklist-worker/wheel.mjs";
import { Refused } from "./checklist-worker/memory.mjs";
import { forgetMemory, keepMemory } from "./checklist-worker/kept-memory.mjs";
// Imported by the modules above (for the sha256 of the wheel and of the snapshot): named here too, as every
// module they import is, so that the browser asks for every module of the worker at once, after this
// file, instead of a level of imports at a time (each level a round trip, while the engine's start waits
// for the last).
import "./checklist-worker/hash.mjs";

const here = (name) => new URL(name, import.meta.url).href;

const phases = {}; // boot phase times, reported with "ready" for `make bench`
let session;

// The engine's wheel, as the lock file beside it lists it (the build writes both in).
const WHEEL = { file: "__WHEEL__", sha256: "__WHEEL_SHA256__" };

let later = null; // what waits until the first answer is out: keeping the memory, or importing what only
// the later operations need
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
// The runtime's wasm as stored (the build writes its size in): what the speed probe compares a compressed
// download with.
const WASM_BYTES = Number("__WASM_BYTES__");

// Python restored from the snapshot, with the session it holds: [pyodide, ""], or [null, why not].
// ``memory`` is a promise of the snapshot's memory: Pyodide sets itself up while the snapshot still
// arrives, and waits for it only to instantiate the runtime.
async function restore(options, memory) {
  const unused = (error) => ({ unused: error instanceof Refused ? error.message : String(error) });
  try {
    const bytes = memory.catch((error) => Promise.reject(unused(error)));
    bytes.catch(() => {}); // Pyodide may stop before it waits for them: reported below either way
    const restoring = { ...options, ...lazyStdlib(PYODIDE), _loadSnapshot: bytes };
    const pyodide = await Promise.race([loadPyodide(restoring), instantiation()]);
    if (pyodide.runPython("type(session).__name__") !== "Session") return [null, ""];
    return [pyodide, ""];
  } catch (error) {
    if (error && error.unused !== undefined) return [null, error.unused]; // the file, not the restore
    console.warn("The checklist's memory snapshot did not restore; booting Python instead.", error);
    return [null, ""];
  }
}

// What only the usual boot needs: the engine's wheel and the KB's JSON (a restored snapshot holds both;
// the standard library, which it needs too, is asked for with fetchStdlib).
function bootFiles() {
  const fetched = (name, what, read) => fetch(here(name)).then((response) => {
    if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`);
    return read(response);
  });
  const files = {
    kbText: fetched("knowledge-base.json", "knowledge base", (response) => response.text()),
    wheel: fetched(WHEEL.file, "engine wheel", (response) => response.arrayBuffer()),
  };
  files.kbText.catch(() => {}); // reported where it is awaited
  files.wheel.catch(() => {});
  return files;
}

async function boot() {
  phases.start = performance.now();
  const snapshot = { ...SNAPSHOT, url: SNAPSHOT.file ? here(SNAPSHOT.file) : "" };
  const speed = startRuntime(PYODIDE, worthFetching(snapshot), WASM_BYTES);
  // The lock file, read whichever way Python starts, is asked for at once and fetched once: both starts
  // are given its contents. It lists the checklist wheel, beside it in this directory.
  const lock = countedFetch(here("pyodide-lock.json")).then((response) => {
    if (!response.ok) throw new Error(`pyodide-lock.json: HTTP ${response.status}`);
    return response.json();
  });
  lock.catch(() => {}); // reported by the start that reads it
  const options = { indexURL: PYODIDE, lockFileContents: lock, packageBaseUrl: here("") };
  // Without a snapshot in this build, the usual boot's own files are wanted at once too.
  let files = null;
  if (!snapshot.url) {
    fetchStdlib(PYODIDE);
    files = bootFiles();
  }
  let [memory, why, from] = await snapshotMemory(snapshot, speed, runtimeFiles(PYODIDE).wasm).catch((error) => [null, String(error)]);
  let restored = null;
  if (memory) {
    const arrived = () => (phases.snapshot = performance.now());
    memory.then(arrived, arrived);
    [restored, why] = await restore(options, memory);
    if (restored && from !== "kept") {
      // Kept for the next visit once the first answer is out (Pyodide copied it: it is left as it was).
      const bytes = await memory;
      later = () => keepMemory(SNAPSHOT.sha256, bytes);
    } else if (!restored && from === "kept") forgetMemory();
    memory = null; // 31 MB, no longer needed here
  } else phases.snapshot = performance.now();
  if (restored) {
    phases.boot = "snapshot";
    phases.memory = from === "kept" ? "kept on this device" : "from the snapshot file";
    phases.pyodide = phases.wheel = phases.imports = performance.now();
    session = restored.globals.get("session");
    phases.session = performance.now();
    engine = restored;
    return restored.version;
  }
  phases.boot = why ? `python (${why})` : "python (the snapshot did not restore)";
  // Asked for now that they are needed: while the runtime still arrives, on a network too slow for the
  // snapshot; and on a fast one, when a kept snapshot failed to restore, they take a moment.
  fetchStdlib(PYODIDE);
  files ??= bootFiles();
  const pyodide = await Promise.race([
    loadPyodide(options),
    instantiation(),
  ]);
  phases.pyodide = performance.now();
  await install(pyodide, files.wheel, WHEEL.sha256);
  phases.wheel = performance.now();
  pyodide.runPython("import checklist.api");
  phases.imports = performance.now();
  pyodide.globals.set("kb_json", await files.kbText);
  // The KB's model, as long-lived as the session, out of the collector's reach (as in the snapshot).
  session = pyodide.runPython("checklist.api.Session(kb_json)");
  pyodide.runPython("import gc; gc.freeze()");
  phases.session = performance.now();
  later = () => pyodide.runPython("checklist.api.warm()");
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
  if (later) {
    const now = later;
    later = null;
    setTimeout(now, 0); // after the first reply is on its way
  }
};

// Module worker: boots the self-hosted Pyodide, installs the checklist wheel (sha256-checked against the
// lock file), loads the KB JSON, then answers requests. Every answer comes from checklist.api.Session.
// The build publishes this file in the checklist's bundle directory, beside its lock file, wheel and KB
// JSON, and replaces __PYODIDE__ with the relative path to the Pyodide runtime, so the import below is
// static: the browser fetches Pyodide's loader while it is still reading this file.
import { loadPyodide } from "__PYODIDE__/pyodide.mjs";

const here = (name) => new URL(name, import.meta.url).href;

const phases = {}; // boot phase times, reported with "ready" for `make bench`
let session;

async function boot() {
  phases.start = performance.now();
  const kbText = fetch(here("knowledge-base.json")).then((response) => {
    if (!response.ok) throw new Error(`knowledge base: HTTP ${response.status}`);
    return response.text();
  });
  const pyodide = await loadPyodide({
    indexURL: here("__PYODIDE__/"),
    lockFileURL: here("pyodide-lock.json"), // lists the checklist wheel, beside it in this directory
    packages: ["checklist"],
  });
  phases.pyodide = performance.now();
  pyodide.globals.set("kb_json", await kbText);
  session = pyodide.runPython("from checklist.api import Session\nSession(kb_json)");
  phases.session = performance.now();
  return pyodide.version;
}

let ready;
self.onmessage = async ({ data }) => {
  if (data.type === "boot") {
    ready = boot();
    try {
      self.postMessage({ type: "ready", version: await ready, phases });
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
    self.postMessage({ type: "reply", id: data.id, reply: { ok: false, problems: [String(error)] } });
  }
};

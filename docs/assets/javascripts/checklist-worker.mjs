// Module worker: boots the self-hosted Pyodide, installs the checklist wheel (sha256-checked against the
// lock file), loads the KB JSON, then answers requests. Every answer comes from checklist.api.Session.
// The build publishes this file next to pyodide.mjs (assets/pyodide/<version>/), so the import below is
// static: the browser fetches Pyodide's loader while it is still reading this file.
import { loadPyodide } from "./pyodide.mjs";

const phases = {}; // boot phase times, reported with "ready" for `make bench`
let session;

async function boot({ kbURL }) {
  phases.start = performance.now();
  const kbText = fetch(kbURL).then((response) => {
    if (!response.ok) throw new Error(`knowledge base: HTTP ${response.status}`);
    return response.text();
  });
  const pyodide = await loadPyodide({ indexURL: new URL("./", import.meta.url).href, packages: ["checklist"] });
  phases.pyodide = performance.now();
  pyodide.globals.set("kb_json", await kbText);
  session = pyodide.runPython("from checklist.api import Session\nSession(kb_json)");
  phases.session = performance.now();
  return pyodide.version;
}

let ready;
self.onmessage = async ({ data }) => {
  if (data.type === "boot") {
    ready = boot(data);
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

// Module worker: boots the self-hosted Pyodide, installs the checklist wheel (sha256-checked against the
// lock file), loads the KB JSON, then answers requests. Every answer comes from checklist.api.Session.
// The build publishes this file in the checklist's bundle directory, beside its lock file, wheel and KB
// JSON, and replaces __PYODIDE__ with the relative path to the Pyodide runtime, so the import below is
// static: the browser fetches Pyodide's loader while it is still reading this file.
import { loadPyodide } from "__PYODIDE__/pyodide.mjs";

const here = (name) => new URL(name, import.meta.url).href;

const phases = {}; // boot phase times, reported with "ready" for `make bench`
let session;

// Download progress for the page's status line: every fetch the boot makes (Pyodide's files, the wheel,
// the KB) is counted as its bytes arrive. A size is known once a response's headers are in, and only
// when it is not compressed in transit (then the length is not the number of bytes read).
const download = { loaded: 0, total: 0, unsized: 0, active: 0 };
let reportPending = false;
function report() {
  if (reportPending) return;
  reportPending = true;
  setTimeout(() => {
    reportPending = false;
    self.postMessage({ type: "progress", ...download });
  }, 100);
}
const plainFetch = self.fetch.bind(self);
self.fetch = async (...args) => {
  download.active += 1;
  download.unsized += 1; // until its headers say how big it is
  report();
  let response;
  try {
    response = await plainFetch(...args);
  } catch (error) {
    download.active -= 1;
    download.unsized -= 1;
    report();
    throw error;
  }
  const length = Number(response.headers.get("content-length"));
  const sized = length > 0 && !response.headers.get("content-encoding");
  if (sized) {
    download.unsized -= 1;
    download.total += length;
  }
  let read = 0;
  const done = () => {
    download.active -= 1;
    if (!sized) {
      download.unsized -= 1;
      download.total += read;
    }
    report();
  };
  if (!response.body) {
    done();
    return response;
  }
  const counted = response.body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      read += chunk.byteLength;
      download.loaded += chunk.byteLength;
      report();
      controller.enqueue(chunk);
    },
    flush: done,
  }));
  const { status, statusText, headers } = response;
  return new Response(counted, { status, statusText, headers });
};

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
      self.fetch = plainFetch; // the engine is loaded: nothing more to count
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

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

// The engine's wheel, as the lock file beside it lists it (the build writes both in).
const WHEEL = { file: "__WHEEL__", sha256: "__WHEEL_SHA256__" };

const hex = (buffer) => [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, "0")).join("");

// The files of a wheel (a zip archive), read with the browser's own inflater: the engine is on Python's
// path as soon as Pyodide is up, with none of Python's own unpacking to wait for.
async function unzip(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error("the engine's wheel is not a zip archive");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = [];
  for (let n = 0; n < count; n += 1) {
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = bytes.subarray(start, start + size);
    const data = method === 0 ? raw : new Uint8Array(await new Response(
      new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer());
    if (!name.endsWith("/")) files.push([name, data]);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return files;
}

// The wheel, checked against its sha256 in the lock file, written into site-packages.
async function install(pyodide, wheel) {
  const bytes = new Uint8Array(await wheel);
  if (hex(await crypto.subtle.digest("SHA-256", bytes)) !== WHEEL.sha256) {
    throw new Error("the engine's wheel does not match its sha256 in the lock file");
  }
  const site = pyodide.runPython("next(p for p in __import__('sys').path if p.endswith('site-packages'))");
  for (const [name, data] of await unzip(bytes)) {
    const path = `${site}/${name}`;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, data);
  }
}

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

async function boot() {
  phases.start = performance.now();
  const kbText = fetch(here("knowledge-base.json")).then((response) => {
    if (!response.ok) throw new Error(`knowledge base: HTTP ${response.status}`);
    return response.text();
  });
  const wheel = fetch(here(WHEEL.file)).then((response) => {
    if (!response.ok) throw new Error(`engine wheel: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const pyodide = await loadPyodide({
    indexURL: here("__PYODIDE__/"),
    lockFileURL: here("pyodide-lock.json"), // lists the checklist wheel, beside it in this directory
  });
  phases.pyodide = performance.now();
  await install(pyodide, wheel);
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

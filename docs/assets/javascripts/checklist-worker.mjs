// Module worker: starts the self-hosted Pyodide with the checklist engine and the KB, then answers
// requests. Every answer comes from checklist.api.Session. Python starts one of two ways: restored from
// the build's memory snapshot (the engine imported, the session built; sha256-checked), when it is kept on
// this device or the network is fast; or booted, the checklist wheel installed (sha256-checked against the
// lock file) and the KB JSON loaded. Any trouble with the snapshot means the second way, and nothing else.
// The build publishes this file in the checklist's bundle directory, beside its lock file, wheel, KB JSON
// and snapshot, and replaces __PYODIDE__ with the relative path to the Pyodide runtime, so the import
// below is static: the browser fetches Pyodide's loader while it is still reading this file.
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
// Files fetched before Pyodide asks for them (its wasm, standard library and lock file, while the boot
// decides how to start): Pyodide's own request gets the response already under way, once.
const early = new Map();
self.fetch = (...args) => {
  const key = String(args[0] instanceof Request ? args[0].url : args[0]);
  const started = early.get(key);
  if (started) {
    early.delete(key);
    return started;
  }
  return countedFetch(...args);
};
async function countedFetch(...args) {
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
}

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

// The memory snapshot the build made: Python with the engine imported and this KB's session built, gzip-
// compressed. Restoring it takes about a third of a boot; it is 6 MB more to download, so it is used when
// it is already kept (a repeat visit) or the network brings it in under the time it saves. No file name
// (as under `mkdocs serve`): none.
const SNAPSHOT = { file: "__SNAPSHOT__", sha256: "__SNAPSHOT_SHA256__", bytes: Number("__SNAPSHOT_BYTES__") };
// What restoring saves over a boot (1.7-3.6 s measured on a 2-core machine): the snapshot is fetched when
// the network seems to bring it in less (25 Mbit/s and up; a probe this short underestimates, so slower
// networks are left out surely). Deciding costs a slow network nothing: it is busy with the runtime.
const SAVES_MS = 2000;
const PROBE = { bytes: 2 << 20, ms: 400 }; // how much of the first downloads shows the network's speed

const PYODIDE = here("__PYODIDE__/");
const RUNTIME = { wasm: `${PYODIDE}pyodide.asm.wasm`, stdlib: `${PYODIDE}python_stdlib.zip` };

// Start what every boot needs at once, and measure the network while it brings those files (the wasm,
// 9.6 MB, and the standard library, 2.5 MB, are fetched whichever way Python starts): bytes per
// millisecond, over every download of the worker, for PROBE.ms from the wasm's first bytes or until
// PROBE.bytes arrived. (From the first bytes, not the request: a busy server's slow answer says nothing
// about the network's speed.) The wasm is compiled as it arrives, from the browser's own response (which
// lets the browser reuse its compiled code on the next visit); Pyodide's later request for it gets that
// compiled module, through the stand-in below.
const WASM_STAND_IN = new Response(null);
// Pyodide logs a failed instantiation and then waits for ever: raced against loadPyodide, this rejects
// instead.
let instantiationFailed = () => {};
const instantiation = () => new Promise((_, reject) => {
  instantiationFailed = reject;
});
function startRuntime() {
  import(`${PYODIDE}pyodide.asm.mjs`).catch(() => {}); // Pyodide's own import of it finds it under way
  early.set(RUNTIME.stdlib, countedFetch(RUNTIME.stdlib));
  let measured;
  const speed = new Promise((resolve) => {
    measured = resolve;
  });
  let counted; // a copy of the wasm's response, read for the progress line and the probe
  const response = plainFetch(RUNTIME.wasm).then((wasm) => {
    counted = wasm.clone();
    return wasm;
  });
  const compiled = WebAssembly.compileStreaming(response);
  compiled.catch(() => {}); // Pyodide is told below, and boots as usual
  response.then(async () => {
    const from = { at: performance.now(), loaded: download.loaded };
    const rate = () => (download.loaded - from.loaded) / Math.max(1, performance.now() - from.at);
    setTimeout(() => measured(rate()), PROBE.ms);
    const reader = counted.body.getReader();
    const length = Number(counted.headers.get("content-length"));
    const sized = length > 0 && !counted.headers.get("content-encoding"); // as countedFetch counts
    download.active += 1;
    if (sized) download.total += length;
    else download.unsized += 1;
    let read = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        read += value.byteLength;
        download.loaded += value.byteLength;
        report();
        if (download.loaded - from.loaded >= PROBE.bytes) measured(rate());
      }
    } finally {
      download.active -= 1;
      if (!sized) {
        download.unsized -= 1;
        download.total += read;
      }
      report();
    }
    measured(rate());
  }).catch(() => measured(0));
  early.set(RUNTIME.wasm, Promise.resolve(WASM_STAND_IN));
  const instantiate = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    try {
      if ((await source) !== WASM_STAND_IN) return await instantiate(source, imports);
      const module = await compiled;
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (error) {
      instantiationFailed(error);
      throw error;
    }
  };
  return speed;
}

// The snapshot as kept on this device: by the service worker (with the bundle, once the checklist was
// opened) or in the browser's HTTP cache. Null when it would have to come over the network.
async function kept(url) {
  try {
    const hit = await caches.match(url);
    if (hit) return hit;
  } catch {
    // no cache storage here (an opaque origin, storage turned off)
  }
  try {
    const hit = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    if (hit.ok) return hit;
  } catch {
    // not in the HTTP cache
  }
  return null;
}

// The snapshot's bytes, inflated, or null (and why) when it is better not to, or cannot, be used.
async function snapshotBytes(speed) {
  if (!SNAPSHOT.file) return [null, "no snapshot in this build"];
  const url = here(SNAPSHOT.file);
  let response = await kept(url);
  if (!response) {
    const rate = await speed; // bytes per ms
    if (SNAPSHOT.bytes / Math.max(rate, 1e-9) > SAVES_MS) {
      return [null, `the network brings ${Math.round(rate)} bytes/ms: the snapshot would cost more than it saves`];
    }
    if (performance.getEntriesByName(RUNTIME.wasm)[0]?.transferSize === 0) {
      return [null, "the runtime came from the browser's cache, which says nothing of the network's speed"];
    }
    response = await fetch(url);
  }
  if (!response.ok || !response.body) return [null, `snapshot: HTTP ${response.status}`];
  // Inflated as it arrives; used only once the whole file is known to match its sha256.
  const [whole, packed] = response.body.tee();
  const inflating = new Response(packed.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  inflating.catch(() => {}); // a damaged file is reported by its hash below
  const bytes = await new Response(whole).arrayBuffer();
  if (hex(await crypto.subtle.digest("SHA-256", bytes)) !== SNAPSHOT.sha256) {
    return [null, "the snapshot does not match its sha256"];
  }
  return [unpage(new Uint8Array(await inflating)), ""];
}

// The memory from the snapshot's layout (sitebuilder/snapshot.py): its pages of zeros were left out.
function unpage(data) {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const [total, size, count] = [0, 4, 8].map((at) => view.getUint32(at, true));
  const memory = new Uint8Array(total);
  let at = 12 + 4 * count;
  for (let n = 0; n < count; n += 1) {
    const start = view.getUint32(12 + 4 * n, true) * size;
    const length = Math.min(size, total - start);
    if (length <= 0 || at + length > data.length) throw new Error("the snapshot's layout is broken");
    memory.set(data.subarray(at, at + length), start);
    at += length;
  }
  if (at !== data.length) throw new Error("the snapshot's layout is broken");
  return memory;
}

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
  const speed = startRuntime();
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
  let [bytes, why] = await snapshotBytes(speed).catch((error) => [null, String(error)]);
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

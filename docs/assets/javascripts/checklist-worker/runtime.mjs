// Pyodide's runtime, started at once: the wasm is compiled as it arrives, and the network's speed measured
// meanwhile (it decides whether the memory snapshot is worth fetching). The standard library is fetched
// only for a boot; a restored Python reads it lazily, if ever.
import { countedFetch, download, early, plainFetch, report, wire } from "./downloads.mjs";

// How much of the first downloads shows the network's speed: 2 MB or 400 ms, whichever comes first; or
// 100 ms when the network is by then plainly too slow for the snapshot (under half the speed it needs: a
// fast link far away may still be ramping up that early, and then only loses the snapshot), which is
// being downloaded meanwhile and is dropped sooner so (at 10 Mbit/s, sharing the link with it for 400 ms
// made the first plan slower than a build without a snapshot).
const PROBE = { bytes: 2 << 20, ms: 400, early: 100, earlyShare: 1 / 2 };

// Where Pyodide's files are, under the runtime's directory (``pyodide``: its URL, ending in /).
export const runtimeFiles = (pyodide) => ({ wasm: `${pyodide}pyodide.asm.wasm`, stdlib: `${pyodide}python_stdlib.zip` });

// Pyodide logs a failed instantiation and then waits for ever: raced against loadPyodide, this rejects
// instead.
let instantiationFailed = () => {};
export const instantiation = () => new Promise((_, reject) => {
  instantiationFailed = reject;
});

// The standard library's zip (2.5 MB), which only a boot reads: asked for once the worker knows it will
// boot Python (at once when the build has no snapshot). A restored Python has every module the engine
// uses in its memory; it gets the file as a lazy one (see ``lazyStdlib``).
export function fetchStdlib(pyodide) {
  const { stdlib } = runtimeFiles(pyodide);
  if (!early.has(stdlib)) early.set(stdlib, { response: countedFetch(stdlib), copy: (response) => response.clone() });
}

// Options for loadPyodide that give a restored Python the standard library without downloading it: Pyodide
// is handed an empty file for it, which is then replaced by a lazy one, read (with synchronous requests,
// which only a worker may make) the first time Python opens it — only if the engine ever imports a module
// its memory does not hold. The zip is the same file the snapshot was made with, so the directory Python
// read from it then still matches.
export function lazyStdlib(pyodide) {
  const { stdlib } = runtimeFiles(pyodide);
  const empty = `${stdlib}#restored`; // a name of its own: a usual boot after a failed restore gets the file
  early.set(empty, { response: Promise.resolve(null), copy: () => new Response(new Uint8Array(0)) });
  return {
    stdLibURL: empty,
    // Pyodide calls this while it still writes the empty file (/lib/python3XY.zip, named for the version
    // its site-packages directory shows), and waits for it: the file is replaced once it is there.
    async fsInit(FS, { sitePackages }) {
      const [major, minor] = sitePackages.match(/python(\d+)\.(\d+)/).slice(1);
      const name = `python${major}${minor}.zip`;
      for (let tries = 0; !FS.analyzePath(`/lib/${name}`).exists; tries += 1) {
        if (tries > 100) throw new Error(`the standard library was not written as /lib/${name}`);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      FS.unlink(`/lib/${name}`);
      FS.createLazyFile("/lib", name, stdlib, true, false);
    },
  };
}

// Start what every boot needs at once, and measure the network while it brings those files (the wasm,
// 9.6 MB, is fetched whichever way Python starts): bytes on the wire per millisecond, over every download
// of the worker, for PROBE.ms from the wasm's first bytes or until PROBE.bytes arrived. (From the first bytes, not the request: a busy server's slow answer says nothing
// about the network's speed.) The wasm is compiled as it arrives, from the browser's own response (which
// lets the browser reuse its compiled code on the next visit); Pyodide's later request for it gets that
// compiled module, through the stand-in below. ``worth``: the speed (bytes per ms) the snapshot needs.
const WASM_STAND_IN = new Response(null);
export function startRuntime(pyodide, worth = Infinity, wasmBytes = 0) {
  const runtime = runtimeFiles(pyodide);
  import(`${pyodide}pyodide.asm.mjs`).catch(() => {}); // Pyodide's own import of it finds it under way
  let measured;
  const speed = new Promise((resolve) => {
    measured = resolve;
  });
  let counted; // a copy of the wasm's response, read for the progress line and the probe
  // A download under way from the moment it is asked for (as countedFetch counts): a slow server's wait
  // for the runtime is shown as the download it is, not as Python starting.
  download.active += 1;
  download.unsized += 1; // until its headers say how big it is
  report();
  let unsized = true;
  const finished = (read) => {
    download.active -= 1;
    if (unsized) {
      download.unsized -= 1;
      download.total += read;
    }
    report();
  };
  const response = plainFetch(runtime.wasm).then((wasm) => {
    counted = wasm.clone();
    return wasm;
  });
  const compiled = WebAssembly.compileStreaming(response);
  compiled.catch(() => {}); // Pyodide is told below, and boots as usual
  response.then(async () => {
    const from = { at: performance.now(), bytes: wire.bytes };
    const rate = () => (wire.bytes - from.bytes) / Math.max(1, performance.now() - from.at);
    setTimeout(() => measured(rate()), PROBE.ms);
    setTimeout(() => {
      if (rate() < worth * PROBE.earlyShare) measured(rate());
    }, PROBE.early);
    const reader = counted.body.getReader();
    const length = Number(counted.headers.get("content-length"));
    // Compressed by the host: each byte read stands for (its length / the file's size) bytes on the wire.
    const travelled = counted.headers.get("content-encoding") && length > 0 && wasmBytes > 0 ? length / wasmBytes : 1;
    if (length > 0 && !counted.headers.get("content-encoding")) { // as countedFetch counts
      unsized = false;
      download.unsized -= 1;
      download.total += length;
    }
    let read = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        read += value.byteLength;
        download.loaded += value.byteLength;
        wire.bytes += value.byteLength * travelled;
        report();
        if (wire.bytes - from.bytes >= PROBE.bytes) measured(rate());
      }
    } finally {
      finished(read);
    }
    measured(rate());
  }, () => {
    finished(0); // no response: nothing more to count
    measured(0);
  }).catch(() => measured(0));
  early.set(runtime.wasm, { response: Promise.resolve(WASM_STAND_IN), copy: (standIn) => standIn });
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

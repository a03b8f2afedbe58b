// Pyodide's runtime, started at once: the wasm is compiled as it arrives, the standard library fetched,
// and the network's speed measured meanwhile (it decides whether the memory snapshot is worth fetching).
import { countedFetch, download, early, plainFetch, report } from "./downloads.mjs";

// How much of the first downloads shows the network's speed: 2 MB or 400 ms, whichever comes first; or
// 100 ms when the network is by then plainly too slow for the snapshot (under a quarter of the speed it
// needs: a fast link far away is still ramping up that early), which is being downloaded meanwhile and
// is dropped sooner so.
const PROBE = { bytes: 2 << 20, ms: 400, early: 100 };

// Where Pyodide's files are, under the runtime's directory (``pyodide``: its URL, ending in /).
export const runtimeFiles = (pyodide) => ({ wasm: `${pyodide}pyodide.asm.wasm`, stdlib: `${pyodide}python_stdlib.zip` });

// Pyodide logs a failed instantiation and then waits for ever: raced against loadPyodide, this rejects
// instead.
let instantiationFailed = () => {};
export const instantiation = () => new Promise((_, reject) => {
  instantiationFailed = reject;
});

// Start what every boot needs at once, and measure the network while it brings those files (the wasm,
// 9.6 MB, and the standard library, 2.5 MB, are fetched whichever way Python starts): bytes per
// millisecond, over every download of the worker, for PROBE.ms from the wasm's first bytes or until
// PROBE.bytes arrived. (From the first bytes, not the request: a busy server's slow answer says nothing
// about the network's speed.) The wasm is compiled as it arrives, from the browser's own response (which
// lets the browser reuse its compiled code on the next visit); Pyodide's later request for it gets that
// compiled module, through the stand-in below. ``worth``: the speed (bytes per ms) the snapshot needs.
const WASM_STAND_IN = new Response(null);
export function startRuntime(pyodide, worth = Infinity) {
  const runtime = runtimeFiles(pyodide);
  import(`${pyodide}pyodide.asm.mjs`).catch(() => {}); // Pyodide's own import of it finds it under way
  early.set(runtime.stdlib, { response: countedFetch(runtime.stdlib), copy: (response) => response.clone() });
  let measured;
  const speed = new Promise((resolve) => {
    measured = resolve;
  });
  let counted; // a copy of the wasm's response, read for the progress line and the probe
  const response = plainFetch(runtime.wasm).then((wasm) => {
    counted = wasm.clone();
    return wasm;
  });
  const compiled = WebAssembly.compileStreaming(response);
  compiled.catch(() => {}); // Pyodide is told below, and boots as usual
  response.then(async () => {
    const from = { at: performance.now(), loaded: download.loaded };
    const rate = () => (download.loaded - from.loaded) / Math.max(1, performance.now() - from.at);
    setTimeout(() => measured(rate()), PROBE.ms);
    setTimeout(() => {
      if (rate() < worth / 4) measured(rate());
    }, PROBE.early);
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

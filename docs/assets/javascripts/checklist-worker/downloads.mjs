// Download progress for the page's status line: every fetch the boot makes (Pyodide's files, the wheel,
// the KB) is counted as its bytes arrive. A size is known once a response's headers are in, and only
// when it is not compressed in transit (then the length is not the number of bytes read).
export const download = { loaded: 0, total: 0, unsized: 0, active: 0 };
// Bytes as they crossed the network, for the speed probe (runtime.mjs): a file the host compressed
// arrives larger than it travelled (the runtime's wasm, 2.7 times), which would make a slow network look
// fast enough for the snapshot, which no host compresses.
export const wire = { bytes: 0 };
let reportPending = false;
export function report() {
  if (reportPending) return;
  reportPending = true;
  setTimeout(() => {
    reportPending = false;
    self.postMessage({ type: "progress", ...download });
  }, 100);
}
export const plainFetch = self.fetch.bind(self);
// Files fetched before Pyodide asks for them (its wasm and standard library, while the boot decides how
// to start): each request Pyodide makes for one gets a copy of the response already under way, so a
// restore that fails after Pyodide asked for them leaves the usual boot nothing to download again.
// (``copy``: how to hand out a response once more; the original is kept unread until the engine is up.)
export const early = new Map();
self.fetch = (...args) => {
  const key = String(args[0] instanceof Request ? args[0].url : args[0]);
  const started = early.get(key);
  if (started) return started.response.then(started.copy);
  return countedFetch(...args);
};

// The engine is loaded: nothing more to count, and the kept responses can go.
export function stopCounting() {
  self.fetch = plainFetch;
  early.clear();
}

export async function countedFetch(...args) {
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
  let finished = false;
  const done = () => {
    if (finished) return;
    finished = true;
    download.active -= 1;
    if (!sized) {
      download.unsized -= 1;
      download.total += read;
    }
    report();
  };
  // A download dropped half-way (the snapshot, when the network proves too slow for it) leaves the
  // figures as if it had never been asked for.
  const dropped = () => {
    if (finished) return;
    finished = true;
    download.active -= 1;
    if (sized) download.total -= length;
    else download.unsized -= 1;
    download.loaded -= read;
    wire.bytes -= read;
    report();
  };
  const signal = args[1]?.signal;
  if (signal?.aborted) dropped();
  else signal?.addEventListener("abort", dropped, { once: true });
  if (!response.body) {
    done();
    return response;
  }
  const counted = response.body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      read += chunk.byteLength;
      if (!finished) {
        download.loaded += chunk.byteLength;
        wire.bytes += chunk.byteLength; // the small files a host compresses are counted as they arrive
      }
      report();
      controller.enqueue(chunk);
    },
    flush: done,
  }));
  const { status, statusText, headers } = response;
  return new Response(counted, { status, statusText, headers });
}

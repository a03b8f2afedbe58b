// The memory snapshot the build made: Python with the engine imported and this KB's session built, gzip-
// compressed. Restoring it takes about a third of a boot; it is 6 MB more to download, so it is used when
// it is already kept (a repeat visit) or the network brings it in under the time it saves.
import { keptMemory } from "./kept-memory.mjs";
import { Refused, memoryOf } from "./memory.mjs";

// What restoring saves over a boot (1.7-3.6 s measured on a 2-core machine): the snapshot is worth its
// download when the network brings it in less (25 Mbit/s and up for 6.5 MB; a probe this short
// underestimates, so slower networks are left out surely).
const SAVES_MS = 2000;

// The network speed (bytes per ms) below which this build's snapshot costs more than it saves.
export const worthFetching = (snapshot) => (snapshot.url ? snapshot.bytes / SAVES_MS : Infinity);

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

// Whether to restore from the snapshot, as soon as that is decided: [a promise of its memory, "", where
// from ("kept" when a restore kept it on this device)], or [null, why not]. ``snapshot``: {url, sha256, bytes} (no url: none in this build); ``speed``: the
// network's, in bytes per ms, once the runtime's first downloads show it; ``wasm``: the runtime's URL,
// whose timing says whether it came from the cache. The snapshot is asked for at once, beside the runtime
// and the look in the caches (a kept one is then read from where it is kept), and one not kept here is
// dropped if the network turns out too slow for it: waiting for the probe first cost a fast network the probe's time and a place in the queue
// behind the runtime's other files, and waiting for the look in the caches cost up to 100 ms. The
// memory's promise rejects (with a Refused, or the fetch's error) if the file is not the one expected.
export async function snapshotMemory(snapshot, speed, wasm) {
  if (!snapshot.url) return [null, "no snapshot in this build"];
  // A repeat visit: the memory a restore used before, kept by kept-memory.mjs (looked up first: a few
  // milliseconds, where asking for the file beside it would send a request a repeat visit does not need).
  const stored = await keptMemory(snapshot.sha256);
  if (stored) return [Promise.resolve(stored), "", "kept"];
  const abort = new AbortController();
  const asked = fetch(snapshot.url, { signal: abort.signal });
  asked.catch(() => {}); // dropped, or reported by the caller
  const here = await kept(snapshot.url);
  if (here) {
    abort.abort(); // read where it is kept, without a round trip through the service worker
    return [read(here, snapshot.sha256), ""];
  }
  const reading = asked.then((response) => read(response, snapshot.sha256));
  reading.catch(() => {}); // dropped, or reported by the caller
  const rate = await speed; // bytes per ms
  if (rate < worthFetching(snapshot)) {
    abort.abort();
    return [null, `the network brings ${Math.round(rate)} bytes/ms: the snapshot would cost more than it saves`];
  }
  if (performance.getEntriesByName(wasm)[0]?.transferSize === 0) {
    abort.abort();
    return [null, "the runtime came from the browser's cache, which says nothing of the network's speed"];
  }
  return [reading, ""];
}

// A snapshot response read whole into the memory (memory.mjs). Inflated here, in the engine's worker: a
// worker of its own for it was tried, and the memory came 140 ms later (the stream's chunks crossing to
// it cost more than the inflating it took off this thread).
async function read(response, expected) {
  if (!response.ok || !response.body) throw new Refused(`snapshot: HTTP ${response.status}`);
  return memoryOf(response.body, expected);
}

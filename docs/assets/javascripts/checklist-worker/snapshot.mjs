// The memory snapshot the build made: Python with the engine imported and this KB's session built, gzip-
// compressed. Restoring it takes about a third of a boot; it is 6 MB more to download, so it is used when
// it is already kept (a repeat visit) or the network brings it in under the time it saves.
import { sha256 } from "./hash.mjs";

// What restoring saves over a boot (1.7-3.6 s measured on a 2-core machine): the snapshot is fetched when
// the network seems to bring it in less (25 Mbit/s and up; a probe this short underestimates, so slower
// networks are left out surely). Deciding costs a slow network nothing: it is busy with the runtime.
const SAVES_MS = 2000;

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
// ``snapshot``: {url, sha256, bytes} (no url: none in this build); ``speed``: the network's, in bytes per
// ms; ``wasm``: the runtime's URL, whose timing says whether it came from the cache.
export async function snapshotBytes(snapshot, speed, wasm) {
  if (!snapshot.url) return [null, "no snapshot in this build"];
  let response = await kept(snapshot.url);
  if (!response) {
    const rate = await speed; // bytes per ms
    if (snapshot.bytes / Math.max(rate, 1e-9) > SAVES_MS) {
      return [null, `the network brings ${Math.round(rate)} bytes/ms: the snapshot would cost more than it saves`];
    }
    if (performance.getEntriesByName(wasm)[0]?.transferSize === 0) {
      return [null, "the runtime came from the browser's cache, which says nothing of the network's speed"];
    }
    response = await fetch(snapshot.url);
  }
  if (!response.ok || !response.body) return [null, `snapshot: HTTP ${response.status}`];
  // Inflated as it arrives; used only once the whole file is known to match its sha256.
  const [whole, packed] = response.body.tee();
  const inflating = new Response(packed.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  inflating.catch(() => {}); // a damaged file is reported by its hash below
  const bytes = await new Response(whole).arrayBuffer();
  if ((await sha256(bytes)) !== snapshot.sha256) {
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

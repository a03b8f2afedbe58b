// The memory snapshot's bytes made into Python's memory: the gzip stream inflated as it arrives, its
// sha256 checked (the memory is used only once the whole file is known to match), its kept pages laid out.
import { sha256 } from "./hash.mjs";

// Why the snapshot was not used, in the worker's own words (a fetch's own error says it otherwise).
export class Refused extends Error {}

// ``stream``: the snapshot file's body; ``expected``: its sha256. Resolves to the memory (a Uint8Array).
export async function memoryOf(stream, expected) {
  const [whole, packed] = stream.tee();
  const inflating = new Response(packed.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  inflating.catch(() => {}); // a damaged file is reported by its hash below
  const bytes = await new Response(whole).arrayBuffer();
  if ((await sha256(bytes)) !== expected) throw new Refused("the snapshot does not match its sha256");
  return unpage(new Uint8Array(await inflating));
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
    if (length <= 0 || at + length > data.length) throw new Refused("the snapshot's layout is broken");
    memory.set(data.subarray(at, at + length), start);
    at += length;
  }
  if (at !== data.length) throw new Refused("the snapshot's layout is broken");
  return memory;
}

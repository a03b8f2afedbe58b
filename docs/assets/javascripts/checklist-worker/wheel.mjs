import { sha256 } from "./hash.mjs";

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

// The wheel, checked against its sha256 in the lock file (``expected``), written into site-packages.
export async function install(pyodide, wheel, expected) {
  const bytes = new Uint8Array(await wheel);
  if ((await sha256(bytes)) !== expected) {
    throw new Error("the engine's wheel does not match its sha256 in the lock file");
  }
  const site = pyodide.runPython("next(p for p in __import__('sys').path if p.endswith('site-packages'))");
  for (const [name, data] of await unzip(bytes)) {
    const path = `${site}/${name}`;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, data);
  }
}

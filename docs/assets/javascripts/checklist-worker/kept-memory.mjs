// Python's memory as the snapshot gives it, kept on this device after a restore (in the origin's private
// file system, named by the snapshot's sha256): a repeat visit restores from it without reading, checking
// and inflating the snapshot file again. A worker reads it with a synchronous handle, straight into the
// buffer the restore uses (IndexedDB took half a second to hand back 31 MB). One memory is kept, the latest
// build's for each site; one that fails to restore is forgotten. No private file system, or no room:
// nothing is kept.
// A folder per site (several sites may share an origin, as project pages do): named by the site's root,
// four levels above this file (assets/checklist/<bundle>/checklist-worker/).
const DIRECTORY = `checklist-memory ${encodeURIComponent(new URL("../../../../", import.meta.url).pathname)}`;

async function directory(create) {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(DIRECTORY, { create });
}

// The memory kept for the snapshot of this sha256, or null.
export async function keptMemory(sha256) {
  let handle;
  try {
    const file = await (await directory(false)).getFileHandle(sha256);
    handle = await file.createSyncAccessHandle();
    const memory = new Uint8Array(handle.getSize());
    return handle.read(memory, { at: 0 }) === memory.length ? memory : null;
  } catch {
    return null; // none kept, or another tab is writing it
  } finally {
    handle?.close();
  }
}

// Keeps ``memory`` (a Uint8Array) for the snapshot of this sha256, in place of any other. Written under a
// name of its own and then renamed, so that a memory cut short by a closed tab is never read.
export async function keepMemory(sha256, memory) {
  let handle;
  try {
    const folder = await directory(true);
    for await (const name of folder.keys()) await folder.removeEntry(name);
    const file = await folder.getFileHandle(`${sha256}.part`, { create: true });
    handle = await file.createSyncAccessHandle();
    handle.truncate(0);
    handle.write(memory, { at: 0 });
    handle.flush();
    handle.close();
    handle = null;
    await file.move(sha256);
  } catch {
    // not kept: the next visit reads the snapshot file again
  } finally {
    handle?.close();
  }
}

export async function forgetMemory() {
  try {
    await (await navigator.storage.getDirectory()).removeEntry(DIRECTORY, { recursive: true });
  } catch {
    // nothing to forget
  }
}

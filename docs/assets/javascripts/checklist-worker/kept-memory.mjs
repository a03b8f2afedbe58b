// Python's memory as the snapshot gives it, kept on this device after a restore (IndexedDB, under the
// snapshot's sha256): a repeat visit restores from it without reading, checking and inflating the file
// again (a third of a second of the repeat visit's wait on a 2-core machine). One memory is kept, the
// latest build's; one that fails to restore is forgotten. Storage turned off or full: nothing is kept.
const DATABASE = "checklist-memory";
const STORE = "memory";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// ``work(store)`` in one transaction; resolves with the value of the request it returns, if any.
async function inStore(mode, work) {
  const database = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    database.close();
  }
}

// The memory kept for the snapshot of this sha256, or null.
export async function keptMemory(sha256) {
  try {
    const buffer = await inStore("readonly", (store) => store.get(sha256));
    return buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : null;
  } catch {
    return null;
  }
}

// Keeps ``memory`` (a Uint8Array) for the snapshot of this sha256, in place of any other.
export async function keepMemory(sha256, memory) {
  try {
    await inStore("readwrite", (store) => {
      store.clear();
      store.put(memory.buffer, sha256);
    });
  } catch {
    // not kept: the next visit reads the snapshot file again
  }
}

export async function forgetMemory() {
  try {
    await inStore("readwrite", (store) => store.clear());
  } catch {
    // nothing to forget
  }
}

// Starts the checklist's worker while the rest of the page is still loading: Python takes seconds to boot,
// so every moment before this runs is added to the wait. The page places this script right after the
// checklist's shell (#kb-app); checklist.js adopts the worker and replays anything it said meanwhile.
(() => {
  const root = document.getElementById("kb-app");
  if (!root) return;
  const resolve = (name) => new URL(root.dataset[name], document.baseURI).href;
  const boot = { root, worker: null, early: [], error: null };
  try {
    performance.mark("kb-worker-start");
    boot.worker = new Worker(resolve("workerUrl"), { type: "module" });
    boot.worker.onmessage = (event) => boot.early.push(event);
    boot.worker.onerror = (event) => {
      event.preventDefault();
      boot.error = event.message || "the worker stopped";
    };
    boot.worker.postMessage({ type: "boot" });
  } catch (error) {
    boot.error = String(error);
  }
  window.kbChecklistBoot = boot;
})();

// Starts the checklist's worker while the rest of the page is still loading: Python takes seconds to boot,
// so every moment before this runs is added to the wait. The page places this script right after the
// checklist's shell (#kb-app); checklist.js adopts the worker and replays anything it said meanwhile.
// On a full load the page's <head> runs it first (with data-worker-url), so the worker starts before the
// long body is parsed; the run from the body then only tells that worker which checklist it serves.
(() => {
  // The questions arrive in a <noscript> per section, for checklist.js to put in a few per frame
  // (checklist/sections.js). Should that module not run (it failed to load, or this browser cannot run
  // it), they are put in anyway two seconds after the page loaded, so the checklist can still be read.
  if (!window.kbQuestionsShownAnyway) {
    window.kbQuestionsShownAnyway = true;
    window.addEventListener("load", () => setTimeout(() => {
      if (window.kbQuestionsTaken) return; // the module runs and puts them in itself
      for (const holder of document.querySelectorAll("[data-questions] > noscript")) {
        if (holder.querySelector("fieldset")) holder.replaceWith(...holder.childNodes); // parsed without scripting
        else holder.outerHTML = holder.textContent;
      }
    }, 2000));
  }
  // The checklist's shell, or the portfolio page's (portfolio.js), which asks the same engine.
  const root = document.getElementById("kb-app") || document.getElementById("kb-portfolio");
  const early = window.kbChecklistBoot;
  if (root && early && !early.root && early.path === location.pathname) {
    early.root = root; // started from <head> for this very page
    return;
  }
  const source = document.currentScript?.dataset.workerUrl || root?.dataset.workerUrl;
  if (!source) return;
  const boot = { root, path: location.pathname, worker: null, early: [], error: null };
  try {
    performance.mark("kb-worker-start");
    boot.worker = new Worker(new URL(source, document.baseURI).href, { type: "module" });
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

  // In-page links keep the page (and its worker). After a full load, Material's instant navigation fetches
  // the page again on the first in-page link or Back (its record of the current page starts empty), which
  // would restart the engine. Until Material has taken a navigation of its own (it then sets
  // history.scrollRestoration to "manual" and handles in-page links without a fetch), the browser follows
  // them itself. Registered here, as the page is parsed: before Material's own listeners, which the window
  // runs in the order they were added.
  if (window.kbKeepInPage) return;
  window.kbKeepInPage = true;
  const idle = () => document.getElementById("kb-app") && history.scrollRestoration === "auto";
  const samePage = (url) =>
    url.hash && url.origin === location.origin && url.pathname === location.pathname && url.search === location.search;
  window.addEventListener("click", (event) => {
    if (!idle() || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (link && !link.target && samePage(new URL(link.href, location.href))) event.stopPropagation();
  }, true);
  const path = location.pathname;
  window.addEventListener("popstate", (event) => {
    if (idle() && location.pathname === path) event.stopImmediatePropagation();
  }, true);
})();

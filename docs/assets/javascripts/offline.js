// Registers the site's service worker (sw.js at the site's root; see service-worker.js), tells it what this
// first visit loaded before it took control, asks it to keep the checklist once the checklist has worked,
// and offers a reload when a new deployment is ready. Glue only: what is kept, and when, is the worker's.
(() => {
  if (!("serviceWorker" in navigator) || window.kbOffline) return;
  const root = new URL("../../", document.currentScript.src); // this file is assets/javascripts/offline.js
  const offline = (window.kbOffline = { root, checklistKept: false });
  const container = navigator.serviceWorker;
  let reloading = false;

  function notice(worker) {
    if (document.querySelector(".kb-update")) return;
    const bar = document.createElement("div");
    bar.className = "kb-update";
    bar.setAttribute("role", "status");
    const text = document.createElement("span");
    text.textContent = "This site has been updated.";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button md-button--primary";
    button.textContent = "Reload";
    button.addEventListener("click", () => {
      reloading = true;
      if (worker) worker.postMessage({ type: "activate" }); // its takeover reloads the page
      else location.reload();
    });
    bar.append(text, " ", button);
    document.body.append(bar);
  }

  // Whatever the page loaded before the worker controlled it (a first visit), by URL.
  function seen() {
    const urls = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
    return urls.filter((url) => url.startsWith(root.origin));
  }

  // The pages that run the engine: the checklist, and the portfolio (each says when the engine has worked).
  const engineRoot = () => document.getElementById("kb-app") || document.getElementById("kb-portfolio");
  const worked = (root) => (root.id === "kb-app" ? "kb-checklist:assessed" : "kb-portfolio:ready");

  function keepChecklist(registration) {
    const root = engineRoot();
    if (!root || offline.checklistKept) return;
    const ask = () => registration.active?.postMessage({ type: "checklist" });
    if (root.classList.contains("is-ready")) ask();
    else document.addEventListener(worked(root), ask, { once: true });
  }

  container.addEventListener("message", (event) => {
    if (event.data?.type === "checklist-kept") {
      offline.checklistKept = true;
      document.documentElement.dataset.offlineChecklist = "kept"; // for tests and `make bench`
    }
  });
  container.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
    else if (offline.controlled) notice(null); // another tab chose the new build: this one is now stale
    offline.controlled = true;
  });

  async function register() {
    offline.controlled = Boolean(container.controller);
    let registration;
    try {
      registration = await container.register(new URL("sw.js", root).href, { scope: root.pathname });
    } catch {
      return; // not served (a preview server, a browser that blocks workers): the site works online
    }
    if (!registration) return; // a browser that blocks service workers quietly
    const waitFor = (worker) =>
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && container.controller) notice(worker);
      });
    if (registration.waiting && container.controller) notice(registration.waiting);
    if (registration.installing) waitFor(registration.installing);
    registration.addEventListener("updatefound", () => waitFor(registration.installing));
    const ready = await container.ready;
    ready.active?.postMessage({ type: "seen", urls: seen() });
    keepChecklist(ready);
    if (typeof document$ !== "undefined") {
      document$.subscribe(() => {
        ready.active?.postMessage({ type: "seen", urls: [location.href] });
        keepChecklist(ready);
      });
    }
  }

  // After the page (and, on the checklist or the portfolio, the engine's first answer) has what it needs:
  // registering and filling the cache must not slow the first visit down.
  const start = () => setTimeout(register, 0);
  if (engineRoot()) {
    document.addEventListener(worked(engineRoot()), start, { once: true });
  } else if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
})();

// The site's service worker: after one visit, every page seen (and the checklist, once opened) works with
// no network. The build publishes this file as sw.js at the site's root, with __OFFLINE__ replaced by what
// it knows of the build: every file's content hash, the site build's id and the checklist bundle's.
//
// One build, never a mix: a file is served from the cache of this worker's build, or fetched and kept only
// if its content hash is this build's. A new deployment installs a new worker beside this one; the page
// offers a reload, and the new worker deletes the old caches when it takes over.
//
// Every cache name starts with the site's id and a colon (an id has no colon): sites served from one origin
// (two folders of one server) each keep, and delete, only their own.
const OFFLINE = __OFFLINE__;
const SCOPE = new URL("./", self.location.href);
const SITE_CACHE = `${OFFLINE.site}:site-${OFFLINE.build}`;
const CHECKLIST_CACHE = `${OFFLINE.site}:checklist-${OFFLINE.checklist}`;
const ours = (name) => name.startsWith(`${OFFLINE.site}:`);
// Caches named before names had the site's id: read at install for this site's files; on activation this
// site's entries are deleted from them, and each such cache once it is empty (another site of this origin
// may still be on a build that uses it).
const LEGACY = /^wa-(site|checklist)-/;

// The site-relative path a URL stands for ("" and "x/" are their index.html), or null if not this site's.
function pathOf(url) {
  const parsed = new URL(url);
  if (parsed.origin !== SCOPE.origin || !parsed.pathname.startsWith(SCOPE.pathname)) return null;
  let path = decodeURIComponent(parsed.pathname.slice(SCOPE.pathname.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  return Object.hasOwn(OFFLINE.files, path) ? path : null;
}
const urlOf = (path) => new URL(path, SCOPE).href;
const immutable = (path) => OFFLINE.immutable.some((prefix) => path.startsWith(prefix));
const cacheFor = (path) => caches.open(immutable(path) ? CHECKLIST_CACHE : SITE_CACHE);

async function hashOf(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

// Keep a response if it is this build's file: files under a versioned path are by construction; any other
// is checked against the build's hash (a response from a newer deployment is served, not kept).
async function keep(cache, path, response) {
  if (!response.ok || response.type !== "basic") return false;
  if (!immutable(path) && (await hashOf(response.clone())) !== OFFLINE.files[path]) {
    self.registration.update(); // the server has another build: look for its worker
    return false;
  }
  await cache.put(urlOf(path), response);
  return true;
}

async function fetchAndKeep(path) {
  const cache = await cacheFor(path);
  if (await cache.match(urlOf(path))) return;
  await keep(cache, path, await fetch(urlOf(path), { cache: "no-cache" }));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SITE_CACHE);
    // What the visitor had offline stays offline: unchanged files move over, changed ones are fetched anew.
    for (const name of await caches.keys()) {
      const siteCache = ours(name) ? name.startsWith(`${OFFLINE.site}:site-`) : /^wa-site-/.test(name);
      if (!siteCache || name === SITE_CACHE) continue;
      const old = await caches.open(name);
      for (const request of await old.keys()) {
        const path = pathOf(request.url);
        if (path === null || (await cache.match(urlOf(path)))) continue;
        const response = await old.match(request);
        if (response && (await hashOf(response.clone())) === OFFLINE.files[path]) await cache.put(urlOf(path), response);
        else await fetchAndKeep(path).catch(() => {});
      }
    }
    await Promise.all(OFFLINE.core.map((path) => fetchAndKeep(path)));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (ours(name) && name !== SITE_CACHE && name !== CHECKLIST_CACHE) await caches.delete(name);
      else if (LEGACY.test(name)) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) if (request.url.startsWith(SCOPE.href)) await cache.delete(request);
        if (!(await cache.keys()).length) await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const { type, urls } = event.data || {};
  if (type === "activate") self.skipWaiting(); // the visitor chose to reload into the new build
  if (type === "seen") {
    // Pages and files loaded before this worker controlled the page (a first visit): keep them too.
    const paths = (urls || []).map(pathOf).filter((path) => path !== null);
    event.waitUntil(Promise.all(paths.map((path) => fetchAndKeep(path).catch(() => {}))));
  }
  if (type === "checklist") {
    // The checklist was opened: keep the Pyodide runtime and the bundle (already in the HTTP cache).
    const paths = Object.keys(OFFLINE.files).filter(immutable);
    event.waitUntil((async () => {
      await Promise.all(paths.map((path) => fetchAndKeep(path).catch(() => {})));
      event.source?.postMessage({ type: "checklist-kept", files: paths.length });
    })());
  }
});

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const path = pathOf(event.request.url);
  if (path === null) return; // not a file of this build: the network as usual
  event.respondWith((async () => {
    const cache = await cacheFor(path);
    const hit = await cache.match(urlOf(path));
    if (hit) return hit;
    // A file not yet kept: from the server, revalidated (the HTTP cache may hold an earlier build's copy),
    // except under a versioned path, whose content its name fixes.
    const response = immutable(path) ? await fetch(event.request) : await fetch(urlOf(path), { cache: "no-cache" });
    event.waitUntil(keep(cache, path, response.clone()).catch(() => {}));
    return response;
  })());
});

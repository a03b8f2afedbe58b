// The checklist page now shown: its elements and worker state, rebuilt on each (instant) page load, and
// its storage keys. Every module reads these live bindings; only start() (checklist.js) sets them.

// Storage keys, under the site's own id (data-store on the app, from its KB): two sites built from
// different KBs on one origin keep their answers apart. Empty until a checklist page starts.
export let STORE = "";
export let MILESTONES = "";

export let app;

export function setApp(value) {
  app = value;
  if (!value) return;
  STORE = `${value.root.dataset.store}:checklist:state`;
  MILESTONES = `${value.root.dataset.store}:checklist:milestones`;
}

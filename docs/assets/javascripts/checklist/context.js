// The checklist page now shown: its elements and worker state, rebuilt on each (instant) page load, and
// its storage keys. Every module reads these live bindings; only start() (checklist.js) sets them.

// Storage keys, under the site's own prefix (data-store on the app): two sites built from different KBs
// on one origin keep their answers apart.
export let STORE = "wa-ml:checklist:state";
export let MILESTONES = "wa-ml:checklist:milestones";

export let app;

export function setApp(value) {
  app = value;
  if (!value) return;
  STORE = `${value.root.dataset.store}:checklist:state`;
  MILESTONES = `${value.root.dataset.store}:checklist:milestones`;
}

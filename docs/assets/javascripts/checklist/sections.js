// The checklist's questions arrive in a <noscript> per pillar (sitebuilder/pages/form.py): a reader without
// JavaScript sees them as they are, while this browser read each section as one inert string, so neither
// the first parse nor Material's walk of the page met them (for a review of several lenses, a few hundred KB
// of form: the longest task of the page's load). They are put in here one section per frame, the section a
// link points into first, which then lands on its question. Everything goes in at once where waiting would
// be wrong: printing, "Next unanswered", and a page the browser or Material's instant navigation restores
// to a scroll position (Back and Forward), which needs the whole page's height.
import { $$ } from "./dom.js";

const waiting = (root = document) => $$("[data-questions] > noscript", root);

// One section's questions, into the page, after prepare(part) had them before they were styled (answers
// put in there cost nothing; once in the page, each change restyles its question). Material's instant
// navigation parses the pages it fetches without scripting, so its copy of a section already holds the
// form as elements: they are moved out.
function putIn(holder, prepare) {
  if (holder.querySelector("fieldset")) {
    prepare?.(holder);
    holder.replaceWith(...holder.childNodes);
    return;
  }
  const template = document.createElement("template");
  template.innerHTML = holder.textContent;
  prepare?.(template.content);
  holder.replaceWith(template.content);
}

export function showAll(root = document, prepare = undefined) {
  for (const holder of waiting(root)) putIn(holder, prepare);
}

// The next frame, or 50 ms where none comes (a tab in the background draws no frames).
const nextFrame = () => new Promise((resolve) => {
  const done = () => resolve();
  requestAnimationFrame(() => setTimeout(done, 0));
  setTimeout(done, 50);
});

// Whether the page is being restored to where its reader was: Back or Forward, in the browser or in
// Material's instant navigation (which takes over scroll restoration once it has navigated).
function restoring() {
  const entry = performance.getEntriesByType("navigation")[0];
  return entry?.type === "back_forward" || history.scrollRestoration === "manual";
}

// The element the address's fragment names, if any (a share link's fragment is not an id).
function linked() {
  try {
    const id = decodeURIComponent(location.hash.slice(1));
    return id ? { id, element: document.getElementById(id) } : null;
  } catch {
    return null;
  }
}

// Every section in, one per frame, each prepared first (prepare(part)); resolves once all are in and
// drawn (or the page was left).
export async function showSections(root, prepare = undefined) {
  if (restoring()) {
    showAll(root, prepare);
    return;
  }
  const holders = waiting(root);
  const link = linked();
  const wanted = link?.element
    ? link.element.closest("[data-questions] > noscript")
    : link && holders.find((holder) => holder.textContent.includes(`id="${link.id}"`));
  const order = wanted ? [wanted, ...holders.filter((holder) => holder !== wanted)] : holders;
  for (const holder of order) {
    await nextFrame(); // the first too: Material and the page's own start take the task that calls this
    if (!root.isConnected) return; // the page was left
    if (!holder.isConnected) continue; // already in (printing, "Next unanswered")
    putIn(holder, prepare);
    if (holder === wanted) document.getElementById(link.id)?.scrollIntoView();
  }
  await nextFrame(); // the last section drawn in a frame of its own, before the page's start goes on
}

window.addEventListener("beforeprint", () => showAll());

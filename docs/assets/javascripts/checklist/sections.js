// The checklist's questions arrive in a <noscript> per pillar (sitebuilder/pages/form.py): a reader without
// JavaScript sees them as they are, while this browser read each section as one inert string, so neither
// the first parse nor Material's walk of the page met them (for a review of several lenses, a few hundred KB
// of form: the longest task of the page's load). They are put in here a few questions per frame, the
// section a link points into first (whole), which then lands on its question. Everything goes in at once
// where waiting would be wrong: printing, "Next unanswered", and a page the browser or Material's instant
// navigation restores to a scroll position (Back and Forward), which needs the whole page's height.
import { $$ } from "./dom.js";

const waiting = (root = document) => $$("[data-questions] > noscript", root);
const CHUNK = 12; // questions put in per frame: the largest pillar of the four-lens checklist has 33
const rest = new WeakMap(); // holder -> its questions read and prepared, not yet in the page

// A section's questions, read once and prepared (prepare(part)) before they are styled: answers put in
// there cost nothing, while in the page each change restyles its question. Material's instant navigation
// parses the pages it fetches without scripting, so its copy of a section already holds the form as
// elements: they are taken as they are.
function questionsOf(holder, prepare) {
  let part = rest.get(holder);
  if (!part) {
    part = document.createDocumentFragment();
    if (holder.querySelector("fieldset")) part.append(...holder.childNodes);
    else {
      const template = document.createElement("template");
      template.innerHTML = holder.textContent;
      part = template.content;
    }
    prepare?.(part);
    rest.set(holder, part);
  }
  return part;
}

// Up to `count` more of a section's questions into the page, before its holder; the holder goes once
// the last is in.
function putIn(holder, prepare, count = Infinity) {
  const part = questionsOf(holder, prepare);
  const nodes = [];
  let boxes = 0;
  for (const node of part.childNodes) {
    if (node.nodeName === "FIELDSET" && boxes++ === count) break;
    nodes.push(node);
  }
  holder.before(...nodes);
  if (!part.firstChild) {
    holder.remove();
    rest.delete(holder);
  }
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

// Every section in, a few questions per frame, each section prepared first (prepare(part)); resolves once
// all are in and drawn (or the page was left).
export async function showSections(root, prepare = undefined) {
  window.kbQuestionsTaken = true; // checklist-boot.js's fallback leaves them to this
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
    while (holder.isConnected) { // until the whole section is in (printing, "Next unanswered" may finish it)
      await nextFrame(); // the first too: Material and the page's own start take the task that calls this
      if (!root.isConnected) return; // the page was left
      if (document.hidden) showAll(root, prepare); // a tab in the background: nobody sees its frames
      if (!holder.isConnected) break;
      putIn(holder, prepare, holder === wanted ? Infinity : CHUNK);
      if (holder === wanted) document.getElementById(link.id)?.scrollIntoView();
    }
  }
  await nextFrame(); // the last section drawn in a frame of its own, before the page's start goes on
}

window.addEventListener("beforeprint", () => showAll());

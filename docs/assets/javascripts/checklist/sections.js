// The checklist's questions arrive hidden until found, a section per pillar (sitebuilder/pages/form.py):
// the browser parsed them but neither styled nor laid them out, which for a review of several lenses was
// the longest task of the page's load. They are shown here one section per frame, the section a link
// points into first; find-in-page and a link to a question show their section at once, by themselves.
// Everything shows at once where waiting would be wrong: printing, "Next unanswered", and a page the
// browser or Material's instant navigation restores to a scroll position (Back and Forward), which needs
// the whole page's height.
import { $$ } from "./dom.js";

const hiddenSections = (root = document) => $$("[data-questions][hidden]", root);

export function showAll(root = document) {
  for (const section of hiddenSections(root)) section.hidden = false;
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

export async function showSections(root) {
  if (restoring()) {
    showAll(root);
    return;
  }
  const sections = hiddenSections(root);
  let wanted = null;
  try {
    wanted = document.getElementById(decodeURIComponent(location.hash.slice(1)))?.closest("[data-questions]");
  } catch {
    wanted = null; // a fragment that is not an element's id (a share link's state)
  }
  const order = wanted ? [wanted, ...sections.filter((section) => section !== wanted)] : sections;
  for (const section of order) {
    if (!section.isConnected) return; // the page was left
    section.hidden = false;
    await nextFrame();
  }
}

window.addEventListener("beforeprint", () => showAll());

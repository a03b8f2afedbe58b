// The checklist's questions arrive hidden until found, a section per pillar (sitebuilder/pages/form.py):
// the browser parsed them but neither styled nor laid them out, which for a review of several lenses was
// the longest task of the page's load. They are shown here one section per frame, the section a link
// points into first; find-in-page and a link to a question show their section at once, by themselves.
import { $$ } from "./dom.js";

// The next frame, or 50 ms where none comes (a tab in the background draws no frames).
const nextFrame = () => new Promise((resolve) => {
  const done = () => resolve();
  requestAnimationFrame(() => setTimeout(done, 0));
  setTimeout(done, 50);
});

export async function showSections(root) {
  const sections = $$("[data-questions][hidden]", root);
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

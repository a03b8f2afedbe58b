// Stands in for the global `mermaid` that Material for MkDocs looks for before it renders a diagram.
// Material would otherwise fetch Mermaid from a CDN; this loads the self-hosted ES module build instead,
// and only when a page actually has a diagram (the first render() call). Glue only: no logic of our own.
(() => {
  if (typeof window.mermaid !== "undefined") return;
  const moduleUrl = new URL("../vendor/mermaid/mermaid.esm.min.mjs", document.currentScript.src).href;
  let settings = {};
  let loaded;
  const load = () =>
    (loaded ??= import(moduleUrl).then(({ default: mermaid }) => {
      mermaid.initialize(settings);
      return mermaid;
    }));
  window.mermaid = {
    initialize(config) {
      // On a phone, draw diagrams at their natural size and let them scroll sideways (site.css) rather
      // than shrink until the labels cannot be read.
      const narrow = window.matchMedia("(max-width: 44.9375em)").matches;
      settings = { ...settings, ...config, securityLevel: "strict", flowchart: { useMaxWidth: !narrow } };
    },
    registerIconPacks() {},
    async render(id, text) {
      // Mermaid sizes the SVG to its box (max-width: its natural width); a box narrower than three quarters
      // of that would shrink the 16 px labels below 12 px, so the SVG keeps that width and scrolls instead.
      const drawn = await (await load()).render(id, text);
      const svg = drawn.svg.replace(/style="max-width: ([\d.]+)px;/, (style, width) =>
        `${style} min-width: ${Math.ceil(Number(width) * 0.75)}px;`);
      return { ...drawn, svg };
    },
  };
})();

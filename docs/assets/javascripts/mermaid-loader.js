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
      settings = { ...settings, ...config, securityLevel: "strict" };
    },
    registerIconPacks() {},
    async render(id, text) {
      return (await load()).render(id, text);
    },
  };
})();

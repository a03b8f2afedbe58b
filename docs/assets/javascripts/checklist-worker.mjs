// Module worker: boots the self-hosted Pyodide, installs the checklist wheel (sha256-checked against the
// lock file), loads the KB JSON, then answers requests. Every answer comes from checklist.api.Session.
let session;

async function boot({ indexURL, kbURL }) {
  const kbText = fetch(kbURL).then((response) => {
    if (!response.ok) throw new Error(`knowledge base: HTTP ${response.status}`);
    return response.text();
  });
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({ indexURL, packages: ["checklist"] });
  pyodide.globals.set("kb_json", await kbText);
  session = pyodide.runPython("from checklist.api import Session\nSession(kb_json)");
  return pyodide.version;
}

let ready;
self.onmessage = async ({ data }) => {
  if (data.type === "boot") {
    ready = boot(data);
    try {
      self.postMessage({ type: "ready", version: await ready });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message ? error.message : error) });
    }
    return;
  }
  try {
    await ready;
    const reply = session.handle(JSON.stringify(data.request));
    self.postMessage({ type: "reply", id: data.id, reply: JSON.parse(reply) });
  } catch (error) {
    self.postMessage({ type: "reply", id: data.id, reply: { ok: false, problems: [String(error)] } });
  }
};

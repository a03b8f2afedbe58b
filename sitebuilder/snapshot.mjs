// Makes the checklist's memory snapshot: Pyodide's whole memory once the engine is imported and the KB
// session built, so a visitor's browser restores it instead of starting Python (sitebuilder/snapshot.py
// runs this with Node at build time).
//
//   node snapshot.mjs PYODIDE_DIR VERSION WHEEL KB_JSON OUT
//
// PYODIDE_DIR is the runtime the site serves; VERSION is the version the site names it by. A snapshot is
// valid only for the exact Pyodide build that made it, so a runtime of another version is refused.
// `_makeSnapshot` and `makeMemorySnapshot` are Pyodide's private API: nothing here may leave a JavaScript
// object held by Python (no pyodide.globals.set, no loadPackage), or the snapshot cannot be made.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, version, wheel, kbJson, out] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};
if (!out) fail("usage: node snapshot.mjs PYODIDE_DIR VERSION WHEEL KB_JSON OUT");

// Memory the allocator has taken back still holds what was written there (the KB's JSON text, the wheel's
// files as they were read, the modules' source as it was compiled): 3 MB of it here, which the snapshot
// would carry as pages that are not zero. Every free block is taken at its usable size, zeroed and given
// back, its neighbours then joined as before; a footprint limit keeps the allocator from growing the
// memory for it. Uses dlmalloc's own calls, which Pyodide's runtime exports.
function zeroFreedMemory(module) {
  const limit = module._malloc_footprint_limit();
  module._malloc_set_footprint_limit(module._malloc_footprint());
  const taken = [];
  try {
    for (let size = 1 << 24; size >= 8; size >>>= 1) {
      for (let at = module._malloc(size); at; at = module._malloc(size)) {
        module.HEAPU8.fill(0, at, at + module._malloc_usable_size(at));
        taken.push(at);
      }
    }
  } finally {
    for (const at of taken) module._free(at);
    module._malloc_set_footprint_limit(limit);
  }
}

const { loadPyodide, version: loaderVersion } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
if (loaderVersion !== version) {
  fail(`the Pyodide in ${pyodideDir} is ${loaderVersion}, but the site serves ${version}: run \`npm ci\``);
}
const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/`, _makeSnapshot: true });
if (pyodide.version !== version) {
  fail(`the Pyodide runtime in ${pyodideDir} is ${pyodide.version}, but the site serves ${version}: run \`npm ci\``);
}
pyodide.FS.writeFile("/tmp/engine.whl", readFileSync(wheel));
pyodide.FS.writeFile("/tmp/kb.json", readFileSync(kbJson));
// Every engine module is imported (the restored Python has no wheel on its file system to import from),
// and the session the worker uses is built and left in __main__ as `session`.
pyodide.runPython(`
def _prepare():
    import importlib, json, os, pkgutil, sys, zipfile

    site = next(p for p in sys.path if p.endswith("site-packages"))
    with zipfile.ZipFile("/tmp/engine.whl") as wheel:
        wheel.extractall(site)
    import checklist
    import checklist.api

    for module in pkgutil.iter_modules(checklist.__path__):
        if module.name not in ("__main__", "cli"):
            importlib.import_module(f"checklist.{module.name}")
    with open("/tmp/kb.json", encoding="utf-8") as kb:
        made = checklist.api.Session(kb.read())
    checklist.api.warm()
    # An assessment of a blank checklist, as the page's first request is, made twice here: what Python
    # does on a function's first runs (its bytecode specialized, caches filled) is then in the memory, and
    # the page's first answer came 30 ms sooner (158 -> 128 ms after the restore, side by side).
    from checklist.migrate import VERSION

    blank = json.dumps({"op": "assess", "state": {"version": VERSION}, "today": "2000-01-01"})
    for _ in range(2):
        assert json.loads(made.handle(blank))["ok"], "the blank checklist did not assess"
    os.remove("/tmp/engine.whl")
    os.remove("/tmp/kb.json")
    return made


session = _prepare()
del _prepare
import gc

# The KB's model lives as long as the session: moved out of the collector's reach, a full collection no
# longer walks it (25 ms at ten times this KB, in about one assessment in five).
gc.collect()
gc.freeze()
del gc
`);
zeroFreedMemory(pyodide._module);
writeFileSync(out, pyodide.makeMemorySnapshot());

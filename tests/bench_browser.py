"""Browser figures for `make bench`: the checklist page against a bare Pyodide page, side by side.

Both pages load the same self-hosted Pyodide files from the same local server, in fresh browser
contexts (cold caches), alternating, so the ratio cancels most of the machine's speed.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BARE_HTML = """<!doctype html><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module">
const worker = new Worker("bare-worker.mjs", { type: "module" });
worker.onmessage = () => { performance.mark("bare-ready"); window.__ready = true; };
worker.postMessage([new URL("assets/pyodide/VERSION/", location.href).href, new URL("LOCK", location.href).href]);
</script>"""
BARE_WORKER = """self.onmessage = async ({ data: [indexURL, lockFileURL] }) => {
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  await loadPyodide({ indexURL, lockFileURL });
  self.postMessage("ready");
};"""
LONG_TASKS = """
window.__longest = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
}).observe({ type: "longtask", buffered: true });
"""
# The user's moment: tick "None of these" on the first question as soon as the checklist shows (answers
# are taken while the engine boots), then the time the plan shows that question's first practice.
FIRST_PLAN = """
window.__plan = null;
new MutationObserver(() => {
  const box = document.querySelector("fieldset[data-question] input[data-none]");
  if (box && !window.__ticked && document.querySelector("#kb-app:not([hidden])")) {
    window.__ticked = performance.now();
    if (!box.checked) box.click(); // a repeat visit has it ticked already, from the first
  }
  if (window.__plan === null && window.__title) {
    for (const item of document.querySelectorAll("[data-plan] li strong")) {
      if (item.textContent.trim() === window.__title) window.__plan = performance.now();
    }
  }
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
"""
# Where the first plan's time goes, from navigation (the worker's own clock starts when it is created).
PHASES = """() => {
  const start = performance.getEntriesByName("kb-worker-start")[0].startTime;
  const worker = performance.getEntriesByName("kb-checklist-ready")[0].detail || {};
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
  return { "worker created": start, "worker running": start + worker.start,
    "Pyodide booted": start + worker.pyodide, "wheel installed": start + worker.wheel,
    "engine imported": start + worker.imports, "KB loaded (Session)": start + worker.session,
    "first assess back": at("kb-first-assess"), "first results drawn": at("kb-first-draw"), "plan on screen": window.__plan };
}"""
CLICKS = """async (count) => {
  const boxes = [...document.querySelectorAll("input[data-choice]")].slice(0, count);
  const times = [];
  for (const box of boxes) {
    const done = new Promise((resolve) => document.addEventListener("kb-checklist:assessed", resolve, { once: true }));
    const started = performance.now();
    box.click();
    await done;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    times.push(performance.now() - started);
  }
  return times;
}"""


@contextmanager
def serve(site: Path) -> Iterator[str]:
    from conftest import _QuietHandler

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


def measure(
    site: Path, pyodide_version: str, runs: int, chromium: str, args: list[str], click_count: int = 50
) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    (lock,) = site.glob("assets/checklist/*/pyodide-lock.json")  # the same lock file the checklist uses
    kb = json.loads(next(site.glob("assets/checklist/*/knowledge-base.json")).read_text(encoding="utf-8"))
    first_title = kb["checklist"]["questions"][0]["choices"][0]["title"]
    bare = BARE_HTML.replace("VERSION", pyodide_version).replace("LOCK", lock.relative_to(site).as_posix())
    (site / "bare-pyodide.html").write_text(bare)
    (site / "bare-worker.mjs").write_text(BARE_WORKER)
    rows: list[tuple[str, str]] = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)

        def fresh(workers: str = "block") -> tuple[Any, Any, dict[str, int], list[str]]:
            context = browser.new_context(service_workers=workers)
            sizes: dict[str, int] = {}
            outside: list[str] = []

            def route(route: Any) -> None:
                if route.request.url.startswith(url):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", route)
            context.on(
                "requestfinished",
                lambda request: sizes.__setitem__(
                    request.url, request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
                ),
            )
            page = context.new_page()
            page.add_init_script(LONG_TASKS)
            page.add_init_script(FIRST_PLAN)
            page.add_init_script(f"window.__title = {json.dumps(first_title)};")
            return context, page, sizes, outside

        def first_plan(page: Any) -> float:
            """The in-page time the plan showed (polled from here: the page's policy forbids the string
            evaluation wait_for_function uses; the time itself is taken in the page)."""
            deadline = time.monotonic() + 120
            while (plan := page.evaluate("window.__plan")) is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("the first plan never showed")
                time.sleep(0.05)
            return float(plan)

        bare_times, ready_times, plan_times, repeat_times, longest, clicks = [], [], [], [], [], []
        phases: list[dict[str, float]] = []
        checklist_bytes = guide_bytes = 0
        outside_all: list[str] = []
        for run in range(runs):
            order = ("bare", "checklist") if run % 2 == 0 else ("checklist", "bare")
            for which in order:
                context, page, sizes, outside = fresh()
                if which == "bare":
                    page.goto(url + "bare-pyodide.html")
                    page.wait_for_function("window.__ready === true", timeout=120_000)
                    bare_times.append(
                        page.evaluate("performance.getEntriesByName('bare-ready')[0].startTime")
                    )
                else:
                    page.goto(url + "checklist/")
                    plan_times.append(first_plan(page))
                    phases.append(page.evaluate(PHASES))
                    ready_times.append(
                        page.evaluate("performance.getEntriesByName('kb-checklist-ready')[0].startTime")
                    )
                    longest.append(page.evaluate("window.__longest"))
                    page.wait_for_load_state("networkidle")
                    checklist_bytes = sum(sizes.values())
                    if run == 0:
                        clicks = page.evaluate(CLICKS, click_count)
                outside_all += outside
                context.close()
        for _ in range(runs):
            # A repeat visit: the first one let the service worker keep the engine; the second is timed.
            context, page, sizes, outside = fresh("allow")
            page.goto(url + "checklist/")
            first_plan(page)
            page.wait_for_selector("html[data-offline-checklist=kept]", state="attached", timeout=120_000)
            page.goto(url + "checklist/")
            repeat_times.append(first_plan(page))
            outside_all += outside
            context.close()
        context, page, sizes, outside = fresh()
        page.goto(url + "references/")
        page.wait_for_load_state("networkidle")
        references_bytes = sum(sizes.values())
        references_heavy = [u for u in sizes if "/pyodide/" in u or "/vendor/mermaid/" in u]
        context.close()
        context, page, sizes, outside = fresh()
        page.goto(url + "pillars/security/")
        page.wait_for_selector("div.mermaid")  # Material swaps in the rendered diagram
        page.wait_for_load_state("networkidle")
        guide_bytes = sum(sizes.values())
        guide_pyodide = [u for u in sizes if "/pyodide/" in u]
        mermaid_bytes = sum(v for u, v in sizes.items() if "/vendor/mermaid/" in u)
        context.close()
        browser.close()

    bare = statistics.median(bare_times)
    rows.append(
        (
            f"first plan / bare Pyodide boot, cold (median of {runs}, goal <= 1.10)",
            f"{statistics.median(plan_times) / bare:.2f}  ({statistics.median(plan_times):.0f} ms / {bare:.0f} ms)",
        )
    )
    rows.append(
        (
            f"first plan, repeat visit (service worker) / bare boot, cold (median of {runs})",
            f"{statistics.median(repeat_times) / bare:.2f}  ({statistics.median(repeat_times):.0f} ms)",
        )
    )
    rows.append(
        (
            "  where the first plan's time goes (median ms from navigation)",
            ", ".join(f"{name} {statistics.median(p[name] for p in phases):.0f}" for name in phases[0]),
        )
    )
    rows.append(
        (
            f"checklist ready / bare Pyodide boot (median of {runs})",
            f"{statistics.median(ready_times) / bare:.2f}  ({statistics.median(ready_times):.0f} ms / {bare:.0f} ms)",
        )
    )
    rows.append(
        (
            f"answer click to updated results, {len(clicks)} changes (goal p95 <= 100 ms)",
            f"p50 {percentile(clicks, 0.5):.1f} ms, p95 {percentile(clicks, 0.95):.1f} ms",
        )
    )
    rows.append(
        (
            "longest main-thread task while the checklist loads (goal <= 200 ms)",
            f"{max(longest):.0f} ms (median {statistics.median(longest):.0f} ms)",
        )
    )
    rows.append(("bytes: checklist page, cold", f"{checklist_bytes / 1e6:.2f} MB"))
    rows.append(
        (
            "bytes: pillar guide (security), cold",
            f"{guide_bytes / 1e6:.2f} MB, of which Mermaid "
            f"{mermaid_bytes / 1e6:.2f} MB; Pyodide files: {len(guide_pyodide)}",
        )
    )
    rows.append(
        (
            "bytes: references page (no diagram), cold",
            f"{references_bytes / 1e6:.2f} MB; Pyodide or Mermaid files: {len(references_heavy)}",
        )
    )
    rows.append(("requests that tried to leave the local server", str(len(outside_all))))
    return rows


def change_times(site: Path, chromium: str, args: list[str], count: int) -> list[float]:
    """Milliseconds from ticking an answer to the updated results, for ``count`` changes on the checklist
    page of ``site`` (as in :func:`measure`): served locally, in a fresh browser, once the page is ready."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        context = browser.new_context()
        context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort()
        )
        page = context.new_page()
        page.goto(url + "checklist/")
        page.wait_for_selector("#kb-app.is-ready", timeout=120_000)
        # The first result starts the offline copy (offline.js): the engine's files go into the service
        # worker's cache. Measured while that runs, the changes would time the copy too.
        page.wait_for_load_state("networkidle")
        with contextlib.suppress(PlaywrightTimeout):  # no service worker: nothing is being copied
            page.wait_for_selector("html[data-offline-checklist=kept]", state="attached", timeout=60_000)
        times: list[float] = page.evaluate(CLICKS, count)
        page.wait_for_load_state("networkidle")  # what the page fetches after its first results
        context.close()
        browser.close()
    if len(times) < count:
        raise RuntimeError(f"{site}: only {len(times)} answer boxes for {count} changes")
    return times

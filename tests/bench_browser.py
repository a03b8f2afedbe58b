"""Browser figures for `make bench`: the checklist page against a bare Pyodide page, side by side.

Both pages load the same self-hosted Pyodide files from the same local server, in fresh browser
contexts (cold caches), alternating, so the ratio cancels most of the machine's speed.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
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
    "snapshot ready (or not used)": start + worker.snapshot, "Pyodide booted": start + worker.pyodide, "wheel installed": start + worker.wheel,
    "engine imported": start + worker.imports, "KB loaded (Session)": start + worker.session,
    "first assess back": at("kb-first-assess"), "first results drawn": at("kb-first-draw"), "plan on screen": window.__plan };
}"""
BOOT = "performance.getEntriesByName('kb-checklist-ready')[0].detail.boot"
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
    """The site as a static host sends it: text types and WebAssembly gzip-encoded (siteserver)."""
    from siteserver import CompressingHandler, serving

    CompressingHandler.precompress(site)
    with serving(site, CompressingHandler) as (_, url):
        yield url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


# Chromium's network throttled as the "slow network": 10 Mbit/s down and up, 40 ms latency.
THROTTLED = {"offline": False, "latency": 40, "downloadThroughput": 1.25e6, "uploadThroughput": 1.25e6}


def usual_boot(route: Any) -> None:
    """The checklist's worker as a build without a memory snapshot has it: Python booted, wheel installed."""
    response = route.fetch()
    text = re.sub(r'file: "[^"]*snapshot[^"]*"', 'file: ""', response.text())
    route.fulfill(response=response, body=text)


def same_worker(route: Any) -> None:
    """The worker as it is, delivered the way usual_boot delivers its copy (a route may skip throttling)."""
    response = route.fetch()
    route.fulfill(response=response, body=response.text())


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
        browsers: list[Any] = []

        def fresh(
            workers: str = "block", throttled: bool = False, usual: bool = False
        ) -> tuple[Any, Any, dict[str, int], list[str]]:
            """A page in a fresh browser (cold: nothing cached, nothing compiled), local requests only."""
            browser = playwright.chromium.launch(executable_path=chromium, args=args)
            browsers.append(browser)
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
            context.route("**/checklist-worker.mjs", usual_boot if usual else same_worker)
            context.on(
                "requestfinished",
                lambda request: sizes.__setitem__(
                    request.url, request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
                ),
            )
            page = context.new_page()
            if throttled:
                throttle(context, page)
            page.add_init_script(LONG_TASKS)
            page.add_init_script(FIRST_PLAN)
            page.add_init_script(f"window.__title = {json.dumps(first_title)};")
            return context, page, sizes, outside

        def throttle(context: Any, page: Any) -> None:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THROTTLED)

        def done(context: Any) -> None:
            context.close()
            browsers.pop().close()

        def first_plan(page: Any) -> float:
            """The in-page time the plan showed (polled from here: the page's policy forbids the string
            evaluation wait_for_function uses; the time itself is taken in the page)."""
            deadline = time.monotonic() + 180
            while (plan := page.evaluate("window.__plan")) is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("the first plan never showed")
                time.sleep(0.05)
            return float(plan)

        def bare_boot(page: Any) -> float:
            page.goto(url + "bare-pyodide.html")
            page.wait_for_function("window.__ready === true", timeout=180_000)
            return float(page.evaluate("performance.getEntriesByName('bare-ready')[0].startTime"))

        ready_times, longest, clicks = [], [], []
        cold: dict[str, list[float]] = {"bare": [], "snapshot": [], "usual": []}
        slow: dict[str, list[float]] = {"bare": [], "snapshot": [], "usual": []}
        phases: list[dict[str, float]] = []
        boots: list[str] = []
        checklist_bytes: dict[str, int] = {}
        outside_all: list[str] = []
        kinds = ("bare", "snapshot", "usual")
        for throttled, times, count in ((False, cold, runs), (True, slow, max(1, min(runs, 5)))):
            for run in range(count):
                for which in kinds[run % 3 :] + kinds[: run % 3]:  # each first in turn
                    context, page, sizes, outside = fresh(throttled=throttled, usual=which == "usual")
                    if which == "bare":
                        times["bare"].append(bare_boot(page))
                    else:
                        page.goto(url + "checklist/")
                        times[which].append(first_plan(page))
                    if which == "snapshot" and not throttled:
                        phases.append(page.evaluate(PHASES))
                        boots.append(page.evaluate(BOOT))
                        ready_times.append(
                            page.evaluate("performance.getEntriesByName('kb-checklist-ready')[0].startTime")
                        )
                        longest.append(page.evaluate("window.__longest"))
                        page.wait_for_load_state("networkidle")
                        checklist_bytes = dict(sizes)
                        if run == 0:
                            clicks = page.evaluate(CLICKS, click_count)
                    outside_all += outside
                    done(context)
        repeat: dict[bool, list[float]] = {False: [], True: []}
        for throttled, count in ((False, runs), (True, max(1, min(runs, 5)))):
            for _ in range(count):
                # A repeat visit: the first one let the service worker keep the engine; the second is timed
                # (on the slow network, only the second: the files are on the device by then).
                context, page, sizes, outside = fresh("allow")
                page.goto(url + "checklist/")
                first_plan(page)
                page.wait_for_selector("html[data-offline-checklist=kept]", state="attached", timeout=120_000)
                if throttled:
                    throttle(context, page)
                page.goto(url + "checklist/")
                repeat[throttled].append(first_plan(page))
                outside_all += outside
                done(context)
        context, page, sizes, outside = fresh()
        page.goto(url + "references/")
        page.wait_for_load_state("networkidle")
        references_bytes = sum(sizes.values())
        references_heavy = [u for u in sizes if "/pyodide/" in u or "/vendor/mermaid/" in u]
        done(context)
        context, page, sizes, outside = fresh()
        page.goto(url + "pillars/security/")
        page.wait_for_selector("div.mermaid")  # Material swaps in the rendered diagram
        page.wait_for_load_state("networkidle")
        guide_bytes = sum(sizes.values())
        guide_pyodide = [u for u in sizes if "/pyodide/" in u]
        mermaid_bytes = sum(v for u, v in sizes.items() if "/vendor/mermaid/" in u)
        done(context)

    median = statistics.median
    bare = median(cold["bare"])
    slow_bare, slow_usual = median(slow["bare"]), median(slow["usual"])
    restored = sum(1 for boot in boots if boot == "snapshot")
    rows += [
        (
            f"first plan / bare Pyodide boot, cold (median of {runs}, goal <= 0.4)",
            f"{median(cold['snapshot']) / bare:.2f}  ({median(cold['snapshot']):.0f} ms / {bare:.0f} ms)",
        ),
        (
            f"  how those visits started Python: from the memory snapshot in {restored} of {len(boots)}",
            "; ".join(sorted(set(boots))),
        ),
        (
            f"first plan, usual boot (no snapshot) / bare boot, cold (median of {runs})",
            f"{median(cold['usual']) / bare:.2f}  ({median(cold['usual']):.0f} ms / {bare:.0f} ms)",
        ),
        (
            f"first plan, repeat visit (service worker) / bare boot, cold (median of {runs}, goal <= 0.25)",
            f"{median(repeat[False]) / bare:.2f}  ({median(repeat[False]):.0f} ms)",
        ),
        (
            f"10 Mbit/s: first plan / usual boot's, cold (median of {len(slow['usual'])}, goal <= 1.0)",
            f"{median(slow['snapshot']) / slow_usual:.2f}  ({median(slow['snapshot']):.0f} ms / "
            f"{slow_usual:.0f} ms; bare boot {slow_bare:.0f} ms)",
        ),
        (
            f"10 Mbit/s: first plan, repeat visit / bare boot, cold (median of {len(repeat[True])})",
            f"{median(repeat[True]) / slow_bare:.2f}  ({median(repeat[True]):.0f} ms / {slow_bare:.0f} ms)",
        ),
        (
            "  where the first plan's time goes (median ms from navigation)",
            ", ".join(f"{name} {median(p[name] for p in phases):.0f}" for name in phases[0]),
        ),
    ]
    rows.append(
        (
            f"checklist ready / bare Pyodide boot (median of {runs})",
            f"{median(ready_times) / bare:.2f}  ({median(ready_times):.0f} ms / {bare:.0f} ms)",
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
    rows += bytes_rows(checklist_bytes, url)
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


def bytes_rows(sizes: dict[str, int], url: str) -> list[tuple[str, str]]:
    """A cold checklist visit that restored the snapshot: its bytes on the wire (body and headers, as the
    host compressed them), in all and per file (the larger ones; the rest summed)."""
    from siteserver import COMPRESSED_TYPES

    total = sum(sizes.values())
    ordered = sorted(sizes.items(), key=lambda item: -item[1])
    large = [(name, size) for name, size in ordered if size >= 20_000]
    rest = total - sum(size for _, size in large)
    rows = [
        (
            "bytes: checklist page, cold, restoring the snapshot (goal <= 11 MB)",
            f"{total / 1e6:.2f} MB in {len(sizes)} files; gzip-encoded by the host: "
            + ", ".join(sorted(kind.split("/")[-1] for kind in COMPRESSED_TYPES)),
        )
    ]
    rows += [(f"  {name.removeprefix(url)}", f"{size / 1e3:.1f} KB") for name, size in large]
    rows.append((f"  {len(sizes) - len(large)} smaller files", f"{rest / 1e3:.1f} KB"))
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

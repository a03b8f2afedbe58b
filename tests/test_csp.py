"""The site works under its own Content-Security-Policy, served as a header on every response."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_PATH, site_search
from siteserver import QuietHandler, serving

from sitebuilder import kbfile

pytestmark = pytest.mark.browser

KB = kbfile.load(KB_PATH)
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module", params=["header and meta", "meta only"])
def csp_url(request: pytest.FixtureRequest, built_site: Path, site_url: str) -> Iterator[str]:
    """The site with its policy as a header (any host that can send one) or only in each page's meta tag
    (GitHub Pages, which cannot)."""
    if request.param == "meta only":
        yield site_url
        return
    policy = (built_site / "content-security-policy.txt").read_text().strip()

    class WithPolicy(QuietHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

    with serving(built_site, WithPolicy) as (_, url):
        yield url


def _page(browser: Any, csp_url: str, errors: list[str]) -> tuple[Any, Any]:
    context = browser.new_context(
        bypass_csp=False, site_search=True
    )  # the site's own search, under its policy
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(csp_url) else r.abort())
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page


@pytest.fixture
def page(browser: Any, csp_url: str) -> Iterator[Any]:
    """A page whose every console report of a policy violation fails the test."""
    errors: list[str] = []
    context, page = _page(browser, csp_url, errors)
    yield page
    assert errors == []
    context.close()


def wait_until(page: Any, expression: str, timeout: float = 60) -> None:
    """Poll from Python: Playwright's wait_for_function evaluates a string, which the policy rightly blocks."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


def violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


def test_policy_is_strict(built_site: Path) -> None:
    policy = (built_site / "content-security-policy.txt").read_text()
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert script_src.startswith("script-src 'self' 'wasm-unsafe-eval' 'sha256-")
    assert "'unsafe-eval'" not in policy.replace("'wasm-unsafe-eval'", "")
    assert "'unsafe-inline'" not in script_src
    assert (
        (built_site / "_headers").read_text().startswith("/*\n  Content-Security-Policy: default-src 'self'")
    )


def test_the_policy_is_enforced(browser: Any, csp_url: str) -> None:
    errors: list[str] = []
    context, page = _page(browser, csp_url, errors)
    page.goto(csp_url)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s); }"
    )
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in violations(page))
    assert any("Content Security Policy" in e for e in errors)
    context.close()


def test_diagrams_quiz_search_and_navigation_under_the_policy(page: Any, csp_url: str) -> None:
    page.goto(csp_url)
    wait_until(
        page,
        "document.querySelectorAll('pre.mermaid').length === 0 && document.querySelectorAll('div.mermaid').length === 1",
    )
    page.locator(".md-nav__link", has_text="Self-check quiz").first.click()
    page.wait_for_url(csp_url + "self-check/")
    box = page.locator("fieldset.kb-quiz__question").first
    box.locator("label.kb-quiz__option").first.click()
    box.get_by_role("button", name="Check").click()
    assert box.locator(".kb-quiz__verdict").inner_text() in ("Correct.", "Not quite.")
    assert "Graviton" in site_search(page, "Graviton")
    assert violations(page) == []


def test_checklist_under_the_policy(page: Any, csp_url: str) -> None:
    page.goto(csp_url + "checklist/")
    page.wait_for_selector("#kb-app.is-ready", timeout=60_000)
    assert KB.checklist is not None
    question = KB.checklist.questions[0]
    page.locator(f"fieldset#{question.id} input[data-none]").check()
    wait_until(page, f"document.querySelector('[data-risk-for={question.id}]').textContent === 'High risk'")
    page.locator("details.kb-export summary").click()
    with page.expect_download() as download:
        page.locator("button[data-action=download-report]").click()
    assert Path(download.value.path()).read_text().startswith("# Well-Architected for AI/ML review: ")
    page.locator("button[data-action=share]").click()
    wait_until(page, "document.querySelector('[data-share-url]').value !== ''")
    assert violations(page) == []


def test_the_service_worker_runs_under_the_policy(browser: Any, csp_url: str) -> None:
    """Registered, in control and keeping pages, with the policy as strict as ever (worker-src 'self')."""
    errors: list[str] = []
    context = browser.new_context(bypass_csp=False, service_workers="allow")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(csp_url) else r.abort())
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(csp_url)
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.goto(csp_url + "references/")
    wait_until(page, f"caches.match('{csp_url}references/index.html').then(Boolean)")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == csp_url + "sw.js"
    assert violations(page) == [] and errors == []
    context.close()

"""Two sites on one origin (this site and a lens site, two folders of one server) keep their own answers
and their own offline caches: each is named by its KB's site id, and neither site's service worker deletes
the other's caches.

Both sites are the session's builds (conftest's ``built_site`` and ``lens_site_url``), linked into the
folders of conftest's ``origin`` server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import service_worker_visit, wait_ready, wait_until

pytestmark = pytest.mark.browser

MAIN_STORE = "wa-ml:checklist:state"
LENS_STORE = "lens-serverless-data-pipeline-lens:checklist:state"


@pytest.fixture(scope="module")
def sites(origin: tuple[Path, str], built_site: Path, lens_site_url: str) -> tuple[str, str]:
    root, url = origin
    if not (root / "main").exists():
        (root / "main").symlink_to(built_site, target_is_directory=True)
    return url + "main/", lens_site_url


@pytest.fixture
def visitor(browser: Any, origin: tuple[Path, str]) -> Iterator[tuple[Any, Any, list[str]]]:
    """A page whose service workers may run, and whose requests may reach only the local server."""
    with service_worker_visit(browser, origin[1]) as visit:
        yield visit


def answer_first_practice(page: Any, url: str, store: str) -> dict[str, Any]:
    """Open the site's checklist, tick its first practice, let the service worker keep the checklist; the
    answers saved under ``store``."""
    page.goto(url + "checklist/")
    wait_ready(page, 90_000)
    box = page.locator("input[type=checkbox][data-choice]").first
    box.check()
    choice = box.get_attribute("value")
    page.wait_for_function(
        "([key, choice]) => (localStorage.getItem(key) || '').includes(JSON.stringify(choice))",
        arg=[store, choice],
        timeout=30_000,
    )
    page.wait_for_function("document.documentElement.dataset.offlineChecklist === 'kept'", timeout=90_000)
    saved: dict[str, Any] = json.loads(page.evaluate(f"localStorage.getItem({store!r})"))
    return saved


def cache_names(page: Any) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


def test_two_sites_on_one_origin_keep_their_own_answers_and_offline_caches(
    sites: tuple[str, str], visitor: tuple[Any, Any, list[str]]
) -> None:
    context, page, errors = visitor
    main, lens = sites

    main_state = answer_first_practice(page, main, MAIN_STORE)
    main_caches = wait_until(
        page,
        "(async () => { const k = await caches.keys();"
        " return k.filter((n) => n.startsWith('wa-ml:')).length === 2 ? k : null; })()",
    )
    assert sorted(main_caches) == [n for n in cache_names(page) if n.startswith("wa-ml:")]
    assert {name.rsplit("-", 1)[0] for name in main_caches} == {"wa-ml:site", "wa-ml:checklist"}

    lens_state = answer_first_practice(page, lens, LENS_STORE)
    wait_until(
        page,
        "(async () => (await caches.keys()).filter((n) => n.startsWith('lens-serverless-data-pipeline-lens:'))"
        ".length === 2)()",
    )
    # The lens site's report and tickets name the lens, as the page's title does.
    assert page.title() == "Checklist - Serverless Data Pipeline Lens"
    page.locator("details.kb-export summary").click()
    with page.expect_download() as download:
        page.locator("button[data-action=download-report]").click()
    assert Path(download.value.path()).read_text().startswith("# Serverless Data Pipeline Lens review: ")
    with page.expect_download() as download:
        page.locator("button[data-action=download-github]").click()
    script = Path(download.value.path()).read_text()
    assert "--label='lens-serverless-data-pipeline-lens'" in script and "wa-ml" not in script
    # The lens site's answers are its own; this site's are as they were.
    assert json.loads(page.evaluate(f"localStorage.getItem({MAIN_STORE!r})")) == main_state
    assert lens_state["answers"] != main_state["answers"]
    assert not set(lens_state["answers"]) & set(main_state["answers"])
    # The lens site's worker took over its own folder and deleted nothing of this site's.
    names = cache_names(page)
    assert set(main_caches) <= set(names) and len(names) == 4
    assert page.evaluate(f"(async () => Boolean(await caches.match({main + 'checklist/index.html'!r})))()")

    # Each site's pages still come from its own cache, with the network gone.
    context.set_offline(True)
    for url, title in ((main, "Well-Architected for AI/ML"), (lens, "Serverless Data Pipeline Lens")):
        page.goto(url + "checklist/")
        assert page.title() == f"Checklist - {title}"
    assert cache_names(page) == names
    assert errors == []

"""axe-core on every page (a signed-in user's pages with long names, a running timer and the
visitor pages): no serious or critical finding. axe-core comes from the npm registry
(``scripts/install-axe``, pinned) and is injected from the local file: nothing is fetched from
the internet while the pages are checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import offline_context
from tests.browser.test_every_page_fits import pages_of_a_busy_user
from tests.conftest import ROOT, require

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"  # the same as scripts/install-axe
AXE = ROOT / ".tools" / "axe-core" / AXE_VERSION / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def a11y_page(live_server, browser) -> Iterator[Page]:
    """Like the ``page`` fixture (offline: nothing leaves 127.0.0.1), but the context bypasses
    the app's Content-Security-Policy, which rightly refuses the inline script that Playwright
    injects axe-core with. The other browser tests keep checking the CSP."""
    outside: list[str] = []
    context = offline_context(browser, live_server, outside, bypass_csp=True)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not outside, f"the page tried to load from outside 127.0.0.1: {outside}"


def findings(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, impact: v.impact,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def test_no_serious_accessibility_finding_on_any_page(a11y_page: Page) -> None:
    page = a11y_page
    require(AXE.is_file(), f"axe-core {AXE_VERSION} ({AXE}; scripts/install-axe fetches it)")
    urls = pages_of_a_busy_user(page)
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            problems = findings(page)
            if problems:
                found[f"{url} at {width}"] = problems
    page.context.clear_cookies()
    for url in ("/", "/auth/login", "/auth/register", "/auth/reset"):
        page.goto(url)
        problems = findings(page)
        if problems:
            found[url] = problems
    assert found == {}

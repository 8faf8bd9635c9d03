"""The browser suite's own plumbing: the real server answers and Chromium renders its pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_renders_with_its_stylesheet(page, live_server) -> None:
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert "Timesheet" in page.title()
    # The stylesheet was served and applied: the top bar is laid out as a flex row.
    assert page.locator("header.topbar").evaluate("e => getComputedStyle(e).display") == "flex"
    health = page.request.get(live_server.url + "/healthz")
    assert health.status == 200
    assert health.json() == {"status": "ok", "database": "ok"}


def test_pages_carry_the_policy_and_a_violation_would_be_caught(page) -> None:
    """The page fixture fails any test whose pages report a CSP violation; this proves that the
    check sees one: an inline script and an inline style added to a page are blocked and
    reported."""
    from tests.browser.conftest import csp_violations

    response = page.goto("/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__inline_ran = true";
            document.body.append(script);
            document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__inline_ran === undefined")  # the script did not run
    assert csp_violations(page.console_messages), page.console_messages
    page.expects_csp_violation = True  # this test's violations are the point

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

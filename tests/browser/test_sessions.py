"""Sessions in a real browser, CSRF and the CSP on: a second device appears on "Your sessions",
"Log out everywhere else" ends it, and the page fits a 390 px phone without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import flash, log_in, new_account, sign_up

pytestmark = pytest.mark.browser


def test_log_out_everywhere_else_ends_the_other_browser(page: Page, browser, live_server) -> None:
    account = new_account()
    sign_up(page, account)  # ends signed in

    other = browser.new_context(base_url=live_server.url, user_agent="Other Device/1.0")
    try:
        phone = other.new_page()
        log_in(phone, account)
        expect(flash(phone)).to_contain_text("Welcome back")

        page.get_by_role("link", name="Settings").click()  # Sessions are under Settings
        page.get_by_role("link", name="Sessions").click()
        expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
        expect(page.locator(".session")).to_have_count(2)
        expect(page.locator(".session-current")).to_contain_text("This session")
        expect(page.locator(".session").filter(has_text="Other Device/1.0")).to_have_count(1)

        page.get_by_role("button", name="Log out everywhere else").click()
        expect(flash(page)).to_contain_text("Logged out everywhere else (1 other session)")
        expect(page.locator(".session")).to_have_count(1)

        phone.goto("/week")
        expect(phone).to_have_url(re.compile(r"/auth/login"))
    finally:
        other.close()


def test_the_sessions_page_fits_a_phone(page: Page) -> None:
    account = new_account()
    sign_up(page, account)  # ends signed in
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/auth/sessions")
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # Keyboard: the Log out button of the page is reachable with Tab.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement !== document.body")

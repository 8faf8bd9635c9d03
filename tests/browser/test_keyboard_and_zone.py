"""Keyboard-only use of the entry form (Tab order, Enter submits) and the first-visit offer of
the browser's own time zone (a static script fills it in)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import add_task, create_project, flash, new_account, sign_up

pytestmark = pytest.mark.browser


def test_the_entry_form_works_from_the_keyboard_alone(page: Page) -> None:
    account = new_account()
    sign_up(page, account)
    create_project(page, "Apollo")
    add_task(page, "Design")
    page.goto("/entries/new")
    task = page.locator("select[name=task_id]")
    task.focus()
    # Tab walks the fields in reading order: task, date, start, duration, end, note (a date or
    # time input takes a few Tabs of its own: one per part of it).
    order: list[str] = []
    for _ in range(20):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name")
        if not order or order[-1] != name:
            order.append(name)
        if name == "note":
            break
    assert order == ["day", "start", "duration", "end", "note"]
    page.locator("input[name=duration]").focus()
    page.keyboard.type("1h30")
    page.keyboard.press("Enter")  # Enter in a field submits the form
    expect(page).to_have_url(re.compile(r"/week\?"))
    expect(flash(page)).to_contain_text("Logged 1:30")


def test_the_browser_zone_is_offered_once_and_used(browser, live_server) -> None:
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    page = context.new_page()
    try:
        account = new_account()
        sign_up(page, account)
        page.goto("/week")
        offer = page.locator("#zone-offer")
        expect(offer).to_be_visible()
        expect(offer).to_contain_text("Asia/Tokyo")
        offer.get_by_role("button", name="Use my time zone").click()
        expect(flash(page)).to_contain_text("Times are now shown in Asia/Tokyo")
        expect(page.locator("#zone-offer")).to_have_count(0)
        page.goto("/settings/")
        expect(page.locator("select[name=timezone]")).to_have_value("Asia/Tokyo")
    finally:
        context.close()

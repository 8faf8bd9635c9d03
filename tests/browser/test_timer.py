"""The timer in a real browser: started from the top bar of any page, still running (and
ticking) after a reload, stopped into an entry."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import add_task, create_project, flash, new_account, sign_up

pytestmark = pytest.mark.browser


def seconds_shown(page: Page) -> int:
    hours, minutes, seconds = (page.locator("#timer-elapsed").inner_text()).split(":")
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds)


def test_the_timer_survives_a_reload_and_stops_into_an_entry(page: Page) -> None:
    account = new_account()
    sign_up(page, account)
    create_project(page, "Apollo")
    add_task(page, "Design")

    page.goto("/projects/")
    page.select_option("#timer-task", label="Apollo — Design")
    page.fill("#timer-note", "Sketching")
    page.get_by_role("button", name="Start timer").click()
    expect(flash(page)).to_contain_text("Timer started on Apollo — Design")
    expect(page).to_have_url(re.compile(r"/projects/$"))  # back where the user was

    # The script ticks the server-rendered value on.
    first = seconds_shown(page)
    page.wait_for_timeout(2100)
    assert seconds_shown(page) >= first + 2

    page.reload()
    expect(page.locator(".timerbar")).to_contain_text("Apollo — Design")
    assert seconds_shown(page) >= 2  # counted from the stored start, not from the reload
    page.goto("/week")
    expect(page.locator("#timer-elapsed")).to_be_visible()

    page.get_by_role("button", name="Stop timer").click()
    # Under a minute in a test: the rule says nothing is logged, and the page says so.
    expect(flash(page)).to_contain_text("nothing was logged")
    expect(page.get_by_role("button", name="Start timer")).to_be_visible()

"""The week grid in a real browser: add a row, type hours across the week, Enter saves, the
week view shows the entries; Tab moves from cell to cell."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import add_task, create_project, flash, new_account, sign_up

pytestmark = pytest.mark.browser


def test_the_grid_saves_a_week_from_the_keyboard(page: Page) -> None:
    account = new_account()
    sign_up(page, account)
    create_project(page, "Apollo")
    add_task(page, "Design")
    page.goto("/week/grid?week=2026-W47")
    page.select_option("#add_task", label="Apollo — Design")
    page.get_by_role("button", name="Add row").click()
    cells = page.locator("table.hours-grid tbody input")
    expect(cells).to_have_count(7)
    cells.nth(0).click()
    page.keyboard.type("2")
    page.keyboard.press("Tab")  # to Tuesday's cell
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")
    page.keyboard.type("1:15")
    page.keyboard.press("Enter")  # the first submit button of the form: Save week
    expect(flash(page)).to_contain_text("Week saved: 3 changes.")
    expect(page.locator("td.week-total")).to_have_text("4:45")
    page.goto("/week?week=2026-W47")
    expect(page.locator("#day-2026-11-16 .day-total")).to_have_text("2:00")
    expect(page.locator("#day-2026-11-17 .day-total")).to_have_text("1:30")
    expect(page.locator("#day-2026-11-18 .day-total")).to_have_text("1:15")

"""The week page's Delete links lead to the confirmation page (the rows carry no form): deleting
an entry from the cached week works in a real browser, by keyboard, and the week shows the change
at once; Undo brings it back, shown at once too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import (
    add_task,
    create_project,
    flash,
    log_time_on_task,
    new_account,
    sign_up,
)

pytestmark = pytest.mark.browser


def test_delete_an_entry_from_the_week(page: Page) -> None:
    sign_up(page, new_account())
    create_project(page, "Apollo")
    add_task(page, "Design review")
    project_page = page.url
    iso_day = log_time_on_task(page, "Design review", "1:30", "first")
    page.goto(project_page)
    log_time_on_task(page, "Design review", "0:30", "second")
    card = page.locator(f"#day-{iso_day}")
    expect(card.locator("table.entries tbody tr")).to_have_count(2)

    page.reload()  # served from the week cache now
    row = card.locator("tr").filter(has_text="first")
    row.get_by_role("link", name="Delete").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Delete entry").focus()
    page.keyboard.press("Enter")

    expect(flash(page)).to_contain_text("Deleted the entry of 1:30")
    expect(card.locator("table.entries tbody tr")).to_have_count(1)
    expect(card.locator("table.entries")).not_to_contain_text("first")
    expect(card.locator(".day-total")).to_have_text("0:30")

    page.get_by_role("button", name="Undo").click()
    expect(card.locator("table.entries tbody tr")).to_have_count(2)
    expect(card.locator(".day-total")).to_have_text("2:00")

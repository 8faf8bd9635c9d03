"""Every page at 1280 px and at 390 px (a phone) with long unbroken names and notes in the data:
nothing scrolls sideways (``scrollWidth <= innerWidth``), and the top bar stays within two rows
on a phone."""

from __future__ import annotations

import re

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

LONG_PROJECT = "Project" + "X" * 93  # 100 characters, no space: the longest name allowed
LONG_TASK = "Task" + "Y" * 96
LONG_NOTE = "Note" + "Z" * 296
WIDTHS = (1280, 390)


def overflow(page: Page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def pages_of_a_busy_user(page: Page) -> list[str]:
    """Fill an account with long unbroken text (project, task, entry, running timer) and return
    every page a signed-in user can reach."""
    account = new_account()
    sign_up(page, account)
    create_project(page, LONG_PROJECT)
    project_url = page.url
    add_task(page, LONG_TASK)
    log_time_on_task(page, LONG_TASK, "1:30", LONG_NOTE)
    edit_url = page.get_by_role("link", name="Edit").first.get_attribute("href")
    assert edit_url
    delete_url = edit_url.replace("/edit", "/delete")
    page.fill("#timer-note", LONG_NOTE)
    page.get_by_role("button", name="Start timer").click()
    expect(flash(page)).to_contain_text("Timer started")
    page.goto(project_url)
    task_rename = page.locator("table.tasks a", has_text="Rename").first.get_attribute("href")
    # The team pages: an open invitation with a long address, a token with a long name.
    page.goto("/teams/")
    team_url = page.locator("main a[href^='/teams/']").first.get_attribute("href")
    assert team_url and re.fullmatch(r"/teams/\d+", team_url), team_url
    page.goto(team_url)
    invite = page.locator("form", has=page.get_by_role("button", name="Send invitation"))
    invite.locator("input[name=email]").fill("w" * 60 + "@example.com")
    invite.get_by_role("button", name="Send invitation").click()
    expect(flash(page)).to_contain_text("Invitation sent")
    page.goto("/tokens/")
    page.fill("input[name=name]", "Token" + "T" * 55)
    page.get_by_role("button", name="Create token").click()
    page.goto("/team/week")
    person_url = page.locator("main a[href^='/team/people/']").first.get_attribute("href")
    assert person_url, "the team week links each person's week"
    return [
        "/teams/",
        team_url,
        "/team/week",
        person_url,
        "/reports/team",
        "/tokens/",
        "/auth/sessions",
        "/week",
        "/week?week=2020-W01",
        "/week/grid",
        "/week/grid?copy=1",
        "/entries/",
        "/entries/new",
        edit_url,
        delete_url,
        "/projects/",
        "/projects/new",
        project_url,
        project_url.rstrip("/") + "/edit",
        str(task_rename),
        "/reports/",
        "/auth/password",
        "/settings/",
        "/settings/delete",
    ]


def test_no_page_scrolls_sideways(page: Page) -> None:
    urls = pages_of_a_busy_user(page)
    too_wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            scroll, inner = overflow(page)
            if scroll > inner:
                too_wide.append(f"{url} at {width}: {scroll} px")
    assert too_wide == []


def test_visitor_pages_fit_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    for url in ("/", "/auth/login", "/auth/register", "/auth/reset"):
        page.goto(url)
        scroll, inner = overflow(page)
        assert scroll <= inner, f"{url}: {scroll} px"


def test_the_top_bar_takes_at_most_two_rows_on_a_phone(page: Page) -> None:
    account = new_account()
    sign_up(page, account)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/week")
    # The rows the top bar's items sit on: distinct tops (within a few pixels).
    tops = page.evaluate(
        """[...document.querySelectorAll('header.topbar .brand, header.topbar nav > *')]
             .filter(e => e.offsetParent !== null)
             .map(e => Math.round(e.getBoundingClientRect().top / 8))"""
    )
    assert len(set(tops)) <= 2, f"the top bar wraps to {len(set(tops))} rows: {tops}"
    expect(page).to_have_url(re.compile("/week"))

"""Issue 8 end to end in a real browser, CSRF on: an owner invites a member and a manager by
email (the links come from the mail, written to the server log in testing), both sign up from
their links; the member logs time and submits the week; the manager approves it; the member
can no longer change it and is told why. Then the new pages at phone width (390 px)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PAGE_TIMEOUT_MS, LiveServer
from tests.browser.flows import (
    PASSWORD,
    add_task,
    create_project,
    flash,
    log_in,
    new_account,
    sign_up,
)

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^/\s]+(/invitations/[A-Za-z0-9_\-]+)")


@contextmanager
def another_person(browser, live_server: LiveServer, width: int = 1100) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def invitation_link(live_server: LiveServer, email: str) -> str:
    log = live_server.server.log.read_text(errors="replace")
    after = log[log.rindex(f"To: {email}") :]
    return LINK.search(after).group(1)


def invite(page: Page, email: str, role: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Send invitation"))
    form.locator("input[name=email]").fill(email)
    form.locator("select[name=role]").select_option(role)
    form.get_by_role("button", name="Send invitation").click()
    expect(flash(page)).to_contain_text(f"Invitation sent to {email}")


def sign_up_from_link(page: Page, link: str, name: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Join")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.get_by_role("button", name="Sign up and join").click()
    expect(flash(page)).to_contain_text("you joined the team")


def no_sideways_scroll(page: Page, path: str) -> None:
    page.goto(path)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{path} scrolls sideways at {widths[1]} px: {widths[0]} px"


def test_invite_log_submit_approve_and_the_week_is_locked(page: Page, live_server, browser) -> None:
    owner = new_account("Olive Owner")
    sign_up(page, owner)
    create_project(page, "Apollo")
    add_task(page, "Design")

    page.get_by_role("link", name="Olive Owner’s team").click()  # noqa: RUF001
    page.get_by_role("link", name="Olive Owner’s team").last.click()  # noqa: RUF001
    member_email, manager_email = (new_account().email for _ in range(2))
    invite(page, member_email, "member")
    invite(page, manager_email, "manager")

    with another_person(browser, live_server) as member:
        sign_up_from_link(member, invitation_link(live_server, member_email), "Mia Member")
        member.goto("/entries/new")
        member.select_option("select[name=task_id]", label="Apollo — Design")
        member.fill("input[name=duration]", "2:00")
        member.get_by_role("button", name="Log time").click()
        expect(flash(member)).to_contain_text("Logged 2:00")
        week_url = member.url
        member.get_by_role("button", name="Submit this week for approval").click()
        expect(flash(member)).to_contain_text("submitted")

        with another_person(browser, live_server) as manager:
            sign_up_from_link(manager, invitation_link(live_server, manager_email), "Max Manager")
            manager.get_by_role("link", name="Team week").click()
            grid = manager.locator("table.team-grid")
            expect(grid).to_contain_text("Mia Member")
            expect(grid).to_contain_text("submitted")
            manager.goto(week_url.replace("/week?", "/team/week?"))
            grid.get_by_role("link", name="Mia Member").click()
            manager.get_by_role("button", name="Approve and lock").click()
            expect(flash(manager)).to_contain_text("approved: it is locked now")

        member.goto(week_url)
        expect(member.locator(".lock-note")).to_contain_text("locked (approved)")
        expect(member.locator("table.entries")).to_contain_text("locked")
        expect(member.get_by_role("link", name="Edit")).to_have_count(0)
        expect(member.locator(".history")).to_contain_text("approved by Max Manager")
        # The locked entry's edit form, opened by its address, refuses the change and says why.
        member.goto("/entries/")
        member.get_by_role("link", name="Edit").first.click()
        member.fill("input[name=duration]", "3:00")
        member.get_by_role("button", name=re.compile("Save")).click()
        expect(member.locator(".errors")).to_contain_text("is locked (approved)")


def test_team_pages_fit_a_phone(page: Page, live_server, browser) -> None:
    owner = new_account("Phoebe Phone")
    sign_up(page, owner)
    create_project(page, "Narrow")
    add_task(page, "Small screens")
    page.goto("/teams/")
    page.get_by_role("link", name="Phoebe Phone’s team").last.click()  # noqa: RUF001
    team_path = page.url.removeprefix(live_server.url)
    invite(page, new_account().email, "manager")
    with another_person(browser, live_server, width=390) as phone:
        log_in(phone, owner)
        for path in ("/teams/", team_path, "/team/week", "/week", "/projects/"):
            no_sideways_scroll(phone, path)
        phone.goto("/team/week")
        phone.get_by_role("link", name="Phoebe Phone", exact=True).click()
        no_sideways_scroll(phone, phone.url.removeprefix(live_server.url))

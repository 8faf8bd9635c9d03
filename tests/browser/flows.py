"""Steps a person takes in the browser, shared by the browser tests.

Selectors are the stable ones: ``name=`` attributes of form fields, roles with their visible
names, and ids. Each step waits for the page it leads to, so a broken step fails right there.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Account:
    name: str
    email: str
    password: str = PASSWORD


def new_account(name: str = "Ada Browser") -> Account:
    return Account(name, f"ada-{uuid.uuid4().hex[:10]}@example.com")


def flash(page: Page) -> Locator:
    return page.locator(".flashes")


def sign_up(page: Page, account: Account) -> None:
    """Sign up and confirm the address with the mailed link: ends signed in, on the week."""
    send_sign_up_form(page, account)
    confirm_from_outbox(page, account)


def send_sign_up_form(page: Page, account: Account) -> None:
    page.goto("/auth/register")
    page.fill("input[name=name]", account.name)
    page.fill("input[name=email]", account.email)
    page.fill("input[name=password]", account.password)
    page.fill("input[name=password_confirm]", account.password)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/auth/check-mail$"))
    expect(flash(page)).to_contain_text("Check your mail")


def confirm_from_outbox(page: Page, account: Account) -> None:
    """Open the newest mail to this account in the development outbox (the browser server turns
    it on), follow its confirmation link and confirm."""
    page.goto("/dev/outbox")
    mail = page.locator("article.mail", has_text=f"To {account.email}").first
    expect(mail).to_contain_text("Confirm your Timesheet account")
    mail.locator("a[href*='/auth/confirm/']").click()
    page.get_by_role("button", name="Confirm my address").click()
    expect(page).to_have_url(re.compile(r"/week$"))
    expect(flash(page)).to_contain_text(f"Your address is confirmed. Welcome, {account.name}.")


def log_in(page: Page, account: Account, password: str | None = None) -> None:
    """Fill and send the login form (from wherever the page is: a redirect may have led here)."""
    if "/auth/login" not in page.url:
        page.goto("/auth/login")
    page.fill("input[name=email]", account.email)
    page.fill("input[name=password]", password or account.password)
    page.get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(flash(page)).to_contain_text("You are logged out")


def create_project(page: Page, name: str) -> None:
    page.goto("/projects/new")
    page.fill("input[name=name]", name)
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(flash(page)).to_contain_text(f"Project “{name}” created")


def add_task(page: Page, name: str) -> None:
    """On a project's page: add a task to it."""
    form = page.locator("form.inline-add")
    form.locator("input[name=name]").fill(name)
    form.get_by_role("button", name="Add task").click()
    expect(flash(page)).to_contain_text(f"Task “{name}” added")


def log_time_on_task(page: Page, task: str, duration: str, note: str) -> str:
    """On a project's page: follow the task's "Log time" link and log time today (the day the
    form suggests). Return that day, ISO formatted."""
    row = page.locator("table.tasks tr", has_text=task)
    row.get_by_role("link", name="Log time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log time")
    expect(page.locator("select[name=task_id] option:checked")).to_contain_text(task)
    day = page.input_value("input[name=day]")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day), f"the form suggests no day: {day!r}"
    page.fill("input[name=duration]", duration)
    page.fill("textarea[name=note]", note)
    page.get_by_role("button", name="Log time").click()
    expect(page).to_have_url(re.compile(r"/week\?"))
    expect(flash(page)).to_contain_text(f"Logged {duration}")
    return day

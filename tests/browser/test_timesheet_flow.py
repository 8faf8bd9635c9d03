"""Issue 3 end to end in a real browser, CSRF on: sign up (confirming the address through the
development outbox), a project, a task, time logged, the week view and its chart, log out, and
the pages closed again."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import (
    add_task,
    confirm_from_outbox,
    create_project,
    flash,
    log_in,
    log_out,
    log_time_on_task,
    new_account,
    send_sign_up_form,
    sign_up,
)

pytestmark = pytest.mark.browser


def test_sign_up_log_time_see_it_in_week_and_chart_then_log_out(page: Page) -> None:
    account = new_account()
    sign_up(page, account)  # ends signed in on the (empty) week
    expect(page.locator(".week-total").first).to_have_text("0:00")

    create_project(page, "Apollo")
    add_task(page, "Design review")
    iso_day = log_time_on_task(page, "Design review", "1:30", "Went over the mock-ups")
    day = date.fromisoformat(iso_day)

    # The week view lists the entry under its day, with the day's and the week's totals.
    card = page.locator(f"#day-{iso_day}")
    expect(card.locator(".day-total")).to_have_text("1:30")
    expect(card.locator("table.entries")).to_contain_text("Design review")
    expect(card.locator("table.entries")).to_contain_text("Went over the mock-ups")
    expect(card.locator("td.time")).to_have_text("09:00\N{EN DASH}10:30")
    expect(page.locator("table.totals")).to_contain_text("Apollo")
    expect(page.locator(".week-total").first).to_have_text("1:30")

    # The server-drawn chart: a bar segment for that day and project, its value written on it.
    chart = page.locator("svg.chart")
    expect(chart).to_be_visible()
    bar = chart.locator("g.chart-bar").filter(has=page.locator("rect"))
    expect(bar).to_have_count(1)  # one day has time, so one bar has a segment
    segment = bar.locator("rect")
    expect(segment).to_have_count(1)  # one project that day
    expect(segment.locator("title")).to_have_text(f"{day:%a %d %b}: Apollo 1:30")
    assert float(segment.get_attribute("height") or 0) > 0
    expect(bar.locator("text.chart-value")).to_have_text("1:30")
    expect(bar.locator("text.chart-day")).to_have_text(f"{day:%a}")
    expect(page.locator(".chart-legend")).to_contain_text("Apollo")

    log_out(page)
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # The session is over: the week view sends us to the login page, and back after logging in.
    page.goto("/week")
    expect(page).to_have_url(re.compile(r"/auth/login\?next=%2Fweek$"))
    expect(flash(page)).to_contain_text("Please log in")
    log_in(page, account)
    expect(page).to_have_url(re.compile(r"/week$"))
    expect(flash(page)).to_contain_text(f"Welcome back, {account.name}")


def test_wrong_password_is_refused_with_a_message(page: Page) -> None:
    account = new_account("Grace Browser")
    sign_up(page, account)
    log_out(page)
    log_in(page, account, password="not the right password")
    expect(page.get_by_role("alert")).to_have_text("Invalid email or password.")
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # An unknown email gets exactly the same answer.
    log_in(page, new_account(), password="not the right password")
    expect(page.get_by_role("alert")).to_have_text("Invalid email or password.")


def test_csrf_is_on_a_form_without_its_token_is_refused(page: Page) -> None:
    """The flows above prove forms carry their token; this proves the server checks it."""
    account = new_account("Alan Browser")
    sign_up(page, account)
    log_out(page)
    page.goto("/auth/login")
    page.fill("input[name=email]", account.email)
    page.fill("input[name=password]", account.password)
    page.locator("input[name=csrf_token]").evaluate("input => { input.value = 'forged'; }")
    with page.expect_response(re.compile(r"/auth/login$")) as sent:
        page.get_by_role("button", name="Log in").click()
    assert sent.value.status == 400
    expect(page.locator("main")).to_contain_text("The form expired")
    page.goto("/week")
    expect(page).to_have_url(re.compile(r"/auth/login\?next="))


def test_unconfirmed_login_offers_a_new_link_that_signs_in(page: Page) -> None:
    account = new_account("Barbara Browser")
    send_sign_up_form(page, account)
    log_in(page, account)
    expect(page.get_by_role("alert")).to_contain_text("Confirm your email address first")
    page.get_by_role("button", name="Send a new confirmation link").click()
    expect(page).to_have_url(re.compile(r"/auth/check-mail$"))
    # Both pages fit a phone: long links wrap, nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/auth/check-mail", "/dev/outbox"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    confirm_from_outbox(page, account)  # the newest mail: the link just sent
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

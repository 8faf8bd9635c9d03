"""The tokens page and the API docs page in a real Chromium: a token is created with the keyboard,
shown once, works against the API, and both pages fit 390 px and 1280 px with no sideways scroll;
the docs page draws the operations from the generated document with our own script."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import flash, new_account, sign_up

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_create_a_token_with_the_keyboard_then_use_it(page: Page, live_server) -> None:
    account = new_account()
    sign_up(page, account)  # ends signed in
    page.get_by_role("link", name="Settings").click()  # API tokens are under Settings
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.locator("text=No tokens yet")).to_be_visible()

    page.locator("input[name=name]").focus()
    page.keyboard.type("invoice script")
    page.keyboard.press("Tab")  # the radio group: move to "Read and write" with an arrow key
    page.keyboard.press("ArrowDown")
    page.locator("input[name=name]").press("Enter")
    expect(flash(page)).to_contain_text("shown only once")
    secret = page.locator("#new-token").inner_text().strip()
    assert re.fullmatch(r"tsh_[\w-]{30,}", secret)
    expect(page.locator(".token-item")).to_contain_text("read and write")

    headers = {"Authorization": f"Bearer {secret}"}
    week = page.request.get(live_server.url + "/api/v1/week", headers=headers)
    assert week.status == 200 and len(week.json()["days"]) == 7
    created = page.request.post(
        live_server.url + "/api/v1/projects", data={"name": "From a script"}, headers=headers
    )
    assert created.status == 201

    page.goto("/tokens/")  # shown once: not on the page when it is opened again
    expect(page.locator("#new-token")).to_have_count(0)
    assert secret not in page.content()

    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"sideways scroll at {width} px"

    page.get_by_role("button", name="Revoke").click()
    expect(flash(page)).to_contain_text("revoked")
    assert page.request.get(live_server.url + "/api/v1/week", headers=headers).status == 401


def test_the_docs_page_draws_the_document(page: Page) -> None:
    page.goto("/api/v1/docs")
    expect(page.locator(".api-operation").first).to_be_visible()
    expect(page.locator("#api-operations")).to_contain_text("POST /api/v1/entries")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"sideways scroll at {width} px"

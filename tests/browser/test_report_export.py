"""Issue 4 end to end: a CSV export asked for in the browser, built by a real Celery worker
(``celery -A celery_worker worker --pool solo``), its progress shown, then downloaded."""

from __future__ import annotations

import csv
import io
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

pytestmark = [pytest.mark.browser, pytest.mark.worker]

# The worker polls the SQLite broker about once a second; the page polls with backoff up to 5 s.
EXPORT_TIMEOUT_MS = 25_000


def test_export_shows_progress_then_a_download_with_the_logged_entry(
    page: Page, celery_worker
) -> None:
    account = new_account("Edsger Browser")
    sign_up(page, account)
    create_project(page, "Hermes")
    add_task(page, "Write report")
    day = log_time_on_task(page, "Write report", "2:15", "Exported from the browser")

    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    page.fill("input[name=date_from]", day)
    page.fill("input[name=date_to]", day)
    page.get_by_role("button", name="Export").click()

    expect(page).to_have_url(re.compile(r"/reports/\d+$"))
    expect(flash(page)).to_contain_text("Export requested for")
    state = page.locator(".report-state")
    expect(state.get_by_role("progressbar", name="Export progress")).to_be_attached()
    expect(state.get_by_role("status")).not_to_be_empty()
    # Read in one go (the poller may change the page between two reads): until the export is
    # done, the page shows its state and no download link.
    status, link_shown = state.evaluate(
        "box => [box.dataset.status, box.querySelector('.report-download').checkVisibility()]"
    )
    assert link_shown == (status == "done"), (status, link_shown)

    # The page polls the progress URL and shows the link once the worker is done.
    expect(state).to_have_attribute("data-status", "done", timeout=EXPORT_TIMEOUT_MS)
    expect(state.get_by_role("status")).to_have_text("Ready: 1 entries.")
    assert state.locator("progress").evaluate("bar => bar.value") == 100
    link = state.get_by_role("link", name="Download CSV")
    expect(link).to_be_visible()

    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == f"timesheet-{day}-to-{day}.csv"
    text = download.path().read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["date", "project", "task", "start", "minutes", "hours", "note"]
    assert rows[1] == [
        day,
        "Hermes",
        "Write report",
        "09:00",
        "135",
        "2.25",
        "Exported from the browser",
    ]
    # The totals at the end: per project, per day, and the grand total.
    assert ["", "Hermes", "", "", "135", "2.25", ""] in rows[2:], text
    assert ["", day, "", "", "135", "2.25", ""] in rows[2:], text
    assert rows[-1] == ["total", "", "", "", "135", "2.25", ""], text

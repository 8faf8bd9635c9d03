"""The example in docs/api.md, run as written: a token created on the tokens page, this week's
entries listed, an entry logged (and retried with its Idempotency-Key), then changed with
If-Match. httpx talks to the app in-process (WSGITransport), so the
documentation cannot drift from the API without this test failing."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from flask import Flask

from models import TimeEntry
from tests.conftest import login, make_user
from tests.test_api_tokens_page import SECRET
from tests.timesheet_support import add_project, add_task, count

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BLOCK = re.compile(r"<!-- example: start -->\s*```python\n(.*?)```\s*<!-- example: end -->", re.S)
PLACEHOLDER = 'TOKEN = "tsh_..."'


def example_code() -> str:
    match = BLOCK.search(DOC.read_text(encoding="utf-8"))
    assert match, "docs/api.md lost its example block"
    code = match[1]
    assert PLACEHOLDER in code
    return code


def test_the_documented_example_works(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    user_id = make_user(any_app)
    add_task(any_app, add_project(any_app, user_id, "Apollo"), "Design")
    browser = any_app.test_client()
    login(browser, any_app, user_id)
    page = browser.post(
        "/tokens/", data={"name": "script", "scope": "write", "expires_in_days": ""}
    )
    secret = SECRET.search(page.get_data(as_text=True))[1]

    real_client = httpx.Client

    def in_process_client(*args, **kwargs) -> httpx.Client:
        return real_client(*args, transport=httpx.WSGITransport(app=any_app), **kwargs)

    monkeypatch.setattr(httpx, "Client", in_process_client)
    code = example_code().replace(PLACEHOLDER, f"TOKEN = {secret!r}")
    exec(compile(code, str(DOC), "exec"), {"__name__": "example"})

    printed = capsys.readouterr().out
    location = re.search(r"logged (\S+)", printed)[1]
    entry = browser.get(location).get_json()  # the session may read the API
    assert entry["minutes"] == 75 and entry["note"] == "review"
    assert count(any_app, TimeEntry) == 1  # the retry created nothing

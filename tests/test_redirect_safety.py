"""``next`` after login: only same-site relative paths are followed (open-redirect guard)."""

from __future__ import annotations

import pytest
from flask import Flask

from routes.auth.next_url import safe_next_path
from tests.auth_support import log_in
from tests.conftest import make_user

SAFE = [
    "/",
    "/auth/password",
    "/week?start=2024-05-06",
    "/projects/3/tasks?page=2#top",
    "/a/b%20c",
    "/search?q=http://x.example",  # a URL in the query string is fine: it is not where we go
    "/caf%C3%A9",
    "/a%2Fb",  # an encoded slash inside a path stays on this site
]

UNSAFE = [
    "https://evil.example",
    "http://evil.example/path",
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:/evil",
    "http:evil.example",
    "https:\\\\evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "%252F%252Fevil.example",
    "/%252F%252Fevil.example",
    "/%09/evil.example",
    " //evil.example",
    "\t//evil.example",
    "\n/evil",
    "\x00//evil.example",
    "\x01/evil",
    "/ /evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "/\u200b/evil.example",
    "/\u3000/evil.example",
    "\u3000//evil.example",
    "evil.example",
    "relative/path",
    "",
    "/" + "a" * 5000,
]


@pytest.mark.parametrize("target", SAFE)
def test_safe_paths_are_kept_unchanged(target: str) -> None:
    assert safe_next_path(target) == target


@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_targets_are_refused(target: str) -> None:
    assert safe_next_path(target) is None


@pytest.mark.parametrize("target", [None, 1, b"/", ["/"]])
def test_non_strings_are_refused(target: object) -> None:
    assert safe_next_path(target) is None


@pytest.fixture
def user_app(app: Flask) -> Flask:
    make_user(app)
    return app


@pytest.mark.parametrize("target", UNSAFE)
def test_login_never_redirects_off_site(user_app: Flask, target: str) -> None:
    client = user_app.test_client()
    response = log_in(client, next_=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # A logged-in visit with the same ?next= does not bounce away either.
    again = client.get("/auth/login", query_string={"next": target})
    assert again.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/auth/password", "/week?start=2024-05-06"])
def test_login_follows_same_site_next(user_app: Flask, target: str) -> None:
    response = log_in(user_app.test_client(), next_=target)
    assert response.headers["Location"] == target


def test_unsafe_next_is_not_echoed_into_the_login_form(client) -> None:
    page = client.get("/auth/login", query_string={"next": "//evil.example"})
    assert b"evil.example" not in page.data

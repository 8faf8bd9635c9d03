"""Whatever the session or the remember cookie holds, the user loader answers "anonymous"."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.auth_support import is_logged_in
from tests.conftest import login, make_user


@pytest.mark.parametrize(
    "garbage",
    [
        12345,
        1,
        None,
        True,
        3.5,
        ["a" * 30],
        {"id": 1},
        "",
        "x",
        "x" * 65,
        "x" * 100_000,
        "ü" * 30,
        "é" * 64,
        "'; DROP TABLE users; --     ",
        "\x00" * 30,
    ],
)
def test_garbage_user_id_in_session_gives_an_anonymous_page(any_app: Flask, garbage) -> None:
    make_user(any_app)
    client = any_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = garbage
        session["_fresh"] = True
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert "Log in" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_user_id_instead_of_session_token_is_not_accepted(app: Flask) -> None:
    """Sessions hold the session token; an old-style numeric id must not log anyone in."""
    user_id = make_user(app)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
    assert not is_logged_in(client)


def test_session_of_deactivated_user_ends(app: Flask) -> None:
    from extensions import db
    from models import User

    user_id = make_user(app)
    client = app.test_client()
    login(client, app, user_id)
    assert is_logged_in(client)
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert not is_logged_in(client)


@pytest.mark.parametrize("cookie", ["garbage", "|", "abc|def", "x" * 4000, "ü|ü"])
def test_garbage_remember_cookie_gives_an_anonymous_page(client, app: Flask, cookie) -> None:
    make_user(app)
    client.set_cookie("remember_token", cookie)
    assert client.get("/", follow_redirects=True).status_code == 200
    assert not is_logged_in(client)


@pytest.mark.parametrize("payload", ["x" * 500, "ü" * 30, "not-a-token-at-all-0000"])
def test_signed_remember_cookie_with_unknown_token_is_anonymous(app: Flask, payload) -> None:
    from flask_login.utils import encode_cookie

    make_user(app)
    with app.app_context():
        cookie = encode_cookie(payload)
    client = app.test_client()
    client.set_cookie("remember_token", cookie)
    assert client.get("/", follow_redirects=True).status_code == 200
    assert not is_logged_in(client)


def test_non_ascii_remember_cookie_bytes_from_the_wire_are_anonymous(app: Flask) -> None:
    """Raw UTF-8 bytes in the Cookie header (what a hand-made request can send)."""
    make_user(app)
    client = app.test_client()
    response = client.get("/auth/password", headers={"Cookie": "remember_token=\xc3\xbc|\xc3\xbc"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_pages_of_a_signed_in_user_are_not_stored_by_the_browser(app) -> None:
    from tests.conftest import login, make_user

    client = app.test_client()
    assert client.get("/auth/login").headers.get("Cache-Control") != "no-store"
    login(client, app, make_user(app, email="cache@example.com"))
    assert client.get("/week").headers["Cache-Control"] == "no-store"
    with client.get("/static/style.css") as static:
        assert static.headers.get("Cache-Control") != "no-store"

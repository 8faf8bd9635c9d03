"""CSRF protection switched on: a POST without the token is a 400 page and changes nothing."""

from __future__ import annotations

import re

from flask import Flask

from tests.auth_support import PASSWORD, count_users, is_logged_in
from tests.conftest import make_user


def token_from(page: bytes) -> str:
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rb'name="csrf_token" value="([^"]+)"', page
    )
    assert match, page
    return match.group(1).decode()


REGISTRATION = {
    "name": "Ada",
    "email": "ada@example.com",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
}


def test_register_without_token_is_400_and_stores_nothing(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    client.get("/auth/register")
    response = client.post("/auth/register", data=REGISTRATION)
    assert response.status_code == 400
    assert "The form expired or was not sent by this site." in response.get_data(as_text=True)
    assert count_users(csrf_app) == 0
    wrong = client.post("/auth/register", data={**REGISTRATION, "csrf_token": "forged"})
    assert wrong.status_code == 400
    assert count_users(csrf_app) == 0


def test_register_with_token_works(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    token = token_from(client.get("/auth/register").data)
    response = client.post("/auth/register", data={**REGISTRATION, "csrf_token": token})
    assert response.status_code == 302
    assert count_users(csrf_app) == 1


def test_login_and_logout_need_the_token(csrf_app: Flask) -> None:
    make_user(csrf_app)
    client = csrf_app.test_client()
    credentials = {"email": "ada@example.com", "password": PASSWORD}
    page = client.get("/auth/login").data
    assert client.post("/auth/login", data=credentials).status_code == 400
    assert not is_logged_in(client)
    response = client.post("/auth/login", data={**credentials, "csrf_token": token_from(page)})
    assert response.status_code == 302
    assert is_logged_in(client)

    assert client.post("/auth/logout").status_code == 400  # a cross-site "log out" fails
    assert is_logged_in(client)
    nav_token = token_from(client.get("/", follow_redirects=True).data)  # the nav's log-out form
    assert client.post("/auth/logout", data={"csrf_token": nav_token}).status_code == 302
    assert not is_logged_in(client)


def test_password_change_and_reset_request_need_the_token(csrf_app: Flask) -> None:
    make_user(csrf_app)
    client = csrf_app.test_client()
    token = token_from(client.get("/auth/login").data)
    client.post(
        "/auth/login", data={"email": "ada@example.com", "password": PASSWORD, "csrf_token": token}
    )
    change = {
        "current_password": PASSWORD,
        "password": "another long password",
        "password_confirm": "another long password",
    }
    assert client.post("/auth/password", data=change).status_code == 400
    assert client.post("/auth/reset", data={"email": "ada@example.com"}).status_code == 400
    token = token_from(client.get("/auth/password").data)
    assert client.post("/auth/password", data={**change, "csrf_token": token}).status_code == 302

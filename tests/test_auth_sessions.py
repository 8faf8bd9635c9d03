"""Logging out is final, and the user sees and ends their sign-ins ("your sessions").

A cookie copied before logout (a shared computer, a stolen cookie jar) must open nothing after:
the session row is what makes a cookie valid, and logout deletes it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event, func, select, update

from extensions import db
from models import UserSession
from models.columns import utcnow
from tests.auth_support import is_logged_in, log_in
from tests.conftest import make_user

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile Safari"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def device(app: Flask, user_agent: str, remember: bool = False):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    assert log_in(client, remember=remember).status_code == 302
    return client


def opens_the_week(app: Flask, **cookies: str) -> bool:
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    response = client.get("/week")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    return False


def session_rows(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(UserSession)) or 0


def test_a_session_cookie_copied_before_logout_opens_nothing_after(any_app: Flask) -> None:
    make_user(any_app)
    client = device(any_app, LAPTOP)
    copied = client.get_cookie("session").value
    assert opens_the_week(any_app, session=copied)
    assert client.post("/auth/logout").status_code == 302
    assert not opens_the_week(any_app, session=copied)
    assert session_rows(any_app) == 0


def test_a_remember_cookie_copied_before_logout_opens_nothing_after(any_app: Flask) -> None:
    make_user(any_app)
    client = device(any_app, LAPTOP, remember=True)
    remembered = client.get_cookie("remember_token").value
    assert opens_the_week(any_app, remember_token=remembered)
    client.post("/auth/logout")
    assert not opens_the_week(any_app, remember_token=remembered)


def test_logout_ends_only_this_session(app: Flask) -> None:
    make_user(app)
    laptop, phone = device(app, LAPTOP), device(app, PHONE)
    laptop.post("/auth/logout")
    assert not is_logged_in(laptop)
    assert is_logged_in(phone)


def test_the_sessions_page_lists_devices_and_marks_this_one(app: Flask) -> None:
    make_user(app)
    device(app, PHONE)
    laptop = device(app, LAPTOP)
    page = laptop.get("/auth/sessions").get_data(as_text=True)
    assert "iPhone" in page and "Firefox/133.0" in page
    assert page.count("This session") == 1
    current = page.index("session-current")
    assert page.index("Firefox/133.0") > current  # the mark is on the laptop's row
    assert "Log out everywhere else" in page


def test_a_single_session_says_so(app: Flask) -> None:
    make_user(app)
    page = device(app, LAPTOP).get("/auth/sessions").get_data(as_text=True)
    assert "You are not logged in anywhere else." in page
    assert "Log out everywhere else" not in page


def test_log_out_everywhere_else(any_app: Flask) -> None:
    make_user(any_app)
    phone = device(any_app, PHONE, remember=True)
    phone_remember = phone.get_cookie("remember_token").value
    tablet = device(any_app, "Tablet")
    laptop = device(any_app, LAPTOP)
    response = laptop.post("/auth/sessions/others/end", follow_redirects=True)
    assert "Logged out everywhere else (2 other sessions)." in response.get_data(as_text=True)
    assert is_logged_in(laptop)
    assert not is_logged_in(phone) and not is_logged_in(tablet)
    assert not opens_the_week(any_app, remember_token=phone_remember)
    assert session_rows(any_app) == 1


def test_ending_one_session_from_the_page(app: Flask) -> None:
    make_user(app)
    phone = device(app, PHONE)
    laptop = device(app, LAPTOP)
    with app.app_context():
        phone_id = db.session.scalar(select(UserSession.id).where(UserSession.user_agent == PHONE))
    response = laptop.post(f"/auth/sessions/{phone_id}/end", follow_redirects=True)
    assert "That session has been logged out." in response.get_data(as_text=True)
    assert not is_logged_in(phone) and is_logged_in(laptop)


def test_another_users_session_is_a_404(app: Flask) -> None:
    make_user(app)
    make_user(app, email="eve@example.com", name="Eve")
    victim = device(app, PHONE)
    eve = app.test_client()
    log_in(eve, email="eve@example.com")
    with app.app_context():
        victim_id = db.session.scalar(select(UserSession.id).where(UserSession.user_agent == PHONE))
    assert eve.post(f"/auth/sessions/{victim_id}/end").status_code == 404
    assert eve.post("/auth/sessions/2147483648/end").status_code == 404
    assert is_logged_in(victim)


def test_the_sessions_page_needs_login(client) -> None:
    response = client.get("/auth/sessions")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_database_keeps_no_usable_key(app: Flask) -> None:
    make_user(app)
    client = device(app, LAPTOP)
    with client.session_transaction() as session:
        key = session["_user_id"]
    with app.app_context():
        stored = db.session.scalar(select(UserSession.key_hash))
    assert key not in stored and len(stored) == 64


def test_last_seen_is_written_at_most_once_a_minute(any_app: Flask) -> None:
    make_user(any_app)
    client = device(any_app, LAPTOP)
    writes: list[str] = []
    with any_app.app_context():
        engine = db.engine

    def count_writes(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("UPDATE USER_SESSIONS"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", count_writes)
    try:
        for _ in range(5):
            assert client.get("/week").status_code == 200
        assert writes == []
        with any_app.app_context():
            db.session.execute(
                update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=2))
            )
            db.session.commit()
        writes.clear()
        for _ in range(5):
            assert client.get("/week").status_code == 200
        assert len(writes) == 1
    finally:
        event.remove(engine, "before_cursor_execute", count_writes)
    with any_app.app_context():
        seen = db.session.scalar(select(UserSession.last_seen_at))
    assert utcnow() - seen < timedelta(seconds=30)


@pytest.mark.parametrize("user_agent", ["\x00evil\u202e", "x" * 5000])
def test_an_odd_user_agent_is_stored_cleaned_and_cut(any_app: Flask, user_agent: str) -> None:
    make_user(any_app)
    client = device(any_app, user_agent)
    assert is_logged_in(client)
    with any_app.app_context():
        stored = db.session.scalar(select(UserSession.user_agent))
    assert "\x00" not in stored and "\u202e" not in stored and len(stored) <= 255


def test_noting_the_visit_keeps_a_form_posts_write_lock(app: Flask) -> None:
    """On SQLite a form post holds the write lock from its first statement; the "last seen"
    commit in the user loader must not leave the rest of the request without it."""
    from flask_login import current_user, login_required

    from services.platform.transactions import holds_write_lock

    @app.post("/probe-write-lock")
    @login_required
    def probe() -> dict[str, bool]:
        return {"locked": holds_write_lock(), "signed_in": current_user.is_authenticated}

    make_user(app)
    client = device(app, LAPTOP)
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    assert client.post("/probe-write-lock").get_json() == {"locked": True, "signed_in": True}
    with app.app_context():
        seen = db.session.scalar(select(UserSession.last_seen_at))
    assert utcnow() - seen < timedelta(seconds=30)  # the visit was noted

"""The login page as a visitor first sees it, rendered once per process (issue 12).

``GET /auth/login`` with no ``next`` and no flash message waiting is the same page for every
visitor but for the CSRF token: no form data, no error, no user (a signed-in user is sent on
before). So it is rendered once, kept as UTF-8 pieces split at the token (as the week cache does,
``routes/dashboard/week_cache.py``), and joined with the session's own token for each response;
the token still comes from Flask-WTF (``generate_csrf``), so the session gets its CSRF secret and
a POST is checked exactly as before. Kept per app and script root (the links); not kept in debug
mode, where templates are edited while the server runs. ``tests/test_auth_login.py`` checks the
kept page against a fresh rendering.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf

from routes.auth.forms import LoginForm
from routes.dashboard.week_cache import Body, fill_body

EXTENSION_KEY = "timesheet.login_page"


def can_serve_kept_page(next_path: str | None) -> bool:
    """A GET whose page would be the plain one: no ``next`` to carry, no message to show."""
    return (
        request.method == "GET"
        and not next_path
        and "_flashes" not in session
        and not current_app.debug
    )


def render_login_page(form: LoginForm, **context: Any) -> str:
    return render_template("auth/login.html", form=form, **context)


def kept_login_page() -> Response:
    pages: dict[str, Body] = current_app.extensions.setdefault(EXTENSION_KEY, {})
    body = pages.get(request.script_root)
    if body is None:
        body = pages.setdefault(request.script_root, render_blank_page())
    if len(body) == 1:  # CSRF protection is off (the tests' settings): no token to put in
        return Response(body[0], mimetype="text/html")
    return Response(fill_body(body, generate_csrf()), mimetype="text/html")


def render_blank_page() -> Body:
    """The page for an empty form, split at this request's CSRF token (it appears once)."""
    form = LoginForm()
    html = render_login_page(form, error=None, resend_form=None, next_path=None)
    csrf_field: Any = getattr(form, "csrf_token", None)  # absent when CSRF protection is off
    token = csrf_field.current_token if csrf_field is not None else None
    if not token:
        return (html.encode(),)
    if html.count(token) != 1:
        raise RuntimeError("the login page should hold its CSRF token once")
    return tuple(html.encode().split(token.encode()))

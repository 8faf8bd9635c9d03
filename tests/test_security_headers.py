"""Security headers on every response, and templates the Content-Security-Policy can allow.

The policy refuses inline scripts and styles: ``test_templates_have_no_inline_script_or_style``
keeps them out of the templates, the browser suite checks that no page reports a violation
(``tests/browser/conftest.py:csp_violations``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from extensions import db
from models import Invitation, Timer
from models.columns import utcnow
from services.teams.invitations import hash_token
from tests.architecture.test_config import production
from tests.conftest import ROOT
from tests.team_support import team_of
from tests.timesheet_support import add_entry, add_project, add_report, add_task, signed_in
from wiring.security_headers import CONTENT_SECURITY_POLICY

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
TEMPLATES = ROOT / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def assert_secure(response, where: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (where, name, response.headers.get(name))
    policy = response.headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy, where
    assert "Strict-Transport-Security" not in response.headers, where  # not outside production


def test_the_policy_allows_nothing_inline_and_no_framing() -> None:
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


def add_invitation(app: Flask, team_id: int, inviter_id: int) -> int:
    with app.app_context():
        invitation = Invitation(
            team_id=team_id,
            email="nia@example.com",
            role="member",
            token_hash=hash_token("t" * 43),
            expires_at=utcnow() + timedelta(days=1),
            invited_by_id=inviter_id,
        )
        db.session.add(invitation)
        db.session.commit()
        return invitation.id


def every_page(app: Flask) -> tuple[FlaskClient, list[str]]:
    """A client signed in as the owner of one of everything, and the path of every GET page."""
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id)
    task_id = add_task(app, project_id)
    entry_id = add_entry(app, user_id, task_id, date(2026, 11, 18))
    report_id = add_report(app, user_id)
    ids = {"project_id": project_id, "task_id": task_id, "entry_id": entry_id}
    ids["report_id"] = report_id
    ids["invitation_id"] = add_invitation(app, team_of(app, user_id), user_id)
    with app.app_context():  # a running timer (its API resource is a 404 without one)
        db.session.add(Timer(user_id=user_id, task_id=task_id, started_at=utcnow()))
        db.session.commit()
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        path = rule.rule
        for argument in rule.arguments:
            number = str(ids.get(argument, 1))
            path = re.sub(rf"<int(\([^)]*\))?:{argument}>", number, path)
            path = path.replace(f"<{argument}>", "not-a-token")
        paths.append(path)
    return client, paths


def test_every_page_gets_the_headers(app: Flask) -> None:
    client, paths = every_page(app)
    anonymous = app.test_client()
    assert len(paths) >= 15
    for path in paths:
        for who, c in [("signed in", client), ("anonymous", anonymous)]:
            assert_secure(c.get(path), f"{who} GET {path}")


def test_errors_redirects_static_files_and_plain_answers_get_the_headers(app: Flask) -> None:
    client, _ = signed_in(app)
    responses = {
        "404": client.get("/no/such/page"),
        "405": client.delete("/auth/login"),
        "415": client.post("/projects/new", json={"name": "x"}),
        "redirect": client.post("/auth/logout"),
        "static css": client.get("/static/style.css"),
        "static js": client.get("/static/report-progress.js"),
        "healthz": client.get("/healthz"),
    }
    for where, response in responses.items():
        response.close()
        assert_secure(response, where)


def test_a_view_may_set_its_own_value(app: Flask) -> None:
    @app.get("/probe-own-policy")
    def probe() -> tuple[str, int, dict[str, str]]:
        return (
            "ok",
            200,
            {
                "Content-Security-Policy": "default-src 'none'",
                "x-frame-options": "SAMEORIGIN",  # names match whatever their case
            },
        )

    response = app.test_client().get("/probe-own-policy")
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_in_production_only(tmp_path: Path) -> None:
    app = production(
        tmp_path,
        SECRET_KEY="k" * 48,
        SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "x.sqlite3"),
        TRUSTED_HOSTS=["localhost"],
    )
    response = app.test_client().get("/healthz", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_csv_download_is_an_attachment_that_is_never_sniffed(app: Flask) -> None:
    client, user_id = signed_in(app)
    folder = Path(app.instance_path) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report-done.csv").write_text("<script>alert(1)</script>\n")
    report_id = add_report(app, user_id, status="done", progress=100, file_name="report-done.csv")
    response = client.get(f"/reports/{report_id}/download")
    response.close()  # a file response: the test client leaves it open
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.mimetype == "text/csv"


def template_files() -> list[Path]:
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) >= 20
    return files


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL])
def test_templates_have_no_inline_script_or_style(pattern: re.Pattern[str]) -> None:
    """The policy would block them: a page that relies on one is broken in every browser."""
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in template_files()
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_rendered_pages_have_no_inline_script_or_style(app: Flask) -> None:
    client, paths = every_page(app)
    for path in paths:
        response = client.get(path)
        # A report that is not ready: 404 on the page, 409 from the API.
        expected = (404, 409) if path.endswith("/download") else (200, 302, 400)
        if "not-a-token" in path:
            expected = (200, 400, 404, 422)  # a made-up token or week: an answer that says so
        if path == "/readyz":
            expected = (200, 503)  # no worker heartbeat in this test
        assert response.status_code in expected, (path, response.status_code)
        page = response.get_data(as_text=True)
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
            assert not pattern.search(page), (path, pattern.pattern)

"""Error pages: 400, 403, 404, 405 and 500, as HTML and as JSON for clients that ask for JSON.
A row added before a crash is not stored and the next request works: Flask-SQLAlchemy removes
the session at the end of every app context. The 500 handler rolls back first for its own sake:
after a failed SQL statement PostgreSQL refuses every further query in the transaction, and the
error page may need one (the signed-in user in the nav)."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask, abort
from sqlalchemy import text

from extensions import db
from models import Project
from tests.conftest import make_user
from tests.team_support import personal_team_id, team_of
from tests.timesheet_support import count

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def probe_blueprint(team_id: int) -> Blueprint:
    bp = Blueprint("error_probe", __name__, url_prefix="/_probe")

    @bp.get("/bad")
    def bad() -> str:
        abort(400, description="The probe asked for a 400.")

    @bp.get("/forbidden")
    def forbidden() -> str:
        abort(403)

    @bp.post("/post-only")
    def post_only() -> str:
        return "posted"

    @bp.get("/crash")
    def crash() -> str:
        db.session.add(Project(team_id=team_id, name="half-written"))
        db.session.flush()  # the row is in the transaction, sent to the database
        raise RuntimeError("boom")

    @bp.get("/sql-crash")
    def sql_crash() -> str:
        db.session.add(Project(team_id=team_id, name="also half-written"))
        db.session.flush()
        db.session.execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    @bp.get("/count")
    def count_projects() -> str:
        return str(db.session.scalar(db.select(db.func.count()).select_from(Project)))

    return bp


@pytest.fixture
def error_app(any_app: Flask) -> Flask:
    owner_id = make_user(any_app)
    any_app.register_blueprint(probe_blueprint(team_of(any_app, owner_id)))
    # Testing apps re-raise exceptions to the test by default; we want the real 500 page.
    any_app.config["PROPAGATE_EXCEPTIONS"] = False
    return any_app


CASES = [
    ("GET", "/_probe/bad", 400, "Bad Request", "The probe asked for a 400."),
    ("GET", "/_probe/forbidden", 403, "Forbidden", "permission"),
    ("GET", "/no/such/page", 404, "Not Found", "not found"),
    ("GET", "/_probe/post-only", 405, "Method Not Allowed", "not allowed"),
    ("GET", "/_probe/crash", 500, "Internal Server Error", "Nothing was saved"),
]


@pytest.mark.parametrize(("method", "url", "code", "name", "message"), CASES)
def test_error_page_in_html(error_app: Flask, method, url, code, name, message) -> None:
    response = error_app.test_client().open(url, method=method, headers=HTML)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"<h1>{code} · {name}</h1>" in page
    assert message in page
    assert "Traceback" not in page and "boom" not in page


@pytest.mark.parametrize(("method", "url", "code", "name", "message"), CASES)
def test_error_page_in_json(error_app: Flask, method, url, code, name, message) -> None:
    response = error_app.test_client().open(url, method=method, headers=JSON)
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == name
    assert message in body["message"]
    assert "boom" not in response.get_data(as_text=True)


def test_405_keeps_the_allow_header(error_app: Flask) -> None:
    for headers in (HTML, JSON):
        response = error_app.test_client().get("/_probe/post-only", headers=headers)
        assert response.status_code == 405
        assert "POST" in response.headers["Allow"]


def test_a_browser_accepting_anything_gets_html(error_app: Flask) -> None:
    client = error_app.test_client()
    for headers in ({}, {"Accept": "*/*"}, HTML):
        assert client.get("/no/such/page", headers=headers).mimetype == "text/html"


@pytest.mark.parametrize("url", ["/_probe/crash", "/_probe/sql-crash"])
def test_500_stores_nothing_and_the_next_request_works(error_app: Flask, url: str) -> None:
    client = error_app.test_client()
    response = client.get(url)
    assert response.status_code == 500
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert count(error_app, Project) == 0  # the flushed row was rolled back
    # The same client (and the same scoped session machinery) carries on normally.
    after = client.get("/_probe/count")
    assert after.status_code == 200 and after.get_data(as_text=True) == "0"
    assert client.get("/healthz").status_code == 200


def test_the_500_handler_itself_rolls_back(error_app: Flask) -> None:
    """Call the handler inside a request whose session holds an unflushed row: after it, the
    session is clean (the page it renders may query the database: it must not write)."""
    from werkzeug.exceptions import InternalServerError

    from routes.site import internal_error

    owner_id = make_user(error_app, email="grace@example.com")
    with error_app.test_request_context("/"):
        db.session.add(Project(team_id=personal_team_id(owner_id), name="pending"))
        db.session.flush()
        _, status = internal_error(InternalServerError())
        assert status == 500
        assert not db.session.new and not db.session.dirty
        db.session.commit()  # would store "pending" if the handler had not rolled back
    assert count(error_app, Project) == 0


def test_500_page_for_a_signed_in_user_after_a_failed_statement(error_app: Flask) -> None:
    """The error page shows the nav of the signed-in user, which needs a query: on PostgreSQL,
    after the failed statement, that only works because the handler rolled back first (without
    the rollback the page itself fails: "current transaction is aborted")."""
    from tests.conftest import login

    user_id = make_user(error_app, email="grace@example.com", name="Grace")
    client = error_app.test_client()
    login(client, error_app, user_id)
    response = client.get("/_probe/sql-crash", headers=HTML)
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "<h1>500 · Internal Server Error</h1>" in page
    assert "Grace" in page
    assert count(error_app, Project) == 0

"""Every API error is application/problem+json with type, title, status and detail, whatever
raised it: routing (404, 405), the body (400 malformed JSON, 415), validation (422), a crash
(500, without internals). The web pages keep their HTML error pages."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.api_support import assert_problem, owner_with_task
from tests.conftest import dispose, make_app


def test_unknown_api_route_is_a_404_problem(app: Flask) -> None:
    assert_problem(app.test_client().get("/api/v1/nothing-here"), 404)
    assert_problem(app.test_client().get("/api/v1/projects/0"), 404)
    assert_problem(app.test_client().get("/api/v1/projects/99999999999999999999"), 404)


def test_the_web_pages_keep_their_html_error_page(app: Flask) -> None:
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_wrong_method_is_a_405_problem_with_allow(app: Flask) -> None:
    response = app.test_client().put("/api/v1/projects", json={})
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_malformed_json_is_a_400_problem(app: Flask) -> None:
    owner = owner_with_task(app)
    response = app.test_client().post(
        "/api/v1/projects",
        data=b'{"name": ',
        headers={**owner.headers, "Content-Type": "application/json"},
    )
    assert assert_problem(response, 400)["type"].endswith("#problem-malformed-json")


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("name=Gemini", "application/x-www-form-urlencoded"), ("Gemini", "text/plain")],
)
def test_a_body_that_is_not_json_is_a_415_problem(app: Flask, data: str, content_type) -> None:
    owner = owner_with_task(app)
    headers = {**owner.headers, "Content-Type": content_type}
    response = app.test_client().post("/api/v1/projects", data=data, headers=headers)
    assert_problem(response, 415)


def test_no_body_at_all_is_missing_fields_not_a_wrong_type(app: Flask) -> None:
    """A POST with no body is fine for an action (``POST /timer/stop``); where fields are
    required, it is a 422 naming them."""
    owner = owner_with_task(app)
    response = app.test_client().post("/api/v1/projects", headers=owner.headers)
    assert "name" in assert_problem(response, 422)["errors"]


def test_invalid_fields_are_a_422_problem_with_field_errors(app: Flask) -> None:
    owner = owner_with_task(app)
    response = app.test_client().post(
        "/api/v1/entries", json={"task_id": "x", "minutes": 1.5}, headers=owner.headers
    )
    body = assert_problem(response, 422)
    assert set(body["errors"]) == {"task_id", "minutes", "started_at"}
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def test_a_json_body_that_is_not_an_object_is_a_422_problem(app: Flask) -> None:
    owner = owner_with_task(app)
    response = app.test_client().post("/api/v1/projects", json=[1, 2], headers=owner.headers)
    assert_problem(response, 422)


def test_a_crash_is_a_500_problem_without_internals(sqlite_template, tmp_path, monkeypatch) -> None:
    import shutil

    shutil.copyfile(sqlite_template, tmp_path / "db.sqlite3")
    app = make_app(
        f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "i", PROPAGATE_EXCEPTIONS=False
    )
    try:
        owner = owner_with_task(app)
        from services.projects import projects

        def explode(*args, **kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr(projects, "list_projects", explode)
        response = app.test_client().get("/api/v1/projects", headers=owner.headers)
        body = assert_problem(response, 500)
        assert "secret internals" not in response.get_data(as_text=True)
        assert "RuntimeError" not in body["detail"]
    finally:
        dispose(app)


def test_the_api_extension_adds_no_error_handler_of_its_own() -> None:
    """flask-smorest's Api registers an app-wide HTTPException handler in init_app; ours must
    not, or it would answer the web pages' errors (whichever handler is registered last wins,
    so the order of two lines in app.py would decide)."""
    from flask import Flask as Bare

    from config import BaseConfig
    from extensions import ProblemApi

    bare = Bare(__name__)
    bare.config.from_object(BaseConfig)
    ProblemApi().init_app(bare)
    assert bare.error_handler_spec.get(None, {}) == {}


def test_a_database_outage_is_a_503_problem(tmp_path) -> None:
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", tmp_path)
    try:
        response = app.test_client().get(
            "/api/v1/projects", headers={"Authorization": "Bearer tsh_any-token-at-all"}
        )
        assert assert_problem(response, 503)["detail"]
        assert response.headers["Retry-After"] == "30"
    finally:
        dispose(app)

from flask import Flask


def test_healthz_reports_database_ok(any_app: Flask) -> None:
    response = any_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_database_is_unreachable(tmp_path) -> None:
    from tests.conftest import dispose, make_app

    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"
    dispose(app)


def test_index_page_renders(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"Timesheet" in response.data

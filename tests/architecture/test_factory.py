"""Guard 5: create_app() is a real factory: two apps in one process are independent and work."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.conftest import dispose, make_user


def test_two_apps_in_one_process_both_work(
    app: Flask, sqlite_template: Path, tmp_path: Path
) -> None:
    import shutil

    from tests.conftest import make_app

    first_key = app.config["SECRET_KEY"]
    other_db = tmp_path / "other.sqlite3"
    shutil.copyfile(sqlite_template, other_db)
    other = make_app(f"sqlite:///{other_db}", tmp_path / "other-instance", SECRET_KEY="k" * 40)

    assert other is not app
    # An override reaches the app it was given to, and only that one.
    assert other.config["SECRET_KEY"] == "k" * 40
    assert app.config["SECRET_KEY"] == first_key != "k" * 40
    # Each app's Celery is its own, configured from its own instance folder (no shared dict).
    other_celery, first_celery = other.extensions["celery"], app.extensions["celery"]
    assert other_celery is not first_celery
    assert other.instance_path in other_celery.conf.broker_url
    assert app.instance_path in first_celery.conf.broker_url
    assert other.instance_path not in first_celery.conf.broker_url
    make_user(app, email="only-in-first@example.com")
    for each in (app, other):
        response = each.test_client().get("/healthz")
        assert response.status_code == 200
    from extensions import db
    from models import User

    with other.app_context():
        assert db.session.query(User).count() == 0
    with app.app_context():
        assert db.session.query(User).count() == 1
    dispose(other)


def test_the_factory_does_not_create_tables(tmp_path: Path) -> None:
    """Guard 6, at run time: an app on an empty database leaves it empty (schema = migrations)."""
    from sqlalchemy import inspect

    from extensions import db
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path / "instance")
    app.test_client().get("/healthz")
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
    dispose(app)

"""``gunicorn.conf.py``'s memory settings, without starting gunicorn: the app is preloaded in the
arbiter, the arbiter's objects are frozen out of the collector before a fork, and a forked
worker's engines start with empty pools. (Serving through gunicorn: tests/test_gunicorn.py.)"""

from __future__ import annotations

import gc
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import text

from extensions import db

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load_settings() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gunicorn_settings_under_test", CONF)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_the_app_is_preloaded_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    assert load_settings().preload_app is True
    monkeypatch.setenv("GUNICORN_PRELOAD", "0")
    assert load_settings().preload_app is False


def test_pre_fork_freezes_what_the_arbiter_holds(unfrozen: None) -> None:
    gc.unfreeze()
    load_settings().pre_fork(None, None)
    assert gc.get_freeze_count() > 0


def test_a_forked_worker_does_not_reuse_the_arbiters_connections(app: Flask) -> None:
    with app.app_context():
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        assert db.engine.pool.checkedin() == 1  # kept in the pool, as the arbiter would
    worker = SimpleNamespace(app=SimpleNamespace(callable=app))
    load_settings().post_fork(None, worker)
    with app.app_context():
        assert db.engine.pool.checkedin() == 0


@pytest.mark.parametrize("preloaded", [None, Flask("no_database")], ids=["not preloaded", "no db"])
def test_post_fork_without_a_preloaded_database_app(preloaded: Flask | None) -> None:
    load_settings().post_fork(None, SimpleNamespace(app=SimpleNamespace(callable=preloaded)))

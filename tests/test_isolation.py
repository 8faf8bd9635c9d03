"""Guard 10: each test runs alone. A row committed by one test is invisible to the next, on both
databases; pytest runs these in file order, so the second test checks what the first left."""

from __future__ import annotations

from flask import Flask, has_app_context
from sqlalchemy import func, select

from extensions import db
from models import User
from tests.conftest import make_user

MARKER = "isolation-probe@example.com"


def count_probe_users(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).where(User.email == MARKER))


def test_first_commits_a_row(any_app: Flask) -> None:
    make_user(any_app, email=MARKER)
    assert count_probe_users(any_app) == 1


def test_second_does_not_see_it(any_app: Flask) -> None:
    assert count_probe_users(any_app) == 0


def test_ids_restart_for_every_test(any_app: Flask) -> None:
    assert make_user(any_app, email="first@example.com") == 1


def test_no_app_context_is_pushed_for_a_test(app: Flask) -> None:
    assert not has_app_context()


def test_a_leaked_app_context_fails_the_test(pytester, monkeypatch) -> None:
    """The guard itself: a test that pushes a context and never pops it is reported."""
    from tests.conftest import ROOT

    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest("pytest_plugins = ['tests.conftest']")
    pytester.makepyfile(
        """
        def test_leaks(app):
            app.app_context().push()
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*this test left an app context pushed*"])

"""Guard 10: each test runs alone. A row committed by one test is invisible to the next, on both
databases, whatever order the tests run in.

A pair of tests where the first commits and the second checks depends on that order: run alone,
or reversed, the checking test passes against any fixture, leaking or not. So the check runs a
small suite of its own (pytester): two tests that each expect an empty table and ids from 1, then
commit a row. With the real fixtures both pass, in file order and reversed; with a fixture that
deliberately shares its database, whichever runs second fails, in both orders.
"""

from __future__ import annotations

import pytest
from flask import Flask, has_app_context

from tests.conftest import ROOT, postgres_admin_url, require

LEAKING_FIXTURES = '''
import shutil

import pytest

from tests.conftest import dispose, make_app

pytest_plugins = ["tests.conftest"]


@pytest.fixture(scope="session")
def leaking_sqlite_app(sqlite_template, tmp_path_factory):
    """The trap: one database file for the whole run."""
    folder = tmp_path_factory.mktemp("shared")
    shutil.copyfile(sqlite_template, folder / "shared.sqlite3")
    app = make_app(f"sqlite:///{folder / 'shared.sqlite3'}", folder / "instance")
    yield app
    dispose(app)


@pytest.fixture
def leaking_pg_app(pg_database_url, tmp_path):
    """The trap: the PostgreSQL fixture without its truncation."""
    app = make_app(pg_database_url, tmp_path / "instance")
    yield app
    dispose(app)
'''

PROBE_TEST = """
def test_{fixture}_{name}(request):
    app = request.getfixturevalue({fixture!r})
    with app.app_context():
        left_over = db.session.scalar(select(func.count()).select_from(User))
    user_id = make_user(app, email="{name}@example.com")
    assert (left_over, user_id) == (0, 1), "rows or ids left by another test"
"""
HEADER = """
from sqlalchemy import func, select

from extensions import db
from models import User
from tests.conftest import make_user
"""


def run_probe_suite(pytester: pytest.Pytester, fixtures: tuple[str, str], names: list[str]):
    """Each fixture gets the two probe tests, in the order given by ``names``."""
    pytester.makeconftest(LEAKING_FIXTURES)
    tests = "".join(
        PROBE_TEST.format(fixture=fixture, name=name) for fixture in fixtures for name in names
    )
    pytester.makepyfile(test_probe=HEADER + tests)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore", "-v")


@pytest.mark.parametrize("names", [["one", "two"], ["two", "one"]], ids=["in_order", "reversed"])
@pytest.mark.parametrize(
    "fixtures",
    [
        pytest.param(("app", "leaking_sqlite_app"), id="sqlite"),
        pytest.param(("pg_app", "leaking_pg_app"), id="postgres", marks=pytest.mark.postgres),
    ],
)
def test_no_test_sees_another_tests_rows_in_either_order(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    fixtures: tuple[str, str],
    names: list[str],
) -> None:
    """With the real fixture both probe tests pass; with the leaking one (the guard's own
    proof) the second one fails, whichever of the two runs first."""
    real, leaking = fixtures
    if real == "pg_app":
        require(bool(postgres_admin_url()), "PostgreSQL (TEST_DATABASE_URL)")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = run_probe_suite(pytester, fixtures, names)
    first, second = names
    result.stdout.fnmatch_lines(
        [
            f"*test_{real}_{first} PASSED*",
            f"*test_{real}_{second} PASSED*",
            f"*test_{leaking}_{first} PASSED*",
            f"*test_{leaking}_{second} FAILED*",
        ]
    )
    result.stdout.fnmatch_lines(["*rows or ids left by another test*"])
    result.assert_outcomes(passed=3, failed=1)


def test_no_app_context_is_pushed_for_a_test(app: Flask) -> None:
    assert not has_app_context()


def test_a_leaked_app_context_fails_the_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard itself: a test that pushes a context and never pops it is reported."""
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

"""The week page renders in time that does not grow per row with framework work: no ``url_for``
and no CSRF-token call per entry (the links come from patterns built once), and the patterns give
exactly the URLs ``url_for`` gives."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import flask_wtf.csrf
import pytest
from flask import Flask, url_for
from werkzeug.routing import MapAdapter

from routes.url_patterns import id_url
from tests.test_query_counts import fill_week, projects_with_tasks
from tests.timesheet_support import signed_in

WEEK = "/week?week=2026-W47"


@contextmanager
def counted_calls(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Count URL builds per endpoint (every ``url_for``, in Python or a template, ends in
    ``MapAdapter.build``) and the templates' ``csrf_token()`` calls."""
    calls: Counter[str] = Counter()
    build = MapAdapter.build

    def counting_build(adapter: MapAdapter, endpoint: str, *args: Any, **kwargs: Any) -> str:
        calls[endpoint] += 1
        return build(adapter, endpoint, *args, **kwargs)

    token = flask_wtf.csrf.generate_csrf

    def counting_token(*args: Any, **kwargs: Any) -> str:
        calls["csrf_token()"] += 1
        return token(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(MapAdapter, "build", counting_build)
        # Templates reach it through a global and through Flask-WTF's context processor.
        patch.setitem(app.jinja_env.globals, "csrf_token", counting_token)
        patch.setattr(flask_wtf.csrf, "generate_csrf", counting_token)
        yield calls


@pytest.mark.parametrize("object_id", [1, 7, 42, 123456])
def test_id_url_gives_what_url_for_gives(app: Flask, object_id: int) -> None:
    with app.test_request_context():
        for endpoint, arg in (
            ("entries.edit", "entry_id"),
            ("entries.delete", "entry_id"),
            ("projects.show", "project_id"),
        ):
            assert id_url(endpoint, arg)(object_id) == url_for(endpoint, **{arg: object_id})
        # With the same other arguments on every row (the team week's link to a person's week).
        person = id_url("approvals.person_week", "user_id", week="2026-W47")
        expected = url_for("approvals.person_week", user_id=object_id, week="2026-W47")
        assert person(object_id) == expected


def test_id_url_refuses_an_endpoint_without_that_argument(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(Exception, match="entry_id"):
        id_url("dashboard.week", "entry_id")


def test_week_links_are_the_routes_links(app: Flask) -> None:
    client, user_id = signed_in(app)
    fill_week(app, user_id, projects_with_tasks(app, user_id, 2, 2), 6)
    page = client.get(WEEK).get_data(as_text=True)
    edits = re.findall(r'href="(/entries/\d+/edit)"', page)
    deletes = re.findall(r'href="(/entries/\d+/delete)"', page)
    assert len(edits) == len(deletes) == 6
    with app.test_request_context():
        ids = [int(link.split("/")[2]) for link in edits]
        assert edits == [url_for("entries.edit", entry_id=i) for i in ids]
        assert deletes == [url_for("entries.delete", entry_id=i) for i in ids]
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', page)
    assert len(set(tokens)) == 1  # one token, fetched once
    # the week's submission, the timer strip's start form, the time zone offer and the logout
    # form: the rows carry none (Delete leads to the confirmation page)
    assert len(tokens) == 4


def test_url_builds_and_token_calls_do_not_grow_with_entries(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["WEEK_CACHE_MAX_BYTES"] = 0  # measure the rendering, not the cache
    small, small_id = signed_in(app, email="small@example.com")
    big, big_id = signed_in(app, email="big@example.com")
    fill_week(app, small_id, projects_with_tasks(app, small_id, 1, 1), 2)
    fill_week(app, big_id, projects_with_tasks(app, big_id, 3, 2), 120)
    counts = []
    for client in (small, big):
        client.get(WEEK)  # warm-up
        with counted_calls(app, monkeypatch) as calls:
            assert client.get(WEEK).status_code == 200
        counts.append(calls)
    assert counts[0] == counts[1], f"2 entries: {dict(counts[0])}; 120 entries: {dict(counts[1])}"


def test_week_page_builds_no_orm_objects_for_its_rows(app: Flask) -> None:
    """The page only reads its entries: slim rows, not TimeEntry/Task/Project instances."""
    from sqlalchemy import event

    from models import Project, Task, TimeEntry

    client, user_id = signed_in(app)
    fill_week(app, user_id, projects_with_tasks(app, user_id, 2, 2), 20)
    loaded: list[object] = []

    def record(target: object, _context: object) -> None:
        loaded.append(target)

    for model in (Project, Task, TimeEntry):
        event.listen(model, "load", record)
    try:
        page = client.get(WEEK).get_data(as_text=True)
    finally:
        for model in (Project, Task, TimeEntry):
            event.remove(model, "load", record)
    assert page.count("/edit") == 20
    assert loaded == []

"""Lists: a limit, a stable order (ties broken by id), RFC 8288 Link headers and X-Total-Count."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask

from tests.api_support import assert_problem, owner_with_task
from tests.timesheet_support import add_entry, add_project

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response.headers["Link"])}


def test_pages_walk_every_entry_once_in_a_stable_order(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    # Same day, same start: only the id tells them apart, so the order must use it.
    created = [
        add_entry(any_app, owner.user_id, owner.task_id, date(2026, 11, 16), minutes=5)
        for _ in range(7)
    ]
    client = any_app.test_client()
    seen: list[int] = []
    url = "/api/v1/entries?limit=3&from=2026-11-01"
    pages = 0
    while url:
        response = client.get(url, headers=owner.headers)
        assert response.status_code == 200
        assert response.headers["X-Total-Count"] == "7"
        seen += [entry["id"] for entry in response.get_json()]
        found = links(response)
        assert "first" in found and "last" in found
        assert "limit=3" in found["last"] and "from=2026-11-01" in found["last"]
        assert ("prev" in found) == (pages > 0)
        url = found.get("next")
        pages += 1
    assert pages == 3
    assert seen == sorted(created, reverse=True)


def test_a_page_past_the_end_is_empty_with_links_back(app: Flask) -> None:
    owner = owner_with_task(app)
    response = app.test_client().get("/api/v1/projects?page=5", headers=owner.headers)
    assert response.status_code == 200 and response.get_json() == []
    assert "next" not in links(response) and "page=1" in links(response)["last"]


def test_projects_are_listed_by_name_then_id(app: Flask) -> None:
    owner = owner_with_task(app)
    for name in ("beta", "Alpha", "gamma"):
        add_project(app, owner.user_id, name)
    response = app.test_client().get("/api/v1/projects?limit=2", headers=owner.headers)
    assert [p["name"] for p in response.get_json()] == ["Alpha", "Apollo"]
    assert "page=2" in links(response)["next"]


def test_limit_and_page_out_of_range_are_422(app: Flask) -> None:
    owner = owner_with_task(app)
    client = app.test_client()
    for query in ("limit=0", "limit=101", "page=0", "page=x"):
        assert_problem(client.get(f"/api/v1/entries?{query}", headers=owner.headers), 422)


def test_an_unknown_query_parameter_is_422(app: Flask) -> None:
    owner = owner_with_task(app)
    add_entry(app, owner.user_id, owner.task_id, date(2020, 1, 1))
    response = app.test_client().get("/api/v1/entries?form=2026-11-01", headers=owner.headers)
    assert "form" in assert_problem(response, 422)["errors"]

"""Lost updates through the API: reads and creates carry an ``ETag``; a ``PATCH`` or ``DELETE``
needs ``If-Match`` (428 without), and a stale tag is a 412 problem with nothing changed
(``routes/api/blueprint.py:ResourceBlueprint``). Two clients with the same tag at the same moment
on PostgreSQL: one change wins, the other is a 412 (the row is locked before the check)."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from services.projects import projects as project_service
from tests.api_support import Owner, assert_problem, fresh, owner_with_task
from tests.timesheet_support import snapshot

ENTRY = {"started_at": "2026-11-16T09:00:00+00:00", "minutes": 30}


def objects(client, owner: Owner) -> list[tuple[str, dict, bool]]:
    """(url, a change, may be deleted) of a project, a task and an entry of the owner's."""
    entry = client.post(
        "/api/v1/entries", json={**ENTRY, "task_id": owner.task_id}, headers=owner.headers
    )
    assert entry.status_code == 201
    return [
        (f"/api/v1/projects/{owner.project_id}", {"name": "Renamed"}, False),
        (f"/api/v1/tasks/{owner.task_id}", {"name": "Renamed"}, False),
        (entry.headers["Location"], {"minutes": 45}, True),
    ]


def test_a_stale_if_match_is_a_412_and_changes_nothing(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    for url, change, deletable in objects(client, owner):
        first = fresh(client, url, owner.headers)  # client A reads
        second = fresh(client, url, owner.headers)  # client B reads the same version
        assert first == second
        assert client.patch(url, json=change, headers=first).status_code == 200  # A changes it
        before = snapshot(any_app)
        stale = client.patch(url, json=change, headers=second)
        assert "changed since you read it" in assert_problem(stale, 412)["detail"]
        if deletable:
            assert_problem(client.delete(url, headers=second), 412)
        assert snapshot(any_app) == before, url
        # B reads again and sends its change with the new tag.
        again = client.patch(url, json=change, headers=fresh(client, url, owner.headers))
        assert again.status_code == 200, url


def test_a_change_without_if_match_is_a_428(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    for url, change, deletable in objects(client, owner):
        before = snapshot(any_app)
        missing = client.patch(url, json=change, headers=owner.headers)
        assert "If-Match" in assert_problem(missing, 428)["detail"]
        if deletable:
            assert_problem(client.delete(url, headers=owner.headers), 428)
        assert snapshot(any_app) == before
        read = client.get(url, headers=owner.headers)
        again = client.get(url, headers={**owner.headers, "If-None-Match": read.headers["ETag"]})
        assert again.status_code == 304
        anything = client.patch(url, json=change, headers={**owner.headers, "If-Match": "*"})
        assert anything.status_code == 200


@pytest.mark.postgres
def test_two_changes_with_the_same_tag_at_once_one_wins(
    pg_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = owner_with_task(pg_app)
    url = f"/api/v1/projects/{owner.project_id}"
    tagged = fresh(pg_app.test_client(), url, owner.headers)
    real_update = project_service.update_project

    def slow_update(*args, **kwargs):
        time.sleep(0.5)  # the other request reads while this one is between check and commit
        return real_update(*args, **kwargs)

    monkeypatch.setattr(project_service, "update_project", slow_update)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def rename(name: str) -> None:
        client = pg_app.test_client()
        start.wait(5)
        statuses.append(client.patch(url, json={"name": name}, headers=tagged).status_code)

    threads = [threading.Thread(target=rename, args=(name,)) for name in ("Ann's", "Bob's")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200, 412]

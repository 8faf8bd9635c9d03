"""Tasks inside a project: create, rename, close and reopen."""

from __future__ import annotations

import pytest
from flask import Flask

from extensions import db
from models import Task
from services.projects import tasks as task_service
from tests.timesheet_support import add_project, add_task, count, main_of, signed_in, snapshot


def task_names(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(t.name for t in db.session.scalars(db.select(Task)))


def test_create_task(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id)
    response = client.post(f"/projects/{project_id}/tasks", data={"name": " Design "})
    assert response.status_code == 302
    assert response.location == f"/projects/{project_id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Task “Design” added" in page
    assert task_names(app) == ["Design"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter a name."), ("x" * 101, "Keep the name to 100 characters or fewer.")],
)
def test_bad_task_names_re_render_the_project_page(app: Flask, name: str, message: str) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    response = client.post(f"/projects/{project_id}/tasks", data={"name": name})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "<h1>Apollo" in page
    assert count(app, Task) == 0


def test_duplicate_task_name_in_the_same_project_is_refused(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    other_project = add_project(app, user_id, "Zeus")
    add_task(app, project_id, "Design")
    response = client.post(f"/projects/{project_id}/tasks", data={"name": "design"})
    assert response.status_code == 422
    assert "This project already has a task called" in response.get_data(as_text=True)
    # The same name in another project is fine.
    response = client.post(f"/projects/{other_project}/tasks", data={"name": "Design"})
    assert response.status_code == 302
    assert task_names(app) == ["Design", "Design"]


def test_duplicate_task_race_is_caught(any_app: Flask, monkeypatch) -> None:
    client, user_id = signed_in(any_app)
    project_id = add_project(any_app, user_id)
    add_task(any_app, project_id, "Design")
    monkeypatch.setattr(task_service, "_name_taken", lambda *args: False)
    response = client.post(f"/projects/{project_id}/tasks", data={"name": "Design"})
    assert response.status_code == 422
    assert "This project already has a task called" in response.get_data(as_text=True)
    assert task_names(any_app) == ["Design"]
    assert client.post(f"/projects/{project_id}/tasks", data={"name": "Build"}).status_code == 302


def test_rename_task(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id)
    task_id = add_task(app, project_id, "Design")
    assert 'value="Design"' in client.get(f"/tasks/{task_id}/edit").get_data(as_text=True)
    response = client.post(f"/tasks/{task_id}/edit", data={"name": "Research"})
    assert response.status_code == 302
    assert response.location == f"/projects/{project_id}"
    assert task_names(app) == ["Research"]


def test_rename_task_refuses_taken_and_empty_names(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id)
    add_task(app, project_id, "Design")
    task_id = add_task(app, project_id, "Build")
    before = snapshot(app)
    for name, message in (("DESIGN", "already has a task called"), ("", "Enter a name.")):
        response = client.post(f"/tasks/{task_id}/edit", data={"name": name})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_close_and_reopen(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id)
    task_id = add_task(app, project_id, "Design")
    response = client.post(f"/tasks/{task_id}/close")
    assert response.status_code == 302
    assert "Task “Design” closed" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Task, task_id).closed is True
    # A closed task takes no new time: it is not offered in the entry form.
    assert "Design" not in client.get("/entries/new").get_data(as_text=True)
    client.post(f"/tasks/{task_id}/reopen")
    with app.app_context():
        assert db.session.get(Task, task_id).closed is False
    assert "Design" in client.get("/entries/new").get_data(as_text=True)


def test_close_and_reopen_refuse_get(app: Flask) -> None:
    client, user_id = signed_in(app)
    task_id = add_task(app, add_project(app, user_id))
    assert client.get(f"/tasks/{task_id}/close").status_code == 405
    assert client.get(f"/tasks/{task_id}/reopen").status_code == 405


def test_tasks_of_a_project_are_paginated_by_their_own_setting(app: Flask) -> None:
    app.config.update(TASKS_PER_PAGE=2, PROJECTS_PER_PAGE=50)
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id)
    for name in ("A task", "B task", "C task"):
        add_task(app, project_id, name)
    first = main_of(client.get(f"/projects/{project_id}").get_data(as_text=True))
    assert "A task" in first and "C task" not in first
    assert f'href="/projects/{project_id}?page=2"' in first
    second = main_of(client.get(f"/projects/{project_id}?page=2").get_data(as_text=True))
    assert "C task" in second and "A task" not in second


def test_open_tasks_exclude_closed_tasks_and_archived_projects(any_app: Flask) -> None:
    _, user_id = signed_in(any_app)
    _, other_id = signed_in(any_app, email="grace@example.com")
    active = add_project(any_app, user_id, "Active")
    archived = add_project(any_app, user_id, "Old", archived=True)
    open_id = add_task(any_app, active, "Open")
    add_task(any_app, active, "Closed", closed=True)
    add_task(any_app, archived, "In archived project")
    add_task(any_app, add_project(any_app, other_id, "Theirs"), "Not mine")
    with any_app.app_context():
        assert [t.id for t in task_service.open_tasks_for(user_id)] == [open_id]

"""Projects: list (active and archived, paginated), create, rename, archive and unarchive."""

from __future__ import annotations

import pytest
from flask import Flask

from extensions import db
from models import Project, User
from services.projects import projects as project_service
from tests.team_support import team_of
from tests.timesheet_support import add_project, add_task, count, main_of, signed_in, snapshot


def project_names(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(p.name for p in db.session.scalars(db.select(Project)))


def test_create_project_redirects_to_it_with_a_flash(app: Flask) -> None:
    client, user_id = signed_in(app)
    response = client.post("/projects/new", data={"name": "  Apollo   Moon  "})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Project “Apollo Moon” created" in page
    assert "<h1>Apollo Moon" in page
    with app.app_context():
        project = db.session.scalar(db.select(Project))
        assert (project.team_id, project.name, project.archived) == (
            team_of(app, user_id),
            "Apollo Moon",
            False,
        )


def test_new_project_page_renders(app: Flask) -> None:
    client, _ = signed_in(app)
    response = client.get("/projects/new")
    assert response.status_code == 200
    assert 'name="name"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name."),
        ("    ", "Enter a name."),
        ("x" * 101, "Keep the name to 100 characters or fewer."),
    ],
)
def test_bad_project_names_are_refused(app: Flask, name: str, message: str) -> None:
    client, _ = signed_in(app)
    response = client.post("/projects/new", data={"name": name})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, Project) == 0


def test_a_name_of_exactly_100_characters_is_fine(app: Flask) -> None:
    client, _ = signed_in(app)
    assert client.post("/projects/new", data={"name": "x" * 100}).status_code == 302


def test_duplicate_name_is_refused_whatever_the_case(app: Flask) -> None:
    client, user_id = signed_in(app)
    add_project(app, user_id, "Apollo")
    response = client.post("/projects/new", data={"name": "APOLLO"})
    assert response.status_code == 422
    assert "The team already has a project called" in response.get_data(as_text=True)
    assert project_names(app) == ["Apollo"]


def test_another_users_project_name_is_free(app: Flask) -> None:
    client, _ = signed_in(app)
    _, other_id = signed_in(app, email="grace@example.com")
    add_project(app, other_id, "Apollo")
    assert client.post("/projects/new", data={"name": "Apollo"}).status_code == 302
    assert project_names(app) == ["Apollo", "Apollo"]


def test_duplicate_race_is_caught_by_the_unique_constraint(any_app: Flask, monkeypatch) -> None:
    """Two requests both pass the "is the name free?" check; the database refuses the second.
    The IntegrityError is rolled back and becomes the same form message."""
    client, user_id = signed_in(any_app)
    add_project(any_app, user_id, "Apollo")
    monkeypatch.setattr(project_service, "_name_taken", lambda *args: False)
    response = client.post("/projects/new", data={"name": "Apollo"})
    assert response.status_code == 422
    assert "The team already has a project called" in response.get_data(as_text=True)
    assert project_names(any_app) == ["Apollo"]
    # The session is usable again: the next request works.
    assert client.post("/projects/new", data={"name": "Zeus"}).status_code == 302


def test_rename_project(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    page = client.get(f"/projects/{project_id}/edit").get_data(as_text=True)
    assert 'value="Apollo"' in page
    response = client.post(f"/projects/{project_id}/edit", data={"name": "Artemis"})
    assert response.status_code == 302
    assert "Project renamed to “Artemis”" in client.get(response.location).get_data(as_text=True)
    assert project_names(app) == ["Artemis"]


def test_rename_to_a_different_case_of_its_own_name_is_allowed(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "apollo")
    assert client.post(f"/projects/{project_id}/edit", data={"name": "Apollo"}).status_code == 302
    assert project_names(app) == ["Apollo"]


def test_rename_to_a_taken_or_empty_name_is_refused(app: Flask) -> None:
    client, user_id = signed_in(app)
    add_project(app, user_id, "Apollo")
    project_id = add_project(app, user_id, "Zeus")
    before = snapshot(app)
    response = client.post(f"/projects/{project_id}/edit", data={"name": "apollo"})
    assert response.status_code == 422
    assert "The team already has a project called" in response.get_data(as_text=True)
    response = client.post(f"/projects/{project_id}/edit", data={"name": " "})
    assert response.status_code == 422
    assert "Enter a name." in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_rename_race_is_caught(any_app: Flask, monkeypatch) -> None:
    client, user_id = signed_in(any_app)
    add_project(any_app, user_id, "Apollo")
    project_id = add_project(any_app, user_id, "Zeus")
    monkeypatch.setattr(project_service, "_name_taken", lambda *args: False)
    response = client.post(f"/projects/{project_id}/edit", data={"name": "Apollo"})
    assert response.status_code == 422
    assert project_names(any_app) == ["Apollo", "Zeus"]


def test_archive_and_unarchive(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    response = client.post(f"/projects/{project_id}/archive")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Project “Apollo” archived" in page
    assert "Unarchive" in page
    active = client.get("/projects/").get_data(as_text=True)
    archived = client.get("/projects/?show=archived").get_data(as_text=True)
    assert "Apollo" not in active and "Active (0)" in active
    assert "Apollo" in archived and "Archived (1)" in archived

    client.post(f"/projects/{project_id}/unarchive")
    with app.app_context():
        assert db.session.get(Project, project_id).archived is False


def test_state_changes_refuse_get(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    for action in ("archive", "unarchive"):
        response = client.get(f"/projects/{project_id}/{action}")
        assert response.status_code == 405
    with app.app_context():
        assert db.session.get(Project, project_id).archived is False


def test_list_is_paginated_and_shows_tasks(app: Flask) -> None:
    app.config["PROJECTS_PER_PAGE"] = 3
    client, user_id = signed_in(app)
    for number in range(7):
        project_id = add_project(app, user_id, f"Project {number}")
        add_task(app, project_id, f"Task {number}")
    first = main_of(client.get("/projects/").get_data(as_text=True))
    assert "Project 0" in first and "Task 0" in first and "Project 3" not in first
    assert "Page 1 of 3" in first and 'href="/projects/?page=2"' in first
    last = main_of(client.get("/projects/?page=3").get_data(as_text=True))
    assert "Project 6" in last and "Project 0" not in last


@pytest.mark.parametrize("page", ["0", "-4", "abc", "99999999999999999999", "50"])
def test_odd_page_numbers_never_fail(app: Flask, page: str) -> None:
    client, user_id = signed_in(app)
    add_project(app, user_id, "Apollo")
    assert client.get(f"/projects/?page={page}").status_code == 200


def test_project_page_lists_tasks_and_missing_ids_are_404(app: Flask) -> None:
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    add_task(app, project_id, "Design")
    add_task(app, project_id, "Build", closed=True)
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "Design" in page and "Build" in page and "closed" in page
    assert client.get("/projects/999").status_code == 404


def test_empty_list_offers_to_create_the_first_project(app: Flask) -> None:
    client, _ = signed_in(app)
    page = client.get("/projects/").get_data(as_text=True)
    assert "No projects yet" in page and "Create project" in page


def test_unique_names_per_team_in_the_service(any_app: Flask) -> None:
    _, user_id = signed_in(any_app)
    _, other_id = signed_in(any_app, email="grace@example.com")
    with any_app.app_context():
        user, other = db.session.get(User, user_id), db.session.get(User, other_id)
        project_service.create_project(user, "Apollo")
        project_service.create_project(other, "Apollo")
        with pytest.raises(project_service.NameTaken):
            project_service.create_project(user, "apollo")
        with pytest.raises(project_service.InvalidName):
            project_service.create_project(user, "\t \n")
    assert count(any_app, Project) == 2


def test_list_rows_count_tasks_and_name_the_first_open_ones(any_app: Flask) -> None:
    from services.projects.projects import TASK_NAMES_SHOWN, list_projects

    _, user_id = signed_in(any_app)
    busy = add_project(any_app, user_id, "Busy")
    for name in ("e", "B", "a", "d", "C", "f"):
        add_task(any_app, busy, name, closed=name == "a")
    add_project(any_app, user_id, "Empty")
    with any_app.app_context():
        listing = list_projects(user_id, archived=False, page=1, per_page=10)
        rows = {row.project.name: row for row in listing.rows}
        assert listing.page.total == 2
    assert (rows["Busy"].open_tasks, rows["Busy"].all_tasks) == (5, 6)
    assert rows["Busy"].first_open_names == ["B", "C", "d", "e"][:TASK_NAMES_SHOWN]
    assert rows["Busy"].more_open_tasks
    assert (rows["Empty"].open_tasks, rows["Empty"].all_tasks, rows["Empty"].first_open_names) == (
        0,
        0,
        [],
    )

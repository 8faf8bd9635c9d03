"""``/api/v1/projects``: the caller's projects (list, create, read, rename, archive)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from models import Project
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, created_links, resource_blueprint
from routes.api.idempotency import idempotent
from routes.api.paging import LIST_HEADERS, QUERY, list_headers, page_size
from routes.api.schemas import ProjectCreate, ProjectListArgs, ProjectOut, ProjectUpdate
from services import access
from services.projects import projects as project_service
from services.projects.projects import InvalidName, NameTaken

blp = resource_blueprint("projects", "Projects: what time is logged for (through their tasks).")

ID = "<int(min=1, max=2147483647):project_id>"
LOCATION = {"Location": {"description": "The new project", "schema": {"type": "string"}}}


def owned_project(project_id: int) -> Project | None:
    return project_service.get_project_for(caller().id, project_id)


def name_problem(error: InvalidName) -> Answer:
    if isinstance(error, NameTaken):
        return problems.problem(409, str(error), type_=problems.CONFLICT)
    return problems.validation_problem({"name": [str(error)]})


def not_found() -> Answer:
    return problems.problem(404, "No such project.")


@blp.route("/projects")
class Projects(MethodView):
    @blp.arguments(ProjectListArgs, **QUERY)
    @blp.response(200, ProjectOut(many=True), headers=LIST_HEADERS)
    def get(self, args: dict[str, Any]) -> Answer:
        """List the projects of the caller's current team (the one the web pages show), active
        (default) or archived, by name."""
        team_id = access.require_current(caller(), "see_team").team_id
        listing = project_service.list_projects(
            team_id, archived=args["archived"], page=args["page"], per_page=page_size(args)
        )
        return listing.page.items, list_headers(listing.page)

    @idempotent
    @blp.etag
    @blp.arguments(ProjectCreate)
    @blp.response(201, ProjectOut, headers=LOCATION)
    @blp.doc(
        operationId="createProject",
        **created_links(
            201,
            "project_id",
            "getProject",
            "updateProject",
            "listTasks",
            "createTask",
            if_match=("updateProject",),
        ),
    )
    def post(self, data: dict[str, Any]) -> Answer:
        """Create a project."""
        try:
            project = project_service.create_project(caller(), data["name"])
        except InvalidName as error:
            return name_problem(error)
        return project, {"Location": url_for(".Project", project_id=project.id)}


@blp.route(f"/projects/{ID}", endpoint="Project")
class ProjectItem(MethodView):
    @blp.etag
    @blp.response(200, ProjectOut)
    @blp.doc(operationId="getProject")
    def get(self, project_id: int) -> Answer:
        """Read a project."""
        return owned_project(project_id) or not_found()

    @blp.etag
    @blp.arguments(ProjectUpdate)
    @blp.response(200, ProjectOut)
    @blp.doc(operationId="updateProject")
    def patch(self, data: dict[str, Any], project_id: int) -> Answer:
        """Rename, archive or unarchive a project. Send the ETag of your last read in
        ``If-Match``."""
        project = project_service.get_project_for(caller().id, project_id, lock=True)
        if project is None:
            return not_found()
        blp.check_etag(project, ProjectOut)
        try:
            return project_service.update_project(
                caller(), project, name=data.get("name"), archived=data.get("archived")
            )
        except InvalidName as error:
            return name_problem(error)

"""``/api/v1/projects/{id}/tasks`` and ``/api/v1/tasks/{id}``: the tasks of the caller's
projects (list, create, read, rename, close)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, created_links, resource_blueprint
from routes.api.idempotency import idempotent
from routes.api.paging import LIST_HEADERS, QUERY, PageArgs, list_headers, page_size
from routes.api.projects import ID as PROJECT_ID
from routes.api.projects import name_problem, owned_project
from routes.api.schemas import TaskCreate, TaskOut, TaskUpdate
from services.projects import tasks as task_service
from services.projects.projects import InvalidName

blp = resource_blueprint("tasks", "Tasks: time entries are logged on a task of a project.")

ID = "<int(min=1, max=2147483647):task_id>"
LOCATION = {"Location": {"description": "The new task", "schema": {"type": "string"}}}


def not_found(what: str = "task") -> Answer:
    return problems.problem(404, f"No such {what}.")


@blp.route(f"/projects/{PROJECT_ID}/tasks")
class ProjectTasks(MethodView):
    @blp.arguments(PageArgs, **QUERY)
    @blp.response(200, TaskOut(many=True), headers=LIST_HEADERS)
    @blp.doc(operationId="listTasks")
    def get(self, args: dict[str, Any], project_id: int) -> Answer:
        """List a project's tasks, open ones first, by name."""
        project = owned_project(project_id)
        if project is None:
            return not_found("project")
        page = task_service.list_tasks(project, page=args["page"], per_page=page_size(args))
        return page.items, list_headers(page)

    @idempotent
    @blp.etag
    @blp.arguments(TaskCreate)
    @blp.response(201, TaskOut, headers=LOCATION)
    @blp.doc(
        operationId="createTask",
        **created_links(201, "task_id", "getTask", "updateTask", if_match=("updateTask",)),
    )
    def post(self, data: dict[str, Any], project_id: int) -> Answer:
        """Create a task in a project."""
        project = owned_project(project_id)
        if project is None:
            return not_found("project")
        try:
            task = task_service.create_task(caller(), project, data["name"])
        except InvalidName as error:
            return name_problem(error)
        return task, {"Location": url_for(".Task", task_id=task.id)}


@blp.route(f"/tasks/{ID}", endpoint="Task")
class TaskItem(MethodView):
    @blp.etag
    @blp.response(200, TaskOut)
    @blp.doc(operationId="getTask")
    def get(self, task_id: int) -> Answer:
        """Read a task."""
        return task_service.get_task_for(caller().id, task_id) or not_found()

    @blp.etag
    @blp.arguments(TaskUpdate)
    @blp.response(200, TaskOut)
    @blp.doc(operationId="updateTask")
    def patch(self, data: dict[str, Any], task_id: int) -> Answer:
        """Rename, close or reopen a task. Send the ETag of your last read in ``If-Match``."""
        task = task_service.get_task_for(caller().id, task_id, lock=True)
        if task is None:
            return not_found()
        blp.check_etag(task, TaskOut)
        try:
            return task_service.update_task(
                caller(), task, name=data.get("name"), closed=data.get("closed")
            )
        except InvalidName as error:
            return name_problem(error)

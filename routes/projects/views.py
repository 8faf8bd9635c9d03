"""Projects and the tasks inside them. Every id in a URL is looked up through the team-scoped
service queries (an id of another team answers 404); the services check the role (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from models import Project, Task
from routes.fields import add_error, required
from routes.lookup import found_or_404
from routes.pagination import page_arg
from routes.projects.forms import NameForm
from routes.team_context import team_required
from services.projects import projects as project_service
from services.projects import tasks as task_service
from services.projects.projects import InvalidName

bp = Blueprint("projects", __name__)

INVALID = 422  # a form sent back with messages
T = TypeVar("T")


def owned_project(project_id: int) -> Project:
    return found_or_404(project_service.get_project_for(current_user.id, project_id))


def owned_task(task_id: int) -> Task:
    return found_or_404(task_service.get_task_for(current_user.id, task_id))


def back_to(project: Project) -> ResponseReturnValue:
    return redirect(url_for("projects.show", project_id=project.id))


def saved_name(form: NameForm, save: Callable[[str], T]) -> T | None:
    """Hand the posted name to ``save`` (a service call) and return what it returns; None when
    the form was not posted or not valid, or the service refused the name (its message then
    stands under the field)."""
    if not form.validate_on_submit():
        return None
    try:
        return save(required(form.name.data))
    except InvalidName as error:
        add_error(form.name, str(error))
        return None


def form_page(template: str, form: NameForm, **context: object) -> ResponseReturnValue:
    """The form's page (again): 422 while the form carries messages."""
    status = INVALID if form.errors else 200
    return render_template(template, form=form, **context), status


# --- Projects -----------------------------------------------------------------------------------


@bp.get("/projects/")
@login_required
def index() -> ResponseReturnValue:
    archived = request.args.get("show") == "archived"
    team_id = team_required().team_id
    listing = project_service.list_projects(
        team_id,
        archived=archived,
        page=page_arg(),
        per_page=current_app.config["PROJECTS_PER_PAGE"],
    )
    return render_template(
        "projects/index.html",
        listing=listing,
        archived=archived,
        counts=listing.counts,
        form=NameForm(),
    )


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def create() -> ResponseReturnValue:
    team_required("manage_projects")  # the form itself is refused to members too
    form = NameForm()
    project = saved_name(form, partial(project_service.create_project, current_user))
    if project is not None:
        flash(f"Project “{project.name}” created. Add its first task.", "success")
        return back_to(project)
    return form_page("projects/new.html", form)


@bp.get("/projects/<int:project_id>")
@login_required
def show(project_id: int) -> ResponseReturnValue:
    project = owned_project(project_id)
    return render_project(project, NameForm(formdata=None), 200)


def render_project(project: Project, task_form: NameForm, status: int) -> ResponseReturnValue:
    task_form.name.label.text = "New task"
    tasks = task_service.list_tasks(
        project, page=page_arg(), per_page=current_app.config["TASKS_PER_PAGE"]
    )
    return render_template(
        "projects/show.html", project=project, tasks=tasks, task_form=task_form
    ), status


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int) -> ResponseReturnValue:
    project = owned_project(project_id)
    project_service.require_manager_of(current_user, project)  # the form too, not only a POST
    form = NameForm(data={"name": project.name})
    renamed = saved_name(form, partial(project_service.rename_project, current_user, project))
    if renamed is not None:
        flash(f"Project renamed to “{project.name}”.", "success")
        return back_to(project)
    return form_page("projects/edit.html", form, project=project)


@bp.post("/projects/<int:project_id>/archive")
@login_required
def archive(project_id: int) -> ResponseReturnValue:
    project = project_service.set_archived(current_user, owned_project(project_id), True)
    flash(f"Project “{project.name}” archived: its tasks no longer take new time.", "success")
    return back_to(project)


@bp.post("/projects/<int:project_id>/unarchive")
@login_required
def unarchive(project_id: int) -> ResponseReturnValue:
    project = project_service.set_archived(current_user, owned_project(project_id), False)
    flash(f"Project “{project.name}” is active again.", "success")
    return back_to(project)


# --- Tasks --------------------------------------------------------------------------------------


@bp.post("/projects/<int:project_id>/tasks")
@login_required
def create_task(project_id: int) -> ResponseReturnValue:
    project = owned_project(project_id)
    form = NameForm()
    task = saved_name(form, partial(task_service.create_task, current_user, project))
    if task is not None:
        flash(f"Task “{task.name}” added.", "success")
        return back_to(project)
    return render_project(project, form, INVALID)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit_task(task_id: int) -> ResponseReturnValue:
    task = owned_task(task_id)
    project_service.require_manager_of(current_user, task.project)
    form = NameForm(data={"name": task.name})
    renamed_task = saved_name(form, partial(task_service.rename_task, current_user, task))
    if renamed_task is not None:
        flash(f"Task renamed to “{task.name}”.", "success")
        return back_to(task.project)
    return form_page("projects/edit_task.html", form, task=task)


@bp.post("/tasks/<int:task_id>/close")
@login_required
def close_task(task_id: int) -> ResponseReturnValue:
    task = task_service.set_closed(current_user, owned_task(task_id), True)
    flash(f"Task “{task.name}” closed.", "success")
    return back_to(task.project)


@bp.post("/tasks/<int:task_id>/reopen")
@login_required
def reopen_task(task_id: int) -> ResponseReturnValue:
    task = task_service.set_closed(current_user, owned_task(task_id), False)
    flash(f"Task “{task.name}” reopened.", "success")
    return back_to(task.project)

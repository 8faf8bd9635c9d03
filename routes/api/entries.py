"""``/api/v1/entries``: the caller's time entries (list with filters, log, read, change, delete).

An entry is given as ``started_at`` (RFC 3339, with an offset) and ``minutes``; the service turns
the moment into the user's local day and start and applies the same rules as the web form.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from extensions import PROBLEM_CONTENT_TYPE, ProblemSchema
from models import TimeEntry, User
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, created_links, resource_blueprint
from routes.api.idempotency import idempotent
from routes.api.paging import LIST_HEADERS, QUERY, list_headers, page_size
from routes.api.schemas import EntryCreate, EntryListArgs, EntryOut, EntryUpdate
from services.timesheet import entries as entry_service
from services.timesheet.dates import utc_to_local
from services.timesheet.entries import EntryError, EntryLocked

blp = resource_blueprint("entries", "Time entries: time spent on a task, in whole minutes.")

ID = "<int(min=1, max=2147483647):entry_id>"
LOCATION = {"Location": {"description": "The new entry", "schema": {"type": "string"}}}
# The service names the web form's fields; the API has fewer, differently named ones.
API_FIELD = {"day": "started_at", "start": "started_at", "duration": "minutes", "end": "minutes"}


def present(entry: TimeEntry, user: User) -> dict[str, Any]:
    """The entry with its moments in the user's time zone (RFC 3339 with that offset)."""
    return {
        "id": entry.id,
        "task_id": entry.task_id,
        "project_id": entry.task.project_id,
        "day": entry.spent_on,
        "started_at": utc_to_local(entry.started_at, user.timezone),
        "ended_at": utc_to_local(entry.ended_at, user.timezone),
        "minutes": entry.minutes,
        "note": entry.note,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


def entry_problem(error: EntryError) -> Answer:
    if isinstance(error, EntryLocked):  # the week's state, not the input: 409
        return problems.problem(409, error.message, type_=problems.CONFLICT)
    return problems.validation_problem({API_FIELD.get(error.field, error.field): [error.message]})


def not_found() -> Answer:
    return problems.problem(404, "No such entry.")


@blp.route("/entries")
class Entries(MethodView):
    @blp.arguments(EntryListArgs, **QUERY)
    @blp.response(200, EntryOut(many=True), headers=LIST_HEADERS)
    def get(self, args: dict[str, Any]) -> Answer:
        """List entries, newest first; filter by days (``from``, ``to``), project or task."""
        user = caller()
        page = entry_service.list_entries(
            user.id,
            page=args["page"],
            per_page=page_size(args),
            date_from=args.get("date_from"),
            date_to=args.get("date_to"),
            project_id=args.get("project_id"),
            task_id=args.get("task_id"),
        )
        return [present(entry, user) for entry in page.items], list_headers(page)

    @idempotent
    @blp.etag
    @blp.arguments(EntryCreate)
    @blp.response(201, EntryOut, headers=LOCATION)
    @blp.doc(
        operationId="createEntry",
        **created_links(
            201,
            "entry_id",
            "getEntry",
            "updateEntry",
            "deleteEntry",
            if_match=("updateEntry", "deleteEntry"),
        ),
    )
    def post(self, data: dict[str, Any]) -> Answer:
        """Log time on one of your open tasks."""
        user = caller()
        try:
            entry = entry_service.create_entry(user, entry_service.input_at(user, **data))
        except EntryError as error:
            return entry_problem(error)
        return present(entry, user), {"Location": url_for(".Entry", entry_id=entry.id)}


@blp.route(f"/entries/{ID}", endpoint="Entry")
class EntryItem(MethodView):
    @blp.etag
    @blp.response(200, EntryOut)
    @blp.doc(operationId="getEntry")
    def get(self, entry_id: int) -> Answer:
        """Read an entry."""
        user = caller()
        entry = entry_service.get_entry_for(user.id, entry_id)
        return present(entry, user) if entry is not None else not_found()

    @blp.etag
    @blp.arguments(EntryUpdate)
    @blp.response(200, EntryOut)
    @blp.doc(operationId="updateEntry")
    def patch(self, data: dict[str, Any], entry_id: int) -> Answer:
        """Change an entry: the fields sent replace the stored ones. Send the ETag of your last
        read in ``If-Match``."""
        user = caller()
        try:
            entry = entry_service.get_entry_for(user.id, entry_id, lock=True)
            if entry is None:
                return not_found()
            blp.check_etag(present(entry, user), EntryOut)
            changes = entry_service.input_at(
                user,
                task_id=data.get("task_id", entry.task_id),
                started_at=data.get("started_at", entry.started_at),
                minutes=data.get("minutes", entry.minutes),
                note=data.get("note", entry.note),
            )
            entry = entry_service.update_entry(user, entry, changes)
        except EntryError as error:
            return entry_problem(error)
        return present(entry, user)

    @blp.etag
    @blp.response(204)
    @blp.alt_response(
        409,
        schema=ProblemSchema,
        content_type=PROBLEM_CONTENT_TYPE,
        description="The entry's week is locked (approved, or past the team's grace days)",
    )
    @blp.doc(operationId="deleteEntry")
    def delete(self, entry_id: int) -> Answer:
        """Delete an entry. Send the ETag of your last read in ``If-Match``."""
        user = caller()
        try:
            entry = entry_service.get_entry_for(user.id, entry_id, lock=True)
            if entry is None:
                return not_found()
            blp.check_etag(present(entry, user), EntryOut)
            entry_service.delete_entry(user, entry)
        except EntryError as error:
            return entry_problem(error)
        return None

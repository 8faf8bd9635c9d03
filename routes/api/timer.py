"""``/api/v1/timer``: the caller's running timer, one at most (start, read, stop, discard).

The same service as the top bar's timer (services/timesheet/timer.py): stopping logs the run as
time entries, split at local midnight and capped at the daily limit, with every entry rule.
A timer that is already running, or none running, is the timer's state: 409, not 422. Start and
stop take an ``Idempotency-Key``: a stop retried after a lost answer gets the logged entries
again, not "no timer is running".
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from extensions import PROBLEM_CONTENT_TYPE, ProblemSchema
from models import Timer, User
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, resource_blueprint
from routes.api.entries import entry_problem, present
from routes.api.idempotency import idempotent
from routes.api.schemas import TimerOut, TimerStart, TimerStopOut
from services.timesheet import timer as timer_service
from services.timesheet.dates import utc_to_local
from services.timesheet.entries import EntryError
from services.timesheet.timer import TimerConflict, TimerError

blp = resource_blueprint("timer", "The running timer: start it on a task, stop it to log the time.")

LOCATION = {"Location": {"description": "The running timer", "schema": {"type": "string"}}}
CONFLICT = {
    "schema": ProblemSchema,
    "content_type": PROBLEM_CONTENT_TYPE,
}


def present_timer(timer: Timer, user: User) -> dict[str, Any]:
    return {
        "task_id": timer.task_id,
        "project_id": timer.task.project_id,
        "note": timer.note,
        "started_at": utc_to_local(timer.started_at, user.timezone),
        "elapsed_seconds": timer_service.elapsed_seconds(timer),
    }


def timer_problem(error: TimerError) -> Answer:
    if isinstance(error, TimerConflict) or error.field is None:
        return problems.problem(409, error.message, type_=problems.CONFLICT)
    return problems.validation_problem({error.field: [error.message]})


def none_running() -> Answer:
    return problems.problem(404, "No timer is running.")


@blp.route("/timer")
class RunningTimer(MethodView):
    @blp.response(200, TimerOut)
    @blp.doc(operationId="getTimer")
    def get(self) -> Answer:
        """The running timer, or 404 when none is running."""
        user = caller()
        timer = timer_service.running_timer(user.id)
        return present_timer(timer, user) if timer is not None else none_running()

    @idempotent
    @blp.arguments(TimerStart)
    @blp.response(201, TimerOut, headers=LOCATION)
    @blp.alt_response(409, description="A timer is already running", **CONFLICT)
    @blp.doc(operationId="startTimer")
    def post(self, data: dict[str, Any]) -> Answer:
        """Start the timer on one of your open tasks (409 while one is running)."""
        user = caller()
        try:
            timer = timer_service.start_timer(user, data["task_id"], data["note"])
        except TimerError as error:
            return timer_problem(error)
        return present_timer(timer, user), {"Location": url_for(".RunningTimer")}

    @blp.response(204)
    @blp.doc(operationId="discardTimer")
    def delete(self) -> Answer:
        """Discard the running timer without logging anything (404 when none is running)."""
        user = caller()
        try:
            discarded = timer_service.discard_timer(user)
        except TimerError as error:
            return timer_problem(error)
        return None if discarded else none_running()


@blp.route("/timer/stop")
class StopTimer(MethodView):
    @idempotent
    @blp.response(200, TimerStopOut)
    @blp.alt_response(
        409, description="No timer is running, or a day it covers is locked", **CONFLICT
    )
    @blp.doc(operationId="stopTimer")
    def post(self) -> Answer:
        """Stop the timer and log its time: one entry per local day it ran."""
        user = caller()
        try:
            stopped = timer_service.stop_timer(user)
        except TimerError as error:
            return timer_problem(error)
        except EntryError as error:
            return entry_problem(error)
        return {
            "entries": [present(entry, user) for entry in stopped.entries],
            "capped_minutes": stopped.capped_minutes,
        }

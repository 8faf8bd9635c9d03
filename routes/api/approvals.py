"""Weeks on their way to approval, through ``services/timesheet/approvals.py`` like the web
pages: your own week in your current team (read its status and history, submit it), and for a
manager, one person's week in a team (read, approve, send back with a comment).

A team the caller is not in, or a person not of the team, is a 404; a role too low is a 403
(``access.NotAllowed``, answered in ``routes/site.py``); a step the week's state does not allow
(approving an open week, submitting twice) is a 409.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from extensions import PROBLEM_CONTENT_TYPE, ProblemSchema
from models import Membership, User
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, resource_blueprint
from routes.api.schemas import ApprovalOut, RejectBody
from routes.api.teams import ID as TEAM_ID
from services import access
from services.timesheet import approvals, team_week
from services.timesheet.approvals import ApprovalError, InvalidComment, WeekState
from services.timesheet.dates import BadDate, Week, local_today, parse_week

blp = resource_blueprint("approvals", "Week approvals: submit your week; managers approve it.")

WEEK = "<week>"
PERSON = "<int(min=1, max=2147483647):user_id>"
CONFLICT = {
    "schema": ProblemSchema,
    "content_type": PROBLEM_CONTENT_TYPE,
    "description": "The week's state does not allow this step now",
}


def present(team_id: int, user_id: int, week: Week, state: WeekState) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "user_id": user_id,
        "week": week.label,
        "monday": week.monday,
        "status": state.status,
        "locked_because": state.locked_because,
        "events": [
            {
                "action": event.action,
                "actor_id": event.actor_id,
                "actor_name": event.actor.name if event.actor is not None else None,
                "comment": event.comment,
                "at": event.at,
            }
            for event in state.events
        ],
    }


def the_week(user: User, value: str) -> Week | Answer:
    try:
        return parse_week(value, None, local_today(user.timezone))
    except BadDate as error:
        return problems.validation_problem({"week": [str(error)]})


def step_problem(error: ApprovalError) -> Answer:
    if isinstance(error, InvalidComment):
        return problems.validation_problem({"comment": [str(error)]})
    return problems.problem(409, str(error), type_=problems.CONFLICT)


def not_found() -> Answer:
    return problems.problem(404, "No such team or person.")


@blp.route(f"/weeks/{WEEK}/approval", endpoint="MyWeekApproval")
class MyWeekApproval(MethodView):
    @blp.response(200, ApprovalOut)
    @blp.doc(operationId="getMyWeekApproval")
    def get(self, week: str) -> Answer:
        """Your week's status in your current team, with its history (oldest first)."""
        user = caller()
        chosen = the_week(user, week)
        if not isinstance(chosen, Week):
            return chosen
        membership, state = approvals.current_week_state(user, chosen.monday)
        if membership is None or state is None:
            raise access.NoTeam
        return present(membership.team_id, user.id, chosen, state)


@blp.route(f"/weeks/{WEEK}/submit", endpoint="SubmitWeek")
class SubmitWeek(MethodView):
    @blp.response(200, ApprovalOut)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="submitWeek")
    def post(self, week: str) -> Answer:
        """Submit your week in your current team for approval."""
        user = caller()
        chosen = the_week(user, week)
        if not isinstance(chosen, Week):
            return chosen
        membership = access.require_current(user, "log_time")
        try:
            approvals.submit_week(user, membership.team_id, chosen.monday)
        except ApprovalError as error:
            return step_problem(error)
        state = approvals.week_state(membership.team, user.id, chosen.monday)
        return present(membership.team_id, user.id, chosen, state)


def manager_of(team_id: int) -> Membership | None:
    """The caller's membership in the team, if a manager (403 below; None: not their team)."""
    try:
        return access.require_in_team(caller().id, team_id, "see_team_time")
    except LookupError:
        return None


def person_week(team_id: int, user_id: int, week: str) -> tuple[Membership, Week] | Answer:
    """The manager's membership and the week, or the problem to answer."""
    membership = manager_of(team_id)
    if membership is None:
        return not_found()
    try:
        team_week.person_of_team(membership, user_id)
    except LookupError:
        return not_found()
    chosen = the_week(caller(), week)
    if not isinstance(chosen, Week):
        return chosen
    return membership, chosen


def answer_state(membership: Membership, user_id: int, week: Week) -> Answer:
    state = approvals.week_state(membership.team, user_id, week.monday)
    return present(membership.team_id, user_id, week, state)


PERSON_WEEK = f"/teams/{TEAM_ID}/people/{PERSON}/weeks/{WEEK}"


@blp.route(PERSON_WEEK, endpoint="PersonWeekApproval")
class PersonWeekApproval(MethodView):
    @blp.response(200, ApprovalOut)
    @blp.doc(operationId="getPersonWeekApproval")
    def get(self, team_id: int, user_id: int, week: str) -> Answer:
        """One person's week in a team (managers): status and history."""
        membership = manager_of(team_id)
        if membership is None:
            return not_found()
        chosen = the_week(caller(), week)
        if not isinstance(chosen, Week):
            return chosen
        try:  # the person and their week in one query
            _person, state = approvals.person_week_state(membership, user_id, chosen.monday)
        except LookupError:
            return not_found()
        return present(team_id, user_id, chosen, state)


@blp.route(f"{PERSON_WEEK}/approve", endpoint="ApproveWeek")
class ApproveWeek(MethodView):
    @blp.response(200, ApprovalOut)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="approveWeek")
    def post(self, team_id: int, user_id: int, week: str) -> Answer:
        """Approve a submitted week (managers): its time is locked then."""
        found = person_week(team_id, user_id, week)
        if not isinstance(found, tuple):
            return found
        membership, chosen = found
        try:
            approvals.approve_week(caller(), team_id, user_id, chosen.monday)
        except ApprovalError as error:
            return step_problem(error)
        return answer_state(membership, user_id, chosen)


@blp.route(f"{PERSON_WEEK}/reject", endpoint="RejectWeek")
class RejectWeek(MethodView):
    @blp.arguments(RejectBody)
    @blp.response(200, ApprovalOut)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="rejectWeek")
    def post(self, data: dict[str, Any], team_id: int, user_id: int, week: str) -> Answer:
        """Send a submitted week back with a comment saying what needs to change (managers)."""
        found = person_week(team_id, user_id, week)
        if not isinstance(found, tuple):
            return found
        membership, chosen = found
        try:
            approvals.reject_week(caller(), team_id, user_id, chosen.monday, data["comment"])
        except ApprovalError as error:
            return step_problem(error)
        return answer_state(membership, user_id, chosen)

"""``/api/v1/teams``: the caller's teams with their role, one team, its members; create a
team, leave one, delete one. A team the caller is not an active member of is a 404
(``services/teams/members.py:team_for``), as on the web pages; a role too low is a 403
(``access.NotAllowed``, answered in ``routes/site.py``); the rules' refusals are answered by
:func:`team_problem` (409 for the team's state, 422 for a value). Members are in
``routes/api/members.py``, invitations in ``routes/api/invitations.py``."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from extensions import PROBLEM_CONTENT_TYPE, ProblemSchema
from models import Membership
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, created_links, resource_blueprint
from routes.api.idempotency import idempotent
from routes.api.schemas import MemberOut, TeamCreate, TeamOut
from services import access
from services.teams import members as team_service
from services.teams.members import AboveOwnRole, InvalidTeamField, TeamConflict, TeamError

blp = resource_blueprint("teams", "Teams: who works together, and each person's role in it.")

ID = "<int(min=1, max=2147483647):team_id>"
LOCATION = {"Location": {"description": "The new team", "schema": {"type": "string"}}}
CONFLICT = {
    "schema": ProblemSchema,
    "content_type": PROBLEM_CONTENT_TYPE,
    "description": "The team's state refuses it (its last owner, logged time, used already)",
}


def present_team(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.team_id,
        "name": membership.team.name,
        "role": membership.role,
        "lock_after_days": membership.team.lock_after_days,
    }


def present_member(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.id,
        "user_id": membership.user_id,
        "name": membership.user.name,
        "role": membership.role,
        "joined_at": membership.created_at,
        "left_at": membership.left_at,
    }


def not_found() -> Answer:
    return problems.problem(404, "No such team.")


def team_problem(error: TeamError) -> Answer:
    """A refusal of the team rules (services/teams) as the fitting problem."""
    if isinstance(error, InvalidTeamField):
        return problems.validation_problem({error.field: [str(error)]})
    if isinstance(error, AboveOwnRole):
        return problems.problem(403, str(error))
    if isinstance(error, TeamConflict):
        return problems.problem(409, str(error), type_=problems.CONFLICT)
    return problems.validation_problem({"_body": [str(error)]})


def my_membership(team_id: int) -> Membership | None:
    try:
        return team_service.team_for(caller(), team_id)
    except LookupError:
        return None


@blp.route("/teams")
class Teams(MethodView):
    @blp.response(200, TeamOut(many=True))
    @blp.doc(operationId="listTeams")
    def get(self) -> Answer:
        """List the teams you are a member of, with your role in each."""
        return [present_team(membership) for membership in team_service.my_teams(caller())]

    @idempotent
    @blp.arguments(TeamCreate)
    @blp.response(201, TeamOut, headers=LOCATION)
    @blp.doc(
        operationId="createTeam",
        **created_links(201, "team_id", "getTeam", "listTeamMembers", "listInvitations"),
    )
    def post(self, data: dict[str, Any]) -> Answer:
        """Create a team: you are its owner, and it becomes your current team."""
        user = caller()
        try:
            team = team_service.create_team(user, data["name"])
        except TeamError as error:
            return team_problem(error)
        membership = team_service.team_for(user, team.id)
        return present_team(membership), {"Location": url_for(".Team", team_id=team.id)}


@blp.route(f"/teams/{ID}", endpoint="Team")
class TeamItem(MethodView):
    @blp.response(200, TeamOut)
    @blp.doc(operationId="getTeam")
    def get(self, team_id: int) -> Answer:
        """Read one of your teams, with your role in it."""
        membership = my_membership(team_id)
        return present_team(membership) if membership is not None else not_found()

    @blp.response(204)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="deleteTeam")
    def delete(self, team_id: int) -> Answer:
        """Delete a team with its projects, tasks and invitations (owner only). Refused (409)
        while time is logged on its tasks: archive its projects instead."""
        try:
            team_service.delete_team(caller(), team_id)
        except LookupError:
            return not_found()
        except TeamError as error:
            return team_problem(error)
        return None


@blp.route(f"/teams/{ID}/leave", endpoint="LeaveTeam")
class LeaveTeam(MethodView):
    @blp.response(204)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="leaveTeam")
    def post(self, team_id: int) -> Answer:
        """Leave a team (send ``{}``). Its last owner cannot: pass ownership first (409)."""
        try:
            team_service.leave_team(caller(), team_id)
        except LookupError:
            return not_found()
        except TeamError as error:
            return team_problem(error)
        return None


@blp.route(f"/teams/{ID}/members", endpoint="TeamMembers")
class TeamMembers(MethodView):
    @blp.response(200, MemberOut(many=True))
    @blp.doc(operationId="listTeamMembers")
    def get(self, team_id: int) -> Answer:
        """List a team's people: members first, then former members, by name."""
        membership = my_membership(team_id)
        if membership is None:
            return not_found()
        access.require(membership, "see_team")
        return [present_member(person) for person in team_service.people(team_id)]

"""``/api/v1/teams``: the caller's teams with their role, one team, its members. A team the
caller is not an active member of is a 404 (``services/teams/members.py:team_for``), as on the
web pages."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from models import Membership
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, resource_blueprint
from routes.api.schemas import MemberOut, TeamOut
from services import access
from services.teams import members as team_service

blp = resource_blueprint("teams", "Teams: who works together, and each person's role in it.")

ID = "<int(min=1, max=2147483647):team_id>"


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


@blp.route(f"/teams/{ID}", endpoint="Team")
class TeamItem(MethodView):
    @blp.response(200, TeamOut)
    @blp.doc(operationId="getTeam")
    def get(self, team_id: int) -> Answer:
        """Read one of your teams, with your role in it."""
        membership = my_membership(team_id)
        return present_team(membership) if membership is not None else not_found()


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

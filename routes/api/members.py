"""``/api/v1/teams/{id}/members/{membership_id}``: one member of a team; change their role,
remove them, pass ownership to them. The same service functions as the team page
(``services/teams/members.py``), so the same rules: admins manage members, only the owner acts
on an owner or passes ownership, a team keeps an owner (409).

A change or a removal needs ``If-Match`` with the member's ETag (from the GET): two admins cannot
silently overwrite each other's change.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from models import Membership
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, resource_blueprint
from routes.api.schemas import MemberOut, RoleChange
from routes.api.teams import CONFLICT, ID, my_membership, present_member, team_problem
from services import access
from services.teams import members as team_service
from services.teams.members import TeamError

blp = resource_blueprint("members", "Team members: roles, removal, ownership.")

MEMBER = f"/teams/{ID}/members/<int(min=1, max=2147483647):membership_id>"


def not_found() -> Answer:
    return problems.problem(404, "No such team or member.")


def find(team_id: int, membership_id: int, *, lock: bool = False) -> Membership | None:
    """The member, if the caller sees the team (a member of it) and they are in it."""
    membership = my_membership(team_id)
    if membership is None:
        return None
    access.require(membership, "see_team")
    try:
        return team_service.member(team_id, membership_id, lock=lock)
    except LookupError:
        return None


@blp.route(MEMBER, endpoint="Member")
class Member(MethodView):
    @blp.etag
    @blp.response(200, MemberOut)
    @blp.doc(operationId="getMember")
    def get(self, team_id: int, membership_id: int) -> Answer:
        """Read one member of a team (its ETag goes with a change)."""
        target = find(team_id, membership_id)
        return present_member(target) if target is not None else not_found()

    @blp.etag
    @blp.arguments(RoleChange)
    @blp.response(200, MemberOut)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="updateMember")
    def patch(self, data: dict[str, Any], team_id: int, membership_id: int) -> Answer:
        """Change a member's role (admins; only the owner makes or unmakes an owner). Send the
        ETag of your last read in ``If-Match``."""
        target = find(team_id, membership_id, lock=True)
        if target is None:
            return not_found()
        blp.check_etag(present_member(target), MemberOut)
        try:
            changed = team_service.change_role(caller(), team_id, membership_id, data["role"])
        except LookupError:
            return not_found()
        except TeamError as error:
            return team_problem(error)
        return present_member(changed)

    @blp.etag
    @blp.response(204)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="removeMember")
    def delete(self, team_id: int, membership_id: int) -> Answer:
        """Remove a member (admins). Their past time stays, shown as a former member's. Send the
        ETag of your last read in ``If-Match``."""
        target = find(team_id, membership_id, lock=True)
        if target is None:
            return not_found()
        blp.check_etag(present_member(target), MemberOut)
        try:
            team_service.remove_member(caller(), team_id, membership_id)
        except LookupError:
            return not_found()
        except TeamError as error:
            return team_problem(error)
        return None


@blp.route(f"{MEMBER}/owner", endpoint="MemberOwner")
class MemberOwner(MethodView):
    @blp.response(200, MemberOut)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="passOwnership")
    def post(self, team_id: int, membership_id: int) -> Answer:
        """Pass ownership to this member (the owner only; send ``{}``): they become the owner,
        you an admin."""
        try:
            target = team_service.pass_ownership(caller(), team_id, membership_id)
        except LookupError:
            return not_found()
        except TeamError as error:
            return team_problem(error)
        return present_member(target)

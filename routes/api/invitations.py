"""``/api/v1/teams/{id}/invitations``: invite someone by email (the link goes out by mail, as
from the team page), list the open invitations, read one, revoke one. Through
``services/teams/invitations.py``: admins and owners only (403 for lower roles), up to the
inviter's own role, not someone already a member (409).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from models import Invitation
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, created_links, resource_blueprint
from routes.api.idempotency import idempotent
from routes.api.schemas import InvitationCreate, InvitationOut
from routes.api.teams import CONFLICT, ID, team_problem
from services.teams import invitations as invitation_service
from services.teams.members import TeamError

blp = resource_blueprint("invitations", "Invitations: ask someone by email to join a team.")

INVITATION = f"/teams/{ID}/invitations/<int(min=1, max=2147483647):invitation_id>"
LOCATION = {"Location": {"description": "The new invitation", "schema": {"type": "string"}}}


def present(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "team_id": invitation.team_id,
        "email": invitation.email,
        "role": invitation.role,
        "invited_by_id": invitation.invited_by_id,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "accepted_at": invitation.accepted_at,
        "revoked_at": invitation.revoked_at,
        "open": invitation.open,
    }


def not_found() -> Answer:
    return problems.problem(404, "No such team or invitation.")


def accept_url_for(token: str) -> str:
    """The link in the mail: the same page as for an invitation sent from the team page."""
    return url_for("teams.invitation", token=token, _external=True)


@blp.route(f"/teams/{ID}/invitations", endpoint="Invitations")
class Invitations(MethodView):
    @blp.response(200, InvitationOut(many=True))
    @blp.doc(operationId="listInvitations")
    def get(self, team_id: int) -> Answer:
        """The team's open invitations, newest first (admins and owners)."""
        try:
            listed = invitation_service.team_invitations(caller(), team_id)
        except LookupError:
            return not_found()
        return [present(invitation) for invitation in listed]

    @idempotent
    @blp.arguments(InvitationCreate)
    @blp.response(201, InvitationOut, headers=LOCATION)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(
        operationId="createInvitation",
        **created_links(201, "invitation_id", "getInvitation", "deleteInvitation"),
    )
    def post(self, data: dict[str, Any], team_id: int) -> Answer:
        """Invite an email address with a role (up to your own): the link goes out by mail."""
        try:
            invitation = invitation_service.invite(
                caller(), team_id, data["email"], data["role"], accept_url_for
            )
        except LookupError:
            return not_found()
        except TeamError as error:
            return team_problem(error)
        location = url_for(".Invitation", team_id=team_id, invitation_id=invitation.id)
        return present(invitation), {"Location": location}


@blp.route(INVITATION, endpoint="Invitation")
class InvitationItem(MethodView):
    @blp.response(200, InvitationOut)
    @blp.doc(operationId="getInvitation")
    def get(self, team_id: int, invitation_id: int) -> Answer:
        """Read one of the team's invitations (open, used or revoked)."""
        try:
            return present(invitation_service.get_invitation(caller(), team_id, invitation_id))
        except LookupError:
            return not_found()

    @blp.response(204)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(operationId="deleteInvitation")
    def delete(self, team_id: int, invitation_id: int) -> Answer:
        """Revoke an open invitation: its link stops working."""
        try:
            invitation_service.revoke(caller(), team_id, invitation_id)
        except LookupError:
            return not_found()
        except TeamError as error:
            return team_problem(error)
        return None

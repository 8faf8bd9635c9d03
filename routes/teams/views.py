"""Team pages (blueprint ``teams``): my teams and switching, a team's members and invitations,
roles, leaving, passing ownership, the grace rule, deleting; accepting an invitation.

Thin: each view parses the form and calls one service function. The services check the role
(access.NotAllowed is a 403 page, registered in routes/site.py); a team the user is not in,
or a member or invitation outside the team, is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from routes.auth.signing_in import sign_in
from routes.fields import add_error, required
from routes.teams.forms import GraceForm, InvitationSignupForm, InviteForm, RoleForm, TeamNameForm
from services import access
from services.accounts import users as accounts
from services.teams import invitations
from services.teams import members as team_service
from services.teams.invitations import InvalidInvitation
from services.teams.members import TeamError

bp = Blueprint("teams", __name__)

INVALID = 422


def found(call: Callable[..., Any], *args: Any) -> Any:
    """Call a service; LookupError (not one of the user's teams, members, invitations) is 404."""
    try:
        return call(*args)
    except LookupError:
        abort(404)


def form_errors(form: FlaskForm) -> str:
    """A small form posted from the team page: its messages as one flash."""
    return " ".join(message for messages in form.errors.values() for message in messages)


def to_team(team_id: int) -> ResponseReturnValue:
    return redirect(url_for("teams.show", team_id=team_id))


def act(team_id: int, call: Callable[..., Any], *args: Any, done: str) -> ResponseReturnValue:
    """Run a member-management action; its refusal is a flash on the team page."""
    try:
        found(call, *args)
    except TeamError as error:
        flash(str(error), "error")
    else:
        flash(done, "success")
    return to_team(team_id)


# --- My teams -----------------------------------------------------------------------------------


@bp.get("/teams/")
@login_required
def index() -> ResponseReturnValue:
    return render_teams(TeamNameForm(formdata=None), 200)


def render_teams(form: TeamNameForm, status: int) -> ResponseReturnValue:
    mine = team_service.my_teams(current_user)
    return render_template("teams/index.html", memberships=mine, form=form), status


@bp.post("/teams/")
@login_required
def create() -> ResponseReturnValue:
    form = TeamNameForm()
    if form.validate_on_submit():
        try:
            team = team_service.create_team(current_user, required(form.name.data))
        except TeamError as error:
            add_error(form.name, str(error))
        else:
            flash(f"Team “{team.name}” created; it is your current team.", "success")
            return to_team(team.id)
    return render_teams(form, INVALID)


@bp.post("/teams/<int:team_id>/switch")
@login_required
def switch(team_id: int) -> ResponseReturnValue:
    team = found(team_service.switch_team, current_user, team_id)
    flash(f"You are now working in “{team.name}”.", "success")
    return redirect(url_for("projects.index"))


# --- One team -----------------------------------------------------------------------------------


@bp.get("/teams/<int:team_id>")
@login_required
def show(team_id: int) -> ResponseReturnValue:
    membership, people = found(team_service.team_with_people, current_user, team_id)
    may_manage = access.can(membership, "manage_members")
    return render_template(
        "teams/show.html",
        membership=membership,
        team=membership.team,
        people=people,
        invitations=invitations.open_invitations(team_id) if may_manage else [],
        may_manage=may_manage,
        invite_form=InviteForm(formdata=None),
        role_form=RoleForm(formdata=None),
        grace_form=GraceForm(formdata=None, lock_after_days=membership.team.lock_after_days),
    )


@bp.post("/teams/<int:team_id>/invitations")
@login_required
def invite(team_id: int) -> ResponseReturnValue:
    form = InviteForm()
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
        return to_team(team_id)

    def accept_url_for(token: str) -> str:
        return url_for("teams.invitation", token=token, _external=True)

    email = form.email.data
    return act(
        team_id,
        invitations.invite,
        current_user,
        team_id,
        email,
        form.role.data,
        accept_url_for,
        done=f"Invitation sent to {email}.",
    )


@bp.post("/teams/<int:team_id>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke(team_id: int, invitation_id: int) -> ResponseReturnValue:
    return act(
        team_id,
        invitations.revoke,
        current_user,
        team_id,
        invitation_id,
        done="Invitation withdrawn: its link no longer works.",
    )


@bp.post("/teams/<int:team_id>/members/<int:membership_id>/role")
@login_required
def change_role(team_id: int, membership_id: int) -> ResponseReturnValue:
    form = RoleForm()
    role = form.role.data if form.validate_on_submit() else ""
    return act(
        team_id,
        team_service.change_role,
        current_user,
        team_id,
        membership_id,
        role,
        done=f"Role changed to {role}.",
    )


@bp.post("/teams/<int:team_id>/members/<int:membership_id>/remove")
@login_required
def remove(team_id: int, membership_id: int) -> ResponseReturnValue:
    return act(
        team_id,
        team_service.remove_member,
        current_user,
        team_id,
        membership_id,
        done="Member removed. Their past time stays in the team, shown as a former member's.",
    )


@bp.post("/teams/<int:team_id>/members/<int:membership_id>/owner")
@login_required
def pass_ownership(team_id: int, membership_id: int) -> ResponseReturnValue:
    return act(
        team_id,
        team_service.pass_ownership,
        current_user,
        team_id,
        membership_id,
        done="Ownership passed on. You are an admin of the team now.",
    )


@bp.post("/teams/<int:team_id>/settings")
@login_required
def settings(team_id: int) -> ResponseReturnValue:
    form = GraceForm()
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
        return to_team(team_id)
    days = form.lock_after_days.data
    done = (
        f"Weeks now lock {days} days after they end."
        if days is not None
        else "Weeks now lock only when approved."
    )
    return act(team_id, team_service.set_grace, current_user, team_id, days, done=done)


@bp.post("/teams/<int:team_id>/leave")
@login_required
def leave(team_id: int) -> ResponseReturnValue:
    try:
        team = found(team_service.leave_team, current_user, team_id)
    except TeamError as error:
        flash(str(error), "error")
        return to_team(team_id)
    flash(f"You left “{team.name}”.", "success")
    return redirect(url_for("teams.index"))


@bp.post("/teams/<int:team_id>/delete")
@login_required
def delete(team_id: int) -> ResponseReturnValue:
    try:
        name = found(team_service.delete_team, current_user, team_id)
    except TeamError as error:
        flash(str(error), "error")
        return to_team(team_id)
    flash(f"Team “{name}” deleted.", "success")
    return redirect(url_for("teams.index"))


# --- Invitation links ---------------------------------------------------------------------------


@bp.get("/invitations/<token>")
def invitation(token: str) -> ResponseReturnValue:
    """The page behind the mailed link: accept (signed in), log in, or sign up."""
    return render_invitation(token, InvitationSignupForm(formdata=None), 200)


def render_invitation(token: str, form: InvitationSignupForm, status: int) -> ResponseReturnValue:
    try:
        invite_ = invitations.invitation_for(token)
    except InvalidInvitation as error:
        return render_template("teams/invitation.html", error=str(error), token=token), 404
    return render_template(
        "teams/invitation.html",
        invitation=invite_,
        token=token,
        form=form,
        has_account=invitations.account_exists(invite_),
    ), status


@bp.post("/invitations/<token>/accept")
@login_required
def accept(token: str) -> ResponseReturnValue:
    try:
        membership = invitations.accept(current_user, token)
    except InvalidInvitation as error:
        flash(str(error), "error")
        return redirect(url_for("teams.invitation", token=token))
    flash(f"Welcome to “{membership.team.name}”, as {membership.role}.", "success")
    return redirect(url_for("dashboard.week"))


@bp.post("/invitations/<token>/signup")
def signup(token: str) -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("teams.invitation", token=token))
    form = InvitationSignupForm()
    if form.validate_on_submit():
        try:
            user = invitations.sign_up_and_accept(
                token, required(form.name.data), required(form.password.data)
            )
        except InvalidInvitation as error:
            flash(str(error), "error")
            return redirect(url_for("teams.invitation", token=token))
        except accounts.EmailTaken:
            flash("An account with this email exists already: log in to accept.", "error")
            return redirect(url_for("auth.login", next=url_for("teams.invitation", token=token)))
        sign_in(user)
        flash("Your account is ready and you joined the team.", "success")
        return redirect(url_for("dashboard.week"))
    return render_invitation(token, form, INVALID)

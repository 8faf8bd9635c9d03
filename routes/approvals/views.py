"""The team's weeks (blueprint ``approvals``): the team week grid for managers, one person's
week, and the approval steps (submit, approve, send back, reopen), all in the current team.

Thin: the services check the roles (403 through access.NotAllowed) and the transitions
(ApprovalError, shown as a flash); a person outside the current team is a 404.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from models import Membership
from routes.dashboard.week_cache import Body, page_around, split_body, week_cache
from routes.team_context import team_required
from routes.url_patterns import id_url
from services.timesheet import approvals, team_week
from services.timesheet.approvals import COMMENT_MAX_LENGTH, ApprovalError
from services.timesheet.dates import BadDate, Week, local_today, parse_week

bp = Blueprint("approvals", __name__)


class WeekActionForm(FlaskForm):
    week = HiddenField()
    comment = TextAreaField(
        "Comment",
        validators=[Length(max=COMMENT_MAX_LENGTH)],
        render_kw={"maxlength": COMMENT_MAX_LENGTH, "rows": 2},
    )


def chosen_week(value: str | None) -> Week:
    today = local_today(current_user.timezone)
    try:
        return parse_week(value, None, today)
    except BadDate as error:
        abort(400, description=f"{error} Use the arrows on the week page to move between weeks.")


@bp.get("/team/week")
@login_required
def team_week_page() -> ResponseReturnValue:
    membership = team_required("see_team_time")
    week = chosen_week(request.args.get("week"))
    team = membership.team
    key = (
        "team week",
        team.id,
        team.name,
        week.label,
        request.script_root,
        team_week.team_version(membership),
    )
    body = week_cache().get_or_render(key, lambda: render_team_week(membership, week))
    return page_around(b"".join(body), "approvals/team_week.html", week=week)


def render_team_week(membership: Membership, week: Week) -> Body:
    html = render_template(
        "approvals/_team_week_body.html",
        grid=team_week.team_week(membership, week),
        team=membership.team,
        person_url=id_url("approvals.person_week", "user_id", week=week.label),
    )
    return split_body(html)


@bp.get("/team/people/<int:user_id>/week")
@login_required
def person_week(user_id: int) -> ResponseReturnValue:
    membership = team_required("see_team_time")
    week = chosen_week(request.args.get("week"))
    try:
        person, state = approvals.person_week_state(membership, user_id, week.monday)
    except LookupError:
        abort(404)
    entries = team_week.person_week_entries(membership, user_id, week)
    return render_template(
        "approvals/person_week.html",
        person=person,
        week=week,
        entries=entries,
        minutes=sum(entry.minutes for entry in entries),
        state=state,
        team=membership.team,
        form=WeekActionForm(formdata=None, week=week.label),
    )


def posted_week() -> tuple[WeekActionForm, Week]:
    form = WeekActionForm()
    if not form.validate_on_submit():
        abort(400, description="The form was incomplete. Go back, reload the page and try again.")
    return form, chosen_week(form.week.data)


def step(call: Callable[..., object], *args: object, done: str, back: str) -> ResponseReturnValue:
    try:
        call(*args)
    except ApprovalError as error:
        flash(str(error), "error")
    except LookupError:
        abort(404)
    else:
        flash(done, "success")
    return redirect(back)


@bp.post("/week/submit")
@login_required
def submit() -> ResponseReturnValue:
    membership = team_required("log_time")
    _, week = posted_week()
    return step(
        approvals.submit_week,
        current_user,
        membership.team_id,
        week.monday,
        done=f"Week {week.label} submitted to {membership.team.name} for approval.",
        back=url_for("dashboard.week", week=week.label),
    )


def person_step(
    user_id: int, ability: str, call: Callable[..., object], *, with_comment: bool, done: str
) -> ResponseReturnValue:
    """A manager's step on one person's week (approve, send back, reopen): the same order of
    checks for each, and a flash that reads "Week <label> <done>"."""
    membership = team_required(ability)
    form, week = posted_week()
    args: list[object] = [current_user, membership.team_id, user_id, week.monday]
    if with_comment:
        args.append(form.comment.data or "")
    return step(
        call,
        *args,
        done=f"Week {week.label} {done}",
        back=url_for("approvals.person_week", user_id=user_id, week=week.label),
    )


@bp.post("/team/people/<int:user_id>/week/approve")
@login_required
def approve(user_id: int) -> ResponseReturnValue:
    return person_step(
        user_id,
        "approve_weeks",
        approvals.approve_week,
        with_comment=False,
        done="approved: it is locked now.",
    )


@bp.post("/team/people/<int:user_id>/week/reject")
@login_required
def reject(user_id: int) -> ResponseReturnValue:
    return person_step(
        user_id,
        "approve_weeks",
        approvals.reject_week,
        with_comment=True,
        done="sent back with your comment.",
    )


@bp.post("/team/people/<int:user_id>/week/reopen")
@login_required
def reopen(user_id: int) -> ResponseReturnValue:
    return person_step(
        user_id,
        "reopen_weeks",
        approvals.reopen_week,
        with_comment=True,
        done="reopened: its time can change again.",
    )

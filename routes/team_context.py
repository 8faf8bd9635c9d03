"""The signed-in user's current team, looked up once per request and shared by the views and
the layout (team name and switcher in the navigation, what the role may do)."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from models import Membership
from services import access
from services.projects import tasks as task_service


def current_team() -> Membership | None:
    """The current membership (team loaded), or None for a visitor or a user in no team."""
    if "current_membership" not in g:
        if not current_user.is_authenticated:
            g.current_membership = None
        elif current_user.loaded_membership is not False:  # came with the user's row
            g.current_membership = current_user.loaded_membership
        else:
            g.current_membership = access.current_membership(current_user)
    membership: Membership | None = g.current_membership
    return membership


def open_task_choices(team_id: int) -> list[tuple[int, str, str]]:
    """The signed-in user's open tasks in ``team_id`` (the timer strip's picker, the empty
    week's hint), looked up once per request."""
    if g.get("open_task_choices_team") != team_id:
        g.open_task_choices = task_service.open_task_choices(current_user.id, team_id)
        g.open_task_choices_team = team_id
    choices: list[tuple[int, str, str]] = g.open_task_choices
    return choices


def remember(membership: Membership | None) -> None:
    """A view that loaded the current membership already (joined with more) shares it."""
    g.current_membership = membership


def team_required(ability: str = "see_team") -> Membership:
    """The current membership if its role allows ``ability``: raises access.NoTeam (the user is
    sent to create or join a team) or access.NotAllowed (403)."""
    membership = current_team()
    if membership is None:
        raise access.NoTeam
    return access.require(membership, ability)


def template_helpers() -> dict[str, object]:
    """``current_team()`` and ``can(ability)`` in every template (registered by routes/site.py)."""
    return {
        "current_team": current_team,
        "can": lambda ability: access.can(current_team(), ability),
    }

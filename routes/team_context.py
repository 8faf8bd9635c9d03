"""The signed-in user's current team, looked up once per request and shared by the views and
the layout (team name and switcher in the navigation, what the role may do)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import current_app, g
from flask_login import current_user

from models import Membership
from services import access
from services.projects import tasks as task_service


def current_team() -> Membership | None:
    """The current membership (team loaded), or None for a visitor or a user in no team."""
    if "current_membership" not in g:
        if not current_user.is_authenticated:
            g.current_membership = None
        else:  # no query when it came with the user's row (access.current_membership)
            g.current_membership = access.current_membership(current_user)
    membership: Membership | None = g.current_membership
    return membership


Choices = tuple[tuple[int, str, str], ...]  # task id, project name, task name
CHOICES_KEY = "timesheet.task_choices"
CHOICES_KEPT = 10_000  # (user, version, team) keys per process, least recently used out first


def open_task_choices(team_id: int) -> Choices:
    """The signed-in user's open tasks in ``team_id``: the timer strip's picker on every page,
    and the empty week's hint. Kept per process under the user's data version, which every write
    to a task or project of the team bumps for each member, and every membership change for its
    member (services/platform/data_version.py): a page runs no query for them on a hit."""
    cache: ChoicesCache = current_app.extensions.setdefault(CHOICES_KEY, ChoicesCache())
    key = (current_user.id, current_user.data_version, team_id)
    choices = cache.get(key)
    if choices is None:
        choices = tuple(task_service.open_task_choices(current_user.id, team_id))
        cache.put(key, choices)
    return choices


class ChoicesCache:
    def __init__(self) -> None:
        self._kept: OrderedDict[Hashable, Choices] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Choices | None:
        with self._lock:
            choices = self._kept.get(key)
            if choices is not None:
                self._kept.move_to_end(key)
            return choices

    def put(self, key: Hashable, choices: Choices) -> None:
        with self._lock:
            self._kept[key] = choices
            while len(self._kept) > CHOICES_KEPT:
                self._kept.popitem(last=False)


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

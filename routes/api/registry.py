"""Binds the API to an app: the resource blueprints (in the order of the document) and the docs
page. Called by ``app.py:register_blueprints``; a new resource is one more line here."""

from __future__ import annotations

from flask import Flask

from extensions import api
from routes.api import (
    approvals,
    docs,
    entries,
    invitations,
    members,
    projects,
    reports,
    tasks,
    teams,
    timer,
    weeks,
)

RESOURCES = (
    teams.blp,
    members.blp,
    invitations.blp,
    approvals.blp,
    projects.blp,
    tasks.blp,
    entries.blp,
    timer.blp,
    weeks.blp,
    reports.blp,
)


def register_api(app: Flask) -> None:
    for blueprint in RESOURCES:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)

"""Request and response bodies of the API, declared once: flask-smorest validates requests with
them and generates the OpenAPI document from them.

They check the *shape* of the input (types, required fields, an offset on every datetime);
every rule about the *values* (name length, 24 h a day, whose task it is, date ranges) lives in
the services, which the web pages call too. Output datetimes are RFC 3339 with an offset;
durations are whole minutes.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from models.membership import ROLES
from models.report import REPORT_STATUSES
from models.time_entry import MINUTES_PER_DAY
from routes.api.paging import PageArgs

# Ids are 32-bit integers in the database: a bigger one could never exist, and sending it to
# PostgreSQL would be an "out of range" error instead of a plain "not found".
MAX_ID = 2**31 - 1
ID_RANGE = validate.Range(min=1, max=MAX_ID)


def always_present(schema: type[ma.Schema]) -> type[ma.Schema]:
    """An answer's schema: every field is in every answer (``null`` where it says so), and the
    document says so, so the fuzzer fails an answer that leaves one out."""
    for field in schema._declared_fields.values():
        field.required = True
    return schema


def an_id(*, strict: bool = True, **kwargs: Any) -> fields.Integer:
    """An id: a JSON number in a body (``strict``), digits in a query string."""
    return fields.Integer(strict=strict, validate=ID_RANGE, **kwargs)


@always_present
class Stamped(ma.Schema):
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


# --- Projects -----------------------------------------------------------------------------------


@always_present
class ProjectOut(Stamped):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    archived = fields.Boolean(dump_only=True)


class ProjectCreate(ma.Schema):
    name = fields.String(required=True)


class ProjectUpdate(ma.Schema):
    name = fields.String()
    archived = fields.Boolean()


class ProjectListArgs(PageArgs):
    archived = fields.Boolean(
        load_default=False, metadata={"description": "List archived projects instead"}
    )


# --- Tasks --------------------------------------------------------------------------------------


@always_present
class TaskOut(Stamped):
    id = fields.Integer(dump_only=True)
    project_id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    closed = fields.Boolean(dump_only=True)


class TaskCreate(ma.Schema):
    name = fields.String(required=True)


class TaskUpdate(ma.Schema):
    name = fields.String()
    closed = fields.Boolean()


# --- Time entries -------------------------------------------------------------------------------


# Documentation of the service's range (entries.py checks it): helps clients and the fuzzer.
MINUTES_DOC = {"minimum": 1, "maximum": MINUTES_PER_DAY, "example": 90}


@always_present
class EntryOut(Stamped):
    id = fields.Integer(dump_only=True)
    task_id = fields.Integer(dump_only=True)
    project_id = fields.Integer(dump_only=True)
    day = fields.Date(dump_only=True, metadata={"description": "The local day it counts on"})
    started_at = fields.AwareDateTime(
        dump_only=True, metadata={"description": "In the user's time zone"}
    )
    ended_at = fields.AwareDateTime(dump_only=True)
    minutes = fields.Integer(dump_only=True)
    note = fields.String(dump_only=True)


class EntryCreate(ma.Schema):
    task_id = an_id(required=True)
    started_at = fields.AwareDateTime(
        required=True,
        metadata={"description": "RFC 3339 with an offset; counts on its day in your time zone"},
    )
    minutes = fields.Integer(strict=True, required=True, metadata=MINUTES_DOC)
    note = fields.String(load_default="")


class EntryUpdate(ma.Schema):
    task_id = an_id()
    started_at = fields.AwareDateTime()
    minutes = fields.Integer(strict=True, metadata=MINUTES_DOC)
    note = fields.String()


class EntryListArgs(PageArgs):
    date_from = fields.Date(data_key="from", metadata={"description": "First day (local)"})
    date_to = fields.Date(data_key="to", metadata={"description": "Last day (local)"})
    project_id = an_id(strict=False)
    task_id = an_id(strict=False)


# --- Weekly summary -----------------------------------------------------------------------------


class WeekArgs(ma.Schema):
    week = fields.String(
        metadata={"description": "An ISO week such as 2026-W47; default: this week", "example": ""}
    )


@always_present
class ProjectMinutes(ma.Schema):
    project_id = fields.Integer()
    minutes = fields.Integer()


@always_present
class DayOut(ma.Schema):
    day = fields.Date()
    minutes = fields.Integer()
    projects = fields.List(fields.Nested(ProjectMinutes))


@always_present
class ProjectTotalOut(ma.Schema):
    project_id = fields.Integer()
    name = fields.String()
    minutes = fields.Integer()


@always_present
class WeekOut(ma.Schema):
    week = fields.String(metadata={"example": "2026-W47"})
    monday = fields.Date()
    sunday = fields.Date()
    minutes = fields.Integer()
    days = fields.List(fields.Nested(DayOut))
    projects = fields.List(fields.Nested(ProjectTotalOut), metadata={"description": "Most first"})


# --- Report exports -----------------------------------------------------------------------------


class ReportCreate(ma.Schema):
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)


@always_present
class ReportOut(ma.Schema):
    id = fields.Integer()
    date_from = fields.Date()
    date_to = fields.Date()
    status = fields.String(validate=validate.OneOf(REPORT_STATUSES))
    progress = fields.Integer(metadata={"description": "Percent"})
    rows_written = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    download_url = fields.String(
        allow_none=True, metadata={"description": "Set once the file is ready"}
    )


# --- Teams --------------------------------------------------------------------------------------


@always_present
class TeamOut(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String(
        validate=validate.OneOf(ROLES), metadata={"description": "The caller's role in the team"}
    )
    lock_after_days = fields.Integer(
        allow_none=True, metadata={"description": "Days of grace before a week locks; null: never"}
    )


@always_present
class MemberOut(ma.Schema):
    id = fields.Integer(metadata={"description": "The membership's id"})
    user_id = fields.Integer()
    name = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    joined_at = fields.AwareDateTime()
    left_at = fields.AwareDateTime(allow_none=True, metadata={"description": "Former members"})


# --- Week approvals -----------------------------------------------------------------------------


@always_present
class WeekEventOut(ma.Schema):
    action = fields.String(metadata={"example": "submitted"})
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.String(allow_none=True)
    comment = fields.String()
    at = fields.AwareDateTime()


@always_present
class ApprovalOut(ma.Schema):
    team_id = fields.Integer()
    user_id = fields.Integer()
    week = fields.String(metadata={"example": "2026-W47"})
    monday = fields.Date()
    status = fields.String(
        metadata={"description": "open, submitted, approved, rejected or reopened"}
    )
    locked_because = fields.String(
        allow_none=True, metadata={"description": "Why its time cannot change; null: open"}
    )
    events = fields.List(fields.Nested(WeekEventOut), metadata={"description": "Oldest first"})


class RejectBody(ma.Schema):
    comment = fields.String(required=True, metadata={"description": "What needs to change"})


# --- Team administration ------------------------------------------------------------------------


class TeamCreate(ma.Schema):
    name = fields.String(required=True)


class RoleChange(ma.Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class InvitationCreate(ma.Schema):
    email = fields.String(required=True)
    role = fields.String(load_default="member", validate=validate.OneOf(ROLES))


@always_present
class InvitationOut(ma.Schema):
    id = fields.Integer()
    team_id = fields.Integer()
    email = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    invited_by_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    accepted_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)
    open = fields.Boolean(metadata={"description": "Neither used nor revoked (see expires_at)"})


# --- Timer --------------------------------------------------------------------------------------


@always_present
class TimerOut(ma.Schema):
    task_id = fields.Integer()
    project_id = fields.Integer()
    note = fields.String()
    started_at = fields.AwareDateTime(metadata={"description": "In the user's time zone"})
    elapsed_seconds = fields.Integer()


class TimerStart(ma.Schema):
    task_id = an_id(required=True)
    note = fields.String(load_default="", metadata={"description": "Becomes the entries' note"})


@always_present
class TimerStopOut(ma.Schema):
    entries = fields.List(
        fields.Nested(EntryOut), metadata={"description": "One per local day the run covered"}
    )
    capped_minutes = fields.Integer(
        metadata={"description": "Time cut off by the 24 h daily limit (not logged)"}
    )

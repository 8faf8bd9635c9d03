"""Report exports: asking for one, building it (in the worker), finding the finished file.

The export streams the entries from the database (``yield_per``: a server-side cursor on
PostgreSQL) into a temporary file in ``<instance>/reports/``, renamed to its final name only when
complete, so a half-written file is never offered for download. Progress goes to the report row
through a separate short transaction, at most once per ``REPORT_PROGRESS_EVERY_SECONDS``.

Two runs of one export can overlap (the clean-up queues again a report whose message is only
waiting in a slow queue). Each run first claims the report (``claim_report``: a conditional UPDATE
of ``claim_token``); every later write, file or status, belongs to the claimant only, and a run
that does not hold the claim stops without touching anything.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import CursorResult, DateTime, Result, func, or_, select, type_coerce, update

from extensions import db
from models import Project, Report, Task, TimeEntry, User
from models.columns import utcnow
from services import access
from services.platform.queue import QueueUnavailable, enqueue
from services.platform.transactions import begin_write
from services.reports.csv_file import EntryRow, write_report
from services.timesheet.dates import user_zone

log = logging.getLogger(__name__)

CLEANUP_TASK = "cleanup.expired"
EXPORT_TASK = "reports.export"
MAX_RANGE_DAYS = 5 * 366
FETCH_BATCH = 2000
DELIVERY_ID_CHARS = 64  # of the queue message id, in the claim token (models.report)


class InvalidReportRange(ValueError):
    """The dates cannot make a report; ``str(error)`` says why, for the form."""


def reports_folder() -> Path:
    return Path(current_app.instance_path) / "reports"


def final_name(report_id: int) -> str:
    return f"report-{report_id}.csv"


def check_range(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise InvalidReportRange("The end date must be on or after the start date.")
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise InvalidReportRange("Choose a range of at most five years.")


def request_export(
    user_id: int,
    date_from: date,
    date_to: date,
    *,
    team_id: int | None = None,
    person_id: int | None = None,
    project_id: int | None = None,
) -> Report:
    """Store a pending report, commit, then queue its export. With ``team_id``: a team report
    (every member's time on the team's projects, optionally one person's or project's); the
    caller has checked ``see_team_time`` (services/reports/team.py make_filter).

    Broker down: the row is deleted again and QueueUnavailable raised, so the request can answer
    503 and no report is left pending for ever.
    """
    check_range(date_from, date_to)
    if team_id is not None:
        access.require_in_team(user_id, team_id, "see_team_time")
    report = Report(
        user_id=user_id,
        date_from=date_from,
        date_to=date_to,
        status="pending",
        team_id=team_id,
        person_id=person_id if team_id is not None else None,
        project_id=project_id if team_id is not None else None,
    )
    db.session.add(report)
    db.session.commit()
    try:
        enqueue(EXPORT_TASK, report.id)
    except QueueUnavailable:
        db.session.delete(report)
        db.session.commit()
        raise
    return report


def user_reports(user_id: int, limit: int = 20) -> list[Report]:
    stmt = (
        access.reports_of(user_id).order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)
    )
    return list(db.session.scalars(stmt))


def list_reports(user_id: int, *, page: int, per_page: int) -> Pagination:
    """One page of the user's reports, newest first (the id breaks ties)."""
    stmt = access.reports_of(user_id).order_by(Report.created_at.desc(), Report.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def get_user_report(user_id: int, report_id: int) -> Report | None:
    """The report if it belongs to this user; None otherwise (callers answer 404, not 403)."""
    if not access.is_possible_id(report_id):
        return None
    return db.session.scalar(access.reports_of(user_id).where(Report.id == report_id))


def finished_file(report: Report) -> Path | None:
    if report.status != "done" or not report.file_name:
        return None
    path = reports_folder() / report.file_name
    return path if path.is_file() else None


def entries_filter(report: Report) -> tuple[Any, ...]:
    """The report's entries: the user's own, or (a team report) the team's, narrowed to one
    person or project when asked."""
    days = TimeEntry.spent_on.between(report.date_from, report.date_to)
    if report.team_id is None:
        return (access.entry_scope(report.user_id), days)
    clauses = [access.person_entry_scope(report.team_id, report.person_id), days]
    if report.project_id is not None:
        clauses.append(Task.project_id == report.project_id)
    return tuple(clauses)


def count_entries(report: Report) -> int:
    stmt = (
        select(func.count())
        .select_from(TimeEntry)
        .join(Task, TimeEntry.task_id == Task.id)
        .where(*entries_filter(report))
    )
    return int(db.session.scalar(stmt) or 0)


def stream_entries(report: Report) -> Iterator[EntryRow]:
    """The entries in order (shaped like EntryRow), fetched ``FETCH_BATCH`` rows at a time;
    never all in memory."""
    team = report.team_id is not None
    stmt = (
        select(
            # The raw column type, not UTCDateTime: its per-row Python hook was a quarter of
            # the export time. SQLite then gives naive UTC, which write_report treats as UTC.
            TimeEntry.spent_on,
            type_coerce(TimeEntry.started_at, DateTime(timezone=True)),
            TimeEntry.minutes,
            TimeEntry.note,
            Project.name,
            Task.name,
            # A team report says whose time each row is (an extra last column).
            *((User.name,) if team else ()),
        )
        .join(Task, TimeEntry.task_id == Task.id)
        .join(Project, Task.project_id == Project.id)
        .where(*entries_filter(report))
        .order_by(TimeEntry.spent_on, TimeEntry.started_at, TimeEntry.id)
        .execution_options(yield_per=FETCH_BATCH)
    )
    if team:
        stmt = stmt.join(TimeEntry.user)
    # Executed on the session's connection (Core), not through the ORM: plain rows, no per-row
    # ORM bookkeeping (a tenth of the export time). They unpack like EntryRow (same order).
    rows = db.session.connection().execute(stmt)
    return cast("Iterator[EntryRow]", iter(rows))


class ClaimLost(Exception):
    """Another run of this export holds the report now: this run stops and changes nothing."""


def new_claim_token(delivery_id: str | None) -> str:
    """``<queue message id>:<random>``: unique per run, and a redelivery of the same message
    (its worker died) can recognise the claim of its earlier attempt."""
    return f"{(delivery_id or '')[:DELIVERY_ID_CHARS]}:{uuid.uuid4().hex}"


def claim_report(report_id: int, token: str, delivery_id: str | None) -> bool:
    """Take the report for this run with one conditional UPDATE; True if this run got it.

    Free to take: a pending/running report with no claim, or a claim gone stale (no progress for
    ``REPORT_STALE_AFTER_SECONDS``: its worker died, and the clean-up queued the report again),
    or one held by an earlier delivery of this same message (the queue hands a message out again
    only when its worker is gone). On SQLite the UPDATE runs in a BEGIN IMMEDIATE transaction.
    """
    now = utcnow()
    stale_before = now - timedelta(seconds=current_app.config["REPORT_STALE_AFTER_SECONDS"])
    free = [Report.claim_token.is_(None), Report.claimed_at < stale_before]
    if delivery_id:
        earlier_attempt = f"{delivery_id[:DELIVERY_ID_CHARS]}:"
        free.append(Report.claim_token.startswith(earlier_attempt, autoescape=True))
    begin_write()
    result = db.session.execute(
        update(Report)
        .where(Report.id == report_id, Report.status.in_(("pending", "running")), or_(*free))
        .values(
            claim_token=token,
            claimed_at=now,
            status="running",
            progress=0,
            rows_written=0,
            error=None,
            file_name=None,
            finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return updated_one_row(result)


def updated_one_row(result: Result[Any]) -> bool:
    """Whether a conditional UPDATE matched its row (the result of an UPDATE is a CursorResult)."""
    return cast(CursorResult[Any], result).rowcount == 1


def claimed_by(token: str) -> Any:
    """The WHERE clause every write of a run carries: the report is still this run's."""
    return Report.claim_token == token


class ProgressRecorder:
    """Writes rows_written/progress to the report row, at most once per ``every_seconds``; each
    write also renews the claim (claimed_at), and finding the claim gone stops the run.

    It uses its own short transaction on another connection: the session's connection is busy
    with the streaming cursor, and committing that one would close the cursor.
    """

    def __init__(self, report_id: int, token: str, total: int, every_seconds: float) -> None:
        self.report_id = report_id
        self.token = token
        self.total = max(total, 1)
        self.every_seconds = every_seconds
        self.last = time.monotonic()

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if now - self.last < self.every_seconds:
            return
        self.last = now
        percent = min(99, rows * 100 // self.total)
        with db.engine.begin() as conn:
            result = conn.execute(
                update(Report)
                .where(Report.id == self.report_id, claimed_by(self.token))
                .values(progress=percent, rows_written=rows, claimed_at=utcnow())
            )
        if result.rowcount != 1:
            raise ClaimLost(self.report_id)


def remove_partial_files(folder: Path, report_id: int, keep: Path) -> None:
    """Leftovers of an earlier attempt at this report (a worker killed mid-export). Only the
    claimant calls this, so no live run's file is deleted."""
    for leftover in folder.glob(f"report-{report_id}-*.csv.part"):
        if leftover != keep:
            leftover.unlink(missing_ok=True)


def run_export(report_id: int, delivery_id: str | None = None) -> str:
    """Build the report's CSV. Idempotent: a redelivered, repeated or overlapping call leaves
    exactly one finished report and one file. Only the run holding the report's claim writes
    files or status; a run that does not get it (or loses it) stops and changes nothing.
    ``delivery_id`` is the queue message's id (lets a redelivery take over its own claim).
    Returns what happened, for the task's log."""
    report = db.session.get(Report, report_id)
    if report is None:
        return "missing"
    if report.status == "failed":
        return "failed earlier"
    if report.status == "done":
        return "already done"
    user = db.session.get(User, report.user_id)
    zone = user_zone(user.timezone if user is not None else None)
    token = new_claim_token(delivery_id)
    if not claim_report(report_id, token, delivery_id):
        db.session.rollback()
        return "claimed by another run"

    folder = reports_folder()
    part = folder / f"report-{report_id}-{uuid.uuid4().hex}.csv.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_partial_files(folder, report_id, keep=part)
        config = current_app.config
        recorder = ProgressRecorder(
            report_id,
            token,
            count_entries(report),
            config["REPORT_PROGRESS_EVERY_SECONDS"],
        )
        with part.open("w", newline="", encoding="utf-8") as out:
            rows = write_report(
                out,
                stream_entries(report),
                zone,
                recorder,
                config["REPORT_PROGRESS_EVERY_ROWS"],
                with_person=report.team_id is not None,
            )
            out.flush()
            os.fsync(out.fileno())
        db.session.rollback()  # end the streaming read before the locked write below
        if not finish(report_id, token, rows, part):
            raise ClaimLost(report_id)
    except ClaimLost:
        db.session.rollback()
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        log.info("report %s: another run took it over; this one stops", report_id)
        return "claimed by another run"
    except Exception as exc:
        db.session.rollback()
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        mark_failed(report_id, exc, token)
        raise
    return f"done: {rows} rows"


def finish(report_id: int, token: str, rows: int, part: Path) -> bool:
    """Mark the report done and put its file in place, only if this run still holds the claim.
    The row stays locked (UPDATE, not yet committed) while the file is renamed, so no other run
    can claim in between; a failed rename rolls the status back."""
    begin_write()
    result = db.session.execute(
        update(Report)
        .where(Report.id == report_id, claimed_by(token))
        .values(
            status="done",
            progress=100,
            rows_written=rows,
            file_name=final_name(report_id),
            finished_at=utcnow(),
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    if not updated_one_row(result):
        return False
    os.replace(part, reports_folder() / final_name(report_id))
    db.session.commit()
    return True


def mark_failed(report_id: int, exc: BaseException, token: str) -> None:
    """Only while this run holds the claim: a run that lost it leaves the report alone."""
    log.exception("report %s failed", report_id, exc_info=exc)
    message = (
        f"The export failed ({exc.__class__.__name__}). Please try again, or pick a shorter range."
    )
    begin_write()
    db.session.execute(
        update(Report)
        .where(Report.id == report_id, claimed_by(token))
        .values(status="failed", error=message, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()

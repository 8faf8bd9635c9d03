"""All of a user's entries as one CSV (offered before they delete their account): the same
columns and totals as an export, written at once (one person's time fits in memory)."""

from __future__ import annotations

import io
from datetime import date

from services.reports.csv_file import write_report
from services.reports.exports import stream_entries
from services.timesheet.dates import MAX_YEAR, MIN_YEAR, user_zone


def all_entries_csv(user_id: int, zone_name: str | None) -> str:
    out = io.StringIO()
    rows = stream_entries(user_id, date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31))
    write_report(out, rows, user_zone(zone_name))
    return out.getvalue()

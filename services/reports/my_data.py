"""All of a user's entries as one CSV (offered before they delete their account): the export's
own query (``exports.stream_entries``) and writer (``csv_file.write_report``), for an unsaved
report over every accepted year, so the columns and totals are the export's."""

from __future__ import annotations

import io
from datetime import date

from models import Report
from services.reports.csv_file import write_report
from services.reports.exports import stream_entries
from services.timesheet.dates import MAX_YEAR, MIN_YEAR, user_zone


def all_entries_csv(user_id: int, zone_name: str | None) -> str:
    # Never added to the session: it only describes the rows (the user's own, every year).
    everything = Report(
        user_id=user_id, date_from=date(MIN_YEAR, 1, 1), date_to=date(MAX_YEAR, 12, 31)
    )
    out = io.StringIO()
    write_report(out, stream_entries(everything), user_zone(zone_name))
    return out.getvalue()

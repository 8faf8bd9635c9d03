"""``/api/v1/week``: the weekly summary, minutes per day and per project (the week page's
numbers, from the same service)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, resource_blueprint
from routes.api.paging import QUERY
from routes.api.schemas import WeekArgs, WeekOut
from services.timesheet.dates import BadDate, local_today, parse_week
from services.timesheet.week import WeekSummary, summarize_week

blp = resource_blueprint("weeks", "The weekly summary: minutes per day and per project.")


def present(summary: WeekSummary) -> dict[str, Any]:
    return {
        "week": summary.week.label,
        "monday": summary.week.monday,
        "sunday": summary.week.sunday,
        "minutes": summary.minutes,
        "days": [
            {
                "day": day.day,
                "minutes": day.minutes,
                "projects": [
                    {"project_id": project_id, "minutes": minutes}
                    for project_id, minutes in day.minutes_by_project.items()
                ],
            }
            for day in summary.days
        ],
        "projects": [
            {"project_id": total.project.id, "name": total.project.name, "minutes": total.minutes}
            for total in summary.projects
        ],
    }


@blp.route("/week")
class Week(MethodView):
    @blp.arguments(WeekArgs, **QUERY)
    @blp.response(200, WeekOut)
    def get(self, args: dict[str, Any]) -> Answer:
        """The summary of one ISO week (default: this week in your time zone)."""
        user = caller()
        try:
            week = parse_week(args.get("week"), None, local_today(user.timezone))
        except BadDate as error:
            return problems.validation_problem({"week": [str(error)]})
        return present(summarize_week(user.id, week, user.timezone))

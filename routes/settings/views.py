"""Settings: name, time zone, first day of the week, clock; the browser-zone offer; a CSV of
all my data; deleting my account (password first)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user

from routes.auth.next_url import safe_next_path
from routes.fields import add_error, required
from routes.settings.forms import DeleteAccountForm, SettingsForm, ZoneOfferForm
from services.accounts import settings as settings_service
from services.accounts import users as accounts
from services.accounts.settings import SettingsError
from services.reports import my_data
from services.teams import leaving

bp = Blueprint("settings", __name__, url_prefix="/settings")

INVALID = 422


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    form = SettingsForm(obj=current_user if request.method == "GET" else None)
    form.set_zone_choices(current_user.timezone)
    if form.validate_on_submit():
        try:
            settings_service.update_settings(current_user, form.to_input())
        except SettingsError as error:
            add_error(form[error.field], error.message)
        else:
            flash("Settings saved.", "success")
            return redirect(url_for("settings.index"))
    status = INVALID if form.errors else 200
    return render_template("settings/index.html", form=form), status


@bp.post("/timezone")
@login_required
def zone_offer() -> ResponseReturnValue:
    form = ZoneOfferForm()
    back = safe_next_path(request.form.get("next")) or url_for("dashboard.week")
    if not form.validate_on_submit():
        flash("The form expired. Choose your time zone in Settings.", "error")
        return redirect(back)
    if form.choice.data == "use":
        try:
            settings_service.use_time_zone(current_user, form.timezone.data or "")
        except SettingsError as error:
            flash(f"{error.message} (Settings has the full list.)", "error")
            return redirect(back)
        flash(f"Times are now shown in {current_user.timezone}.", "success")
    else:
        settings_service.keep_time_zone(current_user)
        flash(f"Keeping {current_user.timezone}. You can change it in Settings.", "info")
    return redirect(back)


@bp.get("/my-data.csv")
@login_required
def my_data_csv() -> ResponseReturnValue:
    body = my_data.all_entries_csv(current_user.id, current_user.timezone)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="my-timesheet.csv"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account() -> ResponseReturnValue:
    form = DeleteAccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            leaving.delete_account(current_user, required(form.password.data))
        except accounts.WrongPassword:
            add_error(form.password, "That is not your password. Nothing was deleted.")
        except leaving.StillOwner as error:
            flash(str(error), "error")
            status = INVALID
        else:
            logout_user()
            flash("Your account and all its data are deleted. Goodbye.", "success")
            return redirect(url_for("site.index"))
    status = INVALID if form.errors or status == INVALID else 200
    blocking = leaving.teams_blocking_deletion(current_user)
    return render_template("settings/delete.html", form=form, blocking=blocking), status

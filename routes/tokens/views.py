"""Personal access tokens for the JSON API (blueprint ``tokens``): create, list, revoke.

A new token's secret is shown once, in the answer to the POST that created it (never stored,
never put in the session or a redirect), with ``Cache-Control: no-store`` like every signed-in
page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from routes.fields import add_error, required
from routes.rate_limits import limited
from routes.tokens.forms import TokenForm
from services.tokens import personal as tokens
from services.tokens.personal import InvalidToken

bp = Blueprint("tokens", __name__, url_prefix="/tokens")

INVALID = 422


def page(form: TokenForm, status: int = 200, secret: str | None = None) -> ResponseReturnValue:
    items = tokens.list_tokens(current_user.id)
    return render_template("tokens/index.html", form=form, tokens=items, secret=secret), status


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return page(TokenForm())


@bp.post("/")
@login_required
@limited("RATELIMIT_TOKEN_CREATE", per="user")
def create() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate_on_submit():
        return page(form, INVALID)
    try:
        new = tokens.create_token(
            current_user.id, form.name.data or "", required(form.scope.data), form.expiry_days()
        )
    except InvalidToken as error:
        add_error(form[error.field], error.message)
        return page(form, INVALID)
    flash(f"Token “{new.token.name}” created. Copy it now: it is shown only once.", "success")
    return page(TokenForm(formdata=None), 201, secret=new.secret)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    token = tokens.get_token_for(current_user.id, token_id)
    if token is None:
        abort(404)
    tokens.revoke_token(token)
    flash(f"Token “{token.name}” revoked: it no longer works.", "success")
    return redirect(url_for("tokens.index"))

"""Account pages: register, log in and out, change and reset the password, change the address
(blueprint ``auth``).

Thin: forms validate input, services.accounts.users does the work, these views render and redirect.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user

from routes.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmEmailForm,
    LoginForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from routes.auth.login_page import can_serve_kept_page, kept_login_page, render_login_page
from routes.auth.next_url import safe_next_path
from routes.auth.signing_in import sign_in
from routes.fields import add_error, required
from routes.rate_limits import failed_login, limited
from services.accounts import email_change, sessions, signed_links
from services.accounts import users as accounts
from services.accounts.rules import InvalidAccountField
from services.accounts.signed_links import InvalidLink

bp = Blueprint("auth", __name__, url_prefix="/auth")


LOGIN_FAILED = "Invalid email or password."
LOGIN_UNCONFIRMED = (
    "Confirm your email address first: follow the link in the mail we sent when you signed up. "
    "No mail? Send a new link below."
)
CHECK_MAIL = "Check your mail: we have sent a message to the address you gave."
RESET_REQUESTED = (
    "If an account exists for that address, we have sent it a link to reset the password. "
    "Check your inbox."
)


def default_page() -> str:
    return url_for("site.index")


def account_links() -> accounts.AccountLinks:
    return accounts.AccountLinks(
        confirm_link_template=url_for(
            "auth.confirm_email", token=accounts.CONFIRM_TOKEN_PLACEHOLDER, _external=True
        ),
        login_url=url_for("auth.login", _external=True),
        reset_url=url_for("auth.reset_request", _external=True),
    )


def email_change_links() -> email_change.EmailChangeLinks:
    return email_change.EmailChangeLinks(
        confirm_url_for=lambda token: url_for(
            "auth.confirm_email_change", token=token, _external=True
        ),
        login_url=url_for("auth.login", _external=True),
        reset_url=url_for("auth.reset_request", _external=True),
    )


@bp.route("/register", methods=["GET", "POST"])
@limited("RATELIMIT_SIGNUP")
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        flash("You already have an account and are logged in.", "info")
        return redirect(default_page())
    form = RegisterForm()
    if form.validate_on_submit():
        # One answer whether or not the address has an account: the mail tells its owner.
        accounts.sign_up(
            required(form.name.data),
            required(form.email.data),
            required(form.password.data),
            account_links(),
        )
        flash(CHECK_MAIL, "info")
        return redirect(url_for("auth.check_mail"))
    return render_template("auth/register.html", form=form)


@bp.get("/check-mail")
def check_mail() -> ResponseReturnValue:
    return render_template("auth/check_mail.html", form=ResendConfirmationForm())


@bp.post("/confirm/resend")
@limited("RATELIMIT_CONFIRMATION_RESEND")
@limited("RATELIMIT_CONFIRMATION_RESEND_PER_ACCOUNT", per="account")
def resend_confirmation() -> ResponseReturnValue:
    """A new confirmation link; the same answer as a sign-up, whatever the address."""
    form = ResendConfirmationForm()
    if not form.validate_on_submit():
        return render_template("auth/check_mail.html", form=form), 400
    accounts.resend_confirmation(required(form.email.data), account_links())
    flash(CHECK_MAIL, "info")
    return redirect(url_for("auth.check_mail"))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> ResponseReturnValue:
    """GET shows a button, POST confirms: following a link must not change anything (mail
    scanners open links to check them, and would use the single-use link up)."""
    try:
        signed_links.user_for_token(signed_links.EMAIL_CONFIRMATION, token)
    except InvalidLink as error:
        return render_template("auth/confirm_email.html", form=None, token_error=str(error)), 400
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        try:
            user = accounts.confirm_email(token)
        except InvalidLink as error:  # used between the check above and now
            return render_template(
                "auth/confirm_email.html", form=None, token_error=str(error)
            ), 400
        if current_user.is_authenticated:
            sessions.end_session(current_user.session_key)
            logout_user()
        sign_in(user)
        flash(f"Your address is confirmed. Welcome, {user.name}.", "success")
        return redirect(url_for("dashboard.week"))
    return render_template("auth/confirm_email.html", form=form, token=token, token_error=None)


@bp.route("/login", methods=["GET", "POST"])
@limited("RATELIMIT_LOGIN_PER_ADDRESS")
@limited("RATELIMIT_LOGIN_PER_ACCOUNT", per="account", deduct_when=failed_login)
def login() -> ResponseReturnValue:
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or default_page())
    if can_serve_kept_page(next_path):
        return kept_login_page()
    form = LoginForm()
    error = None
    resend_form = None
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(required(form.email.data), required(form.password.data))
        except accounts.InvalidCredentials:
            error = LOGIN_FAILED
        except accounts.InactiveAccount:
            error = "This account is switched off. Ask an administrator to turn it back on."
        except accounts.UnconfirmedEmail:
            error = LOGIN_UNCONFIRMED
            resend_form = ResendConfirmationForm(formdata=None, email=form.email.data)
        else:
            sign_in(user, remember=bool(form.remember.data))
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(next_path or default_page())
    return render_login_page(form, error=error, resend_form=resend_form, next_path=next_path)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        # The row goes first: the session cookie and the remember cookie die with it, even a copy
        # taken before (logout_user only clears this browser's cookies).
        sessions.end_session(current_user.session_key)
        logout_user()
        flash("You are logged out.", "info")
    return redirect(default_page())


@bp.get("/sessions")
@login_required
def sessions_page() -> ResponseReturnValue:
    user = current_user._get_current_object()
    return render_template(
        "auth/sessions.html",
        sessions=sessions.list_sessions(user),
        current_id=sessions.current_session_id(user),
    )


@bp.post("/sessions/others/end")
@login_required
def end_other_sessions() -> ResponseReturnValue:
    user = current_user._get_current_object()
    ended = sessions.log_out_everywhere_else(user)
    if ended:
        plural = "s" if ended != 1 else ""
        flash(f"Logged out everywhere else ({ended} other session{plural}).", "success")
    else:
        flash("There was no other session to end.", "info")
    return redirect(url_for("auth.sessions_page"))


@bp.post("/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> ResponseReturnValue:
    user = current_user._get_current_object()
    if session_id == sessions.current_session_id(user):
        flash("That is this session: use Log out to end it.", "info")
    elif sessions.end_session_by_id(user, session_id):
        flash("That session has been logged out.", "success")
    else:
        abort(404)
    return redirect(url_for("auth.sessions_page"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()  # the User row, not the proxy
        try:
            accounts.change_password(
                user, required(form.current_password.data), required(form.password.data)
            )
        except accounts.WrongPassword:
            add_error(form.current_password, "The current password is not correct.")
        else:
            # Every other sign-in (and its remember cookie) has ended; this one goes on.
            flash("Your password has been changed. Other devices have been logged out.", "success")
            return redirect(default_page())
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limited("RATELIMIT_PASSWORD_RESET")
@limited("RATELIMIT_PASSWORD_RESET_PER_ACCOUNT", per="account")
def reset_request() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(
            required(form.email.data),
            lambda token: url_for("auth.reset_password", token=token, _external=True),
        )
        flash(RESET_REQUESTED, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    try:
        signed_links.user_for_token(signed_links.PASSWORD_RESET, token)
    except InvalidLink as error:
        return render_template("auth/reset_password.html", form=None, token_error=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, required(form.password.data))
        except InvalidLink as error:  # used up between the check above and now
            return render_template(
                "auth/reset_password.html", form=None, token_error=str(error)
            ), 400
        if current_user.is_authenticated:
            logout_user()
        flash("Your password has been reset. Log in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, token=token, token_error=None)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@limited("RATELIMIT_EMAIL_CHANGE")
@limited("RATELIMIT_EMAIL_CHANGE_PER_USER", per="user")
@limited("RATELIMIT_EMAIL_CHANGE_PER_ACCOUNT", per="account")
def change_email() -> ResponseReturnValue:
    """Ask for a new address: a link goes to it, a notice to the current one. The same answer
    whether or not the new address has an account (services/accounts/email_change.py)."""
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            new_email = email_change.request_email_change(
                user,
                required(form.current_password.data),
                required(form.email.data),
                email_change_links(),
            )
        except accounts.WrongPassword:
            add_error(form.current_password, "The current password is not correct.")
        except InvalidAccountField as error:
            add_error(form.email, error.message)
        except email_change.SameEmail:
            add_error(form.email, "That is your address already: enter the new one.")
        else:
            flash(
                f"Check your mail at {new_email}: follow the link there to make the change. "
                f"Until then, keep logging in with {user.email}.",
                "info",
            )
            return redirect(url_for("auth.change_email"))
    status = 422 if form.errors else 200
    return render_template("auth/change_email.html", form=form), status


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str) -> ResponseReturnValue:
    """GET shows a button, POST makes the change (as for the confirmation link: mail scanners
    open links). Works signed in or not; a sign-in of this account goes on, all others end."""
    try:
        user, new_email = email_change.pending_change(token)
    except InvalidLink as error:
        return _email_change_error(str(error), 400)
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        own = current_user.is_authenticated and current_user.id == user.id
        try:
            user, old_email = email_change.confirm_email_change(
                token, keep_session_key=current_user.session_key if own else None
            )
        except InvalidLink as error:  # used between the check above and now
            return _email_change_error(str(error), 400)
        except accounts.EmailTaken:
            return _email_change_error(
                f"{new_email} now belongs to another account, so your address stays as it "
                "was. Ask for the change again with another address.",
                409,
            )
        flash(f"Your address is now {user.email} (it was {old_email}).", "success")
        return redirect(url_for("auth.change_email" if own else "auth.login"))
    return render_template(
        "auth/confirm_email_change.html",
        form=form,
        token=token,
        new_email=new_email,
        token_error=None,
    )


def _email_change_error(message: str, status: int) -> ResponseReturnValue:
    return render_template("auth/confirm_email_change.html", form=None, token_error=message), status

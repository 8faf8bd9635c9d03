"""Extension instances, created unbound.

Every module may import these without importing the app: ``create_app()`` in ``app.py`` binds them
with ``init_app``. Defining ``db`` next to the Flask object instead is what makes models import the
app, and the app import the models ("cannot import name 'db' from partially initialized module").
"""

from __future__ import annotations

import http
from typing import TYPE_CHECKING, Any

import marshmallow as ma
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Every constraint and index gets a predictable name, so migrations can drop or alter it later
# (SQLite batch mode and PostgreSQL both need the name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The models' base class. ``db.Model`` is made at run time (Base plus Flask-SQLAlchemy's bind and
# table-name mixins), so a type checker cannot see it; to mypy, models derive from Base, and they
# use nothing else of it.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


class ForgivingLoginManager(LoginManager):
    """Flask-Login 0.6.3 compares the remember cookie's digest with hmac.compare_digest, which
    raises TypeError (a 500) on non-ASCII text; a cookie like that is simply not a login."""

    def _load_user_from_remember_cookie(self, cookie: str) -> Any:
        if not cookie.isascii():
            return None
        return super()._load_user_from_remember_cookie(cookie)


login_manager = ForgivingLoginManager()
csrf = CSRFProtect()


PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document: what every API error looks like (documentation only; the
    bodies are built by ``routes/api/problems.py``)."""

    type = ma.fields.String(required=True, metadata={"description": "A URI naming the problem"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "422 only: the messages of each invalid field"},
    )


class ProblemApi(Api):
    """flask-smorest's ``Api`` whose errors are problem documents.

    smorest registers an app-wide ``HTTPException`` handler of its own in ``init_app``; that
    would turn the HTML error pages of the web app into JSON, so it is not registered here:
    ``routes/site.py`` owns the app's error handlers and hands API requests to
    ``routes/api/problems.py``. The documented error responses name ``application/problem+json``
    (smorest would say ``application/json``), so a client and the fuzzer read the real type.
    """

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        pass

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


api = ProblemApi()
# Rate limits (routes/rate_limits.py applies them; the limit strings are config settings). One
# instance for the process, like the others: init_app points it at the app's storage, so two apps
# built in one process (tests) share the storage of the one built last.
limiter = Limiter(key_func=get_remote_address)

# Public API of Flask-Login 0.6.3 (flask_login/__init__.py); see typings/README.md.
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Flask
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue

__version__: str

AUTH_HEADER_NAME: str
COOKIE_DURATION: timedelta
COOKIE_HTTPONLY: bool
COOKIE_NAME: str
COOKIE_SECURE: bool | None
ID_ATTRIBUTE: str
LOGIN_MESSAGE: str
LOGIN_MESSAGE_CATEGORY: str
REFRESH_MESSAGE: str
REFRESH_MESSAGE_CATEGORY: str

_F = TypeVar("_F", bound=Callable[..., Any])
_LoaderT = TypeVar("_LoaderT", bound=Callable[..., Any])

class UserMixin:
    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...

class AnonymousUserMixin:
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> None: ...

class LoginManager:
    anonymous_user: type[Any]
    login_view: str | None
    blueprint_login_views: dict[str, str]
    login_message: str
    login_message_category: str
    refresh_view: str | None
    needs_refresh_message: str
    needs_refresh_message_category: str
    session_protection: str | None
    localize_callback: Callable[[str], str] | None
    unauthorized_callback: Callable[[], ResponseReturnValue] | None
    needs_refresh_callback: Callable[[], ResponseReturnValue] | None
    id_attribute: str
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def unauthorized(self) -> ResponseReturnValue: ...
    def user_loader(self, callback: _LoaderT) -> _LoaderT: ...
    def request_loader(self, callback: _LoaderT) -> _LoaderT: ...
    def unauthorized_handler(self, callback: _LoaderT) -> _LoaderT: ...
    def needs_refresh_handler(self, callback: _LoaderT) -> _LoaderT: ...
    def needs_refresh(self) -> ResponseReturnValue: ...
    # Private, but overridden in extensions.py (ForgivingLoginManager).
    def _load_user_from_remember_cookie(self, cookie: str) -> Any: ...

# The signed-in user (a model instance) or an anonymous user object: its type is the app's.
current_user: Any

def encode_cookie(payload: str, key: str | None = None) -> str: ...
def decode_cookie(cookie: str, key: str | None = None) -> str | None: ...
def make_next_param(login_url: str, current_url: str) -> str: ...
def login_url(login_view: str, next_url: str | None = None, next_field: str = "next") -> str: ...
def login_fresh() -> bool: ...
def login_remembered() -> bool: ...
def login_user(
    user: Any,
    remember: bool = False,
    duration: timedelta | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...
def confirm_login() -> None: ...
def login_required(func: _F) -> _F: ...
def fresh_login_required(func: _F) -> _F: ...
def set_login_view(login_view: str, blueprint: Any = None) -> None: ...

class FlaskLoginClient(FlaskClient): ...

session_protected: Any
user_accessed: Any
user_loaded_from_cookie: Any
user_loaded_from_request: Any
user_logged_in: Any
user_logged_out: Any
user_login_confirmed: Any
user_needs_refresh: Any
user_unauthorized: Any

__all__ = [
    "AUTH_HEADER_NAME",
    "COOKIE_DURATION",
    "COOKIE_HTTPONLY",
    "COOKIE_NAME",
    "COOKIE_SECURE",
    "ID_ATTRIBUTE",
    "LOGIN_MESSAGE",
    "LOGIN_MESSAGE_CATEGORY",
    "REFRESH_MESSAGE",
    "REFRESH_MESSAGE_CATEGORY",
    "AnonymousUserMixin",
    "FlaskLoginClient",
    "LoginManager",
    "UserMixin",
    "__version__",
    "confirm_login",
    "current_user",
    "decode_cookie",
    "encode_cookie",
    "fresh_login_required",
    "login_fresh",
    "login_remembered",
    "login_required",
    "login_url",
    "login_user",
    "logout_user",
    "make_next_param",
    "session_protected",
    "set_login_view",
    "user_accessed",
    "user_loaded_from_cookie",
    "user_loaded_from_request",
    "user_logged_in",
    "user_logged_out",
    "user_login_confirmed",
    "user_needs_refresh",
    "user_unauthorized",
]

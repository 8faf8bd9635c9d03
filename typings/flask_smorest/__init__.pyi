# The part of flask-smorest 0.47 the app uses (it ships no types): the Api extension and the
# Blueprint decorators, which return the view they decorate.
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import flask
from apispec import APISpec

_T = TypeVar("_T")

class Api:
    spec: APISpec
    ERROR_SCHEMA: Any
    DEFAULT_ERROR_RESPONSE_NAME: str
    def __init__(
        self,
        app: flask.Flask | None = ...,
        *,
        spec_kwargs: Mapping[str, Any] | None = ...,
        config_prefix: str = ...,
    ) -> None: ...
    def init_app(
        self, app: flask.Flask, *, spec_kwargs: Mapping[str, Any] | None = ...
    ) -> None: ...
    def register_blueprint(
        self, blp: Blueprint, *, parameters: list[Any] | None = ..., **options: Any
    ) -> None: ...
    def _register_error_handlers(self) -> None: ...
    def _register_responses(self) -> None: ...

class Blueprint(flask.Blueprint):
    def __init__(self, *args: Any, description: str | None = ..., **kwargs: Any) -> None: ...
    def route(
        self,
        rule: str,
        *,
        parameters: list[Any] | None = ...,
        tags: list[str] | None = ...,
        **options: Any,
    ) -> Callable[[_T], _T]: ...
    def arguments(self, schema: Any, **kwargs: Any) -> Callable[[_T], _T]: ...
    def response(
        self, status_code: int, schema: Any = ..., **kwargs: Any
    ) -> Callable[[_T], _T]: ...
    def alt_response(
        self, status_code: int, response: Any = ..., **kwargs: Any
    ) -> Callable[[_T], _T]: ...
    @staticmethod
    def doc(**kwargs: Any) -> Callable[[_T], _T]: ...

"""WSGI middleware the factory wraps around the app: proxy headers, and a time limit on bodies.

Used by ``app.py`` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask
from werkzeug.exceptions import RequestTimeout
from werkzeug.middleware.proxy_fix import ProxyFix

PROXY_FIX_SETTINGS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")


def apply_proxy_fix(app: Flask) -> None:
    """Trust ``PROXY_FIX_X_FOR`` etc. values of the ``X-Forwarded-*`` headers (set by N proxies in
    front). All zero (the default): nothing is trusted, and the app is not wrapped at all."""
    counts = {name: int(app.config[f"PROXY_FIX_{name.upper()}"]) for name in PROXY_FIX_SETTINGS}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)  # type: ignore[method-assign]


class TimedInput:
    """``wsgi.input`` whose reads raise ``RequestTimeout`` (a 408) when the client stops sending:
    a body shorter than its Content-Length would otherwise hold a server thread for good."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def _call(self, name: str, *args: Any) -> Any:
        try:
            return getattr(self._stream, name)(*args)
        except TimeoutError:
            raise RequestTimeout("The request body stopped arriving.") from None

    def read(self, *args: Any) -> bytes:
        data: bytes = self._call("read", *args)
        return data

    def readline(self, *args: Any) -> bytes:
        line: bytes = self._call("readline", *args)
        return line

    def readlines(self, *args: Any) -> list[bytes]:
        lines: list[bytes] = self._call("readlines", *args)
        return lines

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


class BodyReadTimeout:
    """Give the client's socket a read timeout before the app reads the body.

    gunicorn's threaded workers read a body with a blocking socket and no time limit; it hands
    the socket to the app as ``environ["gunicorn.socket"]``. Other servers are left alone.
    """

    def __init__(self, wsgi_app: Any, seconds: float) -> None:
        self.wsgi_app = wsgi_app
        self.seconds = seconds

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        if sock is not None and self.seconds > 0:
            sock.settimeout(self.seconds)
            environ["wsgi.input"] = TimedInput(environ["wsgi.input"])
        answer: Iterable[bytes] = self.wsgi_app(environ, start_response)
        return answer


def apply_body_timeout(app: Flask) -> None:
    app.wsgi_app = BodyReadTimeout(  # type: ignore[method-assign]
        app.wsgi_app, float(app.config["REQUEST_BODY_TIMEOUT"])
    )

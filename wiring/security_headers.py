"""Security headers on every response (our own small module: the maintained Flask-Talisman fork
has had no release since 2023, and these are a handful of constant strings).

- Content-Security-Policy: scripts, styles and images from this site only, no inline script or
  style (``static/*.js``, ``static/style.css``; SVG presentation attributes such as ``fill=`` are
  not styles), no framing, forms posting only here. An injected ``<script>`` does not run.
- ``X-Content-Type-Options: nosniff``: a CSV download (or any upload echoed back) is never run as
  HTML or script; ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``.
- ``Referrer-Policy: same-origin``: a password-reset URL never leaks to another site.
- ``Permissions-Policy``: no camera, microphone, location, payment or USB for any page.
- HSTS only when ``HSTS_HEADER`` is set (production): over plain HTTP in development it would
  make browsers refuse ``http://localhost`` for a year.

A view may set its own value of any of these: only the missing ones are added (one pass over
the response's headers, not a ``setdefault`` each, which walks them all again: a twentieth of the
login page's time, issue 12).
"""

from __future__ import annotations

from flask import Flask, Response, current_app

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}

# (lower-case name, name, value): header names are compared without case.
_HEADERS = [(name.lower(), name, value) for name, value in HEADERS.items()]


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    for lower, name, value in _HEADERS:
        if lower not in present:
            headers.add(name, value)
    hsts = current_app.config.get("HSTS_HEADER")
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", hsts)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)

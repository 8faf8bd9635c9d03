"""The week page's body, rendered once per version of the user's data and kept per process.

The key holds the user's ``data_version`` (``models/user.py``), which every write to an entry,
task or project the week shows bumps in the same transaction
(``services/platform/data_version.py``), so a body older than the data is never served: the
next request after a write misses and renders afresh. The version is read with the user, which
every signed-in request loads anyway: a hit costs no query beyond that. The rest of the key is
what else the body depends on: the week, today's date and the time zone (the "today" marks),
the script root (the links). The CSRF token differs per session, so the body is kept as UTF-8
pieces split at the token's places, joined with the session's token on the way out (one
``bytes.join``: a 500-entry week is not re-escaped, re-joined or re-encoded on a hit).
Size-bounded (``WEEK_CACHE_MAX_BYTES``, least recently used out first); ``0`` turns it off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Response, current_app, render_template
from markupsafe import Markup

EXTENSION_KEY = "timesheet.week_cache"
# Stands for the CSRF token in a cached body; filled with the session's token for each response.
CSRF_SLOT = "csrf-slot-4f9b2c1e"
# Stands for the empty week's "getting started" hint (it reads the team's tasks and the role,
# which the key does not hold): drawn per response, see routes/dashboard/views.py:week.
HINT_SLOT = Markup("<!-- empty-week-hint-7d1e0a -->")

# Where the body goes in its page's shell (the template around it: layout, timer strip, flashes).
BODY_SLOT = Markup("<!-- cached body -->")

Body = tuple[bytes, ...]  # a rendered body, UTF-8, split where the CSRF token goes


def split_body(html: str) -> Body:
    return tuple(html.encode().split(CSRF_SLOT.encode()))


def fill_body(body: Body, csrf_token: str) -> bytes:
    return csrf_token.encode().join(body)


def page_around(filled: bytes, template: str, **context: object) -> Response:
    """The page: ``template`` rendered for this request (its ``body`` is where the cached body
    goes), with the body put in as bytes, so a long one is not escaped, joined or encoded again."""
    shell = render_template(template, body=BODY_SLOT, **context)
    head, _, tail = shell.partition(BODY_SLOT)
    return Response([head.encode(), filled, tail.encode()], mimetype="text/html")


class BodyCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._bodies: OrderedDict[Hashable, Body] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_render(self, key: Hashable, render: Callable[[], Body]) -> Body:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
                self.hits += 1
                return body
            self.misses += 1
        body = render()
        self._put(key, body)
        return body

    def _put(self, key: Hashable, body: Body) -> None:
        size = sum(len(piece) for piece in body)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._bodies.pop(key, None)
            self.bytes -= sum(len(piece) for piece in old) if old is not None else 0
            self._bodies[key] = body
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, evicted = self._bodies.popitem(last=False)
                self.bytes -= sum(len(piece) for piece in evicted)


def week_cache() -> BodyCache:
    extensions = current_app.extensions
    cache = extensions.get(EXTENSION_KEY)
    if cache is None:
        cache = extensions.setdefault(
            EXTENSION_KEY, BodyCache(int(current_app.config["WEEK_CACHE_MAX_BYTES"]))
        )
    return cache  # type: ignore[no-any-return]

"""One ``url_for`` per page for a link that repeats per row, instead of one per row.

``url_for`` walks the URL map each time (tens of microseconds); a week with 500 entries has two
links per entry. ``IdUrl`` builds the URL once with a marker id and keeps the text around it, so
a row's link is ``head + id + tail``: the same string ``url_for`` would give (the test in
tests/test_week_render.py compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

# An id no row will have; its digits must appear exactly once in the built URL.
MARKER = 987_654_321_012


@dataclass(frozen=True, slots=True)
class IdUrl:
    head: str
    tail: str

    def __call__(self, object_id: int) -> str:
        return f"{self.head}{object_id}{self.tail}"


def id_url(endpoint: str, id_arg: str, **fixed: Any) -> IdUrl:
    """The URL of ``endpoint`` for any value of its integer argument ``id_arg`` (and ``fixed``
    values for the other arguments, the same on every row)."""
    values: dict[str, Any] = {**fixed, id_arg: MARKER}
    url = url_for(endpoint, **values)
    head, found, tail = url.partition(str(MARKER))
    # The id must be a part of the path, once (not a query argument: an unknown argument is one).
    if not found or "?" in head or str(MARKER) in tail:
        raise ValueError(f"{endpoint}: cannot find the {id_arg} in {url!r}")
    return IdUrl(head, tail)

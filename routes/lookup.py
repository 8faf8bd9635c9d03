"""Turning a service's lookup into a page: found, or a 404."""

from __future__ import annotations

from typing import TypeVar

from flask import abort

T = TypeVar("T")


def found_or_404(found: T | None) -> T:
    """What a service found for the signed-in user (``services/access.py`` scopes every lookup),
    or a 404: another user's object is "not found", never "forbidden" (its existence is not
    told)."""
    if found is None:
        abort(404)
    return found

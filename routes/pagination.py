"""Reading list parameters from the query string without ever failing on them."""

from __future__ import annotations

from flask import request

MAX_PAGE = 1_000_000


def page_arg() -> int:
    """``?page=``: a positive page number; anything else (missing, text, 0, huge) is page 1 or
    the last page we would ever look at, never an error or an absurd OFFSET."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)

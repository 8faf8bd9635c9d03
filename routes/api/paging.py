"""Lists: ``?page=`` and ``?limit=``, a stable order (the services order by a unique column last),
and RFC 8288 ``Link`` headers (first, prev, next, last) plus ``X-Total-Count``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination

MAX_PAGE = 1_000_000

# Query arguments: an unknown parameter is a 422, not silently ignored (``?form=`` for ``?from=``
# would otherwise list every entry as if no filter had been asked for).
QUERY = {"location": "query", "unknown": ma.RAISE}

LIST_HEADERS = {
    "Link": {
        "description": "RFC 8288 links to the first, previous, next and last pages",
        "schema": {"type": "string"},
    },
    "X-Total-Count": {
        "description": "How many items the whole list has",
        "schema": {"type": "integer"},
    },
}


class PageArgs(ma.Schema):
    page = ma.fields.Integer(
        load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE), metadata={"example": 1}
    )
    limit = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(min=1, max=100),
        metadata={"description": "Items per page (default 20, at most 100)"},
    )


def page_size(args: dict[str, Any]) -> int:
    return int(args.get("limit") or current_app.config["API_PAGE_SIZE"])


def _url(page: int) -> str:
    query = request.args.to_dict(flat=False)
    query["page"] = [str(page)]
    return f"{request.base_url}?{urlencode(query, doseq=True)}"


def list_headers(pagination: Pagination) -> dict[str, str]:
    last = max(pagination.pages, 1)
    links = [f'<{_url(1)}>; rel="first"', f'<{_url(last)}>; rel="last"']
    if pagination.page > 1:
        links.append(f'<{_url(min(pagination.page - 1, last))}>; rel="prev"')
    if pagination.page < last:
        links.append(f'<{_url(pagination.page + 1)}>; rel="next"')
    return {"Link": ", ".join(links), "X-Total-Count": str(pagination.total or 0)}

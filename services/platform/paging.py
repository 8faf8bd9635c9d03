"""Pagination in one query: the page's rows and the total count together.

Flask-SQLAlchemy's ``db.paginate(count=True)`` runs two queries, the page and a COUNT over the
same select. Here the count rides along with the rows as ``COUNT(*) OVER ()`` (computed before
LIMIT, so it is the total), which keeps a list page within its query budget
(``tests/test_query_counts.py``). Only a page past the end, which has no row to carry the count,
costs the separate COUNT. The result is Flask-SQLAlchemy's own ``Pagination`` type, so templates
and the pager macro are unchanged.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func

from extensions import db

TOTAL_LABEL = "pagination_total"


class OneQueryPagination(SelectPagination):
    """``extra`` labelled columns may ride along too; their values (from the first row, so
    they should not depend on the row) are in ``extras``, or None on an empty page."""

    extras: dict[str, Any] | None = None
    _known_total: int | None = None

    def _query_items(self) -> list[Any]:
        select: Select[Any] = self._query_args["select"]
        extra = self._query_args.get("extra", ())
        statement = (
            select.add_columns(func.count().over().label(TOTAL_LABEL), *extra)
            .limit(self.per_page)
            .offset(self._query_offset)
        )
        rows = db.session.execute(statement).all()
        if rows:
            mapping = rows[0]._mapping
            self._known_total = int(mapping[TOTAL_LABEL])
            self.extras = {column.key: mapping[column.key] for column in extra}
        width = len(rows[0]) - 1 - len(extra) if rows else 1
        return [row[0] if width == 1 else tuple(row[:width]) for row in rows]

    def _query_count(self) -> int:
        if self._known_total is not None:
            return self._known_total
        if self._query_offset == 0:  # the first page is empty: nothing at all
            return 0
        return super()._query_count()


def paginate(
    select: Select[Any], *, page: int, per_page: int, extra: tuple[Any, ...] = ()
) -> OneQueryPagination:
    """One page of ``select`` (out-of-range pages are empty, never a 404)."""
    return OneQueryPagination(
        select=select,
        session=db.session(),
        extra=extra,
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        count=True,
    )


__all__ = ["OneQueryPagination", "Pagination", "paginate"]

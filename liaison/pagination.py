"""Pagination for lists that grow without end: the activity trail and the issue lists, scoped or national."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

from liaison import prepared
from liaison.querysets import by_ids, compiled, kept_count, kept_query

# Counting every row of half a million events costs more than showing a page of them; beyond this many rows the
# list says "more than" and asks for a filter (the CSV still has every row).
LIST_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows, with a LIMIT under the COUNT, so the count costs what a page costs."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        # No ORDER BY under the count: it only has to find cap + 1 rows, in any order.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def more(self) -> bool:
        """More rows match than are counted and listed."""
        return self._counted > self.cap


class KeyedUnionPaginator(CappedPaginator):
    """Pages a scoped list, newest first, in two steps: the page's ids, and how many there are, from the scope's own
    union of (pk, key) rows (`EventQuerySet.visible_keys`, `IssueQuerySet.visible_keys`), which covering indexes
    serve without reading a row; then only those rows. Reading the page through `visible_to` would fetch every row
    in scope (5,000 events, 1,000 issues for a district) to sort them. Not for the national roles, whose lists an
    index reads in order and stops.

    `key` is the column the list is sorted on, newest first (the id breaks ties), or oldest first with `oldest_first`
    (a queue); `rows` the queryset the page's rows are read from, by id, with what they need (the ids come from the
    scope's SQL, so they are the user's);
    `narrowed`, when the list is filtered, the ids the filters allow, read unscoped and only ever intersected with
    the scope. The cap and "more than" are CappedPaginator's."""

    def __init__(
        self,
        keys: RawSQL,
        per_page,
        *,
        key: str,
        rows: QuerySet,
        narrowed: QuerySet | None = None,
        rows_kept_as: str | None = None,
        oldest_first: bool = False,
        **kwargs,
    ):
        super().__init__(rows, per_page, **kwargs)
        self.keys, self.rows, self.rows_kept_as = keys, rows, rows_kept_as
        self.narrowed = None if narrowed is None else compiled(narrowed.order_by().values("pk"))
        # Filters that can match nothing leave nothing to page.
        self.nothing = narrowed is not None and self.narrowed is None
        quote = connections[rows.db].ops.quote_name
        way = "ASC" if oldest_first else "DESC"
        self.in_order = f'ORDER BY "keyed".{quote(key)} {way}, "keyed"."pk" {way} LIMIT %s OFFSET %s'

    def _select(self, columns: str, tail: str) -> tuple[str, list]:
        sql, params = f'SELECT {columns} FROM ({self.keys.sql}) "keyed"', list(self.keys.params)
        if self.nothing:
            sql += " WHERE 1 = 0"
        elif self.narrowed is not None:
            sql += f' WHERE "keyed"."pk" IN ({self.narrowed.sql})'
            params.extend(self.narrowed.params)
        return f"{sql} {tail}", params

    def _fetch(self, sql: str, params: list) -> list:
        # The scope's union is the user's own on every visit: planned once per connection (liaison/prepared.py).
        connection = connections[self.rows.db]
        with connection.cursor() as cursor:
            cursor.execute(*prepared.statement(connection, sql, tuple(params), inline=True))
            return cursor.fetchall()

    @cached_property
    def _counted(self) -> int:
        sql, params = self._select("1", "LIMIT %s")
        return self._fetch(f'SELECT COUNT(*) FROM ({sql}) "capped"', [*params, self.cap + 1])[0][0]

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number < 1:
            # As Paginator.get_page answers it: the last page.
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        keys = []
        if bottom < self.cap:
            sql, params = self._select('"keyed"."pk", COUNT(*) OVER ()', self.in_order)
            keys = self._fetch(sql, [*params, min(self.per_page, self.cap - bottom), bottom])
        if keys:
            self.__dict__["_counted"] = keys[0][1]
            found = self._by_ids([pk for pk, _ in keys])
            return self._get_page([found[pk] for pk, _ in keys if pk in found], number, self)
        # Past the end (or an empty list): counted apart, then the last page, as Paginator.get_page answers.
        return super().get_page(number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        sql, params = self._select('"keyed"."pk"', self.in_order)
        top = min(bottom + self.per_page, self.count)
        ids = [pk for (pk,) in self._fetch(sql, [*params, max(top - bottom, 0), bottom])]
        found = self._by_ids(ids)
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)

    def _by_ids(self, ids: list[int]) -> dict:
        # `rows` read by id on every visit: kept compiled where the caller names it (`rows_kept_as`).
        if self.rows_kept_as is None:
            return self.rows.order_by().in_bulk(ids)
        return by_ids((self.rows_kept_as,), self.rows, ids)


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, where a cheaper query than counting its list gives the number
    (a user's open alerts: counted from their deliveries, listed newest first from the alerts)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def unfiltered(query) -> bool:
    """Whether a list page was asked for without filters (a page number at most): as most visits ask for it, and
    the only way whose rows a kept query may serve (a filter's values are never part of a key)."""
    return not any(value for name, value in query.items() if name != "page")


class KeptPaginator(CountedPaginator):
    """Pages a list whose SQL is kept compiled (`liaison.querysets.kept_query`, whose rules `key` and `build` follow):
    its count and each page's rows are read by SQL compiled once per key and page, not built again on each visit.
    With `cap`, at most `cap` rows are counted and paged, and `more` says there are more (as CappedPaginator's)."""

    def __init__(self, key: tuple, build: Callable[[], QuerySet], per_page: int, *, cap: int | None = None, **kwargs):
        self.key, self.build = key, build
        counted = kept_count(key, build, cap=cap)
        self.more = cap is not None and counted > cap
        super().__init__(None, per_page, count=counted if cap is None else min(counted, cap), **kwargs)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = kept_query((*self.key, "page", bottom, top), lambda: self.build()[bottom:top]).rows()
        return self._get_page(rows, number, self)


def filtered_pages(
    filterset,
    *,
    everything: QuerySet | None,
    keys: Callable[[], RawSQL | None],
    key: str,
    rows: QuerySet,
    per_page: int,
    kept_as: str | None = None,
) -> Paginator:
    """A filtered list, newest first on `key`, a page at a time: `filterset` (a django-filter FilterSet, whose own
    queryset is not read) narrows `everything`, the whole list for a user who sees every row (read in order from the
    index on `key`), or else the user's scope, whose (pk, key) rows `keys()` gives (KeyedUnionPaginator). Filters
    that are not valid list nothing. `kept_as` names the list when `everything`, unfiltered, is the same for every
    user who reads it (its SQL is then kept compiled, `KeptPaginator`)."""
    if not filterset.is_valid():
        return CappedPaginator(rows.none(), per_page)
    if everything is not None and kept_as is not None and not any(filterset.form.cleaned_data.values()):
        # Everything, unfiltered, as most visits see it: the same SQL for every user who sees every row, kept
        # compiled under `kept_as` (a filtered list is built afresh).
        return KeptPaginator(
            (kept_as, key), lambda: everything.order_by(f"-{key}", "-pk"), per_page, cap=LIST_COUNT_CAP
        )
    if everything is not None:
        return CappedPaginator(filterset.filter_queryset(everything).order_by(f"-{key}", "-pk"), per_page)
    scope = keys()
    if scope is None:
        return CappedPaginator(rows.none(), per_page)
    # The same filters over every row: what they allow is only ever intersected with the scope's rows.
    narrowed = filterset.filter_queryset(rows.model.objects.all())
    return KeyedUnionPaginator(
        scope,
        per_page,
        key=key,
        rows=rows,
        narrowed=narrowed if narrowed.query.where else None,
        rows_kept_as=None if kept_as is None else f"{kept_as}.rows",
    )

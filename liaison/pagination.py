"""Pagination for lists that grow without end (the activity trail, the national issue list)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.utils.functional import cached_property

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


class OnePassPaginator(CappedPaginator):
    """Counts in the query that reads the page (COUNT(*) OVER () beside each row), for a list PostgreSQL must
    gather and sort whole anyway: a user's scoped activity trail, a union over every app's events, which a separate
    count would gather a second time. Not for a list an index reads in order and stops (every event, for the
    national roles): the window would make it read every row. The cap and "more than" are CappedPaginator's."""

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number < 1:
            # As Paginator.get_page answers it: the last page.
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows = []
        if bottom < self.cap:
            rows = list(
                self.object_list.annotate(listed_total=Window(Count("*")))[
                    bottom : min(bottom + self.per_page, self.cap)
                ]
            )
        if rows:
            self.__dict__["_counted"] = rows[0].listed_total
            return self._get_page(rows, number, self)
        # Past the end (or an empty list): counted apart, then the last page, as Paginator.get_page answers.
        return super().get_page(number)


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, where a cheaper query than counting its list gives the number
    (a user's open alerts: counted from their deliveries, listed newest first from the alerts)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count

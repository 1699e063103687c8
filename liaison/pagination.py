"""Pagination for lists that grow without end (the activity trail, the national issue list)."""

from __future__ import annotations

from django.core.paginator import Paginator
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


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, where a cheaper query than counting its list gives the number
    (a user's open alerts: counted from their deliveries, listed newest first from the alerts)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count

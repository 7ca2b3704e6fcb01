"""A paginator for lists that can hold a whole network's rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: past that the list says "more than cap" (`capped`) and pages
    through its first `cap`. Counting every row of a million-row scope was most of a list's time,
    and nobody pages that far: they filter. The count reads any `cap + 1` rows of the list, in no
    order (ordered, the planner sorted the whole scope to find them), so past the cap it costs the
    same at any size."""

    def __init__(self, object_list, per_page, *, cap, **kwargs):
        if cap % per_page:
            raise ValueError("The cap must be a whole number of pages.")
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self):
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.cap)

    @cached_property
    def capped(self):
        """Whether the list holds more rows than it counted."""
        return self._counted > self.cap

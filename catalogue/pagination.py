"""Pagination that stays fast on large selections and on the last pages of the catalogue."""

from django.core.paginator import EmptyPage, Paginator
from django.utils.functional import cached_property

# How deep page numbers reach into a selection, in results. Reading page n costs walking the
# n × 20 results before it (an index in the catalogue's order, or a sort keeping that many), so
# without a bound the last pages cost more as the catalogue grows: 10 times the sheets, 10 times
# the cost of its last page. 10,000 results are 500 pages; a person does not page further, they
# narrow the filters, and a program reads everything through the API's cursors or the CSV.
MAX_DEPTH = 10_000


class PageTooDeep(Exception):
    """A page of the selection that page numbers do not reach (``MAX_DEPTH``)."""

    def __init__(self, number: int, paginator: "DeferredJoinPaginator"):
        super().__init__(f"page {number} is beyond the last page reached, {paginator.num_pages}")
        self.number = number
        self.paginator = paginator


class DeferredJoinPaginator(Paginator):
    """Reads the ids of a page first, then only the rows of that page; reaches the first
    ``max_depth`` results of the selection only (``num_pages``: the pages reached), a page
    beyond them is refused (``PageTooDeep``) and one past the selection's end is not found.

    A sheet row is about 2 kB of text. Sorting a selection of thousands of sheets (a search
    ranked by relevance, a theme in a département) and joining their structures before keeping
    20 of them carries every section of every candidate through the sort; ``OFFSET 90000 LIMIT
    20`` over whole rows reads 90,020 of them to throw 90,000 away. Over the ids alone, the
    database sorts narrow rows or walks a narrow index in the catalogue's order, and the 20
    rows of the page are then fetched by primary key.
    """

    max_depth = MAX_DEPTH

    @cached_property
    def num_pages(self) -> int:
        """The pages that page numbers reach: those of the selection, up to ``max_depth``."""
        return min(self.pages_in_selection, max(1, self.max_depth // self.per_page))

    @property
    def pages_in_selection(self) -> int:
        # Django's count of pages (a cached property, read through its function).
        return Paginator.num_pages.real_func(self)

    @property
    def truncated(self) -> bool:
        """Whether the selection has more pages than page numbers reach."""
        return self.pages_in_selection > self.num_pages

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            number = int(number)
            if self.num_pages < number <= self.pages_in_selection:
                raise PageTooDeep(number, self) from None
            raise

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

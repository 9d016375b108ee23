"""Pagination that stays fast on the last pages of a large catalogue."""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """Reads the ids of a deep page first, then only the rows of that page.

    ``OFFSET 90000 LIMIT 20`` over whole rows makes the database read 90,020 wide rows (every
    text section of every sheet) to throw 90,000 away; over the ids alone it walks a narrow
    index in the catalogue's order, and the 20 rows are then fetched by primary key. Pages
    before ``deferred_from`` rows keep the usual single query.
    """

    deferred_from = 1000

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.deferred_from:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

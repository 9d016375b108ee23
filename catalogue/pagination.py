"""Pagination that stays fast on large selections and on the last pages of the catalogue."""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """Reads the ids of a page first, then only the rows of that page.

    A sheet row is about 2 kB of text. Sorting a selection of thousands of sheets (a search
    ranked by relevance, a theme in a département) and joining their structures before keeping
    20 of them carries every section of every candidate through the sort; ``OFFSET 90000 LIMIT
    20`` over whole rows reads 90,020 of them to throw 90,000 away. Over the ids alone, the
    database sorts narrow rows or walks a narrow index in the catalogue's order, and the 20
    rows of the page are then fetched by primary key.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

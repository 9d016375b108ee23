"""Counting facets with grouped queries over the counted rows: any database, any declared facet.

Used for every facet on SQLite, and on PostgreSQL for the facets the facet index does not cover
(``key=None``): among them every facet of the structure directory, since the index holds sheets
only. The queries count the rows of the selection's QuerySet, whatever its model (sheets,
structures): ``Count("pk")`` grouped by the values the facets' paths reach from that model.
"""

from collections import Counter

from django.db.models import Count, QuerySet

from .declaration import Facet


def count(selection, facets: list[Facet]) -> dict[str, Counter]:
    """{facet name: {option id: sheets}} for ``facets`` within ``selection``: the facets whose
    filter is not set, within the selection, together; each facet that is set, within the
    selection without its own filter."""
    unset = [facet for facet in facets if not selection.chosen[facet.name]]
    counts = count_within(unset, selection.narrowed(()))
    for facet in facets:
        if selection.chosen[facet.name]:
            counts.update(count_within([facet], selection.narrowed({facet.name})))
    return counts


def count_within(facets: list[Facet], sheets: QuerySet) -> dict[str, Counter]:
    """{facet name: {option id: rows of ``sheets``}} (sheets, or the rows the facets count).

    The facets a row has one value of (status, département, dimension...) are counted in one
    query, grouped by their combinations; each many-valued facet costs one query.
    """
    rows = sheets.order_by()
    counts = {facet.name: Counter() for facet in facets}
    single = [facet for facet in facets if not facet.reach.many]
    if single:
        paths = [facet.reach.path for facet in single]
        for *values, n in rows.values_list(*paths).annotate(n=Count("pk")):
            for facet, value in zip(single, values, strict=True):
                option = facet.options.id_of(value)
                if option is not None:
                    counts[facet.name][option] += n
    for facet in facets:
        if facet.reach.many:
            counted = facet.reach.count(rows)
            counts[facet.name] = Counter(
                {facet.options.id_of(value): n for value, n in counted.items()}
            )
    return counts

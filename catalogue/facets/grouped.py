"""Counting facets with grouped queries over the counted rows: any database, any declared facet.

Used for every facet on SQLite, and on PostgreSQL for the facets the facet index does not cover
(``key=None``): among them every facet of the structure directory, since the index holds sheets
only. The queries count the rows of the selection's QuerySet, whatever its model (sheets,
structures): ``Count("pk")`` grouped by the values the facets' paths reach from that model.
"""

from collections import Counter

from django.db.models import Count, QuerySet

from .declaration import Facet, Tally


def count(
    selection, facets: list[Facet], tallies: list[Tally] | None = None
) -> tuple[dict[str, Counter], dict[str, Counter], int | None]:
    """{facet name: {option id: rows}} for ``facets`` within ``selection``: the facets whose
    filter is not set, within the selection, together; each facet that is set, within the
    selection without its own filter. And, with ``tallies`` (even empty), every facet and every
    tally counted within the selection itself (see ``count_facets``), and the selection's size
    when they were counted together."""
    unset = [facet for facet in facets if not selection.chosen[facet.name]]
    set_ = [facet for facet in facets if selection.chosen[facet.name]]
    counts, _ = count_within(unset, selection.narrowed(()))
    for facet in set_:
        counts.update(count_within([facet], selection.narrowed({facet.name}))[0])
    if tallies is None:
        return counts, {}, None
    # The unset facets were counted within the selection already.
    within = {facet.name: counts[facet.name] for facet in unset}
    total = None
    if set_ or tallies:
        more, total = count_within([*set_, *tallies], selection.narrowed(()))
        within.update(more)
    return counts, within, total


def count_within(
    facets: list[Facet | Tally], sheets: QuerySet
) -> tuple[dict[str, Counter], int | None]:
    """{facet (or tally) name: {option id: rows of ``sheets``}} (sheets, or the rows the facets
    count), and the number of rows when some facets have one value per row.

    The facets a row has one value of (status, département, dimension...) are counted in one
    query, grouped by their combinations (every row is in one of them: their sum is the number
    of rows); each many-valued facet costs one query.
    """
    rows = sheets.order_by()
    counts = {facet.name: Counter() for facet in facets}
    single = [facet for facet in facets if not facet.reach.many]
    total = None
    if single:
        paths = [facet.reach.path for facet in single]
        total = 0
        for *values, n in rows.values_list(*paths).annotate(n=Count("pk")):
            total += n
            for facet, value in zip(single, values, strict=True):
                option = facet.option_id(value)
                if option is not None:
                    counts[facet.name][option] += n
    for facet in facets:
        if facet.reach.many:
            counted = facet.reach.count(rows)
            counts[facet.name] = Counter(
                {facet.option_id(value): n for value, n in counted.items()}
            )
    return counts, total

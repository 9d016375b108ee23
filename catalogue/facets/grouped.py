"""Counting facets with grouped queries over the sheets: any database, any declared facet.

Used for every facet on SQLite, and on PostgreSQL for the facets the facet index does not cover
(``key=None``).
"""

from collections import Counter

from django.db.models import Count, QuerySet

from .declaration import Facet, Tally


def count(
    selection, facets: list[Facet], tallies: list[Tally] | None = None
) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """{facet name: {option id: sheets}} for ``facets`` within ``selection``: the facets whose
    filter is not set, within the selection, together; each facet that is set, within the
    selection without its own filter. And, with ``tallies`` (even empty), every facet and every
    tally counted within the selection itself (see ``count_facets``)."""
    unset = [facet for facet in facets if not selection.chosen[facet.name]]
    set_ = [facet for facet in facets if selection.chosen[facet.name]]
    counts = count_within(unset, selection.narrowed(()))
    for facet in set_:
        counts.update(count_within([facet], selection.narrowed({facet.name})))
    if tallies is None:
        return counts, {}
    # The unset facets were counted within the selection already.
    within = {facet.name: counts[facet.name] for facet in unset}
    if set_ or tallies:
        within.update(count_within([*set_, *tallies], selection.narrowed(())))
    return counts, within


def count_within(facets: list[Facet | Tally], sheets: QuerySet) -> dict[str, Counter]:
    """{facet (or tally) name: {option id: sheets of ``sheets``}}.

    The facets a sheet has one value of (status, département, dimension...) are counted in one
    query, grouped by their combinations; each many-valued facet costs one query.
    """
    rows = sheets.order_by()
    counts = {facet.name: Counter() for facet in facets}
    single = [facet for facet in facets if not facet.reach.many]
    if single:
        paths = [facet.reach.path for facet in single]
        for *values, n in rows.values_list(*paths).annotate(n=Count("pk")):
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
    return counts

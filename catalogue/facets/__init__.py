"""The facets of the public catalogue: declared once, counted by one service with two backends.

Each option of a facet shows how many sheets the current selection would give with that option:
the counts of a facet ignore the facet's own filter (several values of one facet are
alternatives, different facets all apply). So a page counts within up to a few selections: the
selection itself, for every facet whose filter is not set, and, for each facet that is set, the
selection without it.

- ``declaration.py``: what a facet is. A ``Facet`` has its query-string parameter (``name``),
  ``label``, ``widget``, where its ``options`` come from (``Reference``: a reference table;
  ``Choices``: a ``TextChoices``; ``MostFrequent``: the top of a long table, like funders), how
  a sheet ``reach``-es its values (``Path`` through the sheet's fields, which also tells
  whether a sheet has one value or several; ``FundedBy``), its ``key`` kind in the facet index
  (None: not covered) and whether empty options are kept.
- ``declared.py``: the catalogue's facets, in the sidebar's order (``FACETS``), and the
  structure directory's (``STRUCTURE_FACETS``).
- ``counting.py``: the service. ``count_facets(selection)`` gives the sidebar of a selection
  (``ActionFilterSet.selection``, or any ``Selection``: the observatory and the API count the
  same way); ``option_counts``, ``count_per`` and ``headline_figures`` the counts of the home
  and network pages.
- ``grouped.py``: the first backend, grouped queries over the sheets, on any database.
- ``indexed.py``: the second, the facet index that PostgreSQL triggers keep exact (its tables
  and SQL belong to the actions app: actions/facet_index.py, actions/sql/); one query counts
  every covered facet. The catalogue reads the index; it never writes it.

The same machinery counts other rows than sheets: the structure directory (/structures/)
counts structures, with its own filter set (catalogue/filters.py, ``StructureFilterSet``) over
``Structure.objects``. Its facets reach their values from a structure (``Path(path,
Structure)``); the facet index holds sheets only, so they have no key and the grouped backend
counts them, with grouped queries over the structures on both databases.

Adding a facet takes one declaration in ``declared.py``: a ``Facet`` without ``key``. Its
filter, validation, chips, sidebar box and counts follow from it on every database (grouped
queries, also on PostgreSQL). Its label needs an English translation (locale/).

Covering it by the index, for speed at national scale, is then a change of the index's layout:
give it a kind in ``actions/facet_keys.KINDS``, write ``actions/sql/facet_index_v2.sql`` (a copy
of the last version whose ``actions_facet_keys()`` also returns the new keys, and whose triggers
watch the tables they come from) with a migration that loads it and rebuilds the index, and set
``key=`` on the declaration. A released ``_vN.sql`` file is never edited.
"""

"""Import of action sheets from their published text format (the observatory's pages as text).

- ``parser``: text → ``Sheet`` dataclasses with line numbers; no database access;
- ``extraction``: funding lines, total budget, people counts and year read from the texts;
- ``loader``: writes parsed sheets to the database in one transaction and reports each sheet.

The ``import_sheets`` management command is the user interface; ``build_sample_fixtures``
builds the sample fixtures with the same code.
"""

"""Import of the observatory's pages saved as text: action sheets (in the current and the
older layout) and the structure directory.

- ``pages``: bytes → lines (UTF-8, UTF-16, NFC) and why a page holds nothing to import;
- ``parser``: text → ``Sheet`` dataclasses with line numbers; no database access;
- ``extraction``: funding lines, total budget, people counts and year read from the texts;
- ``loader``: writes parsed sheets to the database in one transaction and reports each sheet;
- ``directory``: structure directory pages → ``StructureCard`` dataclasses; no database;
- ``directory_loader``: writes the cards to the database (``Structure``) and reports each;
- ``structures``: which stored structure a sheet or a card means (one rule for both loaders).

The ``import_sheets`` and ``import_structures`` management commands are the user interface;
``build_sample_fixtures`` builds the sample fixtures with the same code.
"""

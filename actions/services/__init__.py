"""The write side of action sheets: every writer of a sheet goes through these modules.

- ``versions``: the one version check. A content save claims the version its form was loaded
  at with a conditional UPDATE; zero rows claimed is an ``EditConflict``, nothing is written.
- ``content``: creating a sheet and saving its content with its lines and files, in one
  transaction, with one history record (the workspace forms, the admin change form, the
  importer), and the bulk loader of the demo generator.
- ``publication``: the only writer of the publication columns (``PUBLICATION_FIELDS``):
  submission, publication and refusal of the version a moderator read, back to draft, the
  importer's publication and its return to moderation of a published sheet it changed, the
  flag a content save raises on a published sheet, and the publication state of sheets
  loaded in bulk.
- ``partners``: finding a partner by its name, and creating it when it is new, even when two
  people type the same new name at once; a partner typed in a draft stays private to its
  federation until a published sheet names it (``reveal_names_of``).

The workspace and the admin only adapt their forms onto these functions; they hold no rule of
their own. ``tests/actions/test_write_path.py`` checks that no other module writes the
publication columns.
"""

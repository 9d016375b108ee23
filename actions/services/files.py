"""A sheet's files follow the transaction of its save: a file is on disk when a committed row
names it, and only then.

A file must be stored before its row is written (the row holds the stored name), and Django
has no hook on rollback. So:

- a file stored by a save (``note_stored``) is remembered by the innermost
  ``discarding_unsaved_files`` block around it; when that block ends, with or without an
  exception, the files no row names any more (their insert or update was rolled back) are
  deleted, and the others are handed to the enclosing block, if any, which checks them again
  when it ends (a rollback of the caller's transaction undoes rows the inner block saw);
- a file replaced or removed by a save leaves the storage once the save commits
  (``remove_after_commit``): a rollback keeps the row that names it, and so the file.

``actions.services.content.saving`` is such a block; the writers that wrap a save in their own
transaction (the workspace's ``save_action``, the admin's change form) open one around it.
"""

import logging
import threading
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

from actions.models import Attachment

logger = logging.getLogger(__name__)

_blocks = threading.local()


def _stack() -> list[set[str]]:
    if not hasattr(_blocks, "stack"):
        _blocks.stack = []
    return _blocks.stack


@contextmanager
def discarding_unsaved_files():
    """Delete, when the block ends, the attachment files stored within it that no row names."""
    stack = _stack()
    stored: set[str] = set()
    stack.append(stored)
    try:
        yield
    finally:
        stack.pop()
        undecided = _delete_unnamed(stored) if stored else set()
        if stack:
            stack[-1].update(undecided)


def note_stored(name: str) -> None:
    """``name`` was just stored for an attachment of the current save."""
    stack = _stack()
    if not stack:
        raise RuntimeError("An attachment file is stored outside discarding_unsaved_files().")
    stack[-1].add(name)


def remove_after_commit(name: str) -> None:
    """Delete the attachment file ``name`` once the current transaction commits."""
    transaction.on_commit(lambda: _storage().delete(name), robust=True)


def _delete_unnamed(names: set[str]) -> set[str]:
    """Delete those of ``names`` no attachment row names; the names still named, or all of them
    when the database cannot tell now (a broken transaction: the enclosing block will)."""
    if connection.needs_rollback:
        return names
    try:
        named = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
    except DatabaseError:
        logger.exception("Cannot tell which stored files a row names; they are kept.")
        return names
    for name in names - named:
        _storage().delete(name)
    return named


def _storage():
    return Attachment._meta.get_field("file").storage

"""Uploaded files are written whole or not at all (ops.storage)."""

import errno
import os

import pytest
from django.core.files.base import ContentFile, File

from ops.storage import CompleteFileSystemStorage


class FillsTheDisk(File):
    """A file whose copy fails after its first chunk, as on a full disk."""

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.4 first chunk"
        raise OSError(errno.ENOSPC, "No space left on device")


def files_under(root):
    return sorted(
        os.path.relpath(os.path.join(d, f), root) for d, _dirs, fs in os.walk(root) for f in fs
    )


def test_a_complete_file_is_stored_under_its_name(tmp_path):
    storage = CompleteFileSystemStorage(location=tmp_path)
    name = storage.save("attachments/bilan.pdf", ContentFile(b"%PDF-1.4 whole"))
    assert name == "attachments/bilan.pdf"
    assert files_under(tmp_path) == ["attachments/bilan.pdf"]
    assert (tmp_path / name).read_bytes() == b"%PDF-1.4 whole"


def test_a_taken_name_gets_another_and_keeps_the_first_file(tmp_path):
    storage = CompleteFileSystemStorage(location=tmp_path)
    storage.save("attachments/bilan.pdf", ContentFile(b"first"))
    second = storage.save("attachments/bilan.pdf", ContentFile(b"second"))
    assert second != "attachments/bilan.pdf"
    assert (tmp_path / "attachments/bilan.pdf").read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"
    assert len(files_under(tmp_path)) == 2


def test_a_copy_interrupted_by_a_full_disk_leaves_no_file(tmp_path):
    storage = CompleteFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError, match="No space left"):
        storage.save("attachments/bilan.pdf", FillsTheDisk(None, name="bilan.pdf"))
    assert files_under(tmp_path) == []

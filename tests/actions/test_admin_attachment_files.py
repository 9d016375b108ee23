"""The admin's file lines follow the transaction of the save: a file is on disk exactly when a
committed row names it, and a replaced file leaves the disk only once the change commits."""

from pathlib import Path

import pytest
from django.contrib.admin import ModelAdmin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from tests.actions.factories import ActionFactory, AttachmentFactory
from tests.actions.test_moderation_admin import form_data
from tests.federations.factories import StructureFactory

pytestmark = pytest.mark.django_db

NEW_PDF = b"%PDF-1.4\n% la nouvelle version\n%%EOF\n"


class LogFailure(Exception):
    """Raised by the admin after ``save_related`` has stored the files."""

    @staticmethod
    def raise_it(*args, **kwargs):
        raise LogFailure


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def failing_log(monkeypatch):
    monkeypatch.setattr(ModelAdmin, "log_addition", LogFailure.raise_it)
    monkeypatch.setattr(ModelAdmin, "log_change", LogFailure.raise_it)


def stored_files(media_root) -> list[Path]:
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


def add_data(admin_client) -> dict:
    data = form_data(admin_client.get(reverse("admin:actions_action_add")))
    data.update(title="Nouvelle fiche", slug="nouvelle-fiche", structure=StructureFactory().pk)
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "Programme",
            "attachments-0-file": SimpleUploadedFile("programme.pdf", NEW_PDF),
        }
    )
    return data


def replace_data(admin_client, attachment) -> dict:
    """The change form of ``attachment``'s sheet, with a new file chosen for it."""
    url = reverse("admin:actions_action_change", args=[attachment.action.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "attachments-0-id": attachment.pk,
            "attachments-0-action": attachment.action.pk,
            "attachments-0-title": attachment.title,
            "attachments-0-file": SimpleUploadedFile("nouveau.pdf", NEW_PDF),
        }
    )
    return data


def test_an_added_sheet_whose_save_rolls_back_leaves_no_file(admin_client, media_root, failing_log):
    with pytest.raises(LogFailure):
        admin_client.post(reverse("admin:actions_action_add"), add_data(admin_client))
    assert not Action.objects.exists()
    assert stored_files(media_root) == []


def test_an_added_sheet_keeps_its_file(admin_client, media_root):
    response = admin_client.post(reverse("admin:actions_action_add"), add_data(admin_client))
    assert response.status_code == 302
    attachment = Action.objects.get().attachments.get()
    assert stored_files(media_root) == [Path(attachment.file.path)]
    assert Path(attachment.file.path).read_bytes() == NEW_PDF


def test_a_replaced_file_leaves_the_disk_once_the_change_commits(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(action=ActionFactory())
    old = Path(attachment.file.path)
    url = reverse("admin:actions_action_change", args=[attachment.action.pk])
    data = replace_data(admin_client, attachment)
    with django_capture_on_commit_callbacks() as callbacks:
        assert admin_client.post(url, data).status_code == 302
        assert old.exists()  # still named by the row until the change commits
    for callback in callbacks:
        callback()
    attachment.refresh_from_db()
    assert Path(attachment.file.path).read_bytes() == NEW_PDF
    assert stored_files(media_root) == [Path(attachment.file.path)]


def test_a_replacement_rolled_back_keeps_the_old_file_and_drops_the_new_one(
    admin_client, media_root, failing_log, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(action=ActionFactory())
    old = Path(attachment.file.path)
    url = reverse("admin:actions_action_change", args=[attachment.action.pk])
    data = replace_data(admin_client, attachment)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(LogFailure):
        admin_client.post(url, data)
    attachment.refresh_from_db()
    assert Path(attachment.file.path) == old
    assert stored_files(media_root) == [old]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fails", [False, True], ids=["committed", "rolled-back"])
def test_a_replacement_in_a_real_transaction_keeps_only_the_file_the_row_names(
    admin_client, media_root, monkeypatch, fails
):
    """No test transaction around: the admin's own is the outermost, its commit runs the
    deletion of the replaced file, its rollback the deletion of the new one."""
    if fails:
        monkeypatch.setattr(ModelAdmin, "log_change", LogFailure.raise_it)
    attachment = AttachmentFactory(action=ActionFactory())
    url = reverse("admin:actions_action_change", args=[attachment.action.pk])
    data = replace_data(admin_client, attachment)
    if fails:
        with pytest.raises(LogFailure):
            admin_client.post(url, data)
    else:
        assert admin_client.post(url, data).status_code == 302
    attachment.refresh_from_db()
    assert stored_files(media_root) == [Path(attachment.file.path)]
    assert (Path(attachment.file.path).read_bytes() == NEW_PDF) is not fails

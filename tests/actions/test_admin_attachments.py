"""The admin links a sheet's files through the protected download view, never /media/."""

import pytest
from django.urls import reverse

from tests.actions.factories import ActionFactory, AttachmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return AttachmentFactory(action=ActionFactory())


def test_the_sheet_change_page_links_its_files_through_the_download_view(admin_client, attachment):
    page = admin_client.get(reverse("admin:actions_action_change", args=[attachment.action.pk]))
    content = page.content.decode()
    download = reverse("attachments:download", args=[attachment.pk])
    assert f'href="{download}"' in content
    assert "/media/" not in content
    response = admin_client.get(download)
    response.close()
    assert response.status_code == 200


def test_the_file_change_page_links_it_through_the_download_view(admin_client, attachment):
    page = admin_client.get(reverse("admin:actions_attachment_change", args=[attachment.pk]))
    content = page.content.decode()
    assert f'href="{reverse("attachments:download", args=[attachment.pk])}"' in content
    assert "/media/" not in content


def test_files_are_changed_on_their_sheet_only(admin_client, attachment):
    """The file list is read-only: a change there would bypass the sheet's write path."""
    assert admin_client.get(reverse("admin:actions_attachment_add")).status_code == 403
    change = reverse("admin:actions_attachment_change", args=[attachment.pk])
    response = admin_client.post(change, {"title": "Renommé", "action": attachment.action.pk})
    assert response.status_code == 403
    delete = reverse("admin:actions_attachment_delete", args=[attachment.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    attachment.refresh_from_db()
    assert attachment.title != "Renommé"

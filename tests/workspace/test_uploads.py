"""Attachments: checked by content, 10 MB at most, stored under unguessable names, served
only for published sheets or to those who may edit the sheet."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from actions.models import Action, Attachment
from actions.services import content
from actions.services.publication import TransitionNotAllowed
from tests.actions.factories import AttachmentFactory
from tests.workspace import files
from tests.workspace.conftest import reload, sheet_data, with_lines
from workspace import services as workspace_services
from workspace.uploads import validate_attachment


class TestValidation:
    @pytest.mark.parametrize(
        ("name", "content", "mime"),
        [
            ("compte-rendu.pdf", files.pdf_bytes(), "application/pdf"),
            ("affiche.png", files.png_bytes(), "image/png"),
            ("photo.jpg", files.jpeg_bytes(), "image/jpeg"),
            ("photo.JPEG", files.jpeg_bytes(), "image/jpeg"),
            ("visuel.webp", files.webp_bytes(), "image/webp"),
            (
                "bilan.docx",
                files.docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("bilan.odt", files.odt_bytes(), "application/vnd.oasis.opendocument.text"),
            ("budget.xls", files.xls_bytes(), "application/vnd.ms-excel"),
        ],
    )
    def test_accepted_kinds_are_recognised_by_content(self, name, content, mime):
        assert validate_attachment(files.upload(name, content)).mime == mime

    @pytest.mark.parametrize(
        ("name", "content", "code"),
        [
            ("programme.pdf", files.HTML_PAGE, "content"),
            ("programme.pdf", files.EXE_BYTES, "content"),
            ("archive.docx", files.plain_zip_bytes(), "content"),
            ("budget.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "content"),
            ("affiche.pdf", files.png_bytes(), "mismatch"),
            ("logo.svg", files.SVG_BYTES, "extension"),
            ("page.html", files.HTML_PAGE, "extension"),
            ("installeur.exe", files.EXE_BYTES, "extension"),
            ("sans-extension", files.pdf_bytes(), "extension"),
            ("vide.pdf", b"", "empty"),
        ],
    )
    def test_other_files_are_refused_whatever_their_name(self, name, content, code):
        with pytest.raises(ValidationError) as refusal:
            validate_attachment(files.upload(name, content, "application/pdf"))
        assert refusal.value.code == code

    def test_the_messages_are_in_french(self):
        with pytest.raises(ValidationError) as refusal:
            validate_attachment(files.upload("programme.pdf", files.HTML_PAGE))
        assert "n'est pas celui d'un document accepté" in refusal.value.messages[0]
        with pytest.raises(ValidationError) as refusal:
            validate_attachment(files.upload("affiche.pdf", files.png_bytes()))
        assert refusal.value.messages[0] == (
            "Le contenu de ce fichier (PNG) ne correspond pas à son extension (« .pdf »). "
            "Renommez-le avec la bonne extension."
        )

    def test_ten_megabytes_is_the_limit(self, settings):
        assert settings.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
        padding = b"\n" * (settings.ATTACHMENT_MAX_BYTES - len(files.pdf_bytes()))
        at_limit = files.pdf_bytes() + padding
        assert validate_attachment(files.upload("gros.pdf", at_limit)).mime == "application/pdf"
        with pytest.raises(ValidationError) as refusal:
            validate_attachment(files.upload("trop-gros.pdf", at_limit + b"\n"))
        assert refusal.value.code == "too_large"
        assert refusal.value.messages[0] == (
            "Ce fichier pèse 10,0\u00a0Mo : la limite est de 10\u00a0Mo par fichier."
        )


def post_with_file(client, name, content, *, world, title=""):
    data = with_lines(
        sheet_data(structure=world.structure_a1.pk),
        "fichiers",
        [{"title": title, "file": files.upload(name, content)}],
    )
    return client.post(reverse("workspace:action_create"), data)


class TestUploadThroughTheForm:
    def test_an_accepted_file_is_stored_under_an_unguessable_name(
        self, staff_client, world, media_root
    ):
        response = post_with_file(
            staff_client, "Affiche été 2024.png", files.png_bytes(), world=world
        )
        assert response.status_code == 302
        attachment = Attachment.objects.get(action__title="Séjour familles à la mer")
        assert attachment.title == "Affiche été 2024"
        assert attachment.content_type == "image/png"
        assert attachment.size == len(files.png_bytes())
        assert attachment.uploaded_by == world.staff_a
        stored = Path(attachment.file.path)
        assert stored.is_relative_to(media_root)
        assert stored.parent == media_root / "attachments"
        assert stored.suffix == ".png"
        assert "affiche" not in stored.name.lower()
        assert len(stored.stem) >= 32
        assert stored.read_bytes() == files.png_bytes()

    def test_a_refused_file_is_a_field_error_and_nothing_is_saved(
        self, staff_client, world, media_root
    ):
        stored_before = set((media_root / "attachments").iterdir())
        response = post_with_file(staff_client, "programme.pdf", files.HTML_PAGE, world=world)
        assert response.status_code == 200
        errors = response.context["attachment_formset"].errors[0]["file"]
        assert "n'est pas celui d'un document accepté" in errors[0]
        assert not Action.objects.filter(title="Séjour familles à la mer").exists()
        assert set((media_root / "attachments").iterdir()) == stored_before

    def test_a_file_chosen_with_an_invalid_form_is_flagged_as_to_be_joined_again(
        self, staff_client, world
    ):
        data = with_lines(
            sheet_data(structure=world.structure_a1.pk, title=""),
            "fichiers",
            [{"title": "", "file": files.upload("affiche.png", files.png_bytes())}],
        )
        response = staff_client.post(reverse("workspace:action_create"), data)
        assert response.status_code == 200
        assert "Les fichiers choisis n'ont pas été enregistrés" in response.content.decode()

    def test_a_too_large_file_is_refused(self, staff_client, world, settings):
        settings.ATTACHMENT_MAX_BYTES = 1024
        response = post_with_file(
            staff_client, "gros.pdf", b"%PDF-1.4\n" + b" " * (2048 - 9), world=world
        )
        assert response.status_code == 200
        assert response.context["attachment_formset"].errors[0]["file"] == [
            "Ce fichier pèse 2\u00a0Ko : la limite est de 1\u00a0Ko par fichier."
        ]

    def test_removing_an_attachment_deletes_its_file_after_commit(
        self, staff_client, world, django_capture_on_commit_callbacks
    ):
        sheet = world.sheet_a1
        path = Path(world.draft_file_a1.file.path)
        assert path.exists()
        data = sheet_data(sheet)
        data["fichiers-0-DELETE"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                staff_client.post(
                    reverse("workspace:action_update", args=[sheet.pk]), data
                ).status_code
                == 302
            )
        assert not reload(sheet).attachments.exists()
        assert not path.exists()


class TestDownload:
    def test_files_are_sent_as_downloads_with_their_checked_type(self, client, world):
        attachment = world.published_file_b1
        attachment.title = "Bilan <2024> été"
        attachment.save()
        response = client.get(reverse("attachments:download", args=[attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="bilan-2024-ete.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content) == files.pdf_bytes()

    def test_a_file_missing_from_disk_is_a_404(self, client, world):
        attachment = world.published_file_b1
        Path(attachment.file.path).unlink()
        assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 404

    def test_an_unknown_file_is_a_404(self, client, world):
        assert client.get(reverse("attachments:download", args=[987654])).status_code == 404

    def test_only_reading_methods_are_allowed(self, client, world):
        url = reverse("attachments:download", args=[world.published_file_b1.pk])
        assert client.post(url).status_code == 405

    def test_media_files_are_not_served_by_their_storage_path(self, client, world):
        name = world.draft_file_a1.file.name
        assert client.get(f"/media/{name}").status_code == 404

    def test_a_file_of_a_sheet_that_gets_published_becomes_public(self, client, world):
        attachment = AttachmentFactory(action=world.sheet_a2)
        url = reverse("attachments:download", args=[attachment.pk])
        assert client.get(url).status_code == 404
        Action.objects.filter(pk=world.sheet_a2.pk).update(
            publication_status="published", published_at="2024-01-01T00:00:00Z"
        )
        response = client.get(url)
        assert response.status_code == 200
        response.close()


def stored_files(media_root) -> list[Path]:
    """The files under ``media_root``, hidden ``.part`` files included."""
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


class TestFilesFollowTheTransaction:
    """A file is on disk exactly when a committed row names it."""

    def test_a_save_failing_after_its_file_is_stored_leaves_no_file(
        self, staff_client, world, media_root, monkeypatch
    ):
        before = stored_files(media_root)

        def constraint_failure(save):  # a real one, from the database
            Action.objects.filter(pk=save.action.pk).update(title=None)

        monkeypatch.setattr(content, "_record_history", constraint_failure)
        with pytest.raises(IntegrityError):
            post_with_file(staff_client, "affiche.png", files.png_bytes(), world=world)
        assert not Action.objects.filter(title="Séjour familles à la mer").exists()
        assert stored_files(media_root) == before

    def test_a_submission_refused_after_the_save_leaves_no_file(
        self, staff_client, world, media_root, monkeypatch
    ):
        before = stored_files(media_root)

        def refused(*, action, user):
            raise TransitionNotAllowed("soumission refusée")

        monkeypatch.setattr(workspace_services, "submit_action", refused)
        data = with_lines(
            sheet_data(structure=world.structure_a1.pk, submit="1"),
            "fichiers",
            [{"title": "Affiche", "file": files.upload("affiche.png", files.png_bytes())}],
        )
        response = staff_client.post(reverse("workspace:action_create"), data)
        assert response.status_code == 200
        assert not Action.objects.filter(title="Séjour familles à la mer").exists()
        assert stored_files(media_root) == before

    def test_a_removal_rolled_back_keeps_the_file(
        self, staff_client, world, monkeypatch, django_capture_on_commit_callbacks
    ):
        sheet = world.sheet_a1
        path = Path(world.draft_file_a1.file.path)
        data = sheet_data(sheet)
        data["fichiers-0-DELETE"] = "on"

        def constraint_failure(save):  # a real one, from the database
            Action.objects.filter(pk=save.action.pk).update(title=None)

        monkeypatch.setattr(content, "_record_history", constraint_failure)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(IntegrityError):
            staff_client.post(reverse("workspace:action_update", args=[sheet.pk]), data)
        assert reload(sheet).attachments.get() == world.draft_file_a1
        assert path.read_bytes() == files.pdf_bytes()

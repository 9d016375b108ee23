"""A server started without collectstatic refuses to start instead of answering 500s."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from ops.staticfiles import missing_from_manifest, require_collected_static

MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }
    return settings.STATIC_ROOT


def test_without_collectstatic_the_server_refuses_to_start(manifest_storage):
    with pytest.raises(ImproperlyConfigured, match=r"run `manage\.py collectstatic`"):
        require_collected_static()


def test_after_collectstatic_it_starts(manifest_storage):
    call_command("collectstatic", interactive=False, verbosity=0)

    require_collected_static()


def test_a_file_added_since_the_last_collectstatic_is_named(manifest_storage):
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = manifest_storage / "staticfiles.json"
    manifest.write_text(manifest.read_text().replace('"css/portal.css"', '"css/renamed.css"'))

    assert missing_from_manifest() == ["css/portal.css"]


def test_without_the_manifest_storage_there_is_nothing_to_check(settings):
    assert "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]

    assert missing_from_manifest() == []

"""scripts/backup then scripts/restore into a fresh database and an empty MEDIA_ROOT give back
the same rows and the same files (PostgreSQL: the production database)."""

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.actions.factories import ActionFactory, AttachmentFactory
from tests.federations.factories import FederationFactory, StructureFactory
from tests.workspace.files import pdf_bytes, png_bytes

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"


def run(script: str, *args, database: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media_root),
        "SECRET_KEY": "backup-test-secret-key",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    return subprocess.run(
        [str(ROOT / "scripts" / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def snapshot(database: str) -> dict[str, str]:
    """Every table of ``database`` with a digest of all its rows, in primary-key order."""
    import psycopg

    with psycopg.connect(database_url(database)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: hashlib.sha256(
                "\n".join(
                    str(row)
                    for row in db.execute(f'SELECT t::text FROM "{table}" t ORDER BY t::text')
                ).encode()
            ).hexdigest()
            for table in tables
        }


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def portal_data(on_postgresql, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    structure = StructureFactory(federation=FederationFactory())
    for n in range(3):
        sheet = ActionFactory(structure=structure, published=n > 0, title=f"Fiche {n}")
        AttachmentFactory(action=sheet, content=pdf_bytes())
    AttachmentFactory(action=sheet, content=png_bytes())
    return settings.MEDIA_ROOT


def test_a_backup_restored_into_a_fresh_database_gives_back_the_same_rows_and_files(
    portal_data, tmp_path
):
    source = connection.settings_dict["NAME"]
    backup = tmp_path / "backup"
    made = run("backup", backup, database=source, media_root=portal_data)
    assert made.returncode == 0, made.stdout + made.stderr
    fresh = f"{source}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored_media = tmp_path / "restored-media"
        restored = run("restore", backup, database=fresh, media_root=restored_media)
        assert restored.returncode == 0, restored.stdout + restored.stderr

        assert snapshot(fresh) == snapshot(source)
        assert files(restored_media) == files(portal_data)
        assert len(files(restored_media)) == 4

        again = run("restore", backup, database=fresh, media_root=tmp_path / "other")
        assert again.returncode == 2
        assert "restore into an empty one" in again.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')

"""The SQL of the actions app's migrations lives in versioned files (actions/sql/): each version
is loaded by a migration and has the file that undoes it, and a released version is never
edited (databases migrated with it would no longer match a fresh one)."""

import hashlib
import re
from pathlib import Path

from actions.operations import SQL_DIR

MIGRATIONS = Path(__file__).resolve().parents[2] / "actions" / "migrations"

# sha256 of every released file. A new version is added here once released; a changed
# checksum means a released file was edited: write a new version instead.
RELEASED = {
    "facet_index_v1.sql": "3f24e70d0d2084ed7ef80b564b5bc6fae8dac563e02a2136c5a2733a7473a867",
    "facet_index_v1_revert.sql": "b9bc46917ddd1a1f6131eec64afd603596176b60114181d82d6c9fbae5f5645b",
    "facet_index_v2.sql": "325e7991f8e65aa8763bfb995af086757a2c0996300cb0a8a2f8d6999de78027",
    "facet_index_v2_revert.sql": "8185bd3a9b00d48ad5ed0cddb67e096a92bdee3d0c497be4dbe30c0055871f32",
    "funding_amounts_v1.sql": "74cf66a9e4774d72b5c879292d339c84dd0424e7ffe9f84b062b7572f1c8f19d",
    "funding_amounts_v1_revert.sql": (
        "07010813f7a9c2ac47eed09e4fc5cdc391c1dfe01b6eba4714873d4767564a8d"
    ),
    "search_rum_v1.sql": "32e52b763c9ecc4cf43659a3324f2f488d8a2b6b62f27731c3c3f21f598edc89",
    "search_rum_v1_revert.sql": "80ab9bca77147826d8c619e9b4abf41647fffd6ee182237d57063e5f62ab152a",
    "search_vector_v1.sql": "8f6e01643dadd0641fadda8a19c55dc41c0296bffb372b71bdccc1ec4d1288de",
    "search_vector_v1_revert.sql": (
        "13fb8cad24379c43daa031314ab15fc798ce277d321826a8e3da6e2523fbe8ae"
    ),
    "search_vector_v2.sql": "da2f71b268814a653e43fd07d0b120e4977ebe0c23bdbd4cc5f32a2901085a10",
    "search_vector_v2_revert.sql": (
        "67db8f5ccc3121acba1ff5accc1c4c20b6a8625b4a273c1259fa3920b1f729ea"
    ),
    "search_vector_v3.sql": "740dd439c561906077af577e128363832f27cb732d729279ebbc8ecb45b2ee1c",
    "search_vector_v3_revert.sql": (
        "150a3affba685d93e073abccca2fd7e72729d1c920b1c9b0919452bced990209"
    ),
}


def versions() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql") if not p.stem.endswith("_revert"))


def test_released_sql_files_are_never_edited():
    for name, checksum in RELEASED.items():
        assert hashlib.sha256((SQL_DIR / name).read_bytes()).hexdigest() == checksum, name


def test_every_sql_file_is_released():
    assert sorted(p.name for p in SQL_DIR.glob("*.sql")) == sorted(RELEASED)


def test_every_version_has_its_revert_and_one_migration_that_loads_it():
    loaded = re.findall(
        r'RunSQLFile\("(\w+)"[,)]',
        "".join(path.read_text(encoding="utf-8") for path in MIGRATIONS.glob("0*.py")),
    )
    for version in versions():
        assert re.fullmatch(r"\w+_v\d+", version), version
        assert (SQL_DIR / f"{version}_revert.sql").exists(), version
        assert loaded.count(version) == 1, version

import csv
from pathlib import Path

import pytest
from django.test import override_settings

from opendata.export import publish
from tests.api.conftest import sample  # noqa: F401 (a fixture of these tests too)

BASE_URL = "https://fiches.example.org"


@pytest.fixture
def export(tmp_path):
    """``export()`` writes the bulk download of the database as it is now into a folder that
    /donnees/ serves, and returns that folder."""
    destination = tmp_path / "donnees"

    def run() -> Path:
        publish(destination, base_url=BASE_URL)
        return destination

    with override_settings(OPEN_DATA_DIR=destination):
        yield run


def read_table(directory: Path, name: str) -> list[dict[str, str]]:
    with open(directory / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))

"""Write the bulk download of the published catalogue (see opendata/export.py):

    python manage.py export_open_data [DIR]

DIR defaults to ``OPEN_DATA_DIR``, the folder /donnees/ serves. Run it after publishing, or
from a timer (every night): the new export replaces the previous one at once.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendata.export import ExportError, publish


class Command(BaseCommand):
    help = (
        "Écrit le téléchargement complet du catalogue publié (CSV, JSON, datapackage.json, "
        "dcat.jsonld) dans DIR (par défaut OPEN_DATA_DIR, servi par /donnees/), en "
        "remplaçant d'un coup l'export précédent."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="défaut : OPEN_DATA_DIR")
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="adresse publique du portail, pour les liens (défaut : SITE_URL)",
        )

    def handle(self, *args, directory=None, base_url, **options):
        destination = Path(directory or settings.OPEN_DATA_DIR)
        started = time.perf_counter()
        try:
            package = publish(destination, base_url=base_url)
        except ExportError as error:
            raise CommandError(str(error)) from error
        sheets = next(r for r in package["resources"] if r["name"] == "actions")["rows"]
        size = sum(r["bytes"] for r in package["resources"])
        self.stdout.write(
            f"{destination}/datapackage.json : {sheets} fiches, "
            f"{len(package['resources'])} fichiers, {size / 1e6:.1f} Mo "
            f"({time.perf_counter() - started:.1f} s)."
        )

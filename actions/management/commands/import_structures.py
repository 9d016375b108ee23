"""Import the structure directory of the observatory (its pages saved as text).

    python manage.py import_structures PATH [PATH ...] [--dry-run] [--strict]

One report line per identity card (created, updated, unchanged, duplicate, incomplete: cut
by the page end and not imported, rejected) with its starting line and name, then the
totals, as ``import_sheets`` does. The exit status is non-zero when a card was rejected or a
file could not be read or held no card; with ``--strict``, also when a card is incomplete,
and then nothing is written. See ``actions.importer.directory_loader`` for the rules.
"""

from actions.importer.directory_loader import import_structures
from actions.importer.loader import Outcome, read_source

from .import_sheets import Command as ImportSheetsCommand


class Command(ImportSheetsCommand):
    noun = "structures"
    # A card cut short is not imported: incomplete is an outcome of its own.
    outcomes = tuple(outcome for outcome in Outcome if outcome != Outcome.SKIPPED)
    help = (
        "Importe l'annuaire des structures (pages « Liste des centres sociaux » et « Liste des "
        "espaces de vie sociale » de l'observatoire enregistrées en texte)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="fichier(s) texte")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="lire et rendre compte sans rien enregistrer",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="ne rien enregistrer si une fiche (ou un fichier) est rejetée ou incomplète",
        )

    def handle(self, *args, **options):
        report = import_structures(
            sources=[read_source(path) for path in options["paths"]],
            dry_run=options["dry_run"],
            strict=options["strict"],
        )
        self.write_report(report, verbosity=options["verbosity"])
        self.fail_if_failed(report)

"""Import action sheets from their published text format.

    python manage.py import_sheets PATH [PATH ...] [--dry-run] [--publish] [--overwrite]
        [--strict]

One report line per sheet (created, updated, unchanged, duplicate, skipped, incomplete,
rejected) with its starting line and title, then the totals. The exit status is non-zero
when a sheet was rejected or a file could not be read or held no sheet, and with
``--strict`` when a sheet is incomplete too (nothing is then written). See
``actions.importer.loader`` for the rules.
"""

from django.core.management.base import BaseCommand, CommandError

from actions.importer.loader import ImportReport, Outcome, import_sheets, read_source

PLURALS = {
    Outcome.CREATED: "créées",
    Outcome.UPDATED: "mises à jour",
    Outcome.UNCHANGED: "inchangées",
    Outcome.DUPLICATE: "doublons",
    Outcome.SKIPPED: "ignorées",
    Outcome.INCOMPLETE: "incomplètes",
    Outcome.REJECTED: "rejetées",
}


class Command(BaseCommand):
    noun = "fiches"  # what the totals count
    outcomes = tuple(Outcome)  # what the totals list
    help = (
        "Importe des fiches action depuis leur format texte publié (pages de l'observatoire "
        "enregistrées en texte). Les fiches importées sont des brouillons, sauf --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="fichier(s) texte UTF-8")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="lire et rendre compte sans rien enregistrer",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publier les fiches importées complètes (jamais une fiche coupée)",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help=(
                "remplacer les fiches déjà enregistrées (y compris ce qui a été modifié dans le "
                "portail depuis l'import) ; sans cette option, elles sont laissées telles quelles"
            ),
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="ne rien enregistrer si une fiche (ou un fichier) est rejetée ou incomplète",
        )

    def handle(self, *args, **options):
        report = import_sheets(
            sources=[read_source(path) for path in options["paths"]],
            publish=options["publish"],
            overwrite=options["overwrite"],
            dry_run=options["dry_run"],
            strict=options["strict"],
        )
        self.write_report(report, verbosity=options["verbosity"])
        self.fail_if_failed(report)

    def fail_if_failed(self, report: ImportReport) -> None:
        """Exit in error when the report says the import failed (``ImportReport.failed``)."""
        if not report.failed:
            return
        cut = len(report.incomplete) if report.strict else 0
        count = len(report.rejected) + len(report.file_errors) + cut
        raise CommandError(
            f"{count} fiche(s) ou fichier(s) rejeté(s)"
            + (" ou incomplète(s)" if cut else "")
            + (" : aucune modification enregistrée (--strict)." if report.strict else ".")
        )

    def write_report(self, report: ImportReport, *, verbosity: int = 1) -> None:
        for name, error in report.file_errors:
            self.stderr.write(f"{name} : fichier rejeté, {error}")
        current_source = None
        for result in report.results:
            if verbosity >= 1 and result.source != current_source:
                current_source = result.source
                self.stdout.write(self.style.MIGRATE_HEADING(result.source))
            if verbosity >= 1:
                outcome = Outcome(result.outcome)
                title = result.title or "(sans titre)"
                line = f"  ligne {result.line:>5}  {outcome.label:<12} {title}"
                if result.detail:
                    line += f" — {result.detail}"
                style = self.style.ERROR if outcome == Outcome.REJECTED else str
                self.stdout.write(style(line))
                for notice in result.notices:
                    self.stdout.write(f"      ! ligne {notice.line} : {notice.message}")
        totals = report.totals()
        summary = " · ".join(f"{totals[outcome]} {PLURALS[outcome]}" for outcome in self.outcomes)
        self.stdout.write(f"Total : {len(report.results)} {self.noun} · {summary}")
        if report.dry_run:
            self.stdout.write("Simulation (--dry-run) : rien n'a été enregistré.")
        elif not report.written:
            self.stdout.write("Mode strict : rien n'a été enregistré.")

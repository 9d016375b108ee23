"""Import action sheets from their published text format.

    python manage.py import_sheets PATH [PATH ...] [--dry-run] [--publish] [--overwrite]
        [--strict] [--structure SLUG]

One report line per sheet (created, updated, unchanged, duplicate, skipped, rejected; a
sheet its page cuts short is "incomplete" beside what was done to it) with its starting line
and title, then the totals. The exit status is non-zero when a sheet was rejected or a file
could not be read or held no sheet, and with ``--strict`` when a sheet is incomplete too
(nothing is then written). ``--structure`` names the structure of the older layout's sheets
when their website does not. See ``actions.importer.loader`` for the rules.
"""

from django.core.management.base import BaseCommand, CommandError

from actions.importer.loader import (
    INCOMPLETE_LABEL,
    ImportReport,
    Outcome,
    import_sheets,
    read_source,
)
from federations.models import Structure

# What the totals call each outcome (one, several); French: 0 and 1 take the singular.
COUNTED = {
    Outcome.CREATED: ("créée", "créées"),
    Outcome.UPDATED: ("mise à jour", "mises à jour"),
    Outcome.UNCHANGED: ("inchangée", "inchangées"),
    Outcome.DUPLICATE: ("doublon", "doublons"),
    Outcome.SKIPPED: ("ignorée", "ignorées"),
    Outcome.INCOMPLETE: ("incomplète", "incomplètes"),
    Outcome.REJECTED: ("rejetée", "rejetées"),
}
NOUNS = {"fiches": ("fiche", "fiches"), "structures": ("structure", "structures")}


def counted(count: int, forms: tuple[str, str]) -> str:
    """``count`` and the word of ``forms`` it takes in French ("0 créée", "2 créées")."""
    return f"{count} {forms[0] if count < 2 else forms[1]}"


class Command(BaseCommand):
    noun = "fiches"  # what the totals count (a key of NOUNS)
    # What the totals list: a sheet cut short counts as created, updated or unchanged.
    outcomes = tuple(outcome for outcome in Outcome if outcome != Outcome.INCOMPLETE)
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
        parser.add_argument(
            "--structure",
            metavar="SLUG",
            help=(
                "structure (son slug) des fiches de l'ancienne mise en page dont le site "
                "internet ne désigne aucune structure de l'annuaire"
            ),
        )

    def handle(self, *args, **options):
        structure = None
        if options["structure"]:
            structure = Structure.objects.filter(slug=options["structure"]).first()
            if structure is None:
                raise CommandError(
                    f"--structure : aucune structure n'a le slug « {options['structure']} »."
                )
        report = import_sheets(
            sources=[read_source(path) for path in options["paths"]],
            publish=options["publish"],
            overwrite=options["overwrite"],
            dry_run=options["dry_run"],
            strict=options["strict"],
            structure=structure,
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
                label = (
                    f"{outcome.label} ({INCOMPLETE_LABEL})" if result.incomplete else outcome.label
                )
                line = f"  ligne {result.line:>5}  {label:<12} {title}"
                if result.detail:
                    line += f" — {result.detail}"
                style = self.style.ERROR if outcome == Outcome.REJECTED else str
                self.stdout.write(style(line))
                for notice in result.notices:
                    self.stdout.write(f"      ! ligne {notice.line} : {notice.message}")
        totals, incomplete = report.totals(), report.incomplete_totals()
        parts = []
        for outcome in self.outcomes:
            part = counted(totals[outcome], COUNTED[outcome])
            if incomplete[outcome]:
                part += f" (dont {counted(incomplete[outcome], COUNTED[Outcome.INCOMPLETE])})"
            parts.append(part)
        noun = counted(len(report.results), NOUNS[self.noun])
        self.stdout.write(f"Total : {noun} · " + " · ".join(parts))
        if report.dry_run:
            self.stdout.write("Simulation (--dry-run) : rien n'a été enregistré.")
        elif not report.written:
            self.stdout.write("Mode strict : rien n'a été enregistré.")

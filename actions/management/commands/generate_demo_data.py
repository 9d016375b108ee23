"""Fill the database with a synthetic national network, for load tests and benchmarks.

    python manage.py generate_demo_data --structures 5000 --actions 100000 --seed 1

Never part of the sample fixtures, and never mixed up with real data: the command refuses to
run when the database holds sheets or structures that are not demo data, unless ``--force``.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from actions.demo import generator, marks
from actions.facet_index import deferred_index
from actions.search_vector import deferred_vectors


class Command(BaseCommand):
    help = (
        "Génère des données de démonstration à l'échelle nationale (fédérations, structures, "
        "partenaires, fiches action), reconnaissables à leur slug « demo- »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structures", type=int, default=5000, help="défaut : 5000")
        parser.add_argument("--actions", type=int, default=100_000, help="défaut : 100000")
        parser.add_argument(
            "--seed", type=int, default=1, help="même graine, mêmes données (défaut : 1)"
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="fiches par transaction (défaut : 2000)"
        )
        parser.add_argument(
            "--writers",
            type=int,
            default=2,
            help="connexions qui écrivent pendant que la suivante est composée (défaut : 2)",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="supprimer d'abord les données de démonstration existantes",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="accepter une base qui contient déjà des données réelles (jamais modifiées)",
        )

    def handle(self, *args, **options):
        structures, actions = options["structures"], options["actions"]
        if structures < 0 or actions < 0 or options["batch_size"] < 1 or options["writers"] < 0:
            raise CommandError("Les volumes doivent être positifs.")
        if actions and not structures:
            raise CommandError("Il faut au moins une structure pour créer des fiches.")

        real = marks.non_demo_counts()
        if any(real.values()) and not options["force"]:
            raise CommandError(
                f"La base contient des données réelles ({real['actions']} fiches, "
                f"{real['structures']} structures) : refus de les mêler à des données de "
                "démonstration. Utiliser une base dédiée, ou --force."
            )
        started = time.perf_counter()
        if options["clear"]:
            with deferred_index(), deferred_vectors():  # rebuilt once, not per table emptied
                removed = marks.clear_demo_data()
            self.stdout.write(
                f"Données de démonstration supprimées : {removed['actions']} fiches, "
                f"{removed['structures']} structures, {removed['federations']} fédérations, "
                f"{removed['partners']} partenaires ({time.perf_counter() - started:.1f} s)."
            )
        elif marks.demo_counts()["structures"]:
            raise CommandError(
                "Des données de démonstration existent déjà : relancer avec --clear pour les "
                "remplacer."
            )
        if not structures:
            return

        self.stdout.write(
            f"Génération (graine {options['seed']}) : {structures} structures, {actions} fiches…"
        )
        try:
            report = generator.generate(
                structures=structures,
                actions=actions,
                seed=options["seed"],
                batch_size=options["batch_size"],
                writers=options["writers"],
                log=self.stdout.write,
            )
        except generator.DemoDataError as error:
            raise CommandError(str(error)) from error
        counts = report.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Terminé en {time.perf_counter() - started:.1f} s : "
                f"{counts['federations']} fédérations, {counts['structures']} structures, "
                f"{counts.get('partners', 0)} partenaires, {counts.get('actions', 0)} fiches, "
                f"{counts.get('fundings', 0)} lignes de financement, "
                f"{counts.get('partner_links', 0)} liens partenaires."
            )
        )
        self.stdout.write(
            "Durées : "
            + ", ".join(f"{label} {seconds:.1f} s" for label, seconds in report.seconds.items())
        )

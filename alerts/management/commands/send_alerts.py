from django.core.management.base import BaseCommand

from alerts.schedule import run_due


class Command(BaseCommand):
    help = (
        "Prend en charge les synthèses dues (alertes, modérateurs) et confie leur envoi au "
        "worker (run_worker). Sans danger si elle est lancée deux fois : une période n'est "
        "envoyée qu'une fois."
    )

    def handle(self, *args, **options):
        enqueued = run_due()
        self.stdout.write(
            f"{enqueued.alert_digests} synthèse(s) d'alertes, "
            f"{int(enqueued.moderator_digest)} synthèse des modérateurs à envoyer."
        )

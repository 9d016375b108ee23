"""Prepare a demo portal: the sample federations and action sheets, and a demo admin.

Used by ``scripts/run``. Never run by migrations: a production database gets no demo account.
"""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from actions.models import Action

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "fiches-demo"  # documented in README.md; demo only
SAMPLE_FIXTURES = ["sample_federations", "sample_actions"]


class Command(BaseCommand):
    help = "Charge les fiches d'exemple et crée le compte d'administration de démonstration."

    def handle(self, *args, **options):
        if Action.objects.exists():
            self.stdout.write("Des fiches existent déjà : données d'exemple non rechargées.")
        else:
            call_command("loaddata", *SAMPLE_FIXTURES, verbosity=0)
            self.stdout.write(f"{Action.objects.count()} fiches d'exemple chargées.")
        User = get_user_model()
        if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            User.objects.create_superuser(
                DEMO_ADMIN_USERNAME, "admin@example.org", DEMO_ADMIN_PASSWORD
            )
            self.stdout.write(
                f"Compte de démonstration : {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}"
            )

"""Prepare a demo portal: the sample federations and action sheets, and a demo admin.

Used by ``scripts/run``. Never run by migrations: a production database gets no demo account.
"""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from actions.facet_index import deferred_index
from actions.models import Action
from actions.search_vector import deferred_vectors

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "fiches-demo"  # documented in README.md; demo only
SAMPLE_FIXTURES = ["sample_federations", "sample_actions"]


def load_sample_fixtures() -> None:
    """Load the sample into a database that holds no sheet. ``loaddata`` writes one row at a
    time; on PostgreSQL the facet index and the search vectors are built once at the end
    instead of by the triggers after each row (each link to a theme or partner computed its
    sheet's vector again): about a third less time."""
    with transaction.atomic(), deferred_index(), deferred_vectors():
        call_command("loaddata", *SAMPLE_FIXTURES, verbosity=0)


class Command(BaseCommand):
    help = "Charge les fiches d'exemple et crée le compte d'administration de démonstration."

    def handle(self, *args, **options):
        if Action.objects.exists():
            self.stdout.write("Des fiches existent déjà : données d'exemple non rechargées.")
        else:
            load_sample_fixtures()
            self.stdout.write(f"{Action.objects.count()} fiches d'exemple chargées.")
        User = get_user_model()
        if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            User.objects.create_superuser(
                DEMO_ADMIN_USERNAME, "admin@example.org", DEMO_ADMIN_PASSWORD
            )
            self.stdout.write(
                f"Compte de démonstration : {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}"
            )

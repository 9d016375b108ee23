"""``manage.py create_federation_account --federation <slug> --email … [--moderator]``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from federations.accounts import AccountRefused, create_federation_account
from federations.models import Federation


class Command(BaseCommand):
    help = (
        "Crée le compte d'un·e salarié·e de fédération (ou lui donne l'adhésion s'il existe), "
        "éventuellement modérateur·rice, et affiche le lien qui lui fait choisir son mot de passe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--federation", required=True, help="slug de la fédération")
        parser.add_argument("--email", required=True, help="adresse électronique du compte")
        parser.add_argument("--first-name", default="", help="prénom")
        parser.add_argument("--last-name", default="", help="nom")
        parser.add_argument(
            "--moderator",
            action="store_true",
            help="aussi modérateur·rice (groupe Modérateurs et statut équipe)",
        )

    def handle(self, *args, federation, email, first_name, last_name, moderator, **options):
        try:
            validate_email(email)
        except ValidationError as invalid:
            raise CommandError(f"« {email} » n'est pas une adresse électronique.") from invalid
        try:
            found = Federation.objects.get(slug=federation)
        except Federation.DoesNotExist as missing:
            raise CommandError(f"Aucune fédération n'a le slug « {federation} ».") from missing
        try:
            account = create_federation_account(
                federation=found,
                email=email,
                first_name=first_name,
                last_name=last_name,
                moderator=moderator,
            )
        except AccountRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        user = account.user
        self.stdout.write(
            f"{'Compte créé' if account.created else 'Compte existant'} : {user.get_username()}"
            f", salarié·e de {found.name}{', modérateur·rice' if moderator else ''}."
        )
        self.stdout.write(
            f"Lien pour choisir son mot de passe (à lui transmettre) : {account.password_link}"
        )

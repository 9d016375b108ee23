"""Partners get ``match_key`` and ``private_to``.

``match_key``: their name as ``federations.text.name_key`` reads it (case, accents, spacing
and punctuation aside), unique, so that one name is one partner even when two people type it
at the same instant. Existing partners whose names read the same keep their rows and links:
the oldest gets the key, the others a key suffixed with their id (``caf de l ain #12``), which
no name matches, so that new lines go to the oldest. Merging them is left to a person.

``private_to``: the federation whose draft a partner was typed in, which alone sees it until a
published sheet names it. Existing partners named by no published sheet and by the sheets of
exactly one federation become private to it; the others stay visible to all.
"""

import django.db.models.deletion
from django.db import migrations, models

from federations.text import name_key


def fill_match_keys(apps, schema_editor):
    Partner = apps.get_model("actions", "Partner")
    taken = set()
    for partner in Partner.objects.order_by("pk").only("pk", "name"):
        key = name_key(partner.name)
        if key in taken:
            key = f"{key} #{partner.pk}"
        taken.add(key)
        Partner.objects.filter(pk=partner.pk).update(match_key=key)


def make_draft_partners_private(apps, schema_editor):
    Partner = apps.get_model("actions", "Partner")
    ActionPartner = apps.get_model("actions", "ActionPartner")
    Funding = apps.get_model("actions", "Funding")
    federations: dict[int, set] = {}
    published = set()
    for model, column in ((ActionPartner, "partner_id"), (Funding, "funder_id")):
        rows = model.objects.values_list(
            column, "action__publication_status", "action__structure__federation_id"
        )
        for partner, status, federation in rows.iterator():
            if status == "published":
                published.add(partner)
            federations.setdefault(partner, set()).add(federation)
    for partner, named_by in federations.items():
        if partner not in published and len(named_by) == 1 and None not in named_by:
            Partner.objects.filter(pk=partner).update(private_to_id=named_by.pop())


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0006_older_layout_sections"),
        ("federations", "0003_moderators_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="match_key",
            field=models.TextField(default="", editable=False, verbose_name="clé de rapprochement"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_match_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="partner",
            constraint=models.UniqueConstraint(
                fields=("match_key",),
                name="partner_match_key_unique",
                violation_error_message="Un partenaire porte déjà ce nom.",
            ),
        ),
        migrations.AddField(
            model_name="partner",
            name="private_to",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Saisi dans un brouillon de cette fédération : les autres ne le voient pas "
                    "tant qu'aucune fiche publiée ne le nomme."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="federations.federation",
                verbose_name="privé à la fédération",
            ),
        ),
        migrations.RunPython(make_draft_partners_private, migrations.RunPython.noop),
    ]

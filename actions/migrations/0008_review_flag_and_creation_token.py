"""Sheets get ``modified_during_review`` (a moderation decision was not applied: the content
had changed since the moderator read it) and ``creation_token`` (the creation form that
created them: a second post of that form finds the sheet instead of creating another)."""

from django.db import migrations, models

REVIEW_FLAG = models.BooleanField(
    default=False,
    help_text=(
        "Une publication ou un refus n'a pas été appliqué : la fiche avait changé depuis que "
        "la modération l'avait lue. Signalée jusqu'à la prochaine décision."
    ),
    verbose_name="modifiée depuis votre lecture",
)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0007_partner_match_key_and_privacy"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="modified_during_review",
            field=REVIEW_FLAG,
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="modified_during_review",
            field=REVIEW_FLAG.clone(),
        ),
        migrations.AddField(
            model_name="action",
            name="creation_token",
            field=models.UUIDField(
                blank=True, editable=False, null=True, unique=True, verbose_name="jeton de création"
            ),
        ),
    ]

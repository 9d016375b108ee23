"""Reference vocabularies of the published format.

Every value met in the published sample sheets, plus those known from the national
observatory of social centres. ``aliases`` keeps spellings met in the wild so that imports map
them onto the right entry (the published data writes "Viellissement").
"""

from django.db import migrations
from django.utils.text import slugify

# model name -> [(name, aliases)], in display order
VOCABULARIES = {
    "Theme": [
        ("Parentalité", []),
        ("Vacances / loisirs", ["vacances", "loisirs", "vacances et loisirs"]),
        ("Culture", []),
        ("Éducation / scolarité", ["education", "scolarité", "éducation et scolarité"]),
        ("Intergénérationnel", ["inter-générationnel", "intergénération"]),
        ("Mixité sociale", []),
        ("Solidarité", []),
        ("Vieillissement", ["Viellissement", "Vieillesse", "Vieilissement"]),
        ("Démocratie & citoyenneté", ["démocratie et citoyenneté", "citoyenneté"]),
        ("Discriminations", ["discrimination"]),
        ("Santé", []),
        ("Précarité", []),
        ("Mobilité / transport", ["mobilité", "transport"]),
        ("Europe et international", ["Europe & international", "international"]),
        ("Développement durable", []),
        ("Environnement", []),
        ("Logement", []),
        ("Intégration", []),
        ("Habitants", []),
        ("Famille", ["familles"]),
        ("Évènementiel", ["événementiel", "evenementiel"]),
        (
            "Alphabétisation & apprentissage du français",
            [
                "alphabétisation et apprentissage du français",
                "alphabétisation",
                "FLE",
            ],
        ),
        ("Numérique", ["inclusion numérique"]),
        ("Emploi / insertion", ["emploi", "insertion", "insertion professionnelle"]),
        ("Accès aux droits", []),
        ("Alimentation", []),
        ("Sport", []),
    ],
    "Public": [
        ("Tous publics", ["tout public"]),
        ("Petite enfance", []),
        ("Enfance", ["enfants"]),
        ("Jeunesse", ["jeunes", "adolescents"]),
        ("Familles", ["famille"]),
        ("Adultes", []),
        ("Seniors", ["séniors", "personnes âgées"]),
        ("Personnes en situation de handicap", ["handicap"]),
    ],
    "Dimension": [
        ("Accompagnement de projets", []),
        ("Citoyenneté", []),
        ("Services", []),
        ("Animation de la vie sociale", []),
    ],
    "Initiative": [
        ("Le centre social", ["centre social", "la structure"]),
        ("Un habitant", []),
        ("Un groupe d'habitants", ["groupe d'habitants"]),
        ("Un ou plusieurs partenaire(s)", ["un partenaire", "plusieurs partenaires"]),
        ("La fédération", []),
    ],
    "TerritoryScale": [
        ("Un quartier", []),
        ("Plusieurs quartiers", []),
        ("Une commune", []),
        ("Plusieurs communes", ["intercommunalité"]),
        ("Le département", ["un département"]),
        ("La région", ["une région"]),
    ],
}


def seed(apps, schema_editor):
    for model_name, entries in VOCABULARIES.items():
        model = apps.get_model("actions", model_name)
        for position, (name, aliases) in enumerate(entries, start=1):
            model.objects.update_or_create(
                slug=slugify(name),
                defaults={"name": name, "position": position * 10, "aliases": aliases},
            )


def unseed(apps, schema_editor):
    for model_name, entries in VOCABULARIES.items():
        apps.get_model("actions", model_name).objects.filter(
            slug__in=[slugify(name) for name, _ in entries]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

"""How demo rows are recognised, counted and removed.

Every generated federation, structure, partner and sheet has a slug starting with ``demo-``, and
every generated e-mail address or website is under the reserved ``demo.invalid`` domain. The
models are not changed for this: the mark is in the data.
"""

from django.db import connection, models, transaction

from actions.models import Action, ActionPartner, Funding, Partner
from federations.models import Federation, Structure

DEMO_SLUG_PREFIX = "demo-"
DEMO_DOMAIN = "demo.invalid"
DEMO = models.Q(slug__startswith=DEMO_SLUG_PREFIX)


def non_demo_counts() -> dict[str, int]:
    """Sheets and structures that are not recognisably demo data: real data to protect."""
    return {
        "actions": Action.objects.exclude(DEMO).count(),
        "structures": Structure.objects.exclude(DEMO).count(),
    }


def demo_counts() -> dict[str, int]:
    return {
        "federations": Federation.objects.filter(DEMO).count(),
        "structures": Structure.objects.filter(DEMO).count(),
        "partners": Partner.objects.filter(DEMO).count(),
        "actions": Action.objects.filter(DEMO).count(),
    }


@transaction.atomic
def clear_demo_data() -> dict[str, int]:
    """Delete every demo row (and what hangs on demo sheets), leaving real data untouched.

    Sheets are deleted table by table rather than through ``QuerySet.delete()``: the history of
    sheets listens to ``post_delete``, so the ORM would load 100,000 sheets and write as many
    history rows. Every relation that points at a sheet is emptied first, whatever app declares
    it, so a model added later does not break this.
    """
    demo_actions = Action.objects.filter(DEMO).values("pk")
    for relation in Action._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if relation.many_to_many:  # a many-to-many declared on another model
            through = relation.through
            link = relation.field.m2m_reverse_field_name()
            through._base_manager.filter(**{f"{link}__in": demo_actions}).delete()
            continue
        on_delete = getattr(relation, "on_delete", None)
        rows = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": demo_actions}
        )
        if on_delete is models.CASCADE:
            rows.delete()
        elif on_delete is models.SET_NULL:
            rows.update(**{relation.field.name: None})
    table = connection.ops.quote_name(Action._meta.db_table)
    slug = connection.ops.quote_name("slug")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {slug} LIKE %s", [f"{DEMO_SLUG_PREFIX}%"])
        actions = cursor.rowcount
    _, structures = Structure.objects.filter(DEMO).delete()
    _, federations = Federation.objects.filter(DEMO).delete()
    _, partners = (
        Partner.objects.filter(DEMO)
        .exclude(pk__in=ActionPartner.objects.values("partner"))
        .exclude(pk__in=Funding.objects.values("funder"))
        .delete()
    )
    return {
        "actions": actions,
        "structures": structures.get(Structure._meta.label, 0),
        "federations": federations.get(Federation._meta.label, 0),
        "partners": partners.get(Partner._meta.label, 0),
    }

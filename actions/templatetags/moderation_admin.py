"""The admin index's reminder of the sheets awaiting moderation."""

from django import template
from django.db.models import Count, Q
from django.urls import reverse

from actions.enums import PublicationStatus
from actions.models import Action
from federations.perms import is_moderator

register = template.Library()


@register.simple_tag(takes_context=True)
def awaiting_moderation(context):
    """Counts of submitted sheets and of published sheets changed since, with links to the
    filtered changelist; ``None`` for someone who does not moderate."""
    user = context["request"].user
    if not (is_moderator(user) and user.has_perm("actions.change_action")):
        return None
    counts = Action.objects.aggregate(
        submitted=Count("pk", filter=Q(publication_status=PublicationStatus.SUBMITTED)),
        modified=Count(
            "pk",
            filter=Q(
                publication_status=PublicationStatus.PUBLISHED, modified_since_publication=True
            ),
        ),
    )
    changelist = reverse("admin:actions_action_changelist")
    return {
        **counts,
        "total": counts["submitted"] + counts["modified"],
        "submitted_url": f"{changelist}?publication_status__exact={PublicationStatus.SUBMITTED}",
        "modified_url": (
            f"{changelist}?publication_status__exact={PublicationStatus.PUBLISHED}"
            "&modified_since_publication__exact=1"
        ),
    }

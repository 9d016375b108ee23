import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actions.enums import PublicationStatus
from actions.models import Action
from federations.models import Structure


def _structures_in_reach(request):
    if request is None:
        return Structure.objects.none()
    return Structure.objects.editable_by(request.user).order_by("name")


class WorkspaceFilter(django_filters.FilterSet):
    """Dashboard filters; structures offered are only those within the user's reach."""

    structure = django_filters.ModelChoiceFilter(
        label=_("Structure"),
        queryset=_structures_in_reach,
        empty_label=_("Toutes mes structures"),
    )
    publication_status = django_filters.ChoiceFilter(
        label=pgettext_lazy("publication status", "État"),
        choices=PublicationStatus.choices,
        empty_label=_("Tous les états"),
    )
    title = django_filters.CharFilter(
        label=_("Titre contient"),
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    class Meta:
        model = Action
        fields = ["structure", "publication_status", "title"]

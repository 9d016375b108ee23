from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from catalogue.filters import ActionFilterSet

from .enums import Frequency
from .models import QUERY_MAX_LENGTH

# Parameters of a catalogue address that do not select sheets.
NOT_A_FILTER = ("page", "sort")


class SubscribeForm(forms.Form):
    """Save the catalogue's current selection. ``query`` is the page's query string; only the
    catalogue's valid filters are kept, so what is saved is what the catalogue selects."""

    query = forms.CharField(required=False, max_length=QUERY_MAX_LENGTH, widget=forms.HiddenInput)
    email = forms.EmailField(label=_("Votre adresse électronique"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=Frequency.choices, initial=Frequency.WEEKLY
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and self.user.is_authenticated:
            if not self.user.email:
                raise forms.ValidationError(
                    _(
                        "Votre compte n'a pas d'adresse électronique : "
                        "demandez-en une à la modération."
                    )
                )
            cleaned["email"] = self.user.email
        filterset = ActionFilterSet(
            data=QueryDict(cleaned.get("query", "")), queryset=Action.objects.catalogue()
        )
        data = QueryDict(mutable=True)
        for name, value in filterset.values.items():
            if name in NOT_A_FILTER or value in (None, "", []):
                continue
            data.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
        cleaned["query"] = data.urlencode()
        cleaned["label"] = " · ".join(f"{chip.label} : {chip.value}" for chip in filterset.chips)[
            :500
        ]
        return cleaned

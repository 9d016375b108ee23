"""What differs between the saved sheet and what a user typed, for the edit-conflict pages of
the workspace and of the admin."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from actions.models import Action


@dataclass
class Difference:
    label: str
    saved: str
    typed: str


def _comparable(field: models.Field, value):
    if field.many_to_many:
        return frozenset(item.pk for item in value or [])
    if isinstance(field, models.ForeignKey):
        return value.pk if value is not None else None
    if isinstance(value, str):
        return value.strip()
    return value


def _display(field: models.Field, value) -> str:
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in value or [])) or _("(vide)")
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if value in (None, ""):
        return _("(vide)")
    return str(value)


def differences(saved: Action, form) -> list[Difference]:
    """Fields of ``form`` whose typed value differs from the saved sheet's, in form order."""
    if not hasattr(form, "cleaned_data"):
        return []
    found = []
    model_fields = {field.name for field in Action._meta.get_fields()}
    for name in form._meta.fields:
        if name not in form.cleaned_data or name not in model_fields:
            continue
        field = Action._meta.get_field(name)
        saved_value = getattr(saved, name).all() if field.many_to_many else getattr(saved, name)
        typed_value = form.cleaned_data[name]
        if _comparable(field, saved_value) != _comparable(field, typed_value):
            found.append(
                Difference(
                    label=str(form.fields[name].label or field.verbose_name),
                    saved=_display(field, saved_value),
                    typed=_display(field, typed_value),
                )
            )
    return found

"""The workspace's forms onto the sheet services (``actions.services``): no rule of their own.

A sheet form, its partner and funding lines and its files are saved by
``actions.services.content.saving`` (version claim, one history record, publication columns
left to ``actions.services.publication``), then submitted if asked.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from actions.models import Action
from actions.services import content, files, partners
from actions.services.publication import submit_action
from federations.models import Structure
from federations.text import insert_with_free_slug, name_key

from .forms import ActionForms

UNIQUE_NAME_PER_DEPARTMENT = "structure_unique_name_per_department"


def _name_new_partners(forms: ActionForms) -> None:
    """Give the lines where a new partner's name was typed their partner, created (then
    private to the sheet's federation until a published sheet names it), or found when
    someone created it since the form was checked.

    In the order of the names' keys, so that two saves creating the same new partners cannot
    wait for each other in opposite orders."""
    federation = forms.form.instance.structure.federation
    typed = []
    for formset in (forms.partners, forms.fundings):
        for form in formset.forms:
            name = getattr(form, "new_name", "")
            if name and not form.cleaned_data.get("DELETE"):
                typed.append((name_key(name), name, form))
    for _key, name, form in sorted(typed, key=lambda entry: entry[0]):
        partner = partners.get_or_create_partner(name, private_to=federation)
        setattr(form.instance, form.partner_field, partner)


@files.discarding_unsaved_files()  # the submission may roll the save back
@transaction.atomic
def save_action(
    *,
    forms: ActionForms,
    user,
    expected_version: int | None = None,
    creation_token=None,
    submit: bool = False,
) -> Action:
    """Save a sheet created or edited in the workspace, then submit it if asked.

    ``forms`` must be valid. Raises ``EditConflict`` (edited meanwhile), ``AlreadyCreated``
    (this creation form was already posted) or ``TransitionNotAllowed`` (the submission is
    refused), and then nothing is written.
    """
    action = forms.form.save(commit=False)
    with content.saving(
        action,
        user=user,
        fields=forms.form._meta.fields,
        expected_version=expected_version,
        creation_token=creation_token,
    ) as save:
        forms.form.save_m2m()
        _name_new_partners(forms)
        save.save_lines(forms.partners, label=_("partenaires"))
        save.save_lines(forms.fundings, label=_("financements"))
        save.save_lines(forms.attachments, label=_("fichiers"))
    if submit:
        submit_action(action=action, user=user)
    return action


@transaction.atomic
def create_structure(*, form) -> Structure | None:
    """Add a structure to a federation (the form limits federations to the user's reach).

    The form checked that the name is free in its département; when someone adds the same
    structure at the same instant, the form gets the error instead (and ``None`` is
    returned) rather than a server error.
    """
    structure = form.save(commit=False)
    try:
        insert_with_free_slug(structure, text=f"{structure.name} {structure.department.code}")
    except IntegrityError:
        same_name = Structure.objects.filter(
            name__iexact=structure.name, department=structure.department
        )
        if not same_name.exists():
            raise
        (unique_name,) = (
            c for c in Structure._meta.constraints if c.name == UNIQUE_NAME_PER_DEPARTMENT
        )
        form.add_error(None, unique_name.get_violation_error_message())
        return None
    return structure

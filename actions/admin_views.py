"""Moderation steps of the action admin that need more than one click.

Refusing asks for a reason on an intermediate page (the reason is emailed to the submitter and
the federation's staff); the transitions themselves are ``actions.services.publication``'s.

Every row of the changelist, and the change page's moderation buttons, post the version of
the sheet the page showed (``reviewed_version_<id>``): publication and refusal are decided on
that version only (``reviewed_versions``), and the intermediate page carries it along.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Action
from .services import publication

REVIEWED_VERSION_PREFIX = "reviewed_version_"


def reviewed_version_name(pk: int) -> str:
    """The name of the hidden input carrying the version of sheet ``pk`` a page showed."""
    return f"{REVIEWED_VERSION_PREFIX}{pk}"


def reviewed_versions(request) -> dict[int, int]:
    """Sheet id → the version the moderator's page showed, from the posted form (what is
    not a number is left out: that sheet was not shown)."""
    versions = {}
    for name, value in request.POST.items():
        if not name.startswith(REVIEWED_VERSION_PREFIX):
            continue
        pk, version = name.removeprefix(REVIEWED_VERSION_PREFIX), value
        if pk.isdigit() and version.isdigit():
            versions[int(pk)] = int(version)
    return versions


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=Action._meta.get_field("rejection_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_(
            "Envoyé par courriel à la personne qui a soumis la fiche et aux salarié·es de sa "
            "fédération ; il reste affiché sur la fiche jusqu'à sa prochaine soumission."
        ),
        error_messages={"required": _("Indiquez le motif du refus : il est obligatoire.")},
    )


def report(model_admin, request, result: publication.BulkResult, done_message: str) -> None:
    """Say how many sheets changed state and, one by one, which were skipped and why.

    ``done_message`` is an ngettext pair already resolved for ``len(result.done)`` and takes
    ``%(count)d``.
    """
    if result.done:
        model_admin.message_user(
            request, done_message % {"count": len(result.done)}, messages.SUCCESS
        )
    for action, reason in result.skipped:
        model_admin.message_user(
            request,
            _("« %(title)s » ignorée : %(reason)s.") % {"title": action.title, "reason": reason},
            messages.WARNING,
        )


def reject_selected(model_admin, request, queryset):
    """Admin action: ask for the reason, then refuse every eligible selected sheet.

    Returning ``None`` sends the moderator back to the changelist with the report; without a
    reason the page is shown again with the error and nothing is refused.
    """
    actions = list(queryset)
    versions = reviewed_versions(request)
    checks = [(action, publication.can_reject(action)) for action in actions]
    skipped = [(action, problem) for action, problem in checks if problem]
    if len(skipped) == len(actions):
        report(model_admin, request, publication.BulkResult(skipped=skipped), "")
        return None

    if request.POST.get("confirm"):
        form = RejectionForm(request.POST)
        if form.is_valid():
            result = publication.apply_to_each(
                publication.reject_action,
                actions,
                user=request.user,
                reason=form.cleaned_data["reason"],
                reviewed_versions=versions,
            )
            count = len(result.done)
            report(
                model_admin,
                request,
                result,
                ngettext("%(count)d fiche refusée.", "%(count)d fiches refusées.", count),
            )
            return None
    else:
        form = RejectionForm()

    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Refuser des fiches action"),
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "form": form,
        "queryset": actions,
        "eligible": [action for action, problem in checks if not problem],
        "skipped": skipped,
        "reviewed_versions": [
            (reviewed_version_name(pk), version) for pk, version in versions.items()
        ],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/actions/action/reject_selected.html", context)

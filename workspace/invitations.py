"""Federation staff invite colleagues (``/espace/invitations/``); the invited person follows
the e-mailed link (``/comptes/invitation/<token>/``) to create their account and membership.
The rules are in ``federations.invitations``; these views only adapt forms onto them."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from federations.enums import MembershipRole
from federations.invitations import InvitationRefused, accept, check_grant, invitable_federations
from federations.invitations import invite as send_invite
from federations.models import Invitation, Structure


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Adresse électronique de la personne invitée"))
    federation = forms.ModelChoiceField(label=gettext_lazy("Fédération"), queryset=None)
    role = forms.ChoiceField(label=gettext_lazy("Rôle"), choices=MembershipRole.choices)
    structure = forms.ModelChoiceField(
        label=gettext_lazy("Structure dirigée (pour une direction)"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        federations = invitable_federations(inviter)
        self.fields["federation"].queryset = federations
        self.fields["structure"].queryset = Structure.objects.filter(
            federation__in=federations
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        role, structure = cleaned["role"], cleaned.get("structure")
        if role == MembershipRole.STAFF:
            cleaned["structure"] = structure = None
        try:
            check_grant(
                inviter=self.inviter,
                federation=cleaned["federation"],
                role=role,
                structure=structure,
            )
        except InvitationRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return cleaned


class InvitationsView(LoginRequiredMixin, View):
    """The invitations a staff member sent, and the form to send one."""

    template_name = "workspace/invitations.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not invitable_federations(request.user).exists():
            return render(request, "workspace/no_access.html", {"reason": "invitation"}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form, status=200):
        sent = Invitation.objects.filter(invited_by=self.request.user).select_related(
            "federation", "structure"
        )[:100]
        context = {"form": form, "invitations": sent, "now": timezone.now()}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(InvitationForm(inviter=request.user))

    def post(self, request):
        form = InvitationForm(request.POST, inviter=request.user)
        if not form.is_valid():
            return self.render_page(form, status=400)
        invitation = send_invite(inviter=request.user, **form.cleaned_data)
        messages.success(request, _("Invitation envoyée à %s.") % invitation.email)
        return redirect("workspace:invitations")


class AcceptInvitationView(View):
    """A signed-in person accepts for their account; anyone else creates one, with the
    invited address."""

    template_name = "registration/invitation_accept.html"

    def get_invitation(self, token):
        invitation = get_object_or_404(
            Invitation.objects.select_related("federation", "structure"), token=token
        )
        usable = Invitation.objects.usable(timezone.now()).filter(pk=invitation.pk).exists()
        return invitation, usable

    def render_page(self, invitation, form, status=200):
        context = {"invitation": invitation, "form": form, "usable": status != 410}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, token):
        invitation, usable = self.get_invitation(token)
        if not usable:
            return self.render_page(invitation, None, status=410)
        form = None if request.user.is_authenticated else UserCreationForm()
        return self.render_page(invitation, form)

    def post(self, request, token):
        invitation, usable = self.get_invitation(token)
        if not usable:
            return self.render_page(invitation, None, status=410)
        form = None
        try:
            if request.user.is_authenticated:
                user = accept(invitation=invitation, user=request.user)
            else:
                form = UserCreationForm(request.POST)
                if not form.is_valid():
                    return self.render_page(invitation, form, status=400)
                user = accept(
                    invitation=invitation,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except InvitationRefused:
            return self.render_page(invitation, None, status=410)
        messages.success(request, _("Bienvenue : votre adhésion est enregistrée."))
        return redirect("workspace:dashboard")

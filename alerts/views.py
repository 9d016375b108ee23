"""Subscribing from the catalogue, confirming, and managing alerts.

A signed-in person manages their alerts at ``/alertes/``; an address alone through the link
of its e-mails (``/alertes/gerer/<token>/``): the token, sent only to that address, stands for
the address. Unsubscription is one POST to ``/alertes/desinscription/<token>/``, without a
session or a CSRF token, as RFC 8058 asks (mail clients send it from the message's headers).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView, TemplateView

from ops.throttling import exceeds_any
from pagecache.csrf import csrf_protect_signed_in

from . import subscriptions
from .forms import SubscribeForm
from .models import Alert


def _subscribed_address(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


# (cache group, key, rate): one office address, one mailbox.
SUBSCRIBE_LIMITS = (
    ("alert-subscribe-ip", "ip", "20/h"),
    ("alert-subscribe-email", _subscribed_address, "5/h"),
)


# Its form stands on the catalogue's cached pages (pagecache/csrf.py).
@method_decorator(csrf_protect_signed_in, name="dispatch")
class SubscribeView(View):
    def post(self, request):
        form = SubscribeForm(request.POST, user=request.user)
        if exceeds_any(request, SUBSCRIBE_LIMITS):
            form.add_error(
                None, _("Trop de demandes d'alerte ont été faites : réessayez dans une heure.")
            )
            return render(request, "alerts/subscribe.html", {"form": form}, status=429)
        if not form.is_valid():
            return render(request, "alerts/subscribe.html", {"form": form}, status=400)
        user = request.user if request.user.is_authenticated else None
        alert = subscriptions.subscribe(
            email=form.cleaned_data["email"],
            query=form.cleaned_data["query"],
            label=form.cleaned_data["label"],
            frequency=form.cleaned_data["frequency"],
            user=user,
        )
        if alert.confirmed_at is None:
            return render(request, "alerts/confirmation_sent.html", {"alert": alert})
        messages.success(request, _("Alerte enregistrée : vous recevrez les nouvelles fiches."))
        return redirect("alerts:list")


class ConfirmView(TemplateView):
    """GET shows a button, POST confirms: mail scanners that follow links confirm nothing."""

    template_name = "alerts/confirm.html"

    def get_alert(self):
        return subscriptions.alert_of_confirmation_key(self.kwargs["key"])

    def get(self, request, *args, **kwargs):
        alert = self.get_alert()
        status = 200 if alert is not None else 410
        return self.render_to_response({"alert": alert}, status=status)

    def post(self, request, *args, **kwargs):
        alert = self.get_alert()
        if alert is None:
            return self.render_to_response({"alert": None}, status=410)
        subscriptions.confirm(alert=alert)
        messages.success(request, _("Adresse confirmée : vous recevrez les nouvelles fiches."))
        return redirect(alert.manage_url)


class AlertListView(ListView):
    """The signed-in person's alerts (an address alone: ``ManageView``)."""

    template_name = "alerts/alert_list.html"
    context_object_name = "alerts"

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            return Alert.objects.none()
        return Alert.objects.filter(user=self.request.user).order_by("-created_at")


class ManageView(ListView):
    """Every alert of the address the token belongs to."""

    template_name = "alerts/alert_list.html"
    context_object_name = "alerts"

    def get_queryset(self):
        alert = get_object_or_404(Alert, token=self.kwargs["token"])
        self.address = alert.email
        return Alert.objects.of_address(alert.email).order_by("-created_at")

    def get_context_data(self, **kwargs):
        return super().get_context_data(address=self.address, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TemplateView):
    template_name = "alerts/unsubscribe.html"

    def get(self, request, *args, **kwargs):
        alert = get_object_or_404(Alert, token=self.kwargs["token"])
        return self.render_to_response({"alert": alert})

    def post(self, request, *args, **kwargs):
        alert = Alert.objects.filter(token=self.kwargs["token"]).first()
        subscriptions.unsubscribe(token=self.kwargs["token"])
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return render(request, "alerts/unsubscribed.html", {"alert": alert})
        messages.success(request, _("Alerte supprimée."))
        if request.user.is_authenticated:
            return redirect("alerts:list")
        if alert is not None:
            other = Alert.objects.of_address(alert.email).first()
            if other is not None:
                return redirect(other.manage_url)
        return redirect(reverse("catalogue:action_list"))

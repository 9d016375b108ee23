import secrets
from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Frequency

QUERY_MAX_LENGTH = 1000


def new_token() -> str:
    return secrets.token_urlsafe(32)


def period_start(period) -> datetime:
    """Local midnight at the start of a period (its first day)."""
    return timezone.make_aware(datetime.combine(period, time.min))


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def of_address(self, email: str):
        return self.filter(email__iexact=email)

    def due(self, now: datetime):
        """Confirmed alerts whose current period has no digest yet, and that were confirmed
        before that period began (a digest never covers a period only in part)."""
        today = timezone.localdate(now)
        due = models.Q()
        for frequency in Frequency:
            period = frequency.period_of(today)
            due |= models.Q(frequency=frequency, confirmed_at__lt=period_start(period)) & ~models.Q(
                digests__period=period
            )
        return self.confirmed().filter(due)


class Alert(models.Model):
    """A saved catalogue selection whose new sheets are e-mailed to ``email``.

    Whoever holds ``token`` (sent only to ``email``) manages the alerts of that address and
    unsubscribes from this one. Nothing but the confirmation is sent before ``confirmed_at``.
    """

    email = models.EmailField(_("adresse électronique"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("compte"),
    )
    query = models.CharField(_("sélection"), max_length=QUERY_MAX_LENGTH, blank=True)
    label = models.CharField(_("description"), max_length=500, blank=True)
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    covered_until = models.DateTimeField(
        _("fiches signalées jusqu'au"),
        null=True,
        blank=True,
        help_text=_("La prochaine synthèse signale les fiches publiées ou modifiées depuis."),
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["email", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                "query",
                name="alert_unique_selection_per_address",
                violation_error_message=_("Cette adresse suit déjà cette sélection."),
            )
        ]

    def __str__(self):
        return f"{self.email} · {self.label or _('toutes les fiches')}"

    @property
    def catalogue_url(self) -> str:
        url = reverse("catalogue:action_list")
        return f"{url}?{self.query}" if self.query else url

    @property
    def unsubscribe_url(self) -> str:
        return reverse("alerts:unsubscribe", kwargs={"token": self.token})

    @property
    def manage_url(self) -> str:
        return reverse("alerts:manage", kwargs={"token": self.token})


class Digest(models.Model):
    """One period of an alert, claimed before its e-mail is sent: the unique constraint on
    (alert, period) is what makes two workers, or ``send_alerts`` run twice, send it once."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="digests", verbose_name=_("alerte")
    )
    period = models.DateField(_("période (premier jour)"))
    since = models.DateTimeField(_("depuis"))
    until = models.DateTimeField(_("jusqu'à"))
    sheet_count = models.PositiveIntegerField(_("fiches signalées"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("synthèse d'une alerte")
        verbose_name_plural = _("synthèses des alertes")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "period"],
                name="digest_once_per_period",
                violation_error_message=_("La synthèse de cette période est déjà prise en charge."),
            )
        ]

    def __str__(self):
        return f"{self.alert} · {self.period}"


class ModeratorDigest(models.Model):
    """The moderators' digest of one period (an hour): claimed like an alert's, so a bulk
    import that submits a thousand sheets gives one e-mail, not a thousand."""

    period = models.DateTimeField(_("période"), unique=True)
    claimed_at = models.DateTimeField(_("prise en charge le"), auto_now_add=True)
    waiting = models.PositiveIntegerField(_("fiches à modérer"))
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("synthèse des modérateurs")
        verbose_name_plural = _("synthèses des modérateurs")
        ordering = ["-period"]

    def __str__(self):
        return str(self.period)

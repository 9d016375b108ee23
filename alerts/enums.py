from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Chaque jour")
    WEEKLY = "weekly", _("Chaque semaine")

    def period_of(self, day: date) -> date:
        """The first day of the period ``day`` belongs to: the day itself, or its week's
        Monday. A digest is sent once per period."""
        if self == Frequency.WEEKLY:
            return day - timedelta(days=day.weekday())
        return day

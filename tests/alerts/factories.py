from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alerts.enums import Frequency
from alerts.models import Alert


class AlertFactory(DjangoModelFactory):
    """A confirmed daily alert on the whole catalogue, confirmed three days ago."""

    class Meta:
        model = Alert

    email = factory.Sequence(lambda n: f"directrice{n}@centre.example.org")
    query = ""
    frequency = Frequency.DAILY
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    covered_until = factory.SelfAttribute("confirmed_at")

    class Params:
        unconfirmed = factory.Trait(confirmed_at=None, covered_until=None)

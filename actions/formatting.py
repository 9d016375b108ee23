from datetime import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.timezone import localtime


def format_euros(amount: Decimal | int | float) -> str:
    """French money format: narrow no-break space as thousands separator, comma for cents."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = f"{amount:,.2f}".split(".")
    whole = whole.replace(",", "\u202f")
    return f"{whole} €" if cents == "00" else f"{whole},{cents} €"


def format_day(moment: datetime) -> str:
    """The day of ``moment`` in local time, written out ("1 décembre 2026")."""
    return date_format(localtime(moment), "j F Y")

from datetime import datetime
from decimal import Decimal

from mailing.dates import written_date


def format_euros(amount: Decimal | int | float) -> str:
    """French money format: narrow no-break space as thousands separator, comma for cents."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = f"{amount:,.2f}".split(".")
    whole = whole.replace(",", "\u202f")
    return f"{whole} €" if cents == "00" else f"{whole},{cents} €"


def format_day(moment: datetime) -> str:
    """The day of ``moment`` in local time, written out ("1er décembre 2026")."""
    return written_date(moment)

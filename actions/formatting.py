from decimal import Decimal


def format_euros(amount: Decimal | int | float) -> str:
    """French money format: narrow no-break space as thousands separator, comma for cents."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = f"{amount:,.2f}".split(".")
    whole = whole.replace(",", "\u202f")
    return f"{whole} €" if cents == "00" else f"{whole},{cents} €"

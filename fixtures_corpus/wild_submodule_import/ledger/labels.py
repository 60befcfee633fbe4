"""Cheap: display names."""

CURRENCY = "EUR"


def label(amount: int) -> str:
    return f"{amount} {CURRENCY}"

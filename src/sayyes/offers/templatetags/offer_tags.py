from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """1234567.5 → 1,234,567.50 (exact: formatted from the Decimal, never a float)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def signed(value) -> str:
    """A difference with its sign: +1,000.00, −250.00, 0.00."""
    value = Decimal(value)
    if value > 0:
        return f"+{value:,.2f}"
    if value < 0:
        return f"−{-value:,.2f}"
    return f"{value:,.2f}"


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def get_index(sequence, index):
    return sequence[index]

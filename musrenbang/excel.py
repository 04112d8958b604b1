"""Workbook helpers shared by every Excel export.

Text a user typed may start with ``=``, ``+``, ``-`` or ``@``; Excel would run it as a formula
(``=HYPERLINK(...)``). Every exported text cell goes through ``escape_text``; the proposals
import strips the apostrophe again so a round trip keeps the text.
"""

DANGEROUS_START = ("=", "+", "-", "@")


def escape_text(text: str) -> str:
    """Prefix text that Excel would read as a formula with an apostrophe."""
    return "'" + text if text.startswith(DANGEROUS_START) else text


def safe_row(values) -> list:
    """Return the row with every text value escaped (numbers and dates unchanged)."""
    return [escape_text(v) if isinstance(v, str) else v for v in values]

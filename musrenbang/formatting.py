"""Indonesian formatting: rupiah, dates, and dates spelled out in words for the Berita Acara."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from num2words import num2words

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def rupiah(value: int | Decimal | None, *, prefix: bool = True) -> str:
    """Return ``Rp 1.250.000`` for 1250000 (whole rupiah, dots between thousands)."""
    if value is None or value == "":
        return "-"
    amount = int(Decimal(value).to_integral_value())
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,}".replace(",", ".")
    return f"{sign}Rp {text}" if prefix else f"{sign}{text}"


def number(value, decimals: int = 0, *, fixed: bool = False) -> str:
    """Return a number with Indonesian separators: ``1.250,5``.

    Up to ``decimals`` (2 when 0) decimals with trailing zeros dropped; with ``fixed`` exactly
    ``decimals`` of them: ``number(2, 2, fixed=True)`` is ``2,00``.
    """
    if value is None or value == "":
        return "-"
    try:
        value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)  # already a placeholder such as "–"
    if not fixed and decimals == 0 and value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    places = decimals if fixed else (decimals or 2)
    text = f"{value:,.{places}f}"
    text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if fixed:
        return text
    return text.rstrip("0").rstrip(",") if "," in text else text


def percent(value, decimals: int = 1) -> str:
    """Return a percentage the Indonesian way with ``decimals`` decimals: 50 -> ``50,0%``."""
    if value is None or value == "":
        return "-"
    return number(value, decimals, fixed=True) + "%"


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def tanggal(value, *, with_day: bool = False) -> str:
    """Return ``22 November 2026`` (optionally ``Minggu, 22 November 2026``)."""
    date = _as_date(value)
    if date is None:
        return "-"
    text = f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    return f"{DAYS[date.weekday()]}, {text}" if with_day else text


def tanggal_waktu(value) -> str:
    """Return ``22 November 2026 09.30 WIB`` for an aware datetime in the local time zone."""
    if value is None:
        return "-"
    local = timezone.localtime(value)
    zone = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        str(local.tzinfo), local.tzname()
    )
    return f"{tanggal(local)} {local:%H.%M} {zone}"


def terbilang(value: int) -> str:
    """Return a whole number in Indonesian words: 2026 -> ``dua ribu dua puluh enam``."""
    return num2words(int(value), lang="id")


def tanggal_terbilang(value) -> dict[str, str]:
    """Return the parts of the Berita Acara's opening sentence for a date.

    ``{"hari": "Senin", "tanggal": "dua puluh dua", "bulan": "November",
    "tahun": "dua ribu dua puluh enam"}``.
    """
    date = _as_date(value)
    return {
        "hari": DAYS[date.weekday()],
        "tanggal": terbilang(date.day),
        "bulan": MONTHS[date.month - 1],
        "tahun": terbilang(date.year),
    }

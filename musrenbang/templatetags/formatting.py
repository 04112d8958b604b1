"""Template filters for Indonesian formatting (loaded as a builtin: no {% load %} needed)."""

from django import template

from musrenbang import formatting

register = template.Library()


@register.filter
def rupiah(value):
    return formatting.rupiah(value)


@register.filter
def angka(value, decimals=0):
    return formatting.number(value, int(decimals))


@register.filter
def tanggal(value):
    return formatting.tanggal(value)


@register.filter
def tanggal_hari(value):
    return formatting.tanggal(value, with_day=True)


@register.filter
def tanggal_waktu(value):
    return formatting.tanggal_waktu(value)


@register.filter
def terbilang(value):
    return formatting.terbilang(value)


@register.filter
def angka_tetap(value, decimals=2):
    """Exactly ``decimals`` decimals: ``2,00``."""
    return formatting.number(value, int(decimals), fixed=True)


@register.filter
def persen(value, decimals=0):
    return formatting.percent(value, int(decimals))

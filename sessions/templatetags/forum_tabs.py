"""The forum's tabs: one list, rendered by one loop in ``forum/_header.html``."""

from django import template
from django.urls import reverse

register = template.Library()

# (tab key, URL name, label, shown only to those who record the forum)
FORUM_TABS = (
    ("home", "forum:detail", "Ringkasan", False),
    ("edit", "forum:edit", "Persiapan", True),
    ("agenda", "forum:agenda", "Agenda", False),
    ("participants", "forum:participants", "Peserta", False),
    ("attendance", "forum:attendance", "Daftar hadir", True),
    ("verification", "forum:verification", "Verifikasi", False),
    ("commissions", "forum:commissions", "Komisi", False),
    ("addition", "forum:addition", "Tambahan kecamatan", True),
    ("delegates", "forum:delegates", "Delegasi", False),
)


@register.simple_tag
def forum_tabs(forum, *, active: str = "", can_record: bool = False) -> list[dict]:
    """Return the tabs ``{label, url, active}`` this reader sees for ``forum``."""
    return [
        {"label": label, "url": reverse(url_name, args=[forum.pk]), "active": key == active}
        for key, url_name, label, recorders_only in FORUM_TABS
        if can_record or not recorders_only
    ]

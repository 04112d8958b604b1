"""Navigation built from the apps' registered menu entries, each shown by a permission.

An app registers its entries in ``AppConfig.ready``::

    add_menu(order=20, perm="proposals.use_intake", label="Usulan Masuk",
             url_name="proposals:incoming")

The entry is shown when the rule book grants ``perm`` on ``obj(user)`` (``obj`` picks the object
the permission is asked about, e.g. the user's kecamatan; ``perm=None``: every signed-in
user). The menu asks the same rule book as the pages it links to, never a role string.
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.urls import NoReverseMatch, reverse

from musrenbang.models import Role


@dataclass(frozen=True)
class MenuEntry:
    order: int
    perm: str | None
    label: str
    url_name: str
    args: Callable | None = None
    obj: Callable | None = None

    def visible_to(self, user) -> bool:
        """Ask the rule book itself: Django's model backend would query its permission
        tables for every entry refused without an object."""
        if self.perm is None:
            return True
        return rules.has_perm(self.perm, user, self.obj(user) if self.obj else None)


MENU: list[MenuEntry] = []


def add_menu(
    *,
    order: int,
    perm: str | None,
    label: str,
    url_name: str,
    args: Callable | None = None,
    obj: Callable | None = None,
) -> None:
    """Register a menu entry shown to whoever has ``perm`` on ``obj(user)``."""
    MENU.append(MenuEntry(order, perm, label, url_name, args, obj))
    MENU.sort(key=lambda entry: entry.order)


def own_subdistrict(user):
    return user.subdistrict


def own_regency(user):
    return user.regency


def own_agency(user):
    return user.agency


def own_place(user):
    """The kecamatan of a kecamatan user, else the kabupaten/kota (Bappeda)."""
    return user.subdistrict if user.is_kecamatan else user.regency


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items, seen = [], set()
    for entry in MENU:
        if not entry.visible_to(user):
            continue
        try:
            url = reverse(entry.url_name, args=entry.args(user) if entry.args else None)
        except (NoReverseMatch, AttributeError, TypeError):
            continue
        if (entry.label, url) in seen:  # one page offered by two permissions
            continue
        seen.add((entry.label, url))
        active = request.path.startswith(url) and url != "/"
        items.append({"label": entry.label, "url": url, "active": active})
    return {"nav_items": items, "role_label": dict(Role.choices).get(user.role, "Superuser")}

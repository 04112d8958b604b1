"""Navigation by role, built from the apps' registered menu entries."""

from django.urls import NoReverseMatch, reverse

from musrenbang.models import Role

# (roles, label, url name, args from user) filled by apps in AppConfig.ready via add_menu().
MENU: list[tuple[int, frozenset, str, str, callable]] = []


def add_menu(*, order: int, roles: set[str], label: str, url_name: str, args=None) -> None:
    MENU.append((order, frozenset(roles), label, url_name, args))
    MENU.sort(key=lambda entry: entry[0])


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    role = "superuser" if user.is_superuser and not user.role else user.role
    items = []
    for _order, roles, label, url_name, args in MENU:
        if role not in roles:
            continue
        try:
            url = reverse(url_name, args=args(user) if args else None)
        except (NoReverseMatch, AttributeError, TypeError):
            continue
        items.append(
            {"label": label, "url": url, "active": request.path.startswith(url) and url != "/"}
        )
    return {"nav_items": items, "role_label": dict(Role.choices).get(user.role, "Superuser")}

"""Dashboard panels: each app registers what it shows on a role's dashboard.

A panel is a function ``(request, place, year) -> dict | None`` returning a template name and
its context (``{"template": "proposals/_panel_kecamatan.html", ...}``), or None to show nothing.
Apps register in their ``AppConfig.ready``; the dashboard views render the panels in order.
"""

from collections import defaultdict
from collections.abc import Callable

PANELS: dict[str, list[tuple[int, Callable]]] = defaultdict(list)


def register(kind: str, order: int = 50):
    """Register a panel for ``kind`` in {"kecamatan", "desa", "kabupaten", "opd"}."""

    def decorator(func: Callable) -> Callable:
        PANELS[kind].append((order, func))
        PANELS[kind].sort(key=lambda pair: pair[0])
        return func

    return decorator


def render_panels(kind: str, request, place, year) -> list[dict]:
    panels = []
    for _order, func in PANELS[kind]:
        panel = func(request, place, year)
        if panel:
            panels.append(panel)
    return panels

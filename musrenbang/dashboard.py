"""Dashboard panels: each app registers what it shows on a role's dashboard.

A panel is a function ``(request, place, year) -> dict | None`` returning a template name and
its context (``{"template": "proposals/_panel_kecamatan.html", ...}``), or None to show nothing.
Apps register in their ``AppConfig.ready``; the dashboard views render the panels in order.

The kecamatan's panels are cached as one fragment (``{% fragment_cache %}``) under
``panel_marks``: what each app says its panels depend on, read in ONE SQL statement of scalar
subqueries (``register_marks``: the forum's version, the proposals' count and last change, ...),
plus the viewer's flags that change what a panel shows (``register_flags``: permission checks
without queries). The marks live in the database, so the key is right on several app servers
with a per-process cache. ``render_panels`` then runs only on a cache miss (``lazy_panels``).
"""

from collections import defaultdict
from collections.abc import Callable
from types import SimpleNamespace

from django.db import connection

from musrenbang.db import execute_prepared, read_parts

PANELS: dict[str, list[tuple[int, Callable]]] = defaultdict(list)
MARKS: dict[str, list[Callable]] = defaultdict(list)
FLAGS: dict[str, list[Callable]] = defaultdict(list)


def register(kind: str, order: int = 50):
    """Register a panel for ``kind`` in {"kecamatan", "desa", "kabupaten", "opd"}."""

    def decorator(func: Callable) -> Callable:
        PANELS[kind].append((order, func))
        PANELS[kind].sort(key=lambda pair: pair[0])
        return func

    return decorator


def register_marks(kind: str):
    """Register ``func(place, year) -> list[(sql, params)]``: scalar subqueries whose values
    change whenever the app's panels of ``kind`` may show something else."""

    def decorator(func: Callable) -> Callable:
        MARKS[kind].append(func)
        return func

    return decorator


def register_flags(kind: str):
    """Register ``func(request, place, year) -> tuple``: the viewer's flags (no queries) that
    change what the app's panels of ``kind`` show."""

    def decorator(func: Callable) -> Callable:
        FLAGS[kind].append(func)
        return func

    return decorator


def render_panels(kind: str, request, place, year) -> list[dict]:
    panels = []
    for _order, func in PANELS[kind]:
        panel = func(request, place, year)
        if panel:
            panels.append(panel)
    return panels


def lazy_panels(kind: str, request, place, year) -> Callable[[], list[dict]]:
    """``render_panels`` when the template asks for them (a cache hit never does)."""
    return lambda: render_panels(kind, request, place, year)


def marks_parts(kind: str, place, year) -> list[tuple[str, list]] | None:
    """The registered marks of ``kind`` as SQL parts (only ``place.pk`` and ``year.year`` are
    read), or None when some module with a panel of ``kind`` registered none."""
    marked = {func.__module__ for func in MARKS[kind]}
    if not PANELS[kind] or any(func.__module__ not in marked for _o, func in PANELS[kind]):
        return None
    return [part for func in MARKS[kind] for part in func(place, year)]


def panel_marks(kind: str, request, place, year) -> tuple | None:
    """The fragment key of ``kind``'s panels for this viewer (one query), or None when some
    module with a panel of ``kind`` registered no marks (then the panels are not cached: a
    new panel without marks would otherwise show stale figures)."""
    if year is None:
        return None
    parts = marks_parts(kind, place, year)
    if parts is None:
        return None
    values = read_parts(parts)  # SQL, not the ORM: this runs on every dashboard view
    flags = tuple(flag for func in FLAGS[kind] for flag in func(request, place, year))
    return (kind, place.pk, year.year, *values, *flags)


def kecamatan_fingerprint(code: str, year: int | None) -> list[tuple[str, list]] | None:
    """What the kecamatan dashboard of ``code`` shows in ``year`` (None: the latest), as SQL
    parts for ``musrenbang.fastpage``: the kecamatan and kabupaten rows, the planning years, the
    pagu, the desa, and the panels' registered marks (one small query finds the year)."""
    from musrenbang.fastpage import row_md5
    from musrenbang.models import BudgetCeiling, PlanningYear, Regency, Subdistrict, Village

    s, y = Subdistrict._meta.db_table, PlanningYear._meta.db_table
    sql = (
        f"SELECT s.id, s.regency_id, coalesce((SELECT year FROM {y} WHERE regency_id ="  # noqa: S608
        f" s.regency_id AND year = %s), (SELECT max(year) FROM {y} WHERE regency_id ="
        f" s.regency_id)) FROM {s} s WHERE s.code = %s"
    )
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, [year, code])
        row = cursor.fetchone()
    if row is None or row[2] is None:
        return None
    place, regency_id = SimpleNamespace(pk=row[0]), row[1]
    panels = marks_parts("kecamatan", place, SimpleNamespace(year=row[2]))
    if panels is None:
        return None
    own = [
        (row_md5(Subdistrict._meta.db_table, "t.id = %s"), [place.pk]),
        (row_md5(Regency._meta.db_table, "t.id = %s"), [regency_id]),
        (row_md5(PlanningYear._meta.db_table, "t.regency_id = %s"), [regency_id]),
        (row_md5(BudgetCeiling._meta.db_table, "t.subdistrict_id = %s"), [place.pk]),
        (row_md5(Village._meta.db_table, "t.subdistrict_id = %s"), [place.pk]),
    ]
    return [*own, *panels]

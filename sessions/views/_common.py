"""Helpers shared by the forum views: fetching a forum with a permission, the page context.

``run`` (a service call with its message) lives in ``musrenbang.views_toolkit``.
"""

from django.http import HttpRequest

from musrenbang.access import get_for_user, require_perm
from musrenbang.caching import instance_marks
from musrenbang.models import Regency, Subdistrict
from musrenbang.views_toolkit import run  # noqa: F401 - re-exported for the forum views
from sessions import selectors, versions
from sessions.models import Forum


def get_forum(request: HttpRequest, pk: int, perm: str = "forum.view_forum") -> Forum:
    """Return the forum (404 if missing) after checking ``perm`` (403 if refused)."""
    forum = get_for_user(request.user, "forum.view_forum", selectors.forums_for_all(), pk=pk)
    if perm != "forum.view_forum":
        require_perm(request.user, perm, forum)
    return forum


def context(forum: Forum, request: HttpRequest, tab: str, **extra) -> dict:
    user = request.user
    return {
        "forum": forum,
        "tab": tab,
        "can_record": user.has_perm("forum.record_forum", forum),
        "can_lead": user.has_perm("forum.lead_forum", forum),
        **extra,
    }


def forum_marks(forum: Forum, *, unread: tuple[str, ...] = ()) -> tuple:
    """The forum row (its version moves with every write to the forum's data) and the places it
    shows: the key of a whole forum page cached per user (``render_cached``).

    ``unread``: the counters of writes the page does not show (``sessions.versions``: the
    ranking shows no attendance, the forum home no scores), left out of the key so that such a
    write keeps the page.
    """
    row, *places = instance_marks(forum, forum.subdistrict, forum.subdistrict.regency)
    if unread:
        names = [field.attname for field in Forum._meta.concrete_fields]
        row = (
            row[0],
            *(value for name, value in zip(names, row[1:], strict=True) if name not in unread),
        )
    return (row, *places)


def forum_fingerprint(request, pk, *, unread: tuple[str, ...] = ()) -> list[tuple[str, list]]:
    """Every column of the forum row (its version moves with every write to the forum's data)
    and of its kecamatan and kabupaten: what a forum page and its permission read; without the
    ``unread`` counters (as ``forum_marks``)."""
    f, s, r = Forum._meta.db_table, Subdistrict._meta.db_table, Regency._meta.db_table
    row = "f::text"
    if unread:
        columns = [
            field.column for field in Forum._meta.concrete_fields if field.attname not in unread
        ]
        row = "ROW(" + ", ".join(f"f.{column}" for column in columns) + ")::text"
    sql = (
        f"SELECT md5({row} || s::text || r::text) FROM {f} f"  # noqa: S608 - model tables
        f" JOIN {s} s ON s.id = f.subdistrict_id JOIN {r} r ON r.id = s.regency_id"
        " WHERE f.id = %s"
    )
    return [(sql, [pk])]


def ranking_fingerprint(request, pk) -> list[tuple[str, list]]:
    """The ranking's: the forum without its attendance counter (the page shows no attendance)."""
    return forum_fingerprint(request, pk, unread=(versions.ATTENDANCE,))

"""The forum's panel on the kecamatan dashboard."""

from sessions import selectors
from sessions.models import Forum


def kecamatan_marks(subdistrict, year) -> list[tuple[str, list]]:
    """The forum of the year and its three counters (``sessions.versions``: every row of the
    forum moves one; the panel shows the attendance and the scoring's progress too)."""
    counters = "version || '.' || attendance_version || '.' || scores_version"
    table = Forum._meta.db_table
    sql = f"SELECT id || '.' || {counters} FROM {table} WHERE subdistrict_id = %s AND year = %s"  # noqa: S608
    return [(sql, [subdistrict.pk, year.year])]


def kecamatan_flags(request, subdistrict, year) -> tuple:
    """Who may create the forum sees the button (checked only while there is none)."""
    return (request.user.has_perm("musrenbang.manage_subdistrict", subdistrict),)


def kecamatan_panel(request, subdistrict, year) -> dict | None:
    """Show the forum's state, date and counts, or a button to create it."""
    if year is None:
        return None
    forum = selectors.forum_of(subdistrict, year.year)
    panel = {"template": "forum/_panel_kecamatan.html", "year": year, "forum": forum}
    if forum is None:
        panel["can_create"] = request.user.has_perm("musrenbang.manage_subdistrict", subdistrict)
        return panel
    panel["counts"] = selectors.attendance_counts(forum)
    panel["stats"] = selectors.item_stats(forum)
    panel["commissions"] = forum.commissions.count()
    return panel

"""The forum's panel on the kecamatan dashboard."""

from sessions import selectors


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

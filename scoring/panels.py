"""Dashboard panels of the scoring app."""

from musrenbang.dashboard import register, register_flags, register_marks
from scoring import selectors
from sessions.models import Forum


@register("opd", order=20)
def opd_panel(request, agency, year):
    """The latest priorities sent to the reader's agency for the year."""
    qs = selectors.agency_priorities(user=request.user)
    if year is not None:
        qs = qs.filter(item__forum__year=year.year)
    rows = list(qs[:10])
    if not rows:
        return None
    return {"template": "scoring/_panel_opd.html", "rows": rows, "count": qs.count(), "year": year}


@register("kecamatan", order=40)
def kecamatan_panel(request, subdistrict, year):
    """Where the year's scoring stands, with links to the sheet and the Hasil Skoring."""
    if year is None:
        return None
    forum = Forum.objects.filter(subdistrict=subdistrict, year=year.year).first()
    if forum is None or not request.user.has_perm("scoring.view_forum", forum):
        return None
    return {
        "template": "scoring/_panel_kecamatan.html",
        "forum": forum,
        "criteria_count": forum.criteria.count(),
        "results": forum.items.filter(result__rank__isnull=False).count(),
        "items": forum.items.count(),
    }


@register_marks("kecamatan")
def kecamatan_marks(subdistrict, year) -> list:
    """Nothing of its own: criteria and results move the forum's version, scores its scores
    counter, both of which the forum's panel puts in the key (``sessions.panels``)."""
    return []


@register_flags("kecamatan")
def kecamatan_flags(request, subdistrict, year) -> tuple:
    """Who may see the scoring (the rule reads only the forum's kecamatan: no query)."""
    forum = Forum(subdistrict=subdistrict, year=year.year)
    return (request.user.has_perm("scoring.view_forum", forum),)


@register("kabupaten", order=40)
def kabupaten_panel(request, regency, year):
    """Bappeda: which kecamatan sent their scoring result this year, with priority totals."""
    if year is None:
        return None
    forums = list(selectors.forums_with_totals(regency=regency, year=year.year))
    if not forums:
        return None
    return {
        "template": "scoring/_panel_kabupaten.html",
        "forums": forums,
        "sent": sum(1 for f in forums if f.is_locked),
        "year": year,
    }

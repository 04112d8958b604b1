"""Dashboard panels of the reports app (registered in ``ReportsConfig.ready``)."""

from django.db.models import Q
from django.urls import reverse

from musrenbang.dashboard import register, register_marks
from reports.models import ArchivedDocument
from scoring.models import Result
from sessions.models import Forum


@register("kecamatan", order=80)
def subdistrict_panel(request, subdistrict, year):
    if year is None:
        return None
    forum = Forum.objects.filter(subdistrict=subdistrict, year=year.year).first()
    archived = ArchivedDocument.objects.filter(forum=forum).first() if forum else None
    return {
        "template": "reports/_panel_kecamatan.html",
        "year": year.year,
        "forum": forum,
        "archived": archived,
    }


@register_marks("kecamatan")
def subdistrict_marks(subdistrict, year) -> list[tuple[str, list]]:
    """The archived documents of the year (the forum's state is in the forum's version)."""
    sql = (
        f"SELECT max(id) FROM {ArchivedDocument._meta.db_table}"  # noqa: S608 - model's table
        " WHERE subdistrict_id = %s AND year = %s"
    )
    return [(sql, [subdistrict.pk, year.year])]


@register("kabupaten", order=80)
def regency_panel(request, regency, year):
    if year is None:
        return None
    total = regency.subdistricts.count()
    sent = Forum.objects.filter(
        subdistrict__regency=regency, year=year.year, state=Forum.State.SENT
    ).count()
    archived = ArchivedDocument.objects.filter(subdistrict__regency=regency, year=year.year)
    return {
        "template": "reports/_panel_kabupaten.html",
        "year": year.year,
        "total": total,
        "sent": sent,
        "archived": archived.count(),
        "url": f"{reverse('reports:overview', args=[regency.code])}?tahun={year.year}",
    }


@register("opd", order=80)
def agency_panel(request, agency, year):
    if year is None:
        return None
    forums = (
        Forum.objects.filter(
            subdistrict__regency_id=agency.regency_id, year=year.year, state=Forum.State.SENT
        )
        .filter(
            Q(items__result__responsible_agency=agency)
            | Q(
                items__result__responsible_agency__isnull=True,
                items__proposal__suggested_agency=agency,
            ),  # fmt: skip
            items__result__decision=Result.Decision.PRIORITY,
        )
        .select_related("subdistrict")
        .distinct()
        .order_by("subdistrict__code")
    )
    return {
        "template": "reports/_panel_opd.html",
        "year": year.year,
        "agency": agency,
        "forums": list(forums),
    }

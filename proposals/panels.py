"""Dashboard panels of proposals: status counts for the kecamatan and for a desa."""

from django.urls import reverse

from musrenbang.dashboard import register
from proposals.models import Proposal, Status
from proposals.selectors import intake_visible, status_counts, year_closure


def _rows(counts: dict, base_url: str, year: int, link_status: bool) -> list[dict]:
    return [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "url": f"{base_url}?tahun={year}&status={value}" if link_status else "",
        }
        for value, label in Status.choices
    ]


@register("kecamatan", order=0)
def kecamatan_year_panel(request, subdistrict, year) -> dict | None:
    """Say once, at the top, that the year is closed when its forum was sent."""
    if year is None:
        return None
    closure = year_closure(subdistrict_id=subdistrict.pk, year=year.year)
    return {"template": "proposals/_panel_year.html", "closure": closure} if closure else None


@register("desa", order=0)
def desa_year_panel(request, village, year) -> dict | None:
    """The year's deadline while it is open; once the forum was sent, that it is closed."""
    if year is None:
        return None
    return {
        "template": "proposals/_panel_year.html",
        "closure": year_closure(subdistrict_id=village.subdistrict_id, year=year.year),
        "deadline": year.submission_deadline,
        "year": year,
    }


@register("kecamatan", order=10)
def kecamatan_panel(request, subdistrict, year) -> dict | None:
    if year is None:
        return None
    # The same proposals the intake list shows (desa drafts stay with the desa), so every
    # number here equals the length of the list its link opens.
    counts = status_counts(intake_visible(subdistrict=subdistrict, year=year.year))
    mine = request.user.is_kecamatan and request.user.subdistrict_id == subdistrict.pk
    url = reverse("proposals:incoming")
    return {
        "template": "proposals/_panel_kecamatan.html",
        "rows": _rows(counts, url, year.year, mine),
        "total": sum(counts.values()),
        "url": f"{url}?tahun={year.year}" if mine else "",
        "year": year,
    }


@register("desa", order=10)
def desa_panel(request, village, year) -> dict | None:
    if year is None:
        return None
    counts = status_counts(Proposal.objects.filter(village=village, year=year.year))
    mine = request.user.is_operator and request.user.village_id == village.pk
    url = reverse("proposals:village_list")
    return {
        "template": "proposals/_panel_desa.html",
        "rows": _rows(counts, url, year.year, False),
        "total": sum(counts.values()),
        "url": f"{url}?tahun={year.year}" if mine else "",
        "year": year,
    }

"""Dashboard panels of proposals: status counts for the kecamatan and for a desa."""

from django.urls import reverse

from musrenbang.dashboard import register, register_flags, register_marks
from proposals.models import Proposal, Status, Transition, YearClosure
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
    mine = _is_mine(request.user, subdistrict)
    url = reverse("proposals:incoming")
    return {
        "template": "proposals/_panel_kecamatan.html",
        "rows": _rows(counts, url, year.year, mine),
        "total": sum(counts.values()),
        "url": f"{url}?tahun={year.year}" if mine else "",
        "year": year,
    }


@register_marks("kecamatan")
def kecamatan_marks(subdistrict, year) -> list[tuple[str, list]]:
    """The year's proposals of the kecamatan (count and last change; bulk status moves skip
    ``save()`` but write a ``Transition``) and its closure."""
    p, t, c = (m._meta.db_table for m in (Proposal, Transition, YearClosure))
    where = [subdistrict.pk, year.year]
    return [
        (f"SELECT count(*) FROM {p} WHERE subdistrict_id = %s AND year = %s", where),  # noqa: S608
        (f"SELECT max(updated_at) FROM {p} WHERE subdistrict_id = %s AND year = %s", where),  # noqa: S608
        (
            f"SELECT max(t.id) FROM {t} t JOIN {p} p ON p.id = t.proposal_id"  # noqa: S608
            " WHERE p.subdistrict_id = %s AND p.year = %s",
            where,
        ),
        (f"SELECT max(id) FROM {c} WHERE subdistrict_id = %s AND year = %s", where),  # noqa: S608
    ]


@register_flags("kecamatan")
def kecamatan_flags(request, subdistrict, year) -> tuple:
    """Only the kecamatan's own staff get the links to the intake list."""
    return (_is_mine(request.user, subdistrict),)


def _is_mine(user, subdistrict) -> bool:
    return bool(user.is_kecamatan and user.subdistrict_id == subdistrict.pk)


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

"""Reads of the master data."""

from django.db.models import Count, QuerySet

from musrenbang.models import Agency, PlanningYear, Regency, Subdistrict


def agencies_of(regency: Regency) -> QuerySet[Agency]:
    return Agency.objects.filter(regency=regency, is_active=True).order_by("name")


def planning_years(regency: Regency) -> list[PlanningYear]:
    return list(PlanningYear.objects.filter(regency=regency).order_by("-year"))


def current_year(regency: Regency, requested: str | int | None = None) -> PlanningYear | None:
    """Return the planning year asked for (``?tahun=``), else the latest one of the regency."""
    years = PlanningYear.objects.filter(regency=regency)
    if requested:
        try:
            found = years.filter(year=int(requested)).first()
        except (TypeError, ValueError):
            found = None
        if found:
            return found
    return years.order_by("-year").first()


def subdistricts_with_village_counts(regency: Regency) -> QuerySet[Subdistrict]:
    return (
        Subdistrict.objects.filter(regency=regency)
        .annotate(village_count=Count("villages"))
        .order_by("code")
    )

"""Reads of the master data, scoped to what a user may see."""

from django.db.models import Count, QuerySet

from musrenbang.models import Agency, PlanningYear, Regency, Role, Subdistrict, User, Village


def subdistricts_for(user: User) -> QuerySet[Subdistrict]:
    """Return the kecamatan a user may see."""
    qs = Subdistrict.objects.select_related("regency")
    if user.is_superuser:
        return qs
    if user.role == Role.BAPPEDA:
        return qs.filter(regency_id=user.regency_id)
    if user.role in (Role.CAMAT, Role.STAFF, Role.OPERATOR):
        return qs.filter(pk=user.subdistrict_id)
    return qs.none()


def villages_for(user: User) -> QuerySet[Village]:
    """Return the desa/kelurahan a user may see."""
    qs = Village.objects.select_related("subdistrict__regency")
    if user.is_superuser:
        return qs
    if user.role == Role.BAPPEDA:
        return qs.filter(subdistrict__regency_id=user.regency_id)
    if user.role in (Role.CAMAT, Role.STAFF):
        return qs.filter(subdistrict_id=user.subdistrict_id)
    if user.role == Role.OPERATOR:
        return qs.filter(pk=user.village_id)
    return qs.none()


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
